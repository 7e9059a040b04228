package io.cinnabar.pubsub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cinnabar.testkit.RespClient;
import io.cinnabar.testkit.TestServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * PUBLISH and SPUBLISH across real cluster nodes joined over the cluster bus: a PUBLISH on one node reaches
 * subscribers on every node; an SPUBLISH reaches the shard's replica and not the other shard; SSUBSCRIBE to a
 * channel another node owns is redirected.
 */
class ClusterBusPubSubTest {
    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            java.util.concurrent.locks.LockSupport.parkNanos(20_000_000L);
        }
    }

    private static TestServer node() {
        return PubSubServers.builder().option("cluster-enabled", "yes").option("cluster-node-timeout", "5000")
                .option("cluster-port", Integer.toString(TestServer.freePort())).start();
    }

    @Test
    void publishReachesEveryNodeAndSpublishStaysInItsShard() {
        List<TestServer> nodes = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                nodes.add(node());
            }
            TestServer a = nodes.get(0);
            TestServer b = nodes.get(1);
            TestServer replicaOfA = nodes.get(2);
            try (RespClient ca = a.client(); RespClient cb = b.client(); RespClient cr = replicaOfA.client()) {
                ca.call("CLUSTER", "ADDSLOTSRANGE", "0", "8191");
                cb.call("CLUSTER", "ADDSLOTSRANGE", "8192", "16383");
                String busA = ca.call("CONFIG", "GET", "cluster-port").split("\r\n")[4];
                for (RespClient c : List.of(cb, cr)) {
                    c.call("CLUSTER", "MEET", "127.0.0.1", Integer.toString(a.port()), busA);
                }
                await("every node to know the others", () -> List.of(ca, cb, cr).stream()
                        .allMatch(c -> ((String) io.cinnabar.testkit.Resp.parse(c.call("CLUSTER", "NODES")))
                                .lines().filter(l -> !l.contains("handshake")).count() == 3));
                String idA = ca.call("CLUSTER", "MYID").split("\r\n")[1];
                assertEquals("+OK\r\n", cr.call("CLUSTER", "REPLICATE", idA));
                await("A to know its replica", () -> ((String) io.cinnabar.testkit.Resp.parse(
                        ca.call("CLUSTER", "NODES"))).contains(" slave " + idA));
                await("the cluster to be ok", () -> List.of(ca, cb, cr).stream()
                        .allMatch(c -> c.call("CLUSTER", "INFO").contains("cluster_state:ok")));

                // PUBLISH on one node reaches the subscribers of every node
                try (RespClient subB = b.client(); RespClient subR = replicaOfA.client()) {
                    subB.call("SUBSCRIBE", "news");
                    subR.call("SUBSCRIBE", "news");
                    awaitBusLinks(ca, subR);
                    awaitBusLinks(ca, subB);
                    assertEquals(":0\r\n", ca.call("PUBLISH", "news", "hello"));
                    String push = "*3\r\n$7\r\nmessage\r\n$4\r\nnews\r\n$5\r\nhello\r\n";
                    assertEquals(push, subB.readReply());
                    assertEquals(push, subR.readReply());
                }
                // SPUBLISH to a channel of A's shard reaches A's replica, not B; elsewhere it is redirected
                String channel = channelIn(ca, 0, 8191);
                try (RespClient subR = replicaOfA.client(); RespClient subB = b.client()) {
                    subR.call("READONLY");
                    assertTrue(subR.call("SSUBSCRIBE", channel).startsWith("*3\r\n$10\r\nssubscribe"));
                    assertTrue(subB.call("SSUBSCRIBE", channel).startsWith("-MOVED "), "SSUBSCRIBE on B");
                    assertEquals(":0\r\n", ca.call("SPUBLISH", channel, "sharded"));
                    assertEquals("*3\r\n$8\r\nsmessage\r\n$" + channel.length() + "\r\n" + channel
                            + "\r\n$7\r\nsharded\r\n", subR.readReply());
                }
            }
        } finally {
            for (TestServer n : nodes) {
                n.close();
            }
        }
    }

    /** Waits until a PUBLISH from {@code publisher} reaches {@code subscriber} (the bus links are up). */
    private static void awaitBusLinks(RespClient publisher, RespClient subscriber) {
        subscriber.call("SUBSCRIBE", "probe");
        subscriber.setTimeoutMillis(200);
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
            publisher.call("PUBLISH", "probe", "x");
            try {
                subscriber.readReply();
                break;
            } catch (RuntimeException notYet) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("PUBLISH never crossed the bus");
                }
            }
        }
        subscriber.setTimeoutMillis(10_000);
        subscriber.send("UNSUBSCRIBE", "probe");
        // probes published before the first one arrived may still come: read until the unsubscribe reply
        while (!subscriber.readReply().contains("unsubscribe")) {
            // a late probe message
        }
    }

    /** A channel name whose slot lies in [from, to]. */
    private static String channelIn(RespClient c, int from, int to) {
        for (int i = 0; ; i++) {
            String name = "ch" + i;
            String reply = c.call("CLUSTER", "KEYSLOT", name);
            int slot = Integer.parseInt(reply.substring(1).trim());
            if (slot >= from && slot <= to) {
                return name;
            }
        }
    }
}
