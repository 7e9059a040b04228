package io.cinnabar.api.rdb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The readers of the encodings Redis no longer writes (ziplist, zipmap) and the intset blob, and LZF's tail. */
class OldEncodingsTest {
    private static byte[] bytes(int... v) {
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = (byte) v[i];
        }
        return b;
    }

    private static List<String> entries(byte[] zl) throws IOException {
        List<String> out = new ArrayList<>();
        Ziplist.forEach(zl, v -> out.add(new String(v, StandardCharsets.ISO_8859_1)));
        return out;
    }

    /** A ziplist as Redis 6 wrote it for RPUSH l ab 7 -2 1000 100000: strings, immediates, int8/16/24. */
    private static final byte[] ZIPLIST = bytes(
            0x1d, 0, 0, 0, // zlbytes 29
            0x17, 0, 0, 0, // zltail 23
            5, 0, // zllen
            0, 0x02, 'a', 'b', // prevlen 0, 2-byte string
            4, 0xF8, // prevlen 4, immediate 7
            2, 0xFE, 0xFE, // prevlen 2, int8 -2
            3, 0xC0, 0xE8, 0x03, // prevlen 3, int16 1000
            4, 0xF0, 0xA0, 0x86, 0x01, // prevlen 4, int24 100000
            0xFF);

    @Test
    void ziplistEntriesDecodeInEveryEncoding() throws IOException {
        assertEquals(List.of("ab", "7", "-2", "1000", "100000"), entries(ZIPLIST));
        byte[] longs = bytes(0x1b, 0, 0, 0, 10, 0, 0, 0, 2, 0,
                0, 0xE0, 0, 0, 0, 0, 0, 0, 0, 0x80, // int64 min
                10, 0xD0, 0xFF, 0xFF, 0xFF, 0xFF, // int32 -1
                0xFF);
        longs[4] = 20; // tail at the second entry
        assertEquals(List.of(Long.toString(Long.MIN_VALUE), "-1"), entries(longs));
    }

    @Test
    void corruptZiplistsAreIOExceptions() {
        byte[] badPrev = ZIPLIST.clone();
        badPrev[14] = 3;
        byte[] badTail = ZIPLIST.clone();
        badTail[4] = 19;
        byte[] badCount = ZIPLIST.clone();
        badCount[8] = 4;
        byte[] badBytes = ZIPLIST.clone();
        badBytes[0] = 30;
        for (byte[] bad : List.of(badPrev, badTail, badCount, badBytes, Arrays.copyOf(ZIPLIST, 20), new byte[3])) {
            assertThrows(IOException.class, () -> entries(bad));
        }
        Random rnd = new Random(5);
        for (int i = 0; i < 2000; i++) {
            byte[] z = ZIPLIST.clone();
            z[rnd.nextInt(z.length)] = (byte) rnd.nextInt(256);
            try {
                entries(z);
            } catch (IOException expected) {
                // refused: fine; anything unchecked fails the test
            }
        }
    }

    @Test
    void zipmapPairsSkipTheirFreeBytes() throws IOException {
        byte[] zm = bytes(2, 1, 'f', 2, 1, 'v', '1', 'x', 3, 'n', 'u', 'm', 0, 0, 0xFF);
        List<String> out = new ArrayList<>();
        assertEquals(2, Zipmap.forEach(zm, (f, v) -> out.add(new String(f, StandardCharsets.US_ASCII) + "="
                + new String(v, StandardCharsets.US_ASCII))));
        assertEquals(List.of("f=v1", "num="), out);
        assertThrows(IOException.class, () -> Zipmap.forEach(Arrays.copyOf(zm, zm.length - 1), (f, v) -> { }));
        byte[] wrongCount = zm.clone();
        wrongCount[0] = 3;
        assertThrows(IOException.class, () -> Zipmap.forEach(wrongCount, (f, v) -> { }));
    }

    @Test
    void intsetBlobsKeepTheirWidthAndRefuseDisorder() throws IOException {
        byte[] blob = Intset.write(new long[] {-5, 7, 100000}, 3, 4);
        assertArrayEquals(bytes(4, 0, 0, 0, 3, 0, 0, 0, 0xFB, 0xFF, 0xFF, 0xFF, 7, 0, 0, 0, 0xA0, 0x86, 1, 0), blob);
        assertArrayEquals(new long[] {-5, 7, 100000}, Intset.read(blob));
        assertEquals(4, Intset.width(blob));
        assertEquals(8, Intset.widthOf(5_000_000_000L));
        assertEquals(2, Intset.widthOf(-32768));
        byte[] unsorted = Intset.write(new long[] {7, -5}, 2, 2);
        byte[] duplicate = Intset.write(new long[] {7, 7}, 2, 2);
        byte[] badWidth = blob.clone();
        badWidth[0] = 3;
        for (byte[] bad : List.of(unsorted, duplicate, badWidth, Intset.write(new long[0], 0, 2),
                Arrays.copyOf(blob, blob.length - 1))) {
            assertThrows(IOException.class, () -> Intset.read(bad));
        }
    }

    @Test
    void aForgedLzfLengthIsRefusedBeforeAllocatingIt() {
        // an LZF string (0xC3) claiming 2^31-17 bytes from 2 compressed bytes
        byte[] forged = bytes(0xC3, 2, 0x80, 0x7F, 0xFF, 0xFF, 0xEF, 0x00, 'a');
        assertThrows(IOException.class, () -> RdbStrings.readString(new java.io.DataInputStream(
                new java.io.ByteArrayInputStream(forged))));
    }

    @Test
    void lzfMatchesRedisWhenAMatchEndsTheInput() {
        byte[] in = new byte[32];
        in[0] = 8;
        in[4] = 3;
        in[8] = 1;
        in[16] = 2;
        in[24] = 3;
        // redis-server 7.2: SADD s 1 2 3 5000000000, SREM s 5000000000, DUMP s (the intset, compressed)
        assertArrayEquals(bytes(0x04, 0x08, 0, 0, 0, 0x03, 0x20, 0x03, 0, 0x01, 0x20, 0x03, 0x40, 0, 0, 0x02, 0x40,
                0x04, 0x20, 0, 0x40, 0x13, 0x20, 0, 0, 0), Lzf.compress(in, 28));
    }
}
