package io.cinnabar.kernel.persistence;

import static io.cinnabar.kernel.persistence.RdbTesting.checkRdb;
import static io.cinnabar.kernel.persistence.RdbTesting.info;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cinnabar.api.rdb.RdbType;
import io.cinnabar.testkit.ReferenceRedis;
import io.cinnabar.testkit.RespClient;
import io.cinnabar.testkit.TestServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * RDB files cross between redis-server 7.2 and Cinnabar in both directions: a file Redis writes loads in
 * Cinnabar with the same dataset, and a file Cinnabar writes passes {@code redis-check-rdb} and loads in Redis
 * with the same dataset, for every value type whose plugin is loaded (types whose RDB hooks are missing are
 * left out of the script, and join in as soon as their plugin reads them), several databases, expiries,
 * compression and checksum on and off, and {@code rdb-version 10}.
 */
class RdbInteropTest {
    private static final Set<Integer> READABLE = AllPlugins.readableRdbTypes();
    private static final int DBS = 16;

    static List<String[]> script() {
        return script(RdbType.VERSION);
    }

    /**
     * The dataset, as commands; each type's part only when its RDB forms are readable here. For a lowered
     * {@code rdb-version} only the types whose older forms exist so far are included (strings, and lists
     * down to RDB 1); a collection type joins once its DataType writes the older form (e.g. sets as
     * SET_INTSET/SET below RDB 11, hashes and sorted sets as ziplists below RDB 10).
     */
    static List<String[]> script(int version) {
        List<String[]> s = new ArrayList<>();
        add(s, "SET", "s", "hello");
        add(s, "SET", "int", "12345");
        add(s, "SET", "neg", "-7");
        add(s, "SET", "bigint", "1234567890123456");
        add(s, "SET", "compressible", "abc".repeat(300));
        add(s, "SET", "short", "x");
        add(s, "SET", "empty", "");
        add(s, "SET", "raw", "start");
        add(s, "APPEND", "raw", "-appended");
        add(s, "SET", "ttl", "v", "PXAT", "4102444800000");
        add(s, "SELECT", "3");
        add(s, "SET", "s", "db3");
        add(s, "SET", "k3", "v", "EXAT", "4102444800");
        add(s, "SELECT", "15");
        add(s, "SET", "last", "db15");
        add(s, "SELECT", "0");
        if (READABLE.contains(RdbType.LIST_QUICKLIST_2)) {
            add(s, "RPUSH", "list", "a", "b", "c", "1", "2", "-300", "70000");
            List<String> big = new ArrayList<>(List.of("RPUSH", "biglist"));
            for (int i = 0; i < 3000; i++) {
                big.add("element-" + i);
            }
            s.add(big.toArray(new String[0]));
            add(s, "RPUSH", "longelems", "y".repeat(5000), "z".repeat(70000), "short");
            add(s, "EXPIRE", "list", "100000000");
        }
        if (version < RdbType.VERSION) {
            return s;
        }
        if (READABLE.contains(RdbType.HASH_LISTPACK) && READABLE.contains(RdbType.HASH)) {
            add(s, "HSET", "hash", "f1", "v1", "f2", "2", "f3", "three");
            List<String> big = new ArrayList<>(List.of("HSET", "bighash"));
            for (int i = 0; i < 600; i++) {
                big.add("field" + i);
                big.add("value" + i);
            }
            s.add(big.toArray(new String[0]));
        }
        if (READABLE.contains(RdbType.SET_INTSET) && READABLE.contains(RdbType.SET_LISTPACK)
                && READABLE.contains(RdbType.SET)) {
            add(s, "SADD", "intset", "1", "2", "3", "-100", "100000");
            add(s, "SADD", "lpset", "a", "b", "c");
            List<String> big = new ArrayList<>(List.of("SADD", "bigset"));
            for (int i = 0; i < 1000; i++) {
                big.add("member" + i);
            }
            s.add(big.toArray(new String[0]));
        }
        if (READABLE.contains(RdbType.ZSET_LISTPACK) && READABLE.contains(RdbType.ZSET_2)) {
            add(s, "ZADD", "zset", "1", "a", "2.5", "b", "-3", "c", "inf", "d");
            List<String> big = new ArrayList<>(List.of("ZADD", "bigzset"));
            for (int i = 0; i < 500; i++) {
                big.add(Double.toString(i * 1.5));
                big.add("member" + i);
            }
            s.add(big.toArray(new String[0]));
        }
        return s;
    }

    /** DEBUG DIGEST-VALUE of the string keys of db 0 (Cinnabar digests strings exactly as Redis). */
    private static String stringDigests(RespClient c) {
        StringBuilder sb = new StringBuilder();
        for (String k : List.of("s", "int", "neg", "bigint", "compressible", "short", "empty", "raw", "ttl")) {
            sb.append(k).append('=').append(c.call("DEBUG", "DIGEST-VALUE", k));
        }
        return sb.toString();
    }

    private static long serverMillis(RespClient c) {
        List<?> t = (List<?>) io.cinnabar.testkit.Resp.parse(c.call("TIME"));
        return Long.parseLong(String.valueOf(t.get(0))) * 1000 + Long.parseLong(String.valueOf(t.get(1))) / 1000;
    }

    private static void add(List<String[]> s, String... cmd) {
        s.add(cmd);
    }

    private static void apply(RespClient c, List<String[]> script) {
        for (String[] cmd : script) {
            String r = c.call(cmd);
            assertTrue(!r.startsWith("-"), String.join(" ", cmd) + " -> " + r);
        }
    }

    @Test
    void aFileWrittenByRedisLoadsInCinnabarWithTheSameDataset() throws Exception {
        Path ourDir = Files.createTempDirectory("cinnabar-interop");
        String expected;
        String refLoaded;
        String refExpired;
        String refDigests;
        try (ReferenceRedis redis = ReferenceRedis.start(); RespClient ref = redis.client()) {
            ref.call("DEBUG", "QUICKLIST-PACKED-THRESHOLD", "1000"); // elements over 1000 bytes: plain nodes
            apply(ref, script());
            // a key already expired when the file is written: a master drops it at load
            ref.call("DEBUG", "SET-ACTIVE-EXPIRE", "0");
            long at = System.currentTimeMillis() + 50;
            ref.call("SET", "gone", "x", "PXAT", Long.toString(at));
            // wait for the server clock to pass the deadline without touching the key (a lookup would delete it)
            while (serverMillis(ref) <= at + 1) {
                RdbTesting.pause();
            }
            assertEquals("+OK\r\n", ref.call("SAVE"));
            Files.copy(redis.dir().resolve("dump.rdb"), ourDir.resolve("dump.rdb"), StandardCopyOption.REPLACE_EXISTING);
            assertEquals("+OK\r\n", ref.call("DEBUG", "RELOAD", "NOSAVE"));
            refLoaded = info(ref, "persistence", "rdb_last_load_keys_loaded");
            refExpired = info(ref, "persistence", "rdb_last_load_keys_expired");
            expected = DatasetDump.of(ref, DBS);
            refDigests = stringDigests(ref);
        }
        try (TestServer s = AllPlugins.builder().option("dir", ourDir.toString()).option("save", "")
                .option("enable-debug-command", "yes").start(); RespClient c = s.client()) {
            assertEquals(expected, DatasetDump.of(c, DBS));
            assertEquals(refDigests, stringDigests(c));
            assertEquals(refLoaded, info(c, "persistence", "rdb_last_load_keys_loaded"));
            assertEquals(refExpired, info(c, "persistence", "rdb_last_load_keys_expired"));
            assertEquals("1", refExpired);
        }
    }

    @Test
    void aFileWrittenByCinnabarPassesRedisCheckAndLoadsInRedis() throws Exception {
        roundTripToRedis(List.of());
    }

    @Test
    void withoutCompressionOrChecksumRedisStillLoadsIt() throws Exception {
        roundTripToRedis(List.<String[]>of(new String[] {"rdbcompression", "no"}, new String[] {"rdbchecksum", "no"}));
    }

    @Test
    void rdbVersion10IsReadableByRedis70() throws Exception {
        Path file = roundTripToRedis(List.<String[]>of(new String[] {"rdb-version", "10"}));
        byte[] head = Arrays9.head(file);
        assertEquals("REDIS0010", new String(head, StandardCharsets.US_ASCII));
    }

    @Test
    void rdbVersion9WritesListsAsZiplistQuicklistsThatRedisReads() throws Exception {
        Path file = roundTripToRedis(List.<String[]>of(new String[] {"rdb-version", "9"}));
        assertEquals("REDIS0009", new String(Arrays9.head(file), StandardCharsets.US_ASCII));
    }

    @Test
    void rdbVersion6WritesPlainListsThatRedisReads() throws Exception {
        Path file = roundTripToRedis(List.<String[]>of(new String[] {"rdb-version", "6"}));
        assertEquals("REDIS0006", new String(Arrays9.head(file), StandardCharsets.US_ASCII));
    }

    @Test
    void lfuCountersTravelAsFreqOpcodes() throws Exception {
        Path dir = Files.createTempDirectory("cinnabar-lfu");
        String freq;
        try (TestServer s = AllPlugins.builder().option("dir", dir.toString()).option("save", "")
                .option("maxmemory-policy", "allkeys-lfu").start(); RespClient c = s.client()) {
            c.call("SET", "hot", "1");
            for (int i = 0; i < 200; i++) {
                c.call("GET", "hot");
            }
            freq = c.call("OBJECT", "FREQ", "hot");
            assertEquals("+OK\r\n", c.call("SAVE"));
        }
        assertTrue(checkRdb(dir.resolve("dump.rdb")).contains("1 keys read"));
        try (ReferenceRedis redis = ReferenceRedis.start("--dir", dir.toString(), "--maxmemory-policy", "allkeys-lfu");
             RespClient ref = redis.client()) {
            assertEquals(freq, ref.call("OBJECT", "FREQ", "hot"));
        }
    }

    /** Cinnabar writes the script's dataset with {@code options}; the file must check and load in Redis alike. */
    private Path roundTripToRedis(List<String[]> options) throws Exception {
        Path dir = Files.createTempDirectory("cinnabar-out");
        TestServer.Builder b = AllPlugins.builder().option("dir", dir.toString()).option("save", "");
        for (String[] o : options) {
            b.option(o[0], o[1]);
        }
        int version = RdbType.VERSION;
        for (String[] o : options) {
            if (o[0].equals("rdb-version")) {
                version = Integer.parseInt(o[1]);
            }
        }
        String ours;
        try (TestServer s = b.start(); RespClient c = s.client()) {
            apply(c, script(version));
            assertEquals("+OK\r\n", c.call("SAVE"));
            ours = DatasetDump.of(c, DBS);
        }
        Path file = dir.resolve("dump.rdb");
        String check = checkRdb(file);
        assertTrue(check.contains("Checksum OK") || check.contains("checksum disabled")
                || check.contains("RDB file was saved with checksum disabled"), check);
        // deep sanitization: Redis validates every listpack/ziplist entry (prevlen, encodings, counts) on load
        try (ReferenceRedis redis = ReferenceRedis.start("--dir", dir.toString(), "--sanitize-dump-payload", "yes");
             RespClient ref = redis.client()) {
            assertEquals(ours, DatasetDump.of(ref, DBS));
        }
        return file;
    }

    /** File heads. */
    private static final class Arrays9 {
        static byte[] head(Path p) throws java.io.IOException {
            return java.util.Arrays.copyOf(Files.readAllBytes(p), 9);
        }
    }

    @Test
    void functionLibrariesFromRedisAreKeptAndWrittenBack() throws Exception {
        Path ourDir = Files.createTempDirectory("cinnabar-fn");
        String lib = "#!lua name=mylib\nredis.register_function('myfunc', function(keys, args) return 1 end)";
        try (ReferenceRedis redis = ReferenceRedis.start(); RespClient ref = redis.client()) {
            assertEquals("$5\r\nmylib\r\n", ref.call("FUNCTION", "LOAD", lib));
            ref.call("SET", "k", "v");
            assertEquals("+OK\r\n", ref.call("SAVE"));
            Files.copy(redis.dir().resolve("dump.rdb"), ourDir.resolve("dump.rdb"));
        }
        try (TestServer s = AllPlugins.builder().option("dir", ourDir.toString()).option("save", "").start();
             RespClient c = s.client()) {
            assertEquals("$1\r\nv\r\n", c.call("GET", "k"));
            assertEquals("+OK\r\n", c.call("SAVE"));
        }
        checkRdb(ourDir.resolve("dump.rdb"));
        try (ReferenceRedis redis = ReferenceRedis.start("--dir", ourDir.toString()); RespClient ref = redis.client()) {
            assertTrue(ref.call("FUNCTION", "LIST").contains("mylib"));
            assertEquals(":1\r\n", ref.call("FCALL", "myfunc", "0"));
        }
    }
}
