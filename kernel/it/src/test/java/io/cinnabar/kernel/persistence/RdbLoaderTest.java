package io.cinnabar.kernel.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cinnabar.api.DataType;
import io.cinnabar.api.rdb.Crc64;
import io.cinnabar.api.rdb.RdbStrings;
import io.cinnabar.api.rdb.RdbType;
import io.cinnabar.testkit.RespClient;
import io.cinnabar.testkit.TestServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The RDB loader on valid, crafted, truncated and corrupted files: every failure is an RdbLoadException naming
 * the offset (never another exception, never a hang), and a server refuses to start on such a file.
 */
class RdbLoaderTest {
    private static byte[] valid;
    private static int validKeys;
    private static final List<DataType> TYPES = new ArrayList<>();

    @BeforeAll
    static void writeAValidFile() throws Exception {
        for (Object e : AllPlugins.extensions()) {
            if (e instanceof DataType t) {
                TYPES.add(t);
            }
        }
        Path dir = Files.createTempDirectory("cinnabar-loader");
        try (TestServer s = AllPlugins.builder().option("dir", dir.toString()).option("save", "").start();
             RespClient c = s.client()) {
            c.call("SET", "s", "hello");
            c.call("SET", "n", "42");
            c.call("SET", "long", "abcdefgh".repeat(100));
            c.call("SET", "ttl", "v", "PXAT", "4102444800000");
            c.call("RPUSH", "list", "a", "b", "12", "x".repeat(300));
            c.call("RATELIMIT.HIT", "limiter", "10", "1000000000");
            c.call("RATELIMIT.HIT", "limiter", "10", "1000000000");
            c.call("SELECT", "2");
            c.call("SET", "other", "db2");
            assertEquals("+OK\r\n", c.call("SAVE"));
        }
        valid = Files.readAllBytes(dir.resolve("dump.rdb"));
        validKeys = 7;
    }

    /** Loads {@code file}; returns the keys seen. */
    private static int load(byte[] file, boolean verify, List<String> warnings) throws RdbLoadException {
        int[] keys = new int[1];
        new RdbLoader(new ValueCodec(TYPES), 16, verify, warnings::add).load(new ByteArrayInputStream(file),
                new RdbLoader.Sink() {
                    @Override
                    public void aux(String key, byte[] value) {
                    }

                    @Override
                    public void function(byte[] code) {
                    }

                    @Override
                    public void entry(int db, byte[] key, Object value, long expireAt, long idle, int freq) {
                        keys[0]++;
                    }
                });
        return keys[0];
    }

    private static int load(byte[] file) throws RdbLoadException {
        return load(file, true, new ArrayList<>());
    }

    @Test
    void aValidFileLoadsEveryKey() throws Exception {
        assertEquals(validKeys, load(valid));
    }

    @Test
    void everyTruncationIsAShortReadNamingTheOffset() {
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            for (int cut = 0; cut < valid.length; cut++) {
                byte[] f = java.util.Arrays.copyOf(valid, cut);
                RdbLoadException e = assertThrows(RdbLoadException.class, () -> load(f), "cut at " + cut);
                assertTrue(e.getMessage().contains("offset"), e.getMessage());
            }
        });
    }

    @Test
    void everyBitFlipIsCaught() {
        Random rnd = new Random(20261125);
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            for (int i = 0; i < 2000; i++) {
                byte[] f = valid.clone();
                int pos = rnd.nextInt(f.length);
                f[pos] ^= (byte) (1 << rnd.nextInt(8));
                if (pos >= 5 && pos <= 8) {
                    // the version digits: a flip to version 1-4 means "no checksum" and the rest may parse
                    // (Redis behaves the same); it must still never fail other than cleanly
                    try {
                        load(f);
                    } catch (RdbLoadException expected) {
                        assertTrue(expected.getMessage().contains("offset"), expected.getMessage());
                    }
                    continue;
                }
                RdbLoadException e = assertThrows(RdbLoadException.class, () -> load(f), "flip at " + pos);
                assertTrue(e.getMessage().contains("offset"), e.getMessage());
            }
        });
    }

    @Test
    void corruptionWithoutChecksumNeverCrashesOrHangs() {
        Random rnd = new Random(7);
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            for (int i = 0; i < 2000; i++) {
                byte[] f = valid.clone();
                int flips = 1 + rnd.nextInt(4);
                for (int j = 0; j < flips; j++) {
                    int pos = rnd.nextInt(f.length);
                    f[pos] = (byte) rnd.nextInt(256);
                }
                try {
                    load(f, false, new ArrayList<>());
                } catch (RdbLoadException expected) {
                    assertTrue(expected.getMessage().contains("offset"), expected.getMessage());
                }
            }
        });
    }

    /** A file built by hand: header, then what {@code body} writes, then EOF and the CRC-64. */
    private static byte[] craft(String magic, Body body) throws IOException {
        ByteArrayOutputStream bo = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bo);
        out.write(magic.getBytes(StandardCharsets.US_ASCII));
        body.write(out);
        out.writeByte(RdbType.OPCODE_EOF);
        out.flush();
        byte[] b = bo.toByteArray();
        long crc = Crc64.update(0, b, 0, b.length);
        out.writeLong(Long.reverseBytes(crc));
        return bo.toByteArray();
    }

    interface Body {
        void write(DataOutputStream out) throws IOException;
    }

    private static void stringKey(DataOutputStream out, String k, String v) throws IOException {
        out.writeByte(RdbType.STRING);
        RdbStrings.writeString(out, k.getBytes(StandardCharsets.UTF_8));
        RdbStrings.writeString(out, v.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void unknownTypeIsAnErrorNamingTypeAndOffset() throws Exception {
        byte[] f = craft("REDIS0011", out -> {
            out.writeByte(RdbType.OPCODE_SELECTDB);
            RdbStrings.writeLength(out, 0);
            stringKey(out, "a", "b");
            out.writeByte(99);
        });
        RdbLoadException e = assertThrows(RdbLoadException.class, () -> load(f));
        assertTrue(e.getMessage().contains("Unknown RDB encoding type 99"), e.getMessage());
        assertEquals(17, e.offset(), e.getMessage());
    }

    @Test
    void wrongSignatureNewerVersionAndTooManyDatabasesAreRefused() throws Exception {
        assertTrue(assertThrows(RdbLoadException.class, () -> load(craft("REDIX0011", out -> { })))
                .getMessage().contains("Wrong signature"));
        assertTrue(assertThrows(RdbLoadException.class, () -> load(craft("REDIS0012", out -> { })))
                .getMessage().contains("Can't handle RDB format version 0012"));
        byte[] f = craft("REDIS0011", out -> {
            out.writeByte(RdbType.OPCODE_SELECTDB);
            RdbStrings.writeLength(out, 20);
        });
        assertTrue(assertThrows(RdbLoadException.class, () -> load(f)).getMessage()
                .contains("configured to handle more than 16 databases"));
    }

    @Test
    void moduleAuxDataNoPluginReadsIsSkippedWithAWarning() throws Exception {
        byte[] f = craft("REDIS0011", out -> {
            out.writeByte(RdbType.OPCODE_AUX);
            RdbStrings.writeString(out, "unknown-aux".getBytes(StandardCharsets.US_ASCII));
            RdbStrings.writeString(out, "ignored".getBytes(StandardCharsets.US_ASCII));
            out.writeByte(RdbType.OPCODE_MODULE_AUX);
            RdbStrings.writeLength(out, (0x123456789L << 10) | 1); // some module's type id
            RdbStrings.writeLength(out, 2); // when_opcode UINT
            RdbStrings.writeLength(out, 2); // when
            RdbStrings.writeLength(out, 2); // UINT
            RdbStrings.writeLength(out, 77);
            RdbStrings.writeLength(out, 5); // STRING
            RdbStrings.writeString(out, "abc".getBytes(StandardCharsets.US_ASCII));
            RdbStrings.writeLength(out, 4); // DOUBLE
            out.writeLong(0);
            RdbStrings.writeLength(out, 3); // FLOAT
            out.writeInt(0);
            RdbStrings.writeLength(out, 0); // EOF
            out.writeByte(RdbType.OPCODE_SELECTDB);
            RdbStrings.writeLength(out, 0);
            stringKey(out, "a", "b");
        });
        List<String> warnings = new ArrayList<>();
        assertEquals(1, load(f, true, warnings));
        assertTrue(warnings.stream().anyMatch(w -> w.contains("AUX module data")), warnings.toString());
    }

    @Test
    void moduleValueOfAnUnknownTypeIsFatalNamingTheModule() throws Exception {
        byte[] f = craft("REDIS0011", out -> {
            out.writeByte(RdbType.OPCODE_SELECTDB);
            RdbStrings.writeLength(out, 0);
            out.writeByte(RdbType.MODULE_2);
            RdbStrings.writeString(out, "k".getBytes(StandardCharsets.US_ASCII));
            out.writeByte(0x81); // rdbSaveLen's 64-bit form: this id has its top bit set
            out.writeLong(RdbLoaderTestIds.typeId("mymodtype"));
        });
        RdbLoadException e = assertThrows(RdbLoadException.class, () ->
                new RdbLoader(new ValueCodec(List.of()), 16, true, w -> { }).load(new ByteArrayInputStream(f),
                        new RdbLoader.Sink() {
                            @Override
                            public void aux(String key, byte[] value) {
                            }

                            @Override
                            public void function(byte[] code) {
                            }

                            @Override
                            public void entry(int db, byte[] key, Object value, long e1, long i, int q) {
                            }
                        }));
        assertTrue(e.getMessage().contains("no matching module type 'mymodtype'"), e.getMessage());
    }

    @Test
    void oldFormatsLoadExpiryInSecondsAndNoChecksum() throws Exception {
        ByteArrayOutputStream bo = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bo);
        out.write("REDIS0003".getBytes(StandardCharsets.US_ASCII));
        out.writeByte(RdbType.OPCODE_SELECTDB);
        RdbStrings.writeLength(out, 1);
        out.writeByte(RdbType.OPCODE_EXPIRETIME);
        out.writeInt(Integer.reverseBytes(2000000000));
        stringKey(out, "old", "value");
        out.writeByte(RdbType.OPCODE_EOF);
        long[] expire = new long[1];
        new RdbLoader(new ValueCodec(TYPES), 16, true, w -> { }).load(new ByteArrayInputStream(bo.toByteArray()),
                new RdbLoader.Sink() {
                    @Override
                    public void aux(String key, byte[] value) {
                    }

                    @Override
                    public void function(byte[] code) {
                    }

                    @Override
                    public void entry(int db, byte[] key, Object value, long expireAt, long idle, int freq) {
                        expire[0] = expireAt;
                        assertEquals(1, db);
                        assertEquals("value", new String((byte[]) value, StandardCharsets.UTF_8));
                    }
                });
        assertEquals(2000000000L * 1000, expire[0]);
    }

    @Test
    void aServerRefusesToStartOnACorruptFile() throws Exception {
        byte[] truncated = java.util.Arrays.copyOf(valid, valid.length / 2);
        byte[] flipped = valid.clone();
        flipped[valid.length / 2] ^= 0x10;
        byte[] duplicate = craft("REDIS0011", out -> {
            out.writeByte(RdbType.OPCODE_SELECTDB);
            RdbStrings.writeLength(out, 0);
            stringKey(out, "a", "1");
            stringKey(out, "a", "2");
        });
        byte[] duplicateApart = craft("REDIS0011", out -> { // keys are added in batches: across batches too
            out.writeByte(RdbType.OPCODE_SELECTDB);
            RdbStrings.writeLength(out, 0);
            stringKey(out, "a", "1");
            for (int i = 0; i < 40; i++) {
                stringKey(out, "k" + i, "v");
            }
            stringKey(out, "a", "2");
        });
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            assertTrue(refusal(truncated).contains("Short read"));
            assertTrue(refusal(flipped).contains("offset"));
            assertTrue(refusal(duplicate).contains("duplicated key 'a'"));
            assertTrue(refusal(duplicateApart).contains("duplicated key 'a'"));
        });
    }

    private static String refusal(byte[] file) throws IOException {
        Path dir = Files.createTempDirectory("cinnabar-corrupt");
        Files.write(dir.resolve("dump.rdb"), file);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> AllPlugins.builder().option("dir", dir.toString()).option("save", "").start().close());
        return String.valueOf(e.getMessage()) + " / " + e.getCause();
    }

    /** Module type ids as Redis packs them. */
    private static final class RdbLoaderTestIds {
        static long typeId(String name) {
            String cs = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
            long id = 0;
            for (int j = 0; j < 9; j++) {
                id = (id << 6) | cs.indexOf(name.charAt(j));
            }
            return id << 10;
        }
    }
}
