package io.cinnabar.kernel.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The decoder on its own: every split of the input decodes to the same commands. */
class RespDecoderTest {

    private static List<String> decodeAll(RespDecoder d, ByteBuf in) throws ProtocolException {
        List<String> out = new ArrayList<>();
        while (d.decode(in)) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < d.argc(); i++) {
                sb.append(i == 0 ? "" : "|").append(new String(d.argv()[i], StandardCharsets.ISO_8859_1));
            }
            out.add(sb.toString());
        }
        return out;
    }

    @Test
    void everySplitPointDecodesTheSameCommands() throws ProtocolException {
        String input = "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$5\r\nv\r\nxy\r\nPING a 'b c'\r\n*1\r\n$4\r\nPING\r\n";
        byte[] bytes = input.getBytes(StandardCharsets.ISO_8859_1);
        List<String> whole = decodeAll(new RespDecoder(), Unpooled.wrappedBuffer(bytes));
        assertEquals(List.of("SET|k|v\r\nxy", "PING|a|b c", "PING"), whole);
        for (int split = 1; split < bytes.length; split++) {
            RespDecoder d = new RespDecoder();
            ByteBuf buf = Unpooled.buffer();
            buf.writeBytes(bytes, 0, split);
            List<String> got = new ArrayList<>(decodeAll(d, buf));
            buf.writeBytes(bytes, split, bytes.length - split);
            got.addAll(decodeAll(d, buf));
            assertEquals(whole, got, "split at " + split);
        }
    }

    @Test
    void bigBulksFillIncrementally() throws ProtocolException {
        byte[] value = new byte[3 * 1024 * 1024 + 17];
        new Random(1).nextBytes(value);
        RespDecoder d = new RespDecoder();
        ByteBuf buf = Unpooled.buffer();
        buf.writeBytes(("*1\r\n$" + value.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
        for (int off = 0; off < value.length; off += 65536) {
            buf.writeBytes(value, off, Math.min(65536, value.length - off));
            assertFalse(d.decode(buf));
            buf.discardReadBytes();
        }
        buf.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        assertTrue(d.decode(buf));
        assertArrayEquals(value, d.argv()[0]);
    }

    @Test
    void bulkLongerThanTheConfiguredLimitIsRejected() {
        RespDecoder d = new RespDecoder();
        d.setMaxBulkLen(10);
        ByteBuf buf = Unpooled.copiedBuffer("*1\r\n$11\r\n", StandardCharsets.US_ASCII);
        ProtocolException e = assertThrows(ProtocolException.class, () -> d.decode(buf));
        assertEquals("ERR Protocol error: invalid bulk length", e.getMessage());
    }

    @Test
    void unauthenticatedClientsGetTheStricterLimits() {
        RespDecoder d = new RespDecoder();
        d.setAuthenticated(false);
        ProtocolException e = assertThrows(ProtocolException.class,
                () -> d.decode(Unpooled.copiedBuffer("*11\r\n", StandardCharsets.US_ASCII)));
        assertEquals("ERR Protocol error: unauthenticated multibulk length", e.getMessage());
        RespDecoder d2 = new RespDecoder();
        d2.setAuthenticated(false);
        e = assertThrows(ProtocolException.class,
                () -> d2.decode(Unpooled.copiedBuffer("*1\r\n$16385\r\n", StandardCharsets.US_ASCII)));
        assertEquals("ERR Protocol error: unauthenticated bulk length", e.getMessage());
    }
}
