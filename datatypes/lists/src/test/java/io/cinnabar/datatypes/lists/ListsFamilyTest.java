package io.cinnabar.datatypes.lists;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cinnabar.api.KeyspaceEvents;
import io.cinnabar.testkit.CommandInfoConformance;
import io.cinnabar.testkit.Differential;
import io.cinnabar.testkit.Loop;
import io.cinnabar.testkit.Resp;
import io.cinnabar.testkit.RespClient;
import io.cinnabar.testkit.ServerPair;
import io.cinnabar.testkit.SpecCoverage;
import io.cinnabar.testkit.TestServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The list commands against the reference redis-server, byte for byte. Each test works in its own database
 * (SELECT) so tests do not see each other's keys.
 */
class ListsFamilyTest {
    private static ServerPair pair;
    private RespClient ref;
    private RespClient cand;

    /** Every keyspace event Cinnabar emits, as "db event key". */
    private static final Queue<String> EVENTS = new ConcurrentLinkedQueue<>();

    @BeforeAll
    static void start() {
        pair = ServerPair.start(TestServer.builder().family(new ListsFamily()).family(new SortFamily())
                .dataType(new ListDataType()).listener((cls, event, key, db) -> {
                    if (cls != KeyspaceEvents.NEW && cls != KeyspaceEvents.KEY_MISS) {
                        EVENTS.add(db + " " + event + " " + new String(key, StandardCharsets.ISO_8859_1));
                    }
                }));
    }

    @AfterAll
    static void stop() {
        if (pair != null) {
            pair.close();
        }
    }

    @AfterEach
    void closeClients() {
        pair.closeClients();
    }

    private Differential diff(int db) {
        ref = pair.redisClient();
        cand = pair.cinnabarClient();
        Differential d = new Differential(ref, cand);
        d.run("SELECT " + db);
        return d;
    }

    /** A string key on both servers (the lists module has no string commands of its own). */
    private void string(int db, String key) {
        ref.call("SELECT", String.valueOf(db));
        ref.call("SET", key, "v");
        Loop.run(pair.cinnabar(), () -> pair.cinnabar().server().db(db)
                .set(key.getBytes(StandardCharsets.ISO_8859_1), "v".getBytes(StandardCharsets.ISO_8859_1)));
    }

    /** Switches both connections to RESP3 (HELLO's reply carries each server's own client id). */
    private void resp3(Differential d) {
        ref.call("HELLO", "3");
        cand.call("HELLO", "3");
        assertEquals("_\r\n", d.cmd("LPOP", "__resp3_probe__"), "Cinnabar connection is not in RESP3");
    }

    @Test
    void pushPopLengthAndRange() {
        Differential d = diff(1);
        d.run("LPUSH l a b c", "RPUSH l d e", "LLEN l", "LRANGE l 0 -1", "LRANGE l 1 2", "LRANGE l -2 -1",
                "LRANGE l -100 100", "LRANGE l 5 10", "LRANGE l 3 1", "LRANGE l -1 -2", "LRANGE nosuch 0 -1",
                "LRANGE l a 1", "LRANGE l 0 b", "LRANGE l 0 9223372036854775807", "LRANGE l -9223372036854775808 0",
                "LINDEX l 0", "LINDEX l -1", "LINDEX l 4", "LINDEX l 5", "LINDEX l -6", "LINDEX l x",
                "LINDEX nosuch x", "LINDEX nosuch 0", "LLEN nosuch", "LPUSHX nosuch a", "RPUSHX nosuch a",
                "EXISTS nosuch", "LPUSHX l x y", "RPUSHX l z", "LRANGE l 0 -1", "LPOP l", "RPOP l", "LPOP l 2",
                "RPOP l 2", "LRANGE l 0 -1", "LPOP l 0", "RPOP l 0", "LPOP l 100", "EXISTS l", "LPOP l",
                "LPOP l 0", "LPOP l 1", "RPOP l 3", "LPOP l -1", "LPOP l x", "LPOP l 1 2", "RPOP nosuch -1",
                "LPOP", "RPUSH l", "LPUSH", "LLEN", "LLEN a b", "LRANGE l 0", "LINDEX l");
        d.run("RPUSH n 1 -1 100 12345678901234567890 0 -0 01 +5", "LRANGE n 0 -1", "RPOP n 9", "TYPE n",
                "RPUSH m x", "LPOP m 1", "EXISTS m");
        d.cmd("RPUSH", "bin", "", "a b", "\r\n");
        d.run("LRANGE bin 0 -1", "LINDEX bin 0");
        d.assertSame();
    }

    @Test
    void popRepliesInResp3() {
        Differential d = diff(2);
        resp3(d);
        d.run("LPOP nosuch", "LPOP nosuch 1", "LPOP nosuch 0", "RPOP nosuch 2", "RPUSH l a b c", "LPOP l 0",
                "RPOP l 2", "LPOP l", "LPOP l", "LINDEX l 0", "LRANGE l 0 -1", "LMPOP 1 l LEFT", "LPOS l a",
                "LPOS l a COUNT 0", "LMOVE l m LEFT LEFT", "RPUSH l a", "LMPOP 2 x l RIGHT COUNT 5",
                "LPOS nosuch a", "LPOS nosuch a COUNT 1", "LINSERT nosuch BEFORE a b", "LSET nosuch 0 a");
        d.assertSame();
    }

    @Test
    void wrongTypeIsRejectedEverywhere() {
        Differential d = diff(3);
        string(3, "s");
        d.run("LPUSH s a", "RPUSH s a", "LPUSHX s a", "RPUSHX s a", "LPOP s", "LPOP s 0", "RPOP s 1", "LLEN s",
                "LRANGE s 0 -1", "LINDEX s 0", "LINDEX s x", "LSET s 0 a", "LINSERT s BEFORE a b", "LREM s 0 a",
                "LTRIM s 0 1", "LPOS s a", "LMOVE s l LEFT RIGHT", "RPUSH l a", "LMOVE l s LEFT RIGHT",
                "RPOPLPUSH l s", "RPOPLPUSH s l", "LMPOP 2 nosuch s LEFT", "LMPOP 2 l s LEFT", "LRANGE l 0 -1",
                "TYPE s");
        d.assertSame();
    }

    @Test
    void lsetAndLinsert() {
        Differential d = diff(4);
        d.run("LSET nosuch 0 a", "LSET nosuch x a", "RPUSH l a b c", "LSET l 0 x", "LSET l -1 z", "LSET l 3 q",
                "LSET l -4 q", "LSET l x q", "LRANGE l 0 -1", "LINSERT l BEFORE x 1", "LINSERT l AFTER z 2",
                "LINSERT l after b 3", "LINSERT l Before b 4", "LINSERT l BEFORE nope 5", "LINSERT l MIDDLE b 6",
                "LINSERT nosuch BEFORE a b", "LINSERT nosuch middle a b", "LRANGE l 0 -1", "LSET", "LINSERT l BEFORE b");
        d.assertSame();
    }

    @Test
    void lremAndLtrim() {
        Differential d = diff(5);
        d.run("RPUSH l a b a c a b a", "LREM l 2 a", "LRANGE l 0 -1", "LREM l -1 a", "LRANGE l 0 -1", "LREM l 0 b",
                "LRANGE l 0 -1", "LREM l 0 zz", "LREM l x a", "LREM nosuch 1 a", "LREM l 0 a", "LREM l 0 c", "EXISTS l",
                "RPUSH l a a a", "LREM l -9223372036854775808 a", "EXISTS l");
        d.run("RPUSH t 0 1 2 3 4 5 6 7 8 9", "LTRIM t 1 -2", "LRANGE t 0 -1", "LTRIM t -3 100", "LRANGE t 0 -1",
                "LTRIM t -100 1", "LRANGE t 0 -1", "LTRIM t 0 -1", "LTRIM t a 1", "LTRIM t 0 b", "LTRIM nosuch 0 1",
                "LTRIM t 5 1", "EXISTS t", "RPUSH t a b", "LTRIM t 2 3", "EXISTS t", "RPUSH t a b", "LTRIM t -1 -2",
                "EXISTS t");
        d.assertSame();
    }

    @Test
    void keyspaceCommandsSeeLists() {
        Differential d = diff(12);
        try {
            d.run("CONFIG SET list-max-listpack-size 3", "RPUSH l 1 2 3 4 5", "TYPE l", "COPY l c", "LRANGE c 0 -1",
                    "OBJECT ENCODING c", "RPUSH c x", "LPOP c 4", "LRANGE l 0 -1", "OBJECT ENCODING l",
                    "OBJECT ENCODING c", "RENAME l r", "LRANGE r 0 -1", "EXISTS l", "DEL r", "EXISTS r",
                    "RPUSH e 1", "EXPIRE e 100", "LPUSH e 2", "TTL e", "LPOP e", "TTL e", "LPOP e", "TTL e");
            d.assertSame();
        } finally {
            d.run("CONFIG SET list-max-listpack-size -2");
        }
    }

    @Test
    void lposOptions() {
        Differential d = diff(6);
        d.run("RPUSH l a b c a b c a", "LPOS l a", "LPOS l c", "LPOS l z", "LPOS l a RANK 2", "LPOS l a RANK -1",
                "LPOS l a RANK -3", "LPOS l a RANK 5", "LPOS l a RANK -5", "LPOS l a COUNT 0", "LPOS l a COUNT 2",
                "LPOS l a COUNT 0 RANK -1", "LPOS l a COUNT 2 RANK -2", "LPOS l a MAXLEN 1", "LPOS l a MAXLEN 3 COUNT 0",
                "LPOS l a RANK -1 MAXLEN 2", "LPOS l c MAXLEN 2", "LPOS l z COUNT 3", "LPOS l a RANK 0",
                "LPOS l a RANK x", "LPOS l a RANK -9223372036854775808", "LPOS l a RANK 9223372036854775807",
                "LPOS l a COUNT -1", "LPOS l a COUNT x", "LPOS l a MAXLEN -1", "LPOS l a MAXLEN x", "LPOS l a RANK",
                "LPOS l a FOO 1", "LPOS l a COUNT 1 COUNT 2", "LPOS nosuch a RANK 0", "LPOS nosuch a COUNT 2",
                "LPOS nosuch a", "LPOS l");
        d.assertSame();
    }

    @Test
    void lmoveAndRpoplpush() {
        Differential d = diff(7);
        d.run("RPUSH a 1 2 3", "LMOVE a b LEFT RIGHT", "LMOVE a b RIGHT LEFT", "LMOVE a b left left",
                "LMOVE a b right right", "LRANGE b 0 -1", "EXISTS a", "LMOVE a b LEFT RIGHT", "LMOVE b b LEFT RIGHT",
                "LRANGE b 0 -1", "LMOVE b b RIGHT LEFT", "LRANGE b 0 -1", "LMOVE b c UP LEFT", "LMOVE b c LEFT DOWN",
                "LMOVE nosuch c UP LEFT", "RPOPLPUSH b c", "RPOPLPUSH b c", "RPOPLPUSH b c", "RPOPLPUSH b c",
                "RPOPLPUSH b c", "LRANGE c 0 -1", "EXISTS b", "RPUSH one x", "LMOVE one one LEFT LEFT",
                "LRANGE one 0 -1", "RPOPLPUSH one one", "RPOPLPUSH nosuch c", "LMOVE a b LEFT");
        d.assertSame();
    }

    @Test
    void lmpopOptions() {
        Differential d = diff(8);
        d.run("RPUSH a 1 2 3", "RPUSH b x y", "LMPOP 2 nosuch a LEFT", "LMPOP 2 nosuch a RIGHT COUNT 10",
                "LMPOP 2 a b left count 1", "LMPOP 1 b RIGHT", "LMPOP 1 b RIGHT", "EXISTS a b", "LMPOP 0 a LEFT",
                "LMPOP -1 a LEFT", "LMPOP x a LEFT", "LMPOP 3 a b LEFT", "LMPOP 1 a MIDDLE", "LMPOP 1 a LEFT COUNT 0",
                "LMPOP 1 a LEFT COUNT -1", "LMPOP 1 a LEFT COUNT x", "LMPOP 1 a LEFT COUNT 1 COUNT 1",
                "LMPOP 1 a LEFT COUNT", "LMPOP 1 a LEFT FOO", "LMPOP 9223372036854775807 a LEFT", "LMPOP 1 a",
                "LMPOP 2 a LEFT");
        d.assertSame();
    }

    @Test
    void encodingFollowsListMaxListpackSize() {
        Differential d = diff(9);
        try {
            d.run("CONFIG SET list-max-listpack-size 4", "RPUSH l 1 2 3 4", "OBJECT ENCODING l", "RPUSH l 5",
                    "OBJECT ENCODING l", "RPOP l", "OBJECT ENCODING l", "RPOP l", "OBJECT ENCODING l", "RPOP l",
                    "OBJECT ENCODING l", "RPUSH l2 1 2 3 4 5", "OBJECT ENCODING l2", "LPOP l2 3", "OBJECT ENCODING l2",
                    "LPOP l2", "OBJECT ENCODING l2", "RPUSH q 1 2 3 4 5 6 7 8 9 10", "LPOP q 7", "OBJECT ENCODING q",
                    "RPUSH r 1 2 3 4 5 6 7 8 9 10", "LTRIM r 0 1", "OBJECT ENCODING r", "RPUSH s 1 2 3 4 5 6 7 8 9",
                    "LREM s 0 5", "OBJECT ENCODING s", "LREM s 0 6", "LREM s 0 7", "LREM s 0 8", "LREM s 0 9",
                    "LREM s 0 4", "OBJECT ENCODING s", "LREM s 0 3", "OBJECT ENCODING s");
            d.run("RPUSH i 1 2 3 4", "LINSERT i AFTER 2 x", "OBJECT ENCODING i", "LINSERT i BEFORE 1 y",
                    "LINSERT i AFTER 4 z", "LINSERT i BEFORE 3 w", "LRANGE i 0 -1", "LPOP i 6", "OBJECT ENCODING i",
                    "RPUSH st 1 2 3", "LSET st 9 x", "LSET st 0 x", "OBJECT ENCODING st");
            d.run("CONFIG SET list-max-listpack-size -1", "RPUSH b a", "OBJECT ENCODING b");
            String big = "x".repeat(2500);
            d.cmd("RPUSH", "b", big);
            d.run("OBJECT ENCODING b");
            d.cmd("RPUSH", "b", big);
            d.run("OBJECT ENCODING b", "RPOP b", "OBJECT ENCODING b", "RPOP b", "OBJECT ENCODING b");
            d.cmd("RPUSH", "huge", "x".repeat(5000));
            d.run("OBJECT ENCODING huge", "RPUSH huge y", "LPOP huge", "OBJECT ENCODING huge");
            d.run("CONFIG SET list-max-listpack-size -2", "RPUSH m a", "OBJECT ENCODING m");
            d.cmd("LSET", "m", "0", "y".repeat(9000));
            d.run("OBJECT ENCODING m");
            d.cmd("LSET", "m", "0", "z");
            d.run("OBJECT ENCODING m");
            d.cmd("LINSERT", "m", "BEFORE", "nope", "y".repeat(9000));
            d.run("OBJECT ENCODING m", "CONFIG SET list-max-listpack-size 0", "RPUSH z 1", "OBJECT ENCODING z",
                    "RPUSH z 2", "OBJECT ENCODING z", "RPOP z", "OBJECT ENCODING z");
            d.assertSame();
        } finally {
            d.run("CONFIG SET list-max-listpack-size -2");
        }
    }

    @Test
    void randomScriptsMatchIncludingEncoding() {
        randomScripts(diff(10), new Random(7), 600, 900, "3", "5", "-1");
    }

    /** Values around a node's size, so that inserts split quicklist nodes and merge them again. */
    @Test
    void randomScriptsWithLargeValuesMatchIncludingEncoding() {
        Differential d = diff(11);
        for (int seed = 20; seed < 24; seed++) {
            randomScripts(d, new Random(seed), 400, 12000, "-1", "-2", "1", "2", "0", "100");
        }
    }

    /** Long lists of many nodes under the default fill: inserts split nodes, trims and pops bring them back. */
    @Test
    void longListsConvertBackWhenRedisDoes() {
        Differential d = diff(13);
        Random rnd = new Random(5);
        for (int round = 0; round < 40; round++) {
            String[] push = new String[2 + 100];
            push[0] = rnd.nextBoolean() ? "RPUSH" : "LPUSH";
            push[1] = "big";
            for (int i = 2; i < push.length; i++) {
                push[i] = rnd.nextInt(3) == 0 ? "e".repeat(rnd.nextInt(60)) : String.valueOf(rnd.nextInt(1000) - 500);
            }
            d.cmd(push);
            for (int i = 0; i < 20; i++) {
                String[] c = switch (rnd.nextInt(6)) {
                    case 0 -> new String[] {"LINSERT", "big", rnd.nextBoolean() ? "BEFORE" : "AFTER",
                        String.valueOf(rnd.nextInt(1000) - 500), "x".repeat(rnd.nextInt(200))};
                    case 1 -> new String[] {"LREM", "big", String.valueOf(rnd.nextInt(7) - 3),
                        String.valueOf(rnd.nextInt(1000) - 500)};
                    case 2 -> new String[] {"LSET", "big", String.valueOf(rnd.nextInt(2000) - 1000), "y".repeat(rnd.nextInt(300))};
                    case 3 -> new String[] {"LPOP", "big", String.valueOf(rnd.nextInt(150))};
                    case 4 -> new String[] {"RPOP", "big", String.valueOf(rnd.nextInt(150))};
                    default -> new String[] {"LTRIM", "big", String.valueOf(rnd.nextInt(50)), String.valueOf(-1 - rnd.nextInt(50))};
                };
                d.cmd(c);
                d.cmd("OBJECT", "ENCODING", "big");
                d.cmd("LLEN", "big");
            }
            d.cmd("LRANGE", "big", "0", "-1");
        }
        d.assertSame();
    }

    /**
     * Range deletes over lists of a few hundred packed nodes, under a size fill, the other size fill and a count
     * fill: LTRIM keeping the middle, LREM emptying whole runs of nodes from the head, the tail and all over,
     * LPOP/RPOP with big counts; the replies, the encoding and the DUMP payload (node by node) as Redis's.
     */
    @Test
    void ltrimAndLremOverManyNodesMatch() {
        Differential d = diff(5);
        Random rnd = new Random(17);
        String target = "target:" + "t".repeat(100);
        try {
            for (String fill : new String[] {"-2", "-1", "100"}) {
                d.run("CONFIG SET list-max-listpack-size " + fill, "DEL many");
                for (int batch = 0; batch < 40; batch++) {
                    String[] push = new String[2 + 500];
                    push[0] = "RPUSH";
                    push[1] = "many";
                    for (int i = 2; i < push.length; i++) {
                        push[i] = batch % 4 == 1 || rnd.nextInt(10) == 0 ? target : rnd.nextInt(3) == 0
                                ? String.valueOf(rnd.nextInt(100000) - 50000) : "e" + "x".repeat(rnd.nextInt(300));
                    }
                    d.cmd(push);
                }
                sameDump(d, "many", fill + " pushed");
                d.cmd("LTRIM", "many", String.valueOf(1000 + rnd.nextInt(1000)), String.valueOf(-1001 - rnd.nextInt(1000)));
                d.run("LLEN many", "OBJECT ENCODING many", "LRANGE many 0 99", "LRANGE many -100 -1", "LINDEX many 7000");
                sameDump(d, "many", fill + " trimmed");
                d.run("LREM many 2000 " + target, "LLEN many");
                sameDump(d, "many", fill + " LREM from the head");
                d.run("LREM many -1500 " + target, "LLEN many");
                sameDump(d, "many", fill + " LREM from the tail");
                d.run("LREM many 0 " + target, "LLEN many", "LPOS many " + target);
                sameDump(d, "many", fill + " LREM all");
                d.run("LPOP many 1234", "RPOP many 2345", "LLEN many", "OBJECT ENCODING many");
                sameDump(d, "many", fill + " popped");
                d.run("LTRIM many 100 -101", "LTRIM many 2 30", "OBJECT ENCODING many", "LRANGE many 0 -1");
                sameDump(d, "many", fill + " trimmed small");
            }
            d.assertSame();
        } finally {
            d.run("CONFIG SET list-max-listpack-size -2");
        }
    }

    /** DUMP of {@code key} on both servers, byte for byte (compared apart: a payload is too big to print). */
    private static void sameDump(Differential d, String key, String when) {
        String want = d.reference().call("DUMP", key);
        String got = d.candidate().call("DUMP", key);
        assertTrue(want.length() > 100, "no DUMP payload " + when);
        assertTrue(want.equals(got), "DUMP differs " + when + ": redis " + want.length() + " chars, cinnabar "
                + got.length());
    }

    private static void randomScripts(Differential d, Random rnd, int steps, int maxValue, String... fills) {
        try {
            for (String fill : fills) {
                d.run("CONFIG SET list-max-listpack-size " + fill, "DEL k j");
                for (int i = 0; i < steps; i++) {
                    String key = rnd.nextInt(4) == 0 ? "j" : "k";
                    String[] c = randomCommand(rnd, key, key.equals("k") ? "j" : "k", maxValue);
                    d.cmd(c);
                    d.cmd("OBJECT", "ENCODING", key);
                    d.cmd("LRANGE", key, "0", "-1");
                }
            }
            d.assertSame();
        } finally {
            d.run("CONFIG SET list-max-listpack-size -2");
        }
    }

    private static String[] randomCommand(Random rnd, String key, String other, int maxValue) {
        String v = rnd.nextInt(10) == 0 ? "v".repeat(rnd.nextInt(maxValue)) : String.valueOf(rnd.nextInt(8));
        return switch (rnd.nextInt(14)) {
            case 0 -> new String[] {"LPUSH", key, v, String.valueOf(rnd.nextInt(100))};
            case 1 -> new String[] {"RPUSH", key, v};
            case 2 -> new String[] {"LPOP", key};
            case 3 -> new String[] {"RPOP", key, String.valueOf(rnd.nextInt(3))};
            case 4 -> new String[] {"LINSERT", key, rnd.nextBoolean() ? "BEFORE" : "AFTER",
                String.valueOf(rnd.nextInt(8)), v};
            case 5 -> new String[] {"LREM", key, String.valueOf(rnd.nextInt(5) - 2), String.valueOf(rnd.nextInt(8))};
            case 6 -> new String[] {"LTRIM", key, String.valueOf(rnd.nextInt(4)), String.valueOf(-1 - rnd.nextInt(3))};
            case 7 -> new String[] {"LSET", key, String.valueOf(rnd.nextInt(10) - 5), v};
            case 8 -> new String[] {"LMOVE", key, other, rnd.nextBoolean() ? "LEFT" : "RIGHT",
                rnd.nextBoolean() ? "LEFT" : "RIGHT"};
            case 9 -> new String[] {"LPOS", key, String.valueOf(rnd.nextInt(8)), "RANK",
                String.valueOf(rnd.nextBoolean() ? 1 : -2), "COUNT", String.valueOf(rnd.nextInt(3))};
            case 10 -> new String[] {"LMPOP", "2", key, other, "RIGHT", "COUNT", String.valueOf(1 + rnd.nextInt(3))};
            case 11 -> new String[] {"RPUSH", key, "1", "2", "3", "4", "5", "6"};
            default -> new String[] {"LINDEX", key, String.valueOf(rnd.nextInt(10) - 5)};
        };
    }

    @Test
    void keyspaceEventsMatchRedis() {
        Differential d = diff(0);
        try (RespClient sub = pair.redisClient()) {
            ref.call("CONFIG", "SET", "notify-keyspace-events", "KEA");
            sub.call("PSUBSCRIBE", "__keyevent@0__:*");
            EVENTS.clear();
            d.run("RPUSH a 1 2 3", "LPUSH a 0", "LPUSHX a x", "RPUSHX a y", "LPUSHX none x", "LPOP a", "RPOP a 2",
                    "LPOP a 0", "LSET a 0 z", "LSET a 10 z", "LINSERT a BEFORE z q", "LINSERT a BEFORE nope q",
                    "LREM a 0 nope", "LREM a 1 q", "LTRIM a 0 -1", "LMOVE a b LEFT RIGHT", "RPOPLPUSH b b",
                    "LMOVE a b RIGHT LEFT", "LMPOP 2 a b LEFT COUNT 5", "RPUSH c 1 2", "LTRIM c 5 6", "RPUSH c 1 1",
                    "LREM c 0 1", "RPUSH d 1", "RPOP d", "RPUSH e 1", "LMOVE e e LEFT RIGHT", "LRANGE e 0 -1",
                    "LLEN e", "LPOS e 1", "LINDEX e 0");
            ref.call("SET", "__end__", "x");
            List<String> want = new ArrayList<>();
            while (true) {
                String[] lines = sub.readReply().split("\r\n");
                String key = lines[8];
                if (key.equals("__end__")) {
                    break;
                }
                want.add("0 " + lines[6].substring("__keyevent@0__:".length()) + " " + key);
            }
            List<String> got = EVENTS.stream().filter(e -> e.startsWith("0 ")).toList();
            assertTrue(want.size() > 20, "reference events: " + want);
            assertEquals(want, got);
        } finally {
            ref.call("CONFIG", "SET", "notify-keyspace-events", "");
        }
        d.assertSame();
    }

    /**
     * The RDB form is Redis's: with rdbcompression off, the reference's DUMP payload (type byte, object,
     * 2-byte version, 8-byte CRC) holds exactly what ListDataType writes; reading it back gives the same list.
     */
    @Test
    void rdbFormIsRedisDumpPayload() throws Exception {
        Differential d = diff(14);
        ref.call("CONFIG", "SET", "rdbcompression", "no");
        try {
            Random rnd = new Random(3);
            d.run("CONFIG SET list-max-listpack-size 5");
            for (int round = 0; round < 30; round++) {
                String key = "l" + round;
                int n = 1 + rnd.nextInt(round < 10 ? 6 : 40);
                for (int i = 0; i < n; i++) {
                    String v = switch (rnd.nextInt(5)) {
                        case 0 -> String.valueOf(rnd.nextLong());
                        case 1 -> String.valueOf(rnd.nextInt(20000000) - 10000000);
                        case 2 -> String.valueOf(rnd.nextInt(10000) - 5000);
                        case 3 -> "s".repeat(rnd.nextInt(5000));
                        default -> String.valueOf(rnd.nextInt(200));
                    };
                    d.cmd(rnd.nextBoolean() ? "RPUSH" : "LPUSH", key, v);
                }
                if (round % 3 == 0) {
                    d.cmd("LINSERT", key, "AFTER", "1", "z");
                    d.cmd("LPOP", key);
                }
                d.cmd("OBJECT", "ENCODING", key);
                String dump = ref.call("DUMP", key);
                byte[] raw = dump.substring(dump.indexOf("\r\n") + 2, dump.length() - 2)
                        .getBytes(StandardCharsets.ISO_8859_1);
                byte[] want = java.util.Arrays.copyOfRange(raw, 1, raw.length - 10);
                ListValue ours = Loop.call(pair.cinnabar(), () -> (ListValue) pair.cinnabar().server().db(14)
                        .peek(key.getBytes(StandardCharsets.ISO_8859_1)));
                java.io.ByteArrayOutputStream bo = new java.io.ByteArrayOutputStream();
                new ListDataType().write(ours, new java.io.DataOutputStream(bo));
                assertEquals(java.util.HexFormat.of().formatHex(want), java.util.HexFormat.of().formatHex(bo.toByteArray()),
                        key + " " + ours);
                ListValue back = (ListValue) new ListDataType().read(io.cinnabar.api.rdb.RdbType.LIST_QUICKLIST_2,
                        new java.io.DataInputStream(new java.io.ByteArrayInputStream(want)));
                assertEquals(ours.size(), back.size());
                for (int i = 0; i < ours.size(); i++) {
                    assertEquals(new String(ours.get(i), StandardCharsets.ISO_8859_1),
                            new String(back.get(i), StandardCharsets.ISO_8859_1), key + " element " + i);
                }
            }
            d.assertSame();
        } finally {
            ref.call("CONFIG", "SET", "rdbcompression", "yes");
            d.run("CONFIG SET list-max-listpack-size -2");
        }
    }

    /** An element for {@link #longListWithEditsEverywhereMatches}: every length-field size, integers, duplicates. */
    private static String element(Random rnd) {
        return switch (rnd.nextInt(16)) {
            case 0 -> String.valueOf(rnd.nextLong());
            case 1 -> "s".repeat(200 + rnd.nextInt(3000));
            case 2 -> rnd.nextInt(8) == 0 ? "L".repeat(8100 + rnd.nextInt(12000)) : "m".repeat(127 + rnd.nextInt(3));
            case 3, 4, 5 -> "e".repeat(rnd.nextInt(100));
            case 6, 7, 8 -> "val:" + String.format("%012d", rnd.nextInt(1000));
            default -> String.valueOf(rnd.nextInt(20));
        };
    }

    /**
     * A long list spread over many packed storage nodes (elements of every size, some bigger than a node) under
     * the default fill: edits in the middle and at both ends, reads by index, range, scan and SORT, and the RDB
     * form (Redis's DUMP payload), all as Redis.
     */
    @Test
    void longListWithEditsEverywhereMatches() throws Exception {
        Differential d = diff(12);
        ref.call("CONFIG", "SET", "rdbcompression", "no");
        try {
            Random rnd = new Random(11);
            for (int round = 0; round < 10; round++) {
                String[] push = new String[2 + 400];
                push[0] = rnd.nextBoolean() ? "RPUSH" : "LPUSH";
                push[1] = "long";
                for (int i = 2; i < push.length; i++) {
                    push[i] = element(rnd);
                }
                d.cmd(push);
                for (int i = 0; i < 80; i++) {
                    int len = Integer.parseInt(cand.call("LLEN", "long").substring(1).trim());
                    String index = String.valueOf(rnd.nextInt(2 * len + 2) - len - 1);
                    String[] c = switch (rnd.nextInt(13)) {
                        case 0, 1 -> new String[] {"LINSERT", "long", rnd.nextBoolean() ? "BEFORE" : "AFTER",
                            String.valueOf(rnd.nextInt(20)), element(rnd)};
                        case 2, 3 -> new String[] {"LSET", "long", index, element(rnd)};
                        case 4 -> new String[] {"LREM", "long", String.valueOf(rnd.nextInt(7) - 3),
                            String.valueOf(rnd.nextInt(20))};
                        case 5 -> new String[] {"LINDEX", "long", index};
                        case 6 -> new String[] {"LRANGE", "long", index, String.valueOf(rnd.nextInt(len + 1))};
                        case 7 -> new String[] {"LPOS", "long", String.valueOf(rnd.nextInt(20)), "RANK",
                            String.valueOf(rnd.nextBoolean() ? 1 + rnd.nextInt(3) : -1 - rnd.nextInt(3)), "COUNT",
                            String.valueOf(rnd.nextInt(4)), "MAXLEN", String.valueOf(rnd.nextInt(len + 1))};
                        case 8 -> new String[] {rnd.nextBoolean() ? "LPOP" : "RPOP", "long",
                            String.valueOf(rnd.nextInt(40))};
                        case 9 -> new String[] {"LMOVE", "long", "long", rnd.nextBoolean() ? "LEFT" : "RIGHT",
                            rnd.nextBoolean() ? "LEFT" : "RIGHT"};
                        case 10 -> new String[] {"LTRIM", "long", String.valueOf(rnd.nextInt(6)),
                            String.valueOf(-1 - rnd.nextInt(6))};
                        case 11 -> new String[] {"LPUSH", "long", element(rnd), element(rnd)};
                        default -> new String[] {"RPUSH", "long", element(rnd)};
                    };
                    d.cmd(c);
                    d.cmd("OBJECT", "ENCODING", "long");
                }
                d.cmd("LRANGE", "long", "0", "-1");
                d.cmd("LRANGE", "long", "-250", "-3");
                d.cmd("SORT", "long", "BY", "nosort", "LIMIT", "10", "300");
                d.cmd("SORT", "long", "BY", "nosort", "DESC", "LIMIT", "5", "200");
                d.cmd("SORT", "long", "ALPHA", "LIMIT", "0", "50");
                String dump = ref.call("DUMP", "long");
                byte[] raw = dump.substring(dump.indexOf("\r\n") + 2, dump.length() - 2)
                        .getBytes(StandardCharsets.ISO_8859_1);
                byte[] want = java.util.Arrays.copyOfRange(raw, 1, raw.length - 10);
                ListValue ours = Loop.call(pair.cinnabar(), () -> (ListValue) pair.cinnabar().server().db(12)
                        .peek("long".getBytes(StandardCharsets.ISO_8859_1)));
                java.io.ByteArrayOutputStream bo = new java.io.ByteArrayOutputStream();
                new ListDataType().write(ours, new java.io.DataOutputStream(bo));
                assertTrue(java.util.Arrays.equals(want, bo.toByteArray()), "RDB form differs in round " + round);
                assertEquals(ours.size(), ((ListValue) ours.copy()).size());
            }
            d.assertSame();
        } finally {
            ref.call("CONFIG", "SET", "rdbcompression", "yes");
        }
    }

    /** A compressed DUMP payload (rdbcompression yes) reads back too: LZF strings are decompressed. */
    @Test
    void rdbReadAcceptsLzfStrings() throws Exception {
        Differential d = diff(15);
        d.run("RPUSH c " + "abcabcabcabcabcabcabcabcabcabc ".repeat(3).trim().replace(' ', 'x') + " 1 2 -7 hello");
        String dump = ref.call("DUMP", "c");
        byte[] raw = dump.substring(dump.indexOf("\r\n") + 2, dump.length() - 2).getBytes(StandardCharsets.ISO_8859_1);
        ListValue back = (ListValue) new ListDataType().read(io.cinnabar.api.rdb.RdbType.LIST_QUICKLIST_2,
                new java.io.DataInputStream(new java.io.ByteArrayInputStream(raw, 1, raw.length - 11)));
        assertEquals(5, back.size());
        assertEquals("-7", new String(back.get(3), StandardCharsets.ISO_8859_1));
        assertEquals("listpack", back.encoding());
        d.assertSame();
    }

    @Test
    void specsMatchReferenceCommandInfo() {
        CommandInfoConformance.assertConforms(pair.cinnabar(), CommandInfoConformance.namesOf(new ListsFamily()));
    }

    @Test
    void docsMatchReferenceCommandDocs() {
        Differential d = diff(0);
        for (String name : CommandInfoConformance.namesOf(new ListsFamily())) {
            assertEquals(CommandInfoConformance.docsWithoutArguments(Resp.parse(ref.call("COMMAND", "DOCS", name))),
                    CommandInfoConformance.docsWithoutArguments(Resp.parse(cand.call("COMMAND", "DOCS", name))), name);
        }
        d.assertSame();
    }

    @Test
    void everyCommandIsExercised() {
        SpecCoverage.assertCovered(SpecCoverage.commandWords(new ListsFamily()), Path.of("src/test/java"));
    }
}
