package io.cinnabar.pubsub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cinnabar.testkit.RespClient;
import io.cinnabar.testkit.TestServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * client-output-buffer-limit pubsub: a subscriber that never reads is disconnected once its pending output
 * passes the hard limit, or stays over the soft limit for longer than the soft seconds, so a publisher
 * flooding it cannot grow the server's memory without bound.
 */
class SlowSubscriberTest {
    private static final Pattern OMEM = Pattern.compile(" omem=(\\d+) ");

    /** A subscriber on a raw socket with a small receive window that never reads a byte. */
    private static Socket stalledSubscriber(TestServer server, String channel) throws IOException {
        Socket s = new Socket();
        s.setReceiveBufferSize(4096);
        s.connect(new InetSocketAddress("127.0.0.1", server.port()));
        OutputStream out = s.getOutputStream();
        out.write(RespClient.encode("SUBSCRIBE".getBytes(StandardCharsets.US_ASCII),
                channel.getBytes(StandardCharsets.US_ASCII)));
        out.flush();
        return s;
    }

    private static void awaitSubscribers(RespClient c, String channel, int n) {
        String want = "*2\r\n$" + channel.length() + "\r\n" + channel + "\r\n:" + n + "\r\n";
        long deadline = System.currentTimeMillis() + 5000;
        while (!c.call("PUBSUB", "NUMSUB", channel).equals(want)) {
            assertTrue(System.currentTimeMillis() < deadline, "subscriber count never became " + n);
            Thread.onSpinWait();
        }
    }

    /** The largest omem CLIENT LIST shows for a pub/sub client (0 when none is connected). */
    private static long pubsubOutput(RespClient c) {
        long max = 0;
        Matcher m = OMEM.matcher(c.call("CLIENT", "LIST", "TYPE", "PUBSUB"));
        while (m.find()) {
            max = Math.max(max, Long.parseLong(m.group(1)));
        }
        return max;
    }

    @Test
    void floodedSubscriberIsDisconnectedAtTheHardLimitAndMemoryStaysBounded() throws Exception {
        long hard = 1 << 20;
        try (TestServer server = PubSubServers.builder()
                .option("client-output-buffer-limit", "pubsub 1mb 256kb 60").start();
             RespClient pub = server.client();
             Socket stalled = stalledSubscriber(server, "flood")) {
            awaitSubscribers(pub, "flood", 1);
            String payload = "x".repeat(4096);
            long deadline = System.currentTimeMillis() + 20_000;
            long peak = 0;
            int published = 0;
            while (!pub.call("PUBLISH", "flood", payload).equals(":0\r\n")) {
                published++;
                if (published % 32 == 0) {
                    peak = Math.max(peak, pubsubOutput(pub));
                }
                assertTrue(System.currentTimeMillis() < deadline, "stalled subscriber never disconnected");
            }
            assertTrue(published > 0, "nothing was published before the disconnect");
            // what the server held for it never went past the hard limit by more than one message and a chunk
            assertTrue(peak < hard + 64 * 1024, "pending output reached " + peak);
            awaitSubscribers(pub, "flood", 0);
            assertEquals(0, pubsubOutput(pub));
            assertEquals("+PONG\r\n", pub.call("PING"));
        }
    }

    @Test
    void severalStalledPatternSubscribersAreDroppedWhilePublishingGoesOn() throws Exception {
        try (TestServer server = PubSubServers.builder()
                .option("client-output-buffer-limit", "pubsub 256kb 0 0").start();
             RespClient pub = server.client();
             RespClient reader = server.client();
             Socket a = stalledSubscriber(server, "many");
             Socket b = stalledSubscriber(server, "many")) {
            for (String pattern : new String[] {"man*", "ma*"}) {
                Socket s = new Socket("127.0.0.1", server.port());
                s.setReceiveBufferSize(4096);
                s.getOutputStream().write(RespClient.encode("PSUBSCRIBE".getBytes(StandardCharsets.US_ASCII),
                        pattern.getBytes(StandardCharsets.US_ASCII)));
                closeLater.add(s);
            }
            reader.send("SUBSCRIBE", "many");
            reader.readReply();
            awaitSubscribers(pub, "many", 3);
            String payload = "w".repeat(2048);
            long deadline = System.currentTimeMillis() + 20_000;
            String got;
            // the stalled ones (two channel, two pattern subscribers) go; the reading one stays
            while (!(got = pub.call("PUBLISH", "many", payload)).equals(":1\r\n")) {
                assertTrue(got.startsWith(":"), got);
                assertTrue(System.currentTimeMillis() < deadline, "stalled subscribers never disconnected");
                String m = reader.readReply();
                assertTrue(m.endsWith(payload + "\r\n"), m);
            }
            assertEquals("*3\r\n$7\r\nmessage\r\n$4\r\nmany\r\n$2048\r\n" + payload + "\r\n", reader.readReply());
        } finally {
            for (Socket s : closeLater) {
                s.close();
            }
        }
    }

    private final java.util.List<Socket> closeLater = new java.util.ArrayList<>();

    @Test
    void subscriberOverTheSoftLimitForLongerThanItsSecondsIsDisconnected() throws Exception {
        try (TestServer server = PubSubServers.builder().start();
             RespClient pub = server.client()) {
            assertEquals("+OK\r\n", pub.call("CONFIG", "SET", "client-output-buffer-limit", "pubsub 0 64kb 1"));
            try (Socket stalled = stalledSubscriber(server, "slow")) {
                awaitSubscribers(pub, "slow", 1);
                String payload = "y".repeat(1024);
                long deadline = System.currentTimeMillis() + 20_000;
                while (!pub.call("PUBLISH", "slow", payload).equals(":0\r\n")) {
                    assertTrue(System.currentTimeMillis() < deadline, "subscriber over the soft limit kept");
                    Thread.sleep(1);
                }
                awaitSubscribers(pub, "slow", 0);
            }
        }
    }

    @Test
    void readingSubscriberUnderTheLimitsKeepsItsConnection() {
        try (TestServer server = PubSubServers.builder()
                .option("client-output-buffer-limit", "pubsub 1mb 256kb 60").start();
             RespClient pub = server.client();
             RespClient sub = server.client()) {
            sub.send("SUBSCRIBE", "steady");
            sub.readReply();
            String payload = "z".repeat(4096);
            for (int i = 0; i < 2000; i++) {
                assertEquals(":1\r\n", pub.call("PUBLISH", "steady", payload));
                assertEquals("*3\r\n$7\r\nmessage\r\n$6\r\nsteady\r\n$4096\r\n" + payload + "\r\n", sub.readReply());
            }
        }
    }
}
