package io.cinnabar.example;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The RDB form of a ratelimit value: a Redis module-type value (type 7) that reads back unchanged. */
class RateLimitDataTypeTest {
    private final RateLimitDataType type = new RateLimitDataType();

    private byte[] write(RateLimiter log) throws IOException {
        ByteArrayOutputStream bo = new ByteArrayOutputStream();
        type.write(log, new DataOutputStream(bo));
        return bo.toByteArray();
    }

    private RateLimiter read(byte[] b) throws IOException {
        return (RateLimiter) type.read(7, new DataInputStream(new ByteArrayInputStream(b)));
    }

    @Test
    void aLimiterRoundTripsThroughItsRdbForm() throws IOException {
        RateLimiter log = new RateLimiter();
        long t = 1_764_000_000_000L;
        for (int i = 0; i < 100; i++) {
            log.record(t + i * 7, 1 + i % 5);
        }
        log.evict(t + 300, 200);  // leaves a ring whose head is not at slot 0
        RateLimiter back = read(write(log));
        assertEquals(log.size(), back.size());
        assertEquals(log.used(), back.used());
        for (int i = 0; i < log.size(); i++) {
            assertEquals(log.timeAt(i), back.timeAt(i));
            assertEquals(log.costAt(i), back.costAt(i));
        }
        assertArrayEquals(write(log), write(back));
    }

    @Test
    void anEmptyLimiterRoundTrips() throws IOException {
        assertEquals(0, read(write(new RateLimiter())).size());
    }

    @Test
    void itIsModuleTypeSevenLedByTheEncodedTypeName() throws IOException {
        assertArrayEquals(new int[] {7}, type.rdbTypes());
        assertEquals(7, type.rdbTypeOf(new RateLimiter()));
        assertEquals(RateLimiter.class, type.valueClass());
        byte[] b = write(new RateLimiter());
        assertEquals(0x81, b[0] & 0xFF, "a 64-bit RDB length");
        long id = ByteBuffer.wrap(b, 1, 8).getLong();
        assertEquals(RateLimitDataType.MODULE_TYPE_ID, id);
        assertEquals("ratelimit", decodeName(id));
        assertEquals(0, id & 1023, "encoding version 0");
        // then UINT opcode (2) with count 0, then EOF opcode (0)
        assertArrayEquals(new byte[] {2, 0, 0}, Arrays.copyOfRange(b, 9, b.length));
    }

    @Test
    void lengthsUseRedisRdbEncodings() throws IOException {
        ByteArrayOutputStream bo = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bo);
        long[] values = {0, 63, 64, 16383, 16384, 0xFFFFFFFFL, 0x100000000L, Long.MAX_VALUE};
        for (long v : values) {
            RateLimitDataType.writeLength(out, v);
        }
        byte[] b = bo.toByteArray();
        assertArrayEquals(new byte[] {0, 63, 0x40, 64, 0x7F, (byte) 0xFF, (byte) 0x80, 0, 0, 0x40, 0},
                Arrays.copyOf(b, 11));
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(b));
        for (long v : values) {
            assertEquals(v, RateLimitDataType.readLength(in));
        }
    }

    @Test
    void anotherModulesValueOrATruncatedOneIsRejected() throws IOException {
        RateLimiter log = new RateLimiter();
        log.record(1000, 2);
        byte[] good = write(log);
        byte[] otherId = good.clone();
        otherId[3] ^= 0x10;
        assertThrows(IOException.class, () -> read(otherId));
        assertThrows(IOException.class, () -> read(Arrays.copyOf(good, good.length - 1)));
        assertThrows(IOException.class, () -> type.read(0, new DataInputStream(new ByteArrayInputStream(good))));
    }

    private static String decodeName(long id) {
        String charset = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        StringBuilder sb = new StringBuilder();
        long rest = id >>> 10;
        for (int j = 0; j < 9; j++) {
            sb.insert(0, charset.charAt((int) (rest & 63)));
            rest >>>= 6;
        }
        return sb.toString();
    }
}
