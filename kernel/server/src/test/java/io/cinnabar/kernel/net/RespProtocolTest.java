package io.cinnabar.kernel.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cinnabar.testkit.ReferenceRedis;
import io.cinnabar.testkit.RespClient;
import io.cinnabar.testkit.TestServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The request decoder over a real socket: malformed and edge-case input gets exactly the bytes Redis
 * sends (then the close), partial reads and pipelines decode the same as whole ones, and a hostile client
 * never disturbs the others.
 */
class RespProtocolTest {
    private static TestServer server;
    private static ReferenceRedis redis;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        redis = ReferenceRedis.start();
    }

    @AfterAll
    static void stop() {
        server.close();
        if (redis != null) {
            redis.close();
        }
    }

    /** Everything the server writes back for {@code request} until it closes or goes quiet. */
    private static String exchange(int port, byte[] request) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(400);
            s.getOutputStream().write(request);
            s.getOutputStream().flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            try {
                int n;
                while ((n = in.read(buf)) >= 0) {
                    out.write(buf, 0, n);
                }
                out.writeBytes("<EOF>".getBytes(StandardCharsets.US_ASCII));
            } catch (SocketTimeoutException e) {
                // quiet: the server waits for more input
            }
            return out.toString(StandardCharsets.ISO_8859_1);
        }
    }

    private static void assertSameAsRedis(String request) throws IOException {
        assertSameAsRedis(request.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static void assertSameAsRedis(byte[] request) throws IOException {
        String want = exchange(redis.port(), request);
        String got = exchange(server.port(), request);
        assertEquals(want, got, "reply to " + new String(request, 0, Math.min(60, request.length),
                StandardCharsets.ISO_8859_1).replace("\r\n", "\\r\\n"));
    }

    @Test
    void malformedMultibulkHeadersGetRedisErrorsThenClose() throws IOException {
        assertSameAsRedis("*3000000000\r\n");
        assertSameAsRedis("*abc\r\n");
        assertSameAsRedis("*01\r\n$4\r\nPING\r\n");
        assertSameAsRedis("*" + "1".repeat(70_000));
    }

    @Test
    void malformedBulkHeadersGetRedisErrorsThenClose() throws IOException {
        assertSameAsRedis("*1\r\n$-1\r\n");
        assertSameAsRedis("*1\r\n$600000000\r\n");
        assertSameAsRedis("*1\r\nfoo\r\n");
        assertSameAsRedis("*1\r\n$abc\r\n");
        assertSameAsRedis("*1\r\n$04\r\nPING\r\n");
        assertSameAsRedis("*1\r\n$+4\r\nPING\r\n");
        assertSameAsRedis("*1\r\n$" + "9".repeat(70_000));
    }

    @Test
    void emptyAndNegativeMultibulksAreSkipped() throws IOException {
        assertSameAsRedis("*-1\r\nPING\r\n");
        assertSameAsRedis("*0\r\nPING\r\n");
        assertSameAsRedis("\r\n\r\nPING\r\n");
    }

    @Test
    void hugeArgumentCountWaitsForDataWithoutAllocatingIt() throws IOException {
        assertSameAsRedis("*2000000\r\n");
        assertSameAsRedis("*2147483647\r\n$4\r\nECHO\r\n");
    }

    @Test
    void inlineCommandsSplitLikeSdssplitargs() throws IOException {
        assertSameAsRedis("ECHO \"a\\x41\\n\"\r\n");
        assertSameAsRedis("ECHO 'b\\'c'\r\n");
        assertSameAsRedis("ECHO \"a\"b\r\n");
        assertSameAsRedis("PING \"unbalanced\r\n");
        assertSameAsRedis("PING\r\nECHO a\"b\r\n");
        assertSameAsRedis("ECHO   spaced\t\r\n");
        assertSameAsRedis("ECHO lf-only\n");
        assertSameAsRedis("\u0000\u0001\u0002\r\n");
        assertSameAsRedis("x".repeat(70_000));
    }

    @Test
    void lengthHeadersPrintLikeRedisAtEveryWidth() throws IOException {
        // integer replies through the same header: StringsFamilyTest's INCR/DECR cases, down to Long.MIN_VALUE
        StringBuilder req = new StringBuilder();
        for (int len : new int[] {0, 9, 10, 511, 512, 99_999, 100_000}) {
            req.append("*2\r\n$4\r\nECHO\r\n$").append(len).append("\r\n").append("x".repeat(len)).append("\r\n");
        }
        assertSameAsRedis(req.toString());
    }

    @Test
    void bulkTerminatorIsNotCheckedAsRedis() throws IOException {
        assertSameAsRedis("*1\r\n$4\r\nPINGXX*1\r\n$4\r\nPING\r\n");
    }

    @Test
    void unknownCommandsAndArityErrorsMatch() throws IOException {
        assertSameAsRedis("*3\r\n$3\r\nFOO\r\n$3\r\nbar\r\n$4\r\nb\r\nz\r\n");
        assertSameAsRedis("*2\r\n$3\r\nFOO\r\n$200\r\n" + "y".repeat(200) + "\r\n");
        assertSameAsRedis("*1\r\n$4\r\nECHO\r\n");
        assertSameAsRedis("*3\r\n$4\r\nPING\r\n$1\r\na\r\n$1\r\nb\r\n");
        assertSameAsRedis("ping\r\nPiNg\r\n");
    }

    @Test
    void oneByteAtATimeDecodesLikeOneWrite() throws IOException {
        String pipeline = "*2\r\n$4\r\nECHO\r\n$5\r\nhello\r\nPING\r\n*1\r\n$4\r\nPING\r\n*2\r\n$4\r\nECHO\r\n$0\r\n\r\n";
        byte[] big = new byte[100_000];
        new Random(7).nextBytes(big);
        try (RespClient c = server.client()) {
            for (byte b : pipeline.getBytes(StandardCharsets.US_ASCII)) {
                c.writeRaw(new byte[] {b});
            }
            assertEquals("$5\r\nhello\r\n", c.readReply());
            assertEquals("+PONG\r\n", c.readReply());
            assertEquals("+PONG\r\n", c.readReply());
            assertEquals("$0\r\n\r\n", c.readReply());
            // a bulk bigger than the incremental threshold, in uneven chunks
            byte[] req = RespClient.encode("ECHO".getBytes(StandardCharsets.US_ASCII), big);
            for (int off = 0; off < req.length; off += 777) {
                c.writeRaw(java.util.Arrays.copyOfRange(req, off, Math.min(req.length, off + 777)));
            }
            String reply = c.readReply();
            assertEquals("$100000\r\n" + new String(big, StandardCharsets.ISO_8859_1) + "\r\n", reply);
        }
    }

    @Test
    void longPipelineAnswersEveryCommandInOrder() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 10_000; i++) {
            sb.append("*2\r\n$4\r\nECHO\r\n$").append(Integer.toString(i).length()).append("\r\n").append(i).append("\r\n");
        }
        try (RespClient c = server.client()) {
            c.writeRaw(sb.toString());
            for (int i = 0; i < 10_000; i++) {
                assertEquals("$" + Integer.toString(i).length() + "\r\n" + i + "\r\n", c.readReply());
            }
        }
    }

    @Test
    void garbageFromOneClientDoesNotDisturbOthers() throws IOException {
        try (RespClient good = server.client()) {
            good.send("ECHO", "before");
            Random r = new Random(42);
            for (int i = 0; i < 50; i++) {
                byte[] junk = new byte[1 + r.nextInt(4000)];
                r.nextBytes(junk);
                try {
                    exchange(server.port(), junk);
                } catch (java.net.SocketException e) {
                    // the server may close the hostile connection while it is still writing
                }
            }
            assertEquals("$6\r\nbefore\r\n", good.readReply());
            assertEquals("+PONG\r\n", good.call("PING"));
        }
    }

    @Test
    void clientThatStopsMidCommandCanBeFollowedByOthers() {
        try (RespClient partial = server.client(); RespClient other = server.client()) {
            partial.writeRaw("*2\r\n$4\r\nECHO\r\n$10\r\nabc");
            assertEquals("+PONG\r\n", other.call("PING"));
            partial.writeRaw("defghij\r\n");
            assertEquals("$10\r\nabcdefghij\r\n", partial.readReply());
        }
    }

    @Test
    void protocolErrorClosesOnlyThatConnection() {
        try (RespClient bad = server.client()) {
            bad.writeRaw("*1\r\n$-5\r\n");
            assertEquals("-ERR Protocol error: invalid bulk length\r\n", bad.readReply());
            assertTrue(bad.isClosedByServer());
        }
        try (RespClient c = server.client()) {
            assertEquals("+PONG\r\n", c.call("PING"));
        }
    }
}
