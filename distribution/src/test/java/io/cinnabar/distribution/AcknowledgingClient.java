package io.cinnabar.distribution;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import redis.clients.jedis.CommandObjects;
import redis.clients.jedis.Connection;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisCluster;
import redis.clients.jedis.RedisProtocol;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * A cluster client (JedisCluster or Lettuce's RedisClusterClient) whose writes a replica acknowledges: SET, then
 * {@code WAIT 1} on the same connection, since WAIT waits for the replication offset of its own connection's last
 * write. That connection is the one the client itself routes the key's slot to. When it fails (a dead node, MOVED
 * after a failover, CLUSTERDOWN) the client's ordinary routed SET runs instead, so that the client follows the
 * redirection and learns the new topology by its own means; such a write is never acknowledged.
 */
interface AcknowledgingClient extends AutoCloseable {
    /** How long a WAIT waits for the replica. */
    int WAIT_MILLIS = 500;

    /** What one SET came to. */
    enum Outcome {
        /** The SET returned OK and WAIT 1 on its connection returned 1. */
        ACKNOWLEDGED,
        /** The SET returned OK; no replica acknowledged it (yet). */
        WRITTEN,
        /** No OK: the SET failed, or its outcome is unknown (a timeout, a connection lost). */
        FAILED
    }

    Outcome set(String key, String value);

    /** A read routed by the client, following redirections. */
    String get(String key);

    @Override
    void close();

    /** A JedisCluster client seeded with one node (1 s connect and 2 s read timeouts, at most 1 s of retries). */
    static AcknowledgingClient jedis(int seedPort) {
        return new Jedis(seedPort);
    }

    /**
     * A Lettuce cluster client seeded with one node, refreshing its topology every second and when redirected. A
     * writer's client fails fast ({@code REJECT_COMMANDS}): a command for a node it is not connected to fails at
     * once (Lettuce 7.7 rejects even the first command on a node connection still being opened) instead of waiting
     * for the 2 s timeout; a reader's waits.
     */
    static AcknowledgingClient lettuce(int seedPort, boolean failFast) {
        return new Lettuce(seedPort, failFast);
    }

    /** JedisCluster: the slot's connection is taken from the client's pool for that slot's node. */
    final class Jedis implements AcknowledgingClient {
        private static final CommandObjects COMMANDS = new CommandObjects(RedisProtocol.RESP2);
        private final JedisCluster cluster;

        private Jedis(int seedPort) {
            cluster = new JedisCluster(Set.of(new HostAndPort("127.0.0.1", seedPort)),
                    DefaultJedisClientConfig.builder().connectionTimeoutMillis(1000).socketTimeoutMillis(2000).build(),
                    5, Duration.ofSeconds(1));
        }

        @Override
        public Outcome set(String key, String value) {
            boolean written = false;
            try (Connection c = cluster.getConnectionFromSlot(JedisClusterCRC16.getSlot(key))) {
                c.executeCommand(COMMANDS.set(key, value));
                written = true;
                return c.executeCommand(COMMANDS.waitReplicas(1, WAIT_MILLIS)) >= 1 ? Outcome.ACKNOWLEDGED
                        : Outcome.WRITTEN;
            } catch (JedisException e) {
                if (written) {
                    return Outcome.WRITTEN;
                }
            }
            try {
                cluster.set(key, value);
                return Outcome.WRITTEN;
            } catch (JedisException e) {
                return Outcome.FAILED;
            }
        }

        @Override
        public String get(String key) {
            return cluster.get(key);
        }

        @Override
        public void close() {
            cluster.close();
        }
    }

    /** Lettuce: the slot's connection is the cluster connection's own connection to the slot's master. */
    final class Lettuce implements AcknowledgingClient {
        private final RedisClusterClient client;
        private final StatefulRedisClusterConnection<String, String> connection;

        private Lettuce(int seedPort, boolean failFast) {
            client = RedisClusterClient.create(RedisURI.builder().withHost("127.0.0.1").withPort(seedPort)
                    .withTimeout(Duration.ofSeconds(2)).build());
            client.setOptions(ClusterClientOptions.builder()
                    .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
                            .enablePeriodicRefresh(Duration.ofSeconds(1))
                            .enableAllAdaptiveRefreshTriggers()
                            .adaptiveRefreshTriggersTimeout(Duration.ofMillis(500)).build())
                    .disconnectedBehavior(failFast ? ClientOptions.DisconnectedBehavior.REJECT_COMMANDS
                            : ClientOptions.DisconnectedBehavior.DEFAULT)
                    .timeoutOptions(TimeoutOptions.enabled(Duration.ofSeconds(2))).build());
            connection = client.connect();
        }

        @Override
        public Outcome set(String key, String value) {
            boolean written = false;
            try {
                RedisClusterNode owner = connection.getPartitions().getMasterBySlot(SlotHash.getSlot(key));
                if (owner != null) {
                    RedisCommands<String, String> node = connection
                            .getConnection(owner.getUri().getHost(), owner.getUri().getPort()).sync();
                    node.set(key, value);
                    written = true;
                    return node.waitForReplication(1, WAIT_MILLIS) >= 1 ? Outcome.ACKNOWLEDGED : Outcome.WRITTEN;
                }
            } catch (RuntimeException e) {
                // Lettuce's RedisException family, or a node no longer in the client's view
                if (written) {
                    return Outcome.WRITTEN;
                }
            }
            try {
                connection.sync().set(key, value);
                return Outcome.WRITTEN;
            } catch (RuntimeException e) {
                return Outcome.FAILED;
            }
        }

        @Override
        public String get(String key) {
            return connection.sync().get(key);
        }

        @Override
        public void close() {
            connection.close();
            client.shutdown(0, 2, TimeUnit.SECONDS);
        }
    }
}
