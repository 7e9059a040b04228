package io.cinnabar.datatypes.strings;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.cinnabar.api.CommandFlag;
import io.cinnabar.api.CommandSpec;
import io.cinnabar.api.KeySpec;
import io.cinnabar.testkit.Differential;
import io.cinnabar.testkit.Resp;
import io.cinnabar.testkit.RespClient;
import io.cinnabar.testkit.ServerPair;
import io.cinnabar.testkit.ServerPairExtension;
import io.cinnabar.testkit.StandInValue;
import io.cinnabar.testkit.TestServer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The bitmap commands against the reference redis-server, reply for reply. */
class BitmapFamilyTest {
    private static final List<String> events = Collections.synchronizedList(new ArrayList<>());

    /** Strings come along for SET, GET and the plain string values bitmaps read. */
    @RegisterExtension
    static final ServerPairExtension PAIR = new ServerPairExtension(
            () -> TestServer.builder().family(new BitmapFamily()).family(new StringsFamily())
                    .listener((cls, event, key, db) ->
                            events.add(event + " " + new String(key, StandardCharsets.ISO_8859_1))),
            "--notify-keyspace-events", "KEAn");

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
        d.run("FLUSHALL");
        events.clear();
    }

    // ---- specs ----

    @Test
    void commandInfoMatchesRedis() {
        for (CommandSpec spec : new BitmapFamily().commands()) {
            List<?> info = (List<?>) ((List<?>) Resp.parse(ref.call("COMMAND", "INFO", spec.name()))).get(0);
            String name = spec.name();
            assertEquals(name, info.get(0));
            assertEquals((long) spec.arity(), info.get(1), name + " arity");
            assertEquals(new TreeSet<>((List<?>) info.get(2)),
                    spec.flags().stream().map(CommandFlag::redisName).collect(Collectors.toCollection(TreeSet::new)),
                    name + " flags");
            List<KeySpec> keys = spec.keySpecs();
            assertEquals((long) keys.get(0).beginIndex(), info.get(3), name + " first key");
            long last = keys.stream().anyMatch(k -> k.lastKey() < 0) ? -1 : keys.get(0).beginIndex();
            assertEquals(last, info.get(4), name + " last key");
            assertEquals(1L, info.get(5), name + " step");
            assertEquals(new TreeSet<>((List<?>) info.get(6)),
                    spec.aclCategories().stream().map(c -> "@" + c.redisName()).collect(Collectors.toCollection(TreeSet::new)),
                    name + " acl categories");
            assertEquals(info.get(7), spec.tips(), name + " tips");
            List<?> redisKeys = (List<?>) info.get(8);
            assertEquals(redisKeys.size(), keys.size(), name + " key specs");
            for (int i = 0; i < keys.size(); i++) {
                assertKeySpec(name, (List<?>) redisKeys.get(i), keys.get(i));
            }
            assertEquals(List.of(), info.get(9), name + " subcommands");
            assertEquals("bitmap", spec.group());
        }
    }

    /** Compares one key spec; Redis's free-text {@code notes} (BITFIELD) has no counterpart in KeySpec. */
    private static void assertKeySpec(String name, List<?> redisSpec, KeySpec spec) {
        List<?> flags = (List<?>) field(redisSpec, "flags");
        assertEquals(flags.stream().map(f -> ((String) f).toUpperCase(Locale.ROOT)).collect(Collectors.toSet()),
                Set.copyOf(spec.flags()), name + " key spec flags");
        List<?> begin = (List<?>) field(redisSpec, "begin_search");
        assertEquals("index", field(begin, "type"));
        assertEquals(List.of("index", (long) spec.beginIndex()), field(begin, "spec"));
        List<?> find = (List<?>) field(redisSpec, "find_keys");
        assertEquals("range", field(find, "type"));
        assertEquals(List.of("lastkey", (long) spec.lastKey(), "keystep", (long) spec.keyStep(), "limit",
                (long) spec.limit()), field(find, "spec"), name + " find_keys");
    }

    private static Object field(List<?> pairs, String name) {
        for (int i = 0; i + 1 < pairs.size(); i += 2) {
            if (name.equals(pairs.get(i))) {
                return pairs.get(i + 1);
            }
        }
        throw new AssertionError("no " + name + " in " + pairs);
    }

    // ---- SETBIT / GETBIT ----

    @Test
    void setbitReturnsTheOldBitAndGrowsTheString() {
        d.run("SETBIT k 7 1", "SETBIT k 7 1", "SETBIT k 7 0", "SETBIT k 7 0", "GETBIT k 7", "GETBIT k 6",
                "SETBIT k 100 1", "GETBIT k 100", "GETBIT k 101", "GETBIT k 1000000", "BITCOUNT k",
                "BITFIELD k GET u64 0", "BITFIELD k GET i64 64", "SETBIT k 0 1", "GETBIT k 0", "BITCOUNT k",
                "GETBIT nokey 0", "GETBIT nokey 4294967295", "SETBIT k 8000000 1", "GETBIT k 8000000",
                "BITCOUNT k", "BITPOS k 1 1000", "BITPOS k 0 999999", "BITPOS k 0 999999 -1", "setbit k 3 1",
                "SeTbIt k 3 0", "GETBIT k 3");
        d.assertSame();
    }

    @Test
    void largeBitmapsUseTheWordAtATimePaths() {
        d.run("SETBIT big 100000000 1", "SETBIT big 99999999 1", "SETBIT big 7 1", "BITCOUNT big", "BITCOUNT big 1 -1",
                "BITCOUNT big 8 99999998 BIT", "BITPOS big 1", "BITPOS big 1 1", "BITPOS big 0", "BITPOS big 0 12499999",
                "BITPOS big 1 -3 -1", "BITPOS big 0 0 -1 BIT", "BITOP NOT inv big", "BITCOUNT inv", "BITPOS inv 0",
                "BITPOS inv 0 1", "BITPOS inv 1 100 -1", "BITOP AND both big inv", "BITCOUNT both", "BITOP OR any big inv",
                "BITCOUNT any", "BITPOS any 0", "BITPOS any 0 0 -1", "BITOP XOR big big inv", "BITCOUNT big",
                "GETBIT big 100000000");
        d.assertSame();
    }

    @Test
    void setbitAndGetbitRejectBadOffsetsAndValues() {
        d.run("SETBIT k -1 1", "SETBIT k abc 1", "SETBIT k 1.5 1", "SETBIT k 01 1", "SETBIT k +1 1",
                "SETBIT k 4294967296 1", "SETBIT k 9223372036854775807 1", "SETBIT k 18446744073709551616 1",
                "SETBIT k 0 2", "SETBIT k 0 -1", "SETBIT k 0 x", "SETBIT k 0 01", "SETBIT k 0 1.0",
                "SETBIT k 0 9223372036854775808", "SETBIT k 0", "SETBIT k 0 1 1", "GETBIT k", "GETBIT k 0 0",
                "GETBIT k -1", "GETBIT k a", "GETBIT k 4294967296", "GETBIT nokey 4294967296", "GETBIT k 4294967295",
                "BITCOUNT k");
        d.cmd("SETBIT", "k", " 1", "1");
        d.cmd("SETBIT", "k", "", "1");
        d.cmd("SETBIT", "k", "1", "");
        d.assertSame();
    }

    @Test
    void bitOffsetsAreLimitedByProtoMaxBulkLen() {
        try (ServerPair small = ServerPair.start(TestServer.builder().option("proto-max-bulk-len", "1mb")
                .family(new BitmapFamily()), "--proto-max-bulk-len", "1mb")) {
            Differential s = small.diff();
            s.run("SETBIT k 8388608 1", "SETBIT k 8388607 1", "GETBIT k 8388607", "GETBIT k 8388608",
                    "BITFIELD k GET u8 8388607 GET u8 8388608", "BITFIELD k SET u8 8388607 1",
                    "BITFIELD k GET u8 8388607", "BITCOUNT k", "BITCOUNT k -2 -1", "BITFIELD k GET u8 #1048575",
                    "BITFIELD k GET u8 #1048576", "BITFIELD k GET i64 #288230376151711744",
                    "BITFIELD k GET u8 #288230376151711744", "BITFIELD k GET i64 #144115188075855872",
                    "BITFIELD k SET i64 #131071 -1", "BITFIELD k SET i64 #131072 -1", "BITCOUNT k");
            s.assertSame();
        }
    }

    // ---- BITCOUNT ----

    @Test
    void bitcountCountsByteAndBitRanges() {
        fill("k", new byte[] {(byte) 0xff, (byte) 0xf0, 0x00, 0x01, (byte) 0x80, 0x5a, (byte) 0xa5});
        d.run("BITCOUNT k", "BITCOUNT k 0 -1", "BITCOUNT k 1 1", "BITCOUNT k 1 2", "BITCOUNT k -2 -1",
                "BITCOUNT k -1 -2", "BITCOUNT k -100 100", "BITCOUNT k 100 -100", "BITCOUNT k 3 2",
                "BITCOUNT k 0 0 BYTE", "BITCOUNT k 5 30 BIT", "BITCOUNT k 5 5 BIT", "BITCOUNT k 4 4 bit",
                "BITCOUNT k -1 -1 BIT", "BITCOUNT k -9 -1 bit", "BITCOUNT k -100 -90 BIT", "BITCOUNT k 55 100 BIT",
                "BITCOUNT k 56 100 BIT", "BITCOUNT k 0 55 BIT", "BITCOUNT k 1 54 BIT", "BITCOUNT k 9 14 bit",
                "BITCOUNT k -9223372036854775808 9223372036854775807 BIT",
                "BITCOUNT k 9223372036854775807 -9223372036854775808 BIT", "BITCOUNT k 0 9223372036854775807",
                "BITCOUNT nokey", "BITCOUNT nokey 0 -1 BIT");
        d.assertSame();
    }

    @Test
    void bitcountArgumentErrorsFollowRedisOrder() {
        fill("k", new byte[] {1, 2, 3});
        d.run("BITCOUNT k 0", "BITCOUNT k 0 1 2", "BITCOUNT k 0 1 BIT x", "BITCOUNT k a 1", "BITCOUNT k 0 b",
                "BITCOUNT k 0 1 foo", "BITCOUNT k -1 -2 foo", "BITCOUNT k a b foo", "BITCOUNT k 1.5 2",
                "BITCOUNT k 0 9223372036854775808", "BITCOUNT nokey a b", "BITCOUNT nokey 0", "BITCOUNT nokey 0 1 foo",
                "BITCOUNT", "bitcount k 0 -1 byte", "bitcount k 0 -1 Bit");
        d.assertSame();
    }

    // ---- BITPOS ----

    @Test
    void bitposFollowsTheDocumentedExamples() {
        fill("a", new byte[] {(byte) 0xff, (byte) 0xf0, 0x00});
        fill("b", new byte[] {0x00, (byte) 0xff, (byte) 0xf0});
        fill("z", new byte[] {0, 0, 0});
        d.run("BITPOS a 0", "BITPOS b 1 0", "BITPOS b 1 2", "BITPOS b 1 2 -1 BYTE", "BITPOS b 1 7 15 BIT",
                "BITPOS b 1 7 -3 BIT", "BITPOS z 1", "BITPOS z 0", "BITPOS z 1 1", "BITPOS z 0 1 2 BIT",
                "BITPOS nokey 0", "BITPOS nokey 1", "BITPOS nokey 0 5 10", "BITPOS nokey 1 0 -1 BIT");
        d.assertSame();
    }

    @Test
    void bitposForAClearBitPastAllOnesDependsOnWhetherEndIsGiven() {
        fill("ones", new byte[] {-1, -1, -1});
        d.run("BITPOS ones 0", "BITPOS ones 0 0", "BITPOS ones 0 1", "BITPOS ones 0 -1", "BITPOS ones 0 0 -1",
                "BITPOS ones 0 0 2", "BITPOS ones 0 0 100", "BITPOS ones 0 0 -1 BYTE", "BITPOS ones 0 0 -1 BIT",
                "BITPOS ones 0 3", "BITPOS ones 0 100", "BITPOS ones 1 3", "BITPOS ones 1 2 1", "BITPOS ones 0 -100",
                "BITPOS ones 1 -1 -1 BIT", "BITPOS ones 0 23 23 BIT", "BITPOS ones 0 24 30 BIT");
        d.assertSame();
    }

    @Test
    void bitposArgumentErrorsFollowRedisOrder() {
        fill("k", new byte[] {1, 2, 3});
        d.run("BITPOS k 2", "BITPOS k -1", "BITPOS k a", "BITPOS k 1 a", "BITPOS k 1 0 a", "BITPOS k 1 0 a foo",
                "BITPOS k 1 a 1 foo", "BITPOS k 1 0 1 foo", "BITPOS k 1 -1 -2 foo", "BITPOS k 1 0 1 BIT x",
                "BITPOS k", "BITPOS nokey 2", "BITPOS nokey 1 a", "BITPOS nokey 1 0 1 foo", "bitpos k 1 0 -1 bIt",
                "BITPOS k 01", "BITPOS k 1.0");
        d.assertSame();
    }

    @Test
    void bitcountAndBitposMatchRedisOnRandomStringsAndRanges() {
        Random rnd = new Random(7);
        int[] lengths = {1, 2, 7, 8, 9, 15, 16, 17, 31, 33, 64, 65, 100, 257, 1000};
        for (int len : lengths) {
            byte[] content = new byte[len];
            for (int i = 0; i < len; ) {
                int run = 1 + rnd.nextInt(Math.max(1, len / 3));
                int kind = rnd.nextInt(4);
                for (int j = 0; j < run && i < len; j++, i++) {
                    content[i] = kind == 0 ? 0 : kind == 1 ? (byte) 0xff : (byte) rnd.nextInt(256);
                }
            }
            String key = "r" + len;
            fill(key, content);
            d.cmd("BITCOUNT", key);
            d.cmd("BITPOS", key, "0");
            d.cmd("BITPOS", key, "1");
            for (int i = 0; i < 60; i++) {
                boolean bits = rnd.nextBoolean();
                long span = bits ? len * 8L : len;
                String start = Long.toString(rnd.nextLong(-span - 3, span + 3));
                String end = Long.toString(rnd.nextLong(-span - 3, span + 3));
                String unit = bits ? "BIT" : "BYTE";
                d.cmd("BITCOUNT", key, start, end, unit);
                d.cmd("BITPOS", key, "0", start, end, unit);
                d.cmd("BITPOS", key, "1", start, end, unit);
                if (!bits) {
                    d.cmd("BITCOUNT", key, start, end);
                    d.cmd("BITPOS", key, Integer.toString(i & 1), start);
                    d.cmd("BITPOS", key, Integer.toString(i & 1), start, end);
                }
            }
        }
        d.assertSame();
    }

    // ---- BITOP ----

    @Test
    void bitopCombinesStringsOfDifferentLengths() {
        Random rnd = new Random(11);
        fill("a", randomBytes(rnd, 40));
        fill("b", randomBytes(rnd, 13));
        fill("c", randomBytes(rnd, 70));
        for (String op : new String[] {"AND", "OR", "XOR"}) {
            d.cmd("BITOP", op, "dest", "a", "b", "c");
            compareContent("dest", 70);
            d.cmd("BITOP", op, "dest", "c", "a");
            compareContent("dest", 70);
            d.cmd("BITOP", op, "dest", "a", "nokey");
            compareContent("dest", 40);
            d.cmd("BITOP", op, "dest", "nokey", "b");
            compareContent("dest", 13);
            d.cmd("BITOP", op, "dest", "a");
            compareContent("dest", 40);
        }
        d.run("BITOP NOT dest c", "BITCOUNT dest", "BITOP NOT dest b", "BITCOUNT dest", "BITOP not dest nokey",
                "BITCOUNT dest", "BITOP xor a a b", "BITCOUNT a", "bitop AnD dest a b c", "BITCOUNT dest");
        compareContent("dest", 70);
        d.assertSame();
    }

    @Test
    void bitopWithOnlyMissingSourcesDeletesTheDestination() {
        fill("dest", new byte[] {1, 2});
        d.run("BITOP AND dest nokey1 nokey2", "BITCOUNT dest", "BITOP OR dest nokey", "BITOP NOT dest nokey");
        d.cmd("OBJECT", "ENCODING", "dest");
        d.assertSame();
    }

    @Test
    void bitopRejectsBadOperationsAndWrongTypes() {
        fill("a", new byte[] {1});
        list("lst");
        d.run("BITOP NOT dest a b", "BITOP NOT dest", "BITOP foo dest a", "BITOP AND dest", "BITOP AND",
                "BITOP ANDx dest a", "BITOP AND dest a lst", "BITOP AND dest nokey lst", "BITOP NOT dest lst",
                "BITOP OR lst a", "GETBIT lst 7", "BITOP NOT d a b c");
        d.assertSame();
    }

    @Test
    void bitopResultIsARawString() {
        str("s", "12");
        d.run("BITOP OR dest s", "BITCOUNT dest", "GETBIT dest 2");
        d.cmd("OBJECT", "ENCODING", "dest");
        d.assertSame();
    }

    // ---- BITFIELD ----

    @Test
    void bitfieldFollowsTheDocumentedExamples() {
        d.run("BITFIELD mykey INCRBY i5 100 1 GET u4 0", "BITFIELD mykey incrby u2 100 1 OVERFLOW SAT incrby u2 102 1",
                "BITFIELD mykey incrby u2 100 1 OVERFLOW SAT incrby u2 102 1",
                "BITFIELD mykey incrby u2 100 1 OVERFLOW SAT incrby u2 102 1",
                "BITFIELD mykey incrby u2 100 1 OVERFLOW SAT incrby u2 102 1",
                "BITFIELD mykey OVERFLOW FAIL incrby u2 102 1", "BITFIELD mykey SET i8 #0 100 SET i8 #1 200",
                "BITFIELD mykey GET i8 #0 GET i8 #1 GET u8 #1 GET i8 8 GET u16 4");
        d.assertSame();
    }

    @Test
    void bitfieldReadsAcrossByteBoundariesAndPastTheEnd() {
        fill("k", new byte[] {(byte) 0xde, (byte) 0xad, (byte) 0xbe, (byte) 0xef, 0x01, 0x23, 0x45, 0x67, (byte) 0x89});
        d.run("BITFIELD k GET u8 0 GET i8 0 GET u13 5 GET i13 5 GET u63 0 GET i64 0 GET i64 8 GET u63 9",
                "BITFIELD k GET i64 65 GET u1 71 GET i1 71 GET u5 70 GET i7 68 GET u63 100 GET i64 1000000",
                "BITFIELD_RO k GET i3 #5 GET u7 #9 GET u1 #71", "BITFIELD nokey GET u8 0 GET i64 100",
                "BITFIELD_RO nokey GET u8 0");
        d.assertSame();
    }

    @Test
    void bitfieldSetAndIncrbyWrapSaturateOrFail() {
        d.run("BITFIELD k SET i64 0 -9223372036854775808", "BITFIELD k INCRBY i64 0 -1",
                "BITFIELD k OVERFLOW SAT INCRBY i64 0 -1", "BITFIELD k OVERFLOW FAIL INCRBY i64 0 -1 GET i64 0",
                "BITFIELD k OVERFLOW SAT INCRBY i64 0 9223372036854775807 INCRBY i64 0 9223372036854775807",
                "BITFIELD k OVERFLOW WRAP INCRBY i64 0 1", "BITFIELD k SET u63 64 9223372036854775807",
                "BITFIELD k INCRBY u63 64 1", "BITFIELD k OVERFLOW SAT INCRBY u63 64 -1 INCRBY u63 64 -9223372036854775808",
                "BITFIELD k OVERFLOW SAT SET u8 128 -1 SET i8 136 -9223372036854775808 SET i8 144 9223372036854775807",
                "BITFIELD k OVERFLOW WRAP SET u8 128 -1 SET i8 136 -129 SET i8 144 128 SET u8 152 256",
                "BITFIELD k OVERFLOW FAIL SET u8 128 256 SET i8 136 -129 SET u8 152 255 SET i4 160 -8",
                "BITFIELD k GET u8 128 GET i8 136 GET i8 144 GET u8 152 GET i4 160",
                "BITFIELD k OVERFLOW SAT INCRBY u1 200 5 INCRBY i1 201 5 INCRBY i1 202 -5 INCRBY u1 203 -5",
                "BITFIELD k OVERFLOW WRAP INCRBY u1 200 5 INCRBY i1 201 5 INCRBY i1 202 -5 INCRBY u1 203 -5",
                "BITFIELD k OVERFLOW FAIL INCRBY u1 200 5 INCRBY i1 201 -1 INCRBY i1 202 1 INCRBY u1 203 1",
                "BITFIELD k SET i8 300 -100 OVERFLOW SAT INCRBY i8 300 -100 OVERFLOW WRAP INCRBY i8 300 -100",
                "BITFIELD k OVERFLOW sat overflow WRAP INCRBY u4 400 17 overflow fail INCRBY u4 400 17");
        d.assertSame();
    }

    @Test
    void bitfieldRejectsBadTypesOffsetsAndSubcommands() {
        fill("k", new byte[] {7});
        list("lst");
        d.run("BITFIELD k GET", "BITFIELD k GET u8", "BITFIELD k foo", "BITFIELD k GET u64 0", "BITFIELD k GET i65 0",
                "BITFIELD k GET i0 0", "BITFIELD k GET u0 0", "BITFIELD k GET x8 0", "BITFIELD k GET I8 0",
                "BITFIELD k GET U8 0", "BITFIELD k GET i08 0", "BITFIELD k GET i 0", "BITFIELD k GET i-1 0",
                "BITFIELD k GET u8 -1", "BITFIELD k GET u8 #", "BITFIELD k GET u8 #-1", "BITFIELD k GET u8 ##1",
                "BITFIELD k GET u8 a", "BITFIELD k GET u8 1.5", "BITFIELD k GET u8 4294967296",
                "BITFIELD k SET u8 0 a", "BITFIELD k SET u8 0 1.5", "BITFIELD k SET u8 0 9223372036854775808",
                "BITFIELD k INCRBY u8 0", "BITFIELD k SET u8 0", "BITFIELD k OVERFLOW", "BITFIELD k OVERFLOW foo GET u8 0",
                "BITFIELD k GET u8 0 OVERFLOW foo", "BITFIELD k SET u8 0 255 GET u64 0", "BITFIELD k GET u8 0",
                "BITFIELD k SET u8 0 255 INCRBY u8", "BITFIELD k GET u8 0", "BITFIELD lst GET u64 0",
                "BITFIELD lst GET u8 0", "BITFIELD lst SET u8 0 1", "BITFIELD lst", "BITFIELD", "bitfield k gEt u8 0",
                "BITFIELD k GET u8 #1 extra");
        d.cmd("BITFIELD", "k", "GET", "u8\u0000x", "0");
        d.cmd("BITFIELD", "k", "GET", "", "0");
        d.cmd("BITFIELD", "k", "GET", "u8", "");
        d.assertSame();
    }

    @Test
    void bitfieldRoAllowsOnlyGet() {
        fill("k", new byte[] {7, 8});
        list("lst");
        d.run("BITFIELD_RO k GET u8 0 GET i4 #3", "BITFIELD_RO k SET u8 0 1", "BITFIELD_RO k INCRBY u8 0 1",
                "BITFIELD_RO k GET u8 0 SET u8 0 1", "BITFIELD_RO k OVERFLOW SAT GET u8 0", "BITFIELD_RO k",
                "BITFIELD_RO nokey GET u8 0", "BITFIELD_RO lst SET u8 0 1", "BITFIELD_RO lst GET u8 0",
                "BITFIELD_RO k SET u64 0 1", "BITFIELD_RO k SET u8 0 x", "BITFIELD_RO", "BITFIELD_RO k GET u8 0 FOO",
                "GETBIT k 7");
        d.assertSame();
    }

    @Test
    void bitfieldWithOnlyFailedWritesStillCreatesTheKey() {
        d.run("BITFIELD new OVERFLOW FAIL SET u2 0 100", "BITCOUNT new", "BITFIELD new GET u8 0", "BITFIELD none",
                "BITFIELD none OVERFLOW FAIL", "BITFIELD none GET u8 0");
        d.cmd("OBJECT", "ENCODING", "new");
        d.cmd("OBJECT", "ENCODING", "none");
        d.assertSame();
    }

    @Test
    void bitfieldMatchesRedisOnARandomSequence() {
        randomBitfieldScript(new Random(20240601L), 1500);
        d.assertSame();
    }

    // ---- plain strings, wrong types, RESP3 ----

    @Test
    void plainStringsAreReadInPlaceAndMadeRawByWrites() {
        str("s", "hello world, this string is longer than forty-four bytes!");
        str("n", "12345");
        str("e", "foo");
        d.run("GETBIT s 1", "BITCOUNT s", "BITCOUNT s 2 -3", "BITCOUNT s 3 50 BIT", "BITPOS s 0", "BITPOS s 1 3",
                "BITFIELD s GET u16 #3 GET i5 3", "BITFIELD_RO n GET u8 #2", "BITCOUNT n", "GETBIT n 2", "BITPOS n 1 1",
                "BITOP AND dest s n e", "BITCOUNT dest");
        d.cmd("OBJECT", "ENCODING", "n");
        d.run("SETBIT n 2 1", "BITCOUNT n", "BITFIELD e OVERFLOW FAIL INCRBY u2 0 100", "SETBIT s 0 0", "BITCOUNT s");
        for (String key : new String[] {"s", "n", "e"}) {
            d.cmd("OBJECT", "ENCODING", key);
        }
        d.run("SETBIT e 100 1", "BITFIELD e GET u8 #0 GET u8 #1 GET u8 #12", "BITFIELD n SET u8 #8 1", "BITCOUNT n");
        d.assertSame();
    }

    @Test
    void everyCommandRejectsOtherTypes() {
        list("lst");
        d.run("SETBIT lst 0 1", "SETBIT lst 0 2", "SETBIT lst -1 1", "GETBIT lst 0", "GETBIT lst -1", "BITCOUNT lst",
                "BITCOUNT lst 0", "BITCOUNT lst a b", "BITPOS lst 1", "BITPOS lst 2", "BITPOS lst 1 0 1 foo",
                "BITPOS lst a", "BITFIELD lst GET u8 0", "BITFIELD_RO lst GET u8 0", "BITOP AND d lst");
        d.assertSame();
    }

    @Test
    void repliesMatchInResp3() {
        d.resp3("GET", "__resp3_probe__");
        d.run("SETBIT k 10 1", "GETBIT k 10", "BITCOUNT k", "BITPOS k 1", "BITPOS k 0 0 -1",
                "BITFIELD k OVERFLOW FAIL INCRBY u2 0 5 GET u8 0 SET i8 8 -3", "BITFIELD k", "BITFIELD_RO k GET i8 8",
                "BITOP NOT d k", "BITOP AND d nokey", "BITFIELD k GET u64 0", "BITFIELD_RO k SET u8 0 1");
        randomBitfieldScript(new Random(99), 300);
        d.assertSame();
    }

    // ---- side effects ----

    @Test
    void keyspaceEventsAndDirtyCountMatchRedis() {
        str("plain", "abc");
        try (RespClient sub = pair().redisClient()) {
            sub.call("PSUBSCRIBE", "__keyevent@0__:*");
            long refDirty = changesSinceLastSave(ref);
            long cinDirty = changesSinceLastSave(cin);
            events.clear();
            d.run("SETBIT a 7 1", "SETBIT a 7 1", "SETBIT a 0 0", "SETBIT a 15 0", "SETBIT a 15 1",
                    "BITFIELD a SET u8 0 1", "BITFIELD a INCRBY u8 0 0 GET u8 0", "BITFIELD a SET u8 0 2 SET u8 8 3",
                    "BITFIELD a SET u8 0 2 SET u8 8 4 SET u4 0 0", "BITFIELD a SET u8 40 0",
                    "BITFIELD b OVERFLOW FAIL SET u2 0 100", "BITFIELD c GET u8 0", "BITFIELD_RO a GET u8 0",
                    "BITFIELD plain SET u8 0 97", "SETBIT plain 1 1", "BITOP AND dest a b", "BITOP OR dest a",
                    "BITOP AND dest nokey", "BITOP AND dest nokey", "SETBIT a -1 1", "BITFIELD a SET u8 0 x",
                    "BITOP NOT dest a b");
            assertEquals(changesSinceLastSave(ref) - refDirty, changesSinceLastSave(cin) - cinDirty, "dirty changes");
            ref.call("SET", "zz-marker", "1");
            List<String> refEvents = new ArrayList<>();
            while (true) {
                List<?> msg = (List<?>) Resp.parse(sub.readReply());
                String channel = (String) msg.get(2);
                String key = (String) msg.get(3);
                if (key.equals("zz-marker")) {
                    if (channel.endsWith(":set")) {
                        break;
                    }
                    continue;
                }
                refEvents.add(channel.substring(channel.indexOf(':') + 1) + " " + key);
            }
            assertEquals(refEvents, List.copyOf(events));
        }
        d.assertSame();
    }

    // ---- helpers ----

    /** Random BITFIELD commands (several operations each, every type and overflow mode) with state checks. */
    private void randomBitfieldScript(Random rnd, int commands) {
        str("plain", "some plain string value");
        String[] modes = {"WRAP", "SAT", "FAIL"};
        for (int c = 0; c < commands; c++) {
            String key = rnd.nextInt(5) == 0 ? "plain" : "rk";
            List<String> cmd = new ArrayList<>(List.of("BITFIELD", key));
            int ops = 1 + rnd.nextInt(4);
            for (int o = 0; o < ops; o++) {
                if (rnd.nextInt(4) == 0) {
                    cmd.add("OVERFLOW");
                    cmd.add(modes[rnd.nextInt(3)]);
                }
                boolean signed = rnd.nextBoolean();
                int bits = signed ? 1 + rnd.nextInt(64) : 1 + rnd.nextInt(63);
                String offset = rnd.nextInt(3) == 0 ? "#" + rnd.nextInt(4) : Integer.toString(rnd.nextInt(200));
                int kind = rnd.nextInt(3);
                cmd.add(kind == 0 ? "GET" : kind == 1 ? "SET" : "INCRBY");
                cmd.add((signed ? "i" : "u") + bits);
                cmd.add(offset);
                if (kind != 0) {
                    cmd.add(Long.toString(randomValue(rnd, bits)));
                }
            }
            d.cmd(cmd.toArray(new String[0]));
            if (c % 50 == 49) {
                d.cmd("BITCOUNT", "rk");
                d.cmd("BITFIELD_RO", "rk", "GET", "i64", "0", "GET", "i64", "64", "GET", "i64", "128", "GET", "u63", "192");
                d.cmd("BITCOUNT", "plain");
            }
        }
    }

    private static long randomValue(Random rnd, int bits) {
        switch (rnd.nextInt(6)) {
            case 0:
                return rnd.nextInt(21) - 10;
            case 1:
                return (1L << (bits - 1)) - rnd.nextInt(3);
            case 2:
                return -(1L << (bits - 1)) + rnd.nextInt(3) - 1;
            case 3:
                return rnd.nextBoolean() ? Long.MAX_VALUE - rnd.nextInt(2) : Long.MIN_VALUE + rnd.nextInt(2);
            case 4:
                return bits >= 63 ? rnd.nextLong() : (1L << bits) + rnd.nextInt(5) - 2;
            default:
                return rnd.nextLong();
        }
    }

    /** Writes {@code content} byte by byte with BITFIELD SET on both servers (pure-ASCII commands). */
    private void fill(String key, byte[] content) {
        for (int from = 0; from < content.length; from += 64) {
            List<String> cmd = new ArrayList<>(List.of("BITFIELD", key));
            for (int i = from; i < Math.min(content.length, from + 64); i++) {
                cmd.addAll(List.of("SET", "u8", "#" + i, Integer.toString(content[i] & 0xff)));
            }
            d.cmd(cmd.toArray(new String[0]));
        }
    }

    /** Compares a string's bytes through BITFIELD GET, 8 bytes at a time. */
    private void compareContent(String key, int len) {
        List<String> cmd = new ArrayList<>(List.of("BITFIELD_RO", key));
        for (int i = 0; i < len + 8; i += 8) {
            cmd.addAll(List.of("GET", "i64", Integer.toString(i * 8)));
        }
        d.cmd(cmd.toArray(new String[0]));
        d.cmd("BITCOUNT", key);
    }

    private static byte[] randomBytes(Random rnd, int n) {
        byte[] b = new byte[n];
        rnd.nextBytes(b);
        return b;
    }

    /** A plain string, as SET stores it (Redis picks int, embstr or raw by content; so does Cinnabar). */
    private void str(String key, String value) {
        d.cmd("SET", key, value);
    }

    /** A list: RPUSH on Redis, the stand-in list value in Cinnabar; TYPE shows both the same. */
    private void list(String key) {
        ref.call("RPUSH", key, "a");
        StandInValue.LIST.put(pair().cinnabar(), 0, key);
        d.cmd("TYPE", key);
    }

    /** The server's dirty counter, as INFO persistence reports it. */
    private static long changesSinceLastSave(RespClient c) {
        String info = (String) Resp.parse(c.call("INFO", "persistence"));
        for (String line : info.split("\r\n")) {
            if (line.startsWith("rdb_changes_since_last_save:")) {
                return Long.parseLong(line.substring(line.indexOf(':') + 1));
            }
        }
        throw new AssertionError("no rdb_changes_since_last_save in INFO: " + info);
    }
}
