package io.cinnabar.pubsub;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.cinnabar.api.ClientHandle;
import io.cinnabar.api.ClusterPubSub;
import io.cinnabar.api.Db;
import io.cinnabar.api.KeyspaceSignals;
import io.cinnabar.api.ServerConfig;
import io.cinnabar.api.ServerContext;
import io.cinnabar.testkit.Differential;
import io.cinnabar.testkit.ReferenceRedis;
import io.cinnabar.testkit.RespClient;
import io.cinnabar.testkit.TestServer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Pub/sub in cluster mode. The hook: with a {@link ClusterPubSub} (the cluster issue's bus, faked here) PUBLISH and SPUBLISH
 * also go to it, and what it receives from other nodes reaches this node's subscribers.
 */
class ClusterHookTest {
    /** A bus that records what this node sends and can play messages from other nodes. */
    private static final class FakeBus implements ClusterPubSub {
        final List<String> sent = new CopyOnWriteArrayList<>();
        volatile Receiver receiver;

        @Override
        public void publish(byte[] channel, byte[] message) {
            sent.add("publish " + text(channel) + " " + text(message));
        }

        @Override
        public void publishShard(byte[] channel, byte[] message) {
            sent.add("spublish " + text(channel) + " " + text(message));
        }

        @Override
        public void setReceiver(Receiver receiver) {
            this.receiver = receiver;
        }
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** The server's context with a cluster bus. */
    private record ClusterContext(ServerContext server, ClusterPubSub bus) implements ServerContext {
        @Override
        public ServerConfig config() {
            return server.config();
        }

        @Override
        public Db db(int index) {
            return server.db(index);
        }

        @Override
        public void execute(Runnable task) {
            server.execute(task);
        }

        @Override
        public void scheduleAtFixedRate(Runnable task, long periodMillis) {
            server.scheduleAtFixedRate(task, periodMillis);
        }

        @Override
        public ClientHandle client(long id) {
            return server.client(id);
        }

        @Override
        public void onClientClosed(Consumer<ClientHandle> listener) {
            server.onClientClosed(listener);
        }

        @Override
        public void onClientReset(Consumer<ClientHandle> listener) {
            server.onClientReset(listener);
        }

        @Override
        public void addKeyspaceSignals(KeyspaceSignals signals) {
            server.addKeyspaceSignals(signals);
        }

        @Override
        public ClusterPubSub clusterPubSub() {
            return bus;
        }
    }

    @Test
    void publishesGoToTheBusAndItsMessagesReachLocalSubscribers() {
        PubSub pubsub = new PubSub();
        FakeBus bus = new FakeBus();
        PubSubLifecycle lifecycle = new PubSubLifecycle(pubsub);
        try (TestServer server = TestServer.builder().family(new PubSubFamily(pubsub))
                .lifecycle(s -> lifecycle.start(new ClusterContext(s, bus))).start();
             RespClient sub = server.client();
             RespClient pub = server.client()) {
            sub.send("SUBSCRIBE", "news");
            sub.readReply();
            sub.send("SSUBSCRIBE", "shard");
            sub.readReply();
            assertEquals(":1\r\n", pub.call("PUBLISH", "news", "local"));
            assertEquals(":1\r\n", pub.call("SPUBLISH", "shard", "local"));
            assertEquals(List.of("publish news local", "spublish shard local"), bus.sent);
            sub.readReply();
            sub.readReply();
            server.server().execute(() -> bus.receiver.publish(bytes("news"), bytes("remote")));
            assertEquals("*3\r\n$7\r\nmessage\r\n$4\r\nnews\r\n$6\r\nremote\r\n", sub.readReply());
            server.server().execute(() -> bus.receiver.publishShard(bytes("shard"), bytes("remote")));
            assertEquals("*3\r\n$8\r\nsmessage\r\n$5\r\nshard\r\n$6\r\nremote\r\n", sub.readReply());
        }
    }

    /**
     * In cluster mode the sharded commands are routed by their channels (Redis's getNodeByQuery counts a shard
     * channel as a key): a channel of a slot nobody serves, or channels of two slots, are refused as by a
     * cluster-enabled redis-server; PUBLISH is never routed.
     */
    @Test
    void shardedCommandsAreRoutedByChannelInClusterMode() {
        try (ReferenceRedis redis = ReferenceRedis.start("--cluster-enabled", "yes", "--cluster-require-full-coverage",
                "no");
             TestServer cluster = PubSubServers.builder().option("cluster-enabled", "yes")
                     .option("cluster-require-full-coverage", "no").start();
             RespClient r = redis.client();
             RespClient c = cluster.client()) {
            Differential d = new Differential(r, c);
            // slot of "b" is 3300, of "c" 7365, of "a" 15495: this node serves 0-8000 only
            d.run("CLUSTER ADDSLOTSRANGE 0 8000");
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (!(r.call("CLUSTER", "INFO").contains("cluster_state:ok")
                    && c.call("CLUSTER", "INFO").contains("cluster_state:ok")) && System.nanoTime() < deadline) {
                java.util.concurrent.locks.LockSupport.parkNanos(20_000_000L);
            }
            d.run("SPUBLISH a x", "SPUBLISH b x", "PUBLISH a x", "SSUBSCRIBE a", "SSUBSCRIBE b c", "SUNSUBSCRIBE a",
                    "SSUBSCRIBE b");
            d.run("SUNSUBSCRIBE b");
            d.assertSame();
        }
    }
}
