package io.cinnabar.api.rdb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RdbPrimitivesTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void crc64MatchesRedisCheckValue() {
        byte[] in = b("123456789");
        assertEquals(0xe9c6d914c4b8d9caL, Crc64.update(0, in, 0, in.length));
    }

    @Test
    void crc64EightBytesAtATimeEqualsTheBytewiseDefinition() {
        Random rnd = new Random(11);
        for (int round = 0; round < 200; round++) {
            byte[] data = new byte[rnd.nextInt(300)];
            rnd.nextBytes(data);
            int off = data.length == 0 ? 0 : rnd.nextInt(data.length);
            int len = data.length - off;
            long bytewise = rnd.nextLong();
            long sliced = Crc64.update(bytewise, data, off, len);
            for (int i = off; i < off + len; i++) {
                bytewise = Crc64.update(bytewise, data[i]);
            }
            assertEquals(bytewise, sliced, "length " + len);
        }
    }

    @Test
    void lzfRoundTripsAndRefusesWhatDoesNotShrink() throws IOException {
        byte[] text = b("abcabcabcabcabcabcabcabcabcabcabcabcabcabcabcabc-hello-hello-hello-hello");
        byte[] packed = Lzf.compress(text, text.length - 4);
        assertArrayEquals(text, Lzf.decompress(packed, text.length));
        byte[] noise = new byte[64];
        new Random(7).nextBytes(noise);
        assertNull(Lzf.compress(noise, noise.length - 4));
    }

    @Test
    void corruptLzfIsAnIOExceptionNotACrash() {
        assertThrows(IOException.class, () -> Lzf.decompress(new byte[] {(byte) 0xE0}, 10));
        assertThrows(IOException.class, () -> Lzf.decompress(new byte[] {0x20, 0x05}, 10));
    }

    @Test
    void stringsUseIntegerAndLzfFormsAsRedis() throws IOException {
        assertArrayEquals(new byte[] {(byte) 0xC0, 12}, write(b("12"), false));
        assertArrayEquals(new byte[] {(byte) 0xC1, (byte) 0xE8, 0x03}, write(b("1000"), false));
        assertArrayEquals(new byte[] {2, '0', '1'}, write(b("01"), false)); // not canonical: raw
        byte[] repeated = b("x".repeat(100));
        byte[] compressed = write(repeated, true);
        assertEquals(0xC3, compressed[0] & 0xff);
        assertEquals(compressed.length, RdbStrings.stringSize(repeated, true));
        assertArrayEquals(repeated, read(compressed));
        assertArrayEquals(b("1000"), read(write(b("1000"), false)));
        assertEquals(102, write(repeated, false).length); // 14-bit length prefix
    }

    @Test
    void listpackRoundTripsEveryEncoding() throws IOException {
        List<byte[]> in = new ArrayList<>();
        for (String s : new String[] {"0", "127", "-1", "4095", "-4096", "32767", "-32768", "8388607",
                "-8388608", "2147483647", "-2147483648", "9223372036854775807", "-9223372036854775808", "",
                "a", "x".repeat(63), "y".repeat(64), "z".repeat(4095), "w".repeat(5000), "007", "-0"}) {
            in.add(b(s));
        }
        Listpack.Builder builder = new Listpack.Builder();
        in.forEach(builder::add);
        byte[] lp = builder.build();
        List<byte[]> out = new ArrayList<>();
        assertEquals(in.size(), Listpack.forEach(lp, out::add));
        for (int i = 0; i < in.size(); i++) {
            assertArrayEquals(in.get(i), out.get(i));
        }
    }

    @Test
    void truncatedListpackIsRejected() {
        byte[] lp = new Listpack.Builder().add(b("hello")).add(5).build();
        for (int cut = 0; cut < lp.length; cut++) {
            byte[] t = java.util.Arrays.copyOf(lp, cut);
            assertThrows(IOException.class, () -> Listpack.forEach(t, v -> { }));
        }
    }

    private static byte[] write(byte[] s, boolean compression) throws IOException {
        ByteArrayOutputStream bo = new ByteArrayOutputStream();
        try (RdbOutput out = new RdbOutput(bo, compression)) {
            RdbStrings.writeString(out, s);
        }
        return bo.toByteArray();
    }

    private static byte[] read(byte[] rdb) throws IOException {
        return RdbStrings.readString(new DataInputStream(new ByteArrayInputStream(rdb)));
    }
}
