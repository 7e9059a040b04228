package io.cinnabar.datatypes.hyperloglog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cinnabar.datatypes.strings.StringsFamily;
import io.cinnabar.testkit.CommandInfoConformance;
import io.cinnabar.testkit.Differential;
import io.cinnabar.testkit.Resp;
import io.cinnabar.testkit.RespClient;
import io.cinnabar.testkit.ServerPair;
import io.cinnabar.testkit.ServerPairExtension;
import io.cinnabar.testkit.SpecCoverage;
import io.cinnabar.testkit.StandInValue;
import io.cinnabar.testkit.TestServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The HyperLogLog commands against the reference redis-server: replies and the raw strings, byte for byte. */
class HyperLogLogFamilyTest {
    private static final List<String> events = Collections.synchronizedList(new ArrayList<>());

    /** Strings come along for GET, SET and APPEND on the HLL strings. */
    @RegisterExtension
    static final ServerPairExtension PAIR = new ServerPairExtension(
            () -> TestServer.builder().family(new HyperLogLogFamily()).family(new StringsFamily())
                    .listener((cls, event, key, db) ->
                            events.add(event + " " + new String(key, StandardCharsets.ISO_8859_1))),
            "--notify-keyspace-events", "KEA");

    private RespClient ref;
    private RespClient cin;
    private Differential d;

    private static ServerPair pair() {
        return PAIR.pair();
    }

    @BeforeEach
    void connect() {
        ref = pair().redisClient();
        cin = pair().cinnabarClient();
        d = new Differential(ref, cin);
        d.run("FLUSHALL", "CONFIG SET hll-sparse-max-bytes 3000");
        events.clear();
    }

    /** PFADD key with {@code from..to-1} as elements (prefixed), in batches of up to 500 arguments. */
    private void addRange(String key, String prefix, int from, int to) {
        for (int i = from; i < to; i += 500) {
            List<String> cmd = new ArrayList<>(List.of("PFADD", key));
            for (int j = i; j < Math.min(to, i + 500); j++) {
                cmd.add(prefix + j);
            }
            d.cmd(cmd.toArray(new String[0]));
        }
    }

    // ---- PFADD and the representation ----

    @Test
    void pfaddBuildsTheSameStringsAsRedisAcrossTheSparseToDensePromotion() {
        int[] sizes = {1, 2, 5, 10, 50, 100, 200, 300, 400, 500, 600, 700, 800, 1000, 1500, 2000, 3000, 5000, 20000};
        for (int n : sizes) {
            String key = "hll" + n;
            addRange(key, "", 0, n);
            d.cmd("GET", key);
            d.cmd("PFDEBUG", "ENCODING", key);
            d.cmd("PFCOUNT", key);
            d.cmd("GET", key);
            d.cmd("STRLEN", key);
        }
        d.assertSame();
    }

    @Test
    void pfaddOneElementAtATimeMatchesRedisThroughSparseUpdatesAndMerges() {
        for (int i = 0; i < 1200; i++) {
            d.cmd("PFADD", "k", "e" + i);
            if (i % 97 == 0) {
                d.cmd("GET", "k");
                d.cmd("PFCOUNT", "k");
            }
        }
        d.cmd("GET", "k");
        d.assertSame();
    }

    @Test
    void pfaddReturnsOneOnlyWhenTheKeyIsCreatedOrARegisterChanges() {
        d.run("PFADD k", "PFADD k", "GET k", "PFADD k a", "PFADD k a", "PFADD k a b c", "PFADD k a b c",
                "PFCOUNT k", "GET k", "PFADD k d", "GET k", "TYPE k", "OBJECT ENCODING k", "EXISTS k");
        d.assertSame();
        assertEquals(List.of("new k", "pfadd k", "pfadd k", "pfadd k", "pfadd k"), events);
    }

    @Test
    void denseHllsKeepMatchingRedisAsMoreElementsArrive() {
        addRange("k", "x", 0, 3000);
        d.run("PFDEBUG ENCODING k", "PFCOUNT k", "PFCOUNT k");
        addRange("k", "x", 2000, 6000);
        d.run("GET k", "PFCOUNT k", "GET k", "PFADD k x1", "PFADD k brand-new-element");
        d.assertSame();
    }

    @Test
    void theSparseLimitIsHllSparseMaxBytes() {
        d.run("CONFIG SET hll-sparse-max-bytes 100");
        for (int i = 0; i < 60; i++) {
            d.cmd("PFADD", "small", "s" + i);
            d.cmd("PFDEBUG", "ENCODING", "small");
        }
        d.run("GET small", "CONFIG SET hll-sparse-max-bytes 0", "PFADD zero a", "PFADD zero b c",
                "PFDEBUG ENCODING zero", "GET zero", "CONFIG SET hll-sparse-max-bytes 20000");
        addRange("big", "", 0, 3000);
        d.run("PFDEBUG ENCODING big", "GET big");
        d.assertSame();
    }

    @Test
    void hllsAreStringsThatGetSetAndExpiryWorkOn() {
        addRange("k", "", 0, 100);
        String raw = cin.call("GET", "k");
        d.run("SET k2 x", "EXPIRE k 1000");
        d.run("PFADD k more", "TTL k", "APPEND k2 y", "PFADD k2 z", "OBJECT ENCODING k");
        d.run("GETRANGE k 0 3");
        assertTrue(raw.contains("HYLL"));
        d.assertSame();
    }

    @Test
    void anHllCopiedWithSetIsReadAndWrittenAsTheOriginal() {
        d.run("PFADD src a b c d e f g");
        String value = ref.call("GET", "src");
        byte[] bytes = value.substring(value.indexOf("\r\n") + 2, value.length() - 2).getBytes(StandardCharsets.ISO_8859_1);
        for (RespClient c : List.of(ref, cin)) {
            c.callBytes("SET".getBytes(), "copy".getBytes(), bytes);
        }
        d.run("OBJECT ENCODING copy", "PFCOUNT copy", "OBJECT ENCODING copy", "GET copy", "PFADD copy h", "GET copy",
                "PFCOUNT src copy");
        d.assertSame();
    }

    // ---- PFCOUNT ----

    @Test
    void pfcountOfOneKeyCachesTheCardinalityInTheString() {
        addRange("k", "", 0, 500);
        d.run("GET k", "PFCOUNT k", "GET k", "PFCOUNT k", "PFCOUNT missing");
        addRange("dense", "", 0, 10000);
        d.run("GET dense", "PFCOUNT dense", "GET dense");
        d.assertSame();
        events.clear();
        d.run("PFCOUNT k");
        assertEquals(List.of(), events);
    }

    @Test
    void pfcountOfSeveralKeysEstimatesTheUnionWithoutCaching() {
        addRange("a", "", 0, 300);
        addRange("b", "", 200, 900);
        addRange("c", "c", 0, 20000);
        d.run("PFCOUNT a b", "PFCOUNT a b c", "PFCOUNT a missing", "PFCOUNT missing other", "PFCOUNT a a",
                "GET a", "GET b", "GET c");
        d.assertSame();
    }

    @Test
    void largeCardinalitiesAreEstimatedExactlyAsRedisDoes() {
        for (int round = 0; round < 10; round++) {
            addRange("k", "r", round * 10000, (round + 1) * 10000);
            d.cmd("PFCOUNT", "k");
        }
        d.run("GET k");
        d.assertSame();
    }

    @Test
    void pfcountThatRefreshesTheCacheTouchesWatchedKeys() {
        d.run("PFADD k a b c", "PFCOUNT k", "PFADD k d");
        RespClient ref2 = pair().redisClient();
        RespClient cin2 = pair().cinnabarClient();
        d.run("WATCH k");
        assertEquals(ref2.call("PFCOUNT", "k"), cin2.call("PFCOUNT", "k"));
        d.run("MULTI", "PFCOUNT k", "EXEC", "WATCH k");
        assertEquals(ref2.call("PFCOUNT", "k"), cin2.call("PFCOUNT", "k"));
        d.run("MULTI", "PFCOUNT k", "EXEC");
        d.assertSame();
    }

    private static long changes(RespClient c) {
        String info = c.call("INFO", "persistence");
        int at = info.indexOf("rdb_changes_since_last_save:") + "rdb_changes_since_last_save:".length();
        return Long.parseLong(info.substring(at, info.indexOf('\r', at)));
    }

    /** What each command adds to rdb_changes_since_last_save, on both servers. */
    private void assertSameChanges(String... lines) {
        for (String line : lines) {
            long r0 = changes(ref);
            long c0 = changes(cin);
            d.run(line);
            assertEquals(changes(ref) - r0, changes(cin) - c0, line);
        }
    }

    @Test
    void everyChangedRegisterCountsAsAChange() {
        assertSameChanges("PFADD k", "PFADD k a b c d e", "PFADD k a b", "PFCOUNT k", "PFCOUNT k", "PFCOUNT k k",
                "PFADD k2 x y z", "PFMERGE k3 k k2", "PFMERGE k3", "PFDEBUG GETREG k", "PFDEBUG GETREG k",
                "PFDEBUG TODENSE k2", "PFDEBUG TODENSE k2", "PFDEBUG ENCODING k2", "PFDEBUG DECODE k3");
        d.assertSame();
    }

    // ---- PFMERGE ----

    @Test
    void pfmergeOfSparseSourcesStaysSparse() {
        d.run("PFADD a x y z", "PFADD b y w", "PFMERGE dest a b", "PFDEBUG ENCODING dest", "GET dest", "PFCOUNT dest",
                "PFMERGE a b", "GET a", "PFMERGE only", "GET only", "PFDEBUG ENCODING only", "PFMERGE none missing",
                "GET none", "PFCOUNT dest");
        d.assertSame();
        assertTrue(events.contains("pfadd dest"));
    }

    @Test
    void pfmergeWithADenseSourceMakesTheDestinationDense() {
        addRange("dense", "", 0, 5000);
        addRange("sparse", "s", 0, 100);
        d.run("PFMERGE out sparse dense", "PFDEBUG ENCODING out", "GET out", "PFCOUNT out",
                "PFMERGE sparse dense", "GET sparse", "PFCOUNT sparse dense out");
        addRange("s2", "t", 0, 700);
        addRange("s3", "u", 0, 700);
        d.run("PFMERGE s4 s2 s3", "PFDEBUG ENCODING s4", "GET s4", "PFCOUNT s4");
        d.assertSame();
    }

    // ---- errors ----

    @Test
    void stringsThatAreNotHllsAreRefused() {
        d.run("SET plain hello", "SET num 12345", "SET short HYLL",
                "PFADD plain a", "PFCOUNT plain", "PFCOUNT plain other", "PFMERGE plain", "PFMERGE d plain",
                "PFADD num a", "PFCOUNT num", "PFADD short x", "PFDEBUG ENCODING plain",
                "PFCOUNT missing plain", "EXISTS d");
        String header = "HYLL\u0002\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000";
        d.cmd("SET", "badenc", header + "@\u0000");
        d.cmd("PFADD", "badenc", "a");
        String dense = "HYLL\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000";
        d.cmd("SET", "shortdense", dense + "abc");
        d.cmd("PFCOUNT", "shortdense");
        d.cmd("PFADD", "shortdense", "x");
        d.assertSame();
    }

    @Test
    void corruptedSparseHllsAreReportedAsInvalidObjects() {
        String sparse = "HYLL\u0001\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000";
        // one XZERO run of 16000 registers: 384 short of 16384
        d.cmd("SET", "c", sparse + "\u007e\u007f");
        d.run("PFCOUNT c", "PFCOUNT c c", "PFMERGE d c", "EXISTS d", "PFMERGE c", "PFDEBUG TODENSE c",
                "PFDEBUG GETREG c", "PFDEBUG DECODE c", "PFDEBUG ENCODING c", "GET c");
        d.cmd("SET", "c", sparse + "\u007e\u007f");
        for (int i = 0; i < 20; i++) {
            d.cmd("PFADD", "c", "el" + i);
        }
        d.cmd("GET", "c");
        d.cmd("SET", "empty", sparse);
        d.run("PFCOUNT empty", "PFADD empty a", "PFDEBUG DECODE empty", "PFMERGE empty");
        d.assertSame();
    }

    @Test
    void keysOfOtherTypesAreRefused() {
        ref.call("RPUSH", "list", "a");
        StandInValue.LIST.put(pair().cinnabar(), 0, "list");
        d.run("PFADD list x", "PFADD list", "PFCOUNT list", "PFCOUNT list other", "PFCOUNT missing list",
                "PFMERGE list", "PFMERGE dest list", "EXISTS dest", "PFMERGE list missing", "PFDEBUG GETREG list",
                "PFDEBUG NOSUCH list", "TYPE list");
        d.assertSame();
    }

    @Test
    void wrongArityIsRefused() {
        d.run("PFADD", "PFCOUNT", "PFMERGE", "PFDEBUG", "PFDEBUG ENCODING", "PFDEBUG ENCODING a b", "PFSELFTEST x");
        d.assertSame();
    }

    /** Runs a binary command on both servers and records whether the replies differ. */
    private void both(List<String> mismatches, byte[]... args) {
        String want = ref.callBytes(args);
        String got = cin.callBytes(args);
        if (!want.equals(got)) {
            mismatches.add(new String(args[0], StandardCharsets.ISO_8859_1) + ": redis " + want + " cinnabar " + got);
        }
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** A sparse HLL of random opcodes: exactly 16384 registers when {@code valid}, else a few more or fewer. */
    private static byte[] randomSparse(Random rnd, boolean valid) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.writeBytes(b("HYLL\u0001\u0000\u0000\u0000"));
        for (int i = 0; i < 7; i++) {
            out.write(rnd.nextInt(256));
        }
        out.write(rnd.nextInt(4) == 0 ? rnd.nextInt(128) : 0x80 | rnd.nextInt(128));
        int target = valid ? 16384 : 16384 + rnd.nextInt(200) - 100;
        int total = 0;
        while (total < target) {
            int left = target - total;
            int kind = rnd.nextInt(3);
            if (kind == 0) {
                int len = 1 + rnd.nextInt(Math.min(64, left));
                out.write(len - 1);
                total += len;
            } else if (kind == 1) {
                int len = 1 + rnd.nextInt(Math.min(left, rnd.nextBoolean() ? 300 : 16384));
                out.write(((len - 1) >> 8) | 0x40);
                out.write((len - 1) & 0xff);
                total += len;
            } else {
                int len = 1 + rnd.nextInt(Math.min(4, left));
                int value = 1 + rnd.nextInt(rnd.nextBoolean() ? 3 : 32);
                out.write(0x80 | (value - 1) << 2 | (len - 1));
                total += len;
            }
        }
        if (!valid && rnd.nextBoolean()) {
            out.write(0x40 | rnd.nextInt(64));
        }
        return out.toByteArray();
    }

    @Test
    void handmadeSparseStringsAreUpdatedAndRejectedExactlyAsRedisDoes() {
        Random rnd = new Random(42);
        List<String> mismatches = new ArrayList<>();
        for (int round = 0; round < 150; round++) {
            byte[] value = randomSparse(rnd, round % 5 != 0);
            both(mismatches, b("SET"), b("k"), value);
            both(mismatches, b("PFDEBUG"), b("DECODE"), b("k"));
            both(mismatches, b("PFCOUNT"), b("k"), b("missing"));
            both(mismatches, b("PFCOUNT"), b("k"));
            for (int i = 0; i < 30; i++) {
                both(mismatches, b("PFADD"), b("k"), b("r" + round + "-" + i), b("x" + i));
            }
            both(mismatches, b("GET"), b("k"));
            both(mismatches, b("PFCOUNT"), b("k"));
            both(mismatches, b("PFMERGE"), b("m" + round % 3), b("k"));
            both(mismatches, b("GET"), b("m" + round % 3));
            both(mismatches, b("PFDEBUG"), b("GETREG"), b("k"));
            both(mismatches, b("GET"), b("k"));
        }
        assertEquals(List.of(), mismatches);
    }

    @Test
    void handmadeDenseRegistersAndCachedCardinalitiesAreReadAsRedisReadsThem() {
        addRange("k", "", 0, 4000);
        List<String> mismatches = new ArrayList<>();
        // registers of 63 (beyond what any hash produces) in the first and the last bytes
        both(mismatches, b("SETRANGE"), b("k"), b("16"), new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff});
        both(mismatches, b("SETRANGE"), b("k"), b("12301"), new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xfc});
        both(mismatches, b("PFCOUNT"), b("k"));
        both(mismatches, b("PFDEBUG"), b("GETREG"), b("k"));
        both(mismatches, b("PFADD"), b("k"), b("a"), b("b"));
        both(mismatches, b("PFCOUNT"), b("k"), b("k"));
        // a valid cached cardinality is answered as stored, whatever the registers say
        both(mismatches, b("SETRANGE"), b("k"), b("8"), b("ABCDEFG\u0000"));
        both(mismatches, b("PFCOUNT"), b("k"));
        both(mismatches, b("SETRANGE"), b("k"), b("8"), new byte[] {1, 2, 3, 4, 5, 6, 7, 0x7f});
        both(mismatches, b("PFCOUNT"), b("k"));
        both(mismatches, b("PFMERGE"), b("k"));
        both(mismatches, b("GET"), b("k"));
        assertEquals(List.of(), mismatches);
    }

    /**
     * Redis 7.2.6 writes out of bounds here (CVE-2025-32023: enough XZERO opcodes wrap its int register count);
     * Cinnabar reports the corrupted object, so this one is checked on Cinnabar alone.
     */
    @Test
    void sparseStringsWhoseRunsWouldWrapTheRegisterCountAreCorrupted() {
        int opcodes = 140_000;
        byte[] value = new byte[16 + opcodes * 2 + 1];
        System.arraycopy(b("HYLL\u0001"), 0, value, 0, 5);
        value[15] = (byte) 0x80;
        for (int i = 0; i < opcodes; i++) {
            value[16 + 2 * i] = 0x7f;
            value[17 + 2 * i] = (byte) 0xff;
        }
        value[value.length - 1] = (byte) 0x80;
        assertEquals("+OK\r\n", cin.callBytes(b("SET"), b("huge"), value));
        String corrupted = "-INVALIDOBJ Corrupted HLL object detected\r\n";
        assertEquals(corrupted, cin.call("PFCOUNT", "huge"));
        assertEquals(corrupted, cin.call("PFCOUNT", "huge", "other"));
        assertEquals(corrupted, cin.call("PFMERGE", "dest", "huge"));
        assertEquals(corrupted, cin.call("PFDEBUG", "TODENSE", "huge"));
        assertEquals(":0\r\n", cin.call("EXISTS", "dest"));
        assertEquals("+PONG\r\n", cin.call("PING"));
    }

    // ---- PFDEBUG and PFSELFTEST ----

    @Test
    void pfdebugShowsAndConvertsTheRepresentation() {
        d.run("PFADD k a b c d e f g h i j", "PFDEBUG DECODE k", "PFDEBUG ENCODING k", "PFDEBUG GETREG k",
                "PFDEBUG ENCODING k", "GET k", "PFDEBUG DECODE k", "PFDEBUG TODENSE k", "PFADD k2 x",
                "PFDEBUG TODENSE k2", "PFDEBUG TODENSE k2", "GET k2", "PFDEBUG encoding k2",
                "PFDEBUG ENCODING missing", "PFDEBUG NOSUCH k", "PFDEBUG NOSUCH missing", "SET s v",
                "PFDEBUG NOSUCH s", "PFDEBUG GETREG s");
        addRange("big", "", 0, 800);
        d.run("PFDEBUG DECODE big", "PFDEBUG GETREG big", "GET big");
        d.assertSame();
    }

    @Test
    void pfselftestPasses() {
        d.run("PFSELFTEST");
        d.assertSame();
    }

    @Test
    void resp3RepliesMatch() {
        // HELLO's reply carries the connection id, which differs between the servers
        ref.call("HELLO", "3");
        cin.call("HELLO", "3");
        d.run("PFADD k a b c", "PFCOUNT k", "PFCOUNT k missing", "PFMERGE d k", "PFDEBUG ENCODING d",
                "PFDEBUG DECODE d", "PFDEBUG GETREG d", "PFDEBUG TODENSE d", "PFADD d", "PFCOUNT plain k");
        d.assertSame();
    }

    // ---- specs ----

    @Test
    void commandInfoMatchesRedis() {
        CommandInfoConformance.assertConforms(pair().cinnabar(), CommandInfoConformance.namesOf(new HyperLogLogFamily()));
    }

    @Test
    void commandDocsMatchRedis() {
        for (String name : CommandInfoConformance.namesOf(new HyperLogLogFamily())) {
            assertEquals(CommandInfoConformance.docsWithoutArguments(Resp.parse(ref.call("COMMAND", "DOCS", name))).toString(),
                    CommandInfoConformance.docsWithoutArguments(Resp.parse(cin.call("COMMAND", "DOCS", name))).toString(),
                    name);
        }
    }

    @Test
    void everyCommandIsExercised() {
        SpecCoverage.assertCovered(SpecCoverage.commandWords(new HyperLogLogFamily()), Path.of("src/test"));
    }
}
