package io.cinnabar.api.rdb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Ziplists as ziplist.c lays them out (Redis 7.2 also loads them with deep sanitization: RdbInteropTest). */
class ZiplistWriterTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] bytes(int... v) {
        byte[] out = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (byte) v[i];
        }
        return out;
    }

    @Test
    void emptyZiplistIsHeaderAndEnd() {
        assertArrayEquals(bytes(11, 0, 0, 0, 10, 0, 0, 0, 0, 0, 0xff), new ZiplistWriter().build());
    }

    @Test
    void smallIntegersAreImmediateAndStringsCarryTheirLength() {
        byte[] zl = new ZiplistWriter().add(b("a")).add(b("1")).build();
        // zlbytes 16, zltail 13 (second entry), zllen 2; "a": prevlen 0, 6-bit length 1; 1: prevlen 3, 0xF1 + 1
        assertArrayEquals(bytes(16, 0, 0, 0, 13, 0, 0, 0, 2, 0, 0, 1, 'a', 3, 0xf2, 0xff), zl);
    }

    @Test
    void integersTakeTheSmallestForm() {
        assertArrayEquals(bytes(0, 0xfe, 0x9c), entry("-100"));
        assertArrayEquals(bytes(0, 0xc0, 0xd4, 0xfe), entry("-300"));
        assertArrayEquals(bytes(0, 0xf0, 0x70, 0x11, 0x01), entry("70000"));
        assertArrayEquals(bytes(0, 0xd0, 0x00, 0xca, 0x9a, 0x3b), entry("1000000000"));
        assertArrayEquals(bytes(0, 0xe0, 0x00, 0x10, 0xa5, 0xd4, 0xe8, 0, 0, 0), entry("1000000000000"));
        // not canonical: a string
        assertArrayEquals(bytes(0, 2, '0', '1'), entry("01"));
    }

    @Test
    void longEntriesUseFiveBytePrevlenAndLongerHeaders() {
        String big = "x".repeat(300);
        byte[] zl = new ZiplistWriter().add(b(big)).add(b("y")).build();
        // first entry: prevlen 0, 14-bit length 0x41 0x2c, 300 bytes = 303 bytes: the next prevlen needs 0xFE + 4 bytes
        assertEquals(0x41, zl[11] & 0xff);
        assertEquals(0x2c, zl[12] & 0xff);
        int second = 10 + 303;
        assertArrayEquals(bytes(0xfe, 0x2f, 0x01, 0, 0), java.util.Arrays.copyOfRange(zl, second, second + 5));
        assertEquals(second, (zl[4] & 0xff) | (zl[5] & 0xff) << 8);
    }

    /** The single entry of a one-entry ziplist. */
    private static byte[] entry(String v) {
        byte[] zl = new ZiplistWriter().add(b(v)).build();
        return java.util.Arrays.copyOfRange(zl, 10, zl.length - 1);
    }
}
