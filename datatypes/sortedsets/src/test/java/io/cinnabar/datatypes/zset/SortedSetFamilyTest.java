package io.cinnabar.datatypes.zset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cinnabar.api.KeyspaceEvents;
import io.cinnabar.testkit.CommandInfoConformance;
import io.cinnabar.testkit.Differential;
import io.cinnabar.testkit.Resp;
import io.cinnabar.testkit.RespClient;
import io.cinnabar.testkit.ServerPair;
import io.cinnabar.testkit.SpecCoverage;
import io.cinnabar.testkit.StandInValue;
import io.cinnabar.testkit.TestServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The sorted set commands against the reference redis-server, byte for byte, in both encodings (small sets
 * are listpacks, sets built with {@link #bigZadd} are skiplists). Each test works in its own database.
 */
class SortedSetFamilyTest {
    private static ServerPair pair;
    private RespClient ref;
    private RespClient cand;

    /** Every zset/generic keyspace event Cinnabar emits, as "db event key". */
    private static final Queue<String> EVENTS = new ConcurrentLinkedQueue<>();

    @BeforeAll
    static void start() {
        pair = ServerPair.start(TestServer.builder().family(new SortedSetFamily())
                .listener((cls, event, key, db) -> {
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
        d.run("SELECT " + db, "FLUSHDB");
        return d;
    }

    /** A list at {@code key} on both servers (a stand-in on Cinnabar, which has no list plugin here). */
    private void listKey(Differential d, String key) {
        ref.call("RPUSH", key, "v");
        RespClient c = cand;
        int db = Integer.parseInt(c.call("CLIENT", "INFO").replaceAll("(?s).* db=(\\d+) .*", "$1"));
        StandInValue.LIST.put(pair.cinnabar(), db, key);
    }

    /** HELLO 3 on both (the replies carry connection ids, so they are not compared). */
    private void resp3(Differential d) {
        ref.call("HELLO", "3");
        cand.call("HELLO", "3");
        assertEquals("_\r\n", d.cmd("ZSCORE", "__resp3_probe__", "m"), "Cinnabar connection is not in RESP3");
    }

    /** ZADD of n members m0..m(n-1) with scores i * step (sorted-set big enough to be a skiplist). */
    private static String[] bigZadd(String key, int n, double step) {
        List<String> a = new ArrayList<>(List.of("ZADD", key));
        for (int i = 0; i < n; i++) {
            a.add(Double.toString(i * step));
            a.add("m" + i);
        }
        return a.toArray(new String[0]);
    }

    /** Runs the script on a small (listpack) set and on a big (skiplist) set with the same first members. */
    private void bothEncodings(Differential d, String setup, String... script) {
        d.run(setup);
        d.run(script);
        d.run("DEL z");
        d.cmd(bigZadd("z", 200, 1000));
        d.run(setup);
        d.run("OBJECT ENCODING z");
        d.run(script);
    }

    @Test
    void zaddOptionsAndErrors() {
        Differential d = diff(1);
        d.run("ZADD z 1 a 2 b 3 c", "ZADD z 1 a", "ZADD z CH 5 a 6 b 3 c", "ZRANGE z 0 -1 WITHSCORES",
                "ZADD z NX 10 a 1 d", "ZADD z XX 10 a 1 e", "ZSCORE z a", "ZSCORE z e", "ZADD z XX CH 11 a 12 e",
                "ZADD z GT 5 a", "ZADD z GT CH 20 a", "ZADD z LT CH 30 a", "ZADD z LT CH 2 a", "ZSCORE z a",
                "ZADD z GT 100 newgt", "ZADD z LT 100 newlt", "ZADD z INCR 5 a", "ZADD z INCR NX 5 a",
                "ZADD z INCR XX 5 nosuch", "ZADD z INCR GT -1 a", "ZADD z INCR LT -1 a", "ZADD z INCR 1 fresh",
                "ZADD z XX NX 1 a", "ZADD z NX GT 1 a", "ZADD z LT GT 1 a", "ZADD z LT NX 1 a",
                "ZADD z INCR 1 a 2 b", "ZADD z 1", "ZADD z 1 a 2", "ZADD z NX", "ZADD z abc a", "ZADD z 1 a x b",
                "ZADD z nan a", "ZADD z inf a", "ZADD z -inf b", "ZADD z +inf c", "ZRANGE z 0 -1 WITHSCORES",
                "ZADD z INCR -inf a", "ZADD z INCR +inf b", "ZSCORE z a", "ZADD z 1.5e300 x 0x10 y 1e-5 w",
                "ZADD z 1e400 a", "ZADD z -0 neg0", "ZSCORE z neg0", "ZADD z 0.1 p 3.0000000000000004 q",
                "ZMSCORE z x y w p q", "ZADD nokey XX 1 a", "EXISTS nokey", "ZADD nokey XX INCR 1 a", "EXISTS nokey",
                "ZADD z ch nx Xx 1 a", "ZADD z Incr 2 a", "ZADD z 1 a 1 a 2 a", "ZSCORE z a", "ZCARD z");
        listKey(d, "str");
        d.run("ZADD str 1 a", "ZADD str abc a", "ZADD str XX NX 1 a", "ZINCRBY str 1 a");
        d.assertSame();
    }

    @Test
    void zincrbyIsZaddIncr() {
        Differential d = diff(2);
        d.run("ZINCRBY z 1 a", "ZINCRBY z 2.5 a", "ZINCRBY z -10 a", "ZINCRBY z abc a", "ZINCRBY z inf a",
                "ZINCRBY z -inf a", "ZSCORE z a", "ZINCRBY z nx a", "ZINCRBY z ch 5", "ZINCRBY z 1", "ZINCRBY z 1 a b",
                "ZINCRBY z 1e308 big", "ZINCRBY z 1e308 big", "ZSCORE z big", "ZINCRBY z 0.1 f", "ZINCRBY z 0.2 f");
        d.assertSame();
    }

    @Test
    void encodingFollowsListpackLimits() {
        Differential d = diff(3);
        d.cmd(bigZadd("big", 128, 1));
        d.run("OBJECT ENCODING big", "ZADD big 500 extra", "OBJECT ENCODING big", "ZREM big extra m1 m2",
                "OBJECT ENCODING big", "ZCARD big");
        d.cmd(bigZadd("b129", 129, 1));
        d.run("OBJECT ENCODING b129");
        d.cmd("ZADD", "long", "1", "x".repeat(64));
        d.run("OBJECT ENCODING long");
        d.cmd("ZADD", "long", "1", "y".repeat(65));
        d.run("OBJECT ENCODING long");
        d.cmd("ZADD", "long2", "1", "y".repeat(65));
        d.run("OBJECT ENCODING long2");
        d.run("ZADD small 1 a", "OBJECT ENCODING small");
        List<String> dup = new ArrayList<>(List.of("ZADD", "small"));
        for (int i = 0; i < 129; i++) {
            dup.add("1");
            dup.add("a");
        }
        d.cmd(dup.toArray(new String[0]));
        d.run("OBJECT ENCODING small");
        d.assertSame();
    }

    @Test
    void zremZcardAndEmptyKeyRemoval() {
        Differential d = diff(4);
        bothEncodings(d, "ZADD z 1 a 2 b 3 c", "ZREM z a x", "ZCARD z", "ZREM z b b", "ZREM z nosuch",
                "ZREM nokey a", "ZCARD nokey", "ZREM z", "ZCARD", "ZCARD z");
        d.run("ZADD e 1 a 2 b", "ZREM e a b c", "EXISTS e", "ZCARD e");
        listKey(d, "s");
        d.run("ZREM s a", "ZCARD s");
        d.assertSame();
    }

    @Test
    void scoresAndRanks() {
        Differential d = diff(5);
        bothEncodings(d, "ZADD z 1 a 2 b 2 c 3 d -1.5 e",
                "ZSCORE z a", "ZSCORE z nosuch", "ZSCORE nokey a", "ZMSCORE z a nosuch e", "ZMSCORE nokey a b",
                "ZMSCORE z", "ZRANK z a", "ZRANK z e", "ZRANK z c", "ZRANK z d WITHSCORE", "ZRANK z nosuch",
                "ZRANK z nosuch WITHSCORE", "ZRANK nokey a WITHSCORE", "ZRANK nokey a", "ZREVRANK z a",
                "ZREVRANK z d withscore", "ZREVRANK z nosuch withscore", "ZRANK z a WITHSCORES", "ZRANK z a foo",
                "ZRANK z a WITHSCORE extra", "ZREVRANK z a b c", "ZRANK z", "ZRANK z m150 WITHSCORE",
                "ZREVRANK z m0 WITHSCORE");
        listKey(d, "s");
        d.run("ZSCORE s a", "ZMSCORE s a", "ZRANK s a", "ZRANK s a WITHSCORE", "ZRANK s a foo");
        resp3(d);
        bothEncodings(d, "ZADD z 1 a 2 b", "ZSCORE z a", "ZSCORE z x", "ZMSCORE z a x", "ZRANK z a WITHSCORE",
                "ZRANK z x WITHSCORE", "ZRANK z x", "ZREVRANK z b WITHSCORE", "ZINCRBY z 1 a", "ZADD z INCR 1 a",
                "ZADD z INCR NX 1 a");
        d.assertSame();
    }

    @Test
    void zcountAndZlexcountRanges() {
        Differential d = diff(6);
        bothEncodings(d, "ZADD z 1 a 2 b 3 c 4 d 5 e",
                "ZCOUNT z -inf +inf", "ZCOUNT z 2 4", "ZCOUNT z (2 4", "ZCOUNT z (2 (4", "ZCOUNT z 4 2",
                "ZCOUNT z (3 3", "ZCOUNT z 3 3", "ZCOUNT z -inf (3", "ZCOUNT z 1e400 inf", "ZCOUNT z -1e400 1",
                "ZCOUNT z abc 1", "ZCOUNT z 1 abc", "ZCOUNT z nan 1", "ZCOUNT z (nan 1", "ZCOUNT z ( 1",
                "ZCOUNT z ((1 2", "ZCOUNT z 1x 2", "ZCOUNT z 0x2 4", "ZCOUNT z -0 +5",
                "ZCOUNT z -INF +Inf", "ZCOUNT z (-inf (inf", "ZCOUNT z -infinity +INFINITY", "ZCOUNT z (inf +inf",
                "ZCOUNT z -inf (-inf", "ZCOUNT z infx 1", "ZCOUNT z -in 1", "ZCOUNT z ++inf 1", "ZCOUNT z 2 (2",
                "ZCOUNT z 007 (0010", "ZCOUNT z - 3", "ZCOUNT z + 3", "ZCOUNT z 1234567890123456 +", "ZCOUNT z .5 2.",
                "ZCOUNT z -INF +Infinity",
                "ZCOUNT nokey 1 2", "ZCOUNT nokey a b");
        d.cmd("ZCOUNT", "z", "", "2");
        d.cmd("ZCOUNT", "z", " 2", "4");
        d.cmd("ZCOUNT", "z", "2 ", "4");
        d.run("DEL z");
        bothEncodings(d, "ZADD z 0 a 0 b 0 c 0 d 0 e 0 ff",
                "ZLEXCOUNT z - +", "ZLEXCOUNT z [b [d", "ZLEXCOUNT z (b [d", "ZLEXCOUNT z (b (d", "ZLEXCOUNT z [d [b",
                "ZLEXCOUNT z + -", "ZLEXCOUNT z - [c", "ZLEXCOUNT z (c +", "ZLEXCOUNT z [f +", "ZLEXCOUNT z [ +",
                "ZLEXCOUNT z ( (", "ZLEXCOUNT z b d", "ZLEXCOUNT z -a +", "ZLEXCOUNT z - ++", "ZLEXCOUNT z [c (c",
                "ZLEXCOUNT nokey - +", "ZLEXCOUNT nokey a b");
        d.cmd("ZLEXCOUNT", "z", "", "+");
        listKey(d, "s");
        d.run("ZCOUNT s 1 2", "ZCOUNT s a b", "ZLEXCOUNT s - +", "ZLEXCOUNT s a b");
        d.assertSame();
    }

    @Test
    void writesEmitKeyspaceEvents() {
        Differential d = diff(7);
        EVENTS.clear();
        d.run("ZADD z 1 a 2 b", "ZADD z 1 a", "ZADD z 5 a", "ZINCRBY z 1 a", "ZADD z INCR NX 1 a", "ZREM z x",
                "ZREM z a", "ZREM z b");
        assertEquals(List.of("7 zadd z", "7 zadd z", "7 zincr z", "7 zrem z", "7 zrem z", "7 del z"),
                new ArrayList<>(EVENTS));
        d.assertSame();
    }

    @Test
    void zrangeByRankScoreAndLex() {
        Differential d = diff(9);
        String[] script = {"ZRANGE z 0 -1", "ZRANGE z 0 -1 WITHSCORES", "ZRANGE z 1 2 withscores", "ZRANGE z -2 -1",
            "ZRANGE z -100 100", "ZRANGE z 3 1", "ZRANGE z 100 200", "ZRANGE z 0 0 REV WITHSCORES", "ZRANGE z 0 -1 REV",
            "ZRANGE z (1 3 BYSCORE", "ZRANGE z 1 (3 BYSCORE WITHSCORES", "ZRANGE z -inf +inf BYSCORE LIMIT 1 2",
            "ZRANGE z -inf +inf BYSCORE LIMIT 1 -1", "ZRANGE z -inf +inf BYSCORE LIMIT -1 2",
            "ZRANGE z -inf +inf BYSCORE LIMIT 0 0", "ZRANGE z -inf +inf BYSCORE LIMIT 100 1",
            "ZRANGE z +inf -inf BYSCORE REV LIMIT 1 2 WITHSCORES", "ZRANGE z 3 1 BYSCORE REV",
            "ZRANGE z 1 3 BYSCORE REV", "ZRANGE z 0 -1 LIMIT 0 1",
            "ZRANGE z 0 -1 LIMIT 0 -1", "ZRANGE z - + BYLEX WITHSCORES", "ZRANGE z 0 -1 BYSCORE BYLEX",
            "ZRANGE z 0 -1 REV REV", "ZRANGE z 0 -1 LIMIT 0", "ZRANGE z 0 -1 foo", "ZRANGE z a b", "ZRANGE z 0 1.5",
            "ZRANGE z a b BYSCORE", "ZRANGE z a b BYLEX", "ZRANGE z 0 -1 BYSCORE LIMIT x 1", "ZRANGE nokey 0 -1",
            "ZRANGE nokey a b BYLEX", "ZRANGE nokey 0 -1 BYSCORE WITHSCORES", "ZRANGE z 0",
            "ZREVRANGE z 0 -1", "ZREVRANGE z 0 1 WITHSCORES", "ZREVRANGE z 0 -1 REV", "ZREVRANGE z 0 -1 BYSCORE",
            "ZREVRANGE z 0 -1 LIMIT 0 1", "ZRANGEBYSCORE z -inf +inf", "ZRANGEBYSCORE z (1 3 WITHSCORES LIMIT 1 1",
            "ZRANGEBYSCORE z 1 3 REV", "ZRANGEBYSCORE z 1 3 BYSCORE", "ZRANGEBYSCORE z x 3",
            "ZREVRANGEBYSCORE z +inf -inf",
            "ZREVRANGEBYSCORE z 3 (1 WITHSCORES", "ZREVRANGEBYSCORE z +inf -inf LIMIT 1 2",
            "ZRANGEBYLEX z - + WITHSCORES", "ZRANGEBYLEX z b +",
            "ZREVRANGEBYLEX z - +"};
        bothEncodings(d, "ZADD z 1 a 2 b 3 c 4 d 2 bb", script);
        d.run("DEL z");
        bothEncodings(d, "ZADD z 0 a 0 b 0 c 0 d 0 e 0 bb", "ZRANGEBYLEX z [b [d", "ZRANGE z [b [d BYLEX",
                "ZRANGE z - + BYLEX LIMIT 2 2", "ZRANGE z + - BYLEX REV LIMIT 0 3", "ZRANGE z [d (a BYLEX REV",
                "ZRANGEBYLEX z - +", "ZRANGEBYLEX z [b +", "ZRANGEBYLEX z (b + LIMIT 1 1", "ZREVRANGEBYLEX z + -",
                "ZREVRANGEBYLEX z [c - LIMIT 0 2", "ZRANGEBYLEX z (a (e LIMIT 1 10",
                "ZREVRANGEBYLEX z (e [b", "ZRANGE z [c + BYLEX REV", "ZRANGE z + [c BYLEX REV");
        listKey(d, "s");
        d.run("ZRANGE s 0 -1", "ZRANGE s 0 -1 foo", "ZRANGEBYSCORE s 0 1", "ZRANGEBYLEX s - +", "ZREVRANGE s 0 1");
        resp3(d);
        bothEncodings(d, "ZADD z 1 a 2 b 3 c", "ZRANGE z 0 -1 WITHSCORES", "ZRANGE z 0 -1",
                "ZREVRANGE z 0 1 WITHSCORES",
                "ZRANGEBYSCORE z -inf +inf WITHSCORES", "ZREVRANGEBYSCORE z +inf -inf WITHSCORES LIMIT 0 2",
                "ZRANGE nokey 0 -1 WITHSCORES");
        d.assertSame();
    }

    @Test
    void zrangestoreStoresTheSelection() {
        Differential d = diff(10);
        d.cmd(bigZadd("big", 200, 1));
        d.run("ZADD z 1 a 2 b 3 c 4 d", "ZRANGESTORE dst z 0 -1", "ZRANGE dst 0 -1 WITHSCORES", "OBJECT ENCODING dst",
                "ZRANGESTORE dst z 1 2 REV", "ZRANGE dst 0 -1 WITHSCORES", "ZRANGESTORE dst z (1 3 BYSCORE LIMIT 1 1",
                "ZRANGE dst 0 -1 WITHSCORES", "ZRANGESTORE dst z [b + BYLEX", "ZRANGESTORE dst z 5 6",
                "EXISTS dst", "ZRANGESTORE dst z 0 -1 WITHSCORES", "ZRANGESTORE dst nokey 0 -1",
                "ZRANGESTORE dst big 0 -1",
                "OBJECT ENCODING dst", "ZCARD dst", "ZRANGESTORE dst big 0 127", "OBJECT ENCODING dst",
                "ZRANGESTORE dst big 0 128", "OBJECT ENCODING dst", "ZRANGESTORE dst big -inf +inf BYSCORE LIMIT 0 100",
                "OBJECT ENCODING dst", "ZRANGESTORE dst big -inf +inf BYSCORE", "OBJECT ENCODING dst",
                "ZRANGESTORE dst z 0 -1 LIMIT 0 1", "ZRANGESTORE dst z a b", "ZRANGESTORE dst z 0");
        d.run("ZADD plain 1 x", "EXPIRE plain 100", "ZRANGESTORE plain z 0 0", "TTL plain", "TYPE plain");
        listKey(d, "s");
        d.run("ZRANGESTORE dst s 0 -1", "ZRANGESTORE s z 0 0", "TYPE s");
        EVENTS.clear();
        d.run("ZRANGESTORE e1 z 0 0", "ZRANGESTORE e1 z 9 9", "ZRANGESTORE e1 z 9 9");
        assertEquals(List.of("10 zrangestore e1", "10 del e1"), new ArrayList<>(EVENTS));
        d.assertSame();
    }

    @Test
    void zremrangeByRankScoreAndLex() {
        Differential d = diff(11);
        bothEncodings(d, "ZADD z 1 a 2 b 3 c 4 d 5 e", "ZREMRANGEBYRANK z 0 0", "ZRANGE z 0 2",
                "ZREMRANGEBYRANK z -2 -1", "ZREMRANGEBYRANK z 5 1", "ZREMRANGEBYRANK z 100 200",
                "ZREMRANGEBYSCORE z (2 3",
                "ZREMRANGEBYSCORE z 3 2", "ZREMRANGEBYSCORE z x 1", "ZREMRANGEBYRANK z a 1", "ZRANGE z 0 4 WITHSCORES",
                "ZREMRANGEBYRANK nokey 0 -1", "ZREMRANGEBYSCORE nokey 0 1", "ZREMRANGEBYLEX nokey - +",
                "ZREMRANGEBYLEX nokey a b", "ZREMRANGEBYSCORE z -inf (500", "ZCARD z");
        d.run("DEL z");
        bothEncodings(d, "ZADD z 0 a 0 b 0 c 0 d", "ZREMRANGEBYLEX z [b (d", "ZREMRANGEBYLEX z b d",
                "ZREMRANGEBYLEX z (z +", "ZRANGE z 0 3", "ZCARD z");
        d.run("ZADD e 1 a 2 b", "ZREMRANGEBYRANK e 0 -1", "EXISTS e", "ZADD e 1 a", "ZREMRANGEBYSCORE e -inf +inf",
                "EXISTS e", "ZADD e 0 a", "ZREMRANGEBYLEX e - +", "EXISTS e");
        listKey(d, "s");
        d.run("ZREMRANGEBYRANK s 0 1", "ZREMRANGEBYSCORE s 0 1", "ZREMRANGEBYLEX s - +", "ZREMRANGEBYLEX s x +");
        EVENTS.clear();
        d.run("ZADD ev 1 a 2 b 3 c 0 d", "ZREMRANGEBYRANK ev 0 0", "ZREMRANGEBYSCORE ev 2 2", "ZREMRANGEBYSCORE ev 9 9",
                "ZREMRANGEBYLEX ev - +");
        assertEquals(List.of("11 zadd ev", "11 zremrangebyrank ev", "11 zremrangebyscore ev", "11 zremrangebylex ev",
                "11 del ev"), new ArrayList<>(EVENTS));
        d.assertSame();
    }

    @Test
    void zpopminZpopmaxAndZmpop() {
        Differential d = diff(12);
        bothEncodings(d, "ZADD z 1 a 2 b 3 c 4 d 5 e", "ZPOPMIN z", "ZPOPMAX z", "ZPOPMIN z 2", "ZPOPMAX z 0",
                "ZPOPMIN z -1", "ZPOPMIN z x", "ZPOPMIN z 1 2", "ZPOPMIN nokey", "ZPOPMIN nokey 3", "ZPOPMAX nokey 0",
                "ZMPOP 1 z MIN", "ZMPOP 2 nokey z MAX COUNT 2", "ZMPOP 1 nokey MIN", "ZMPOP 0 z MIN", "ZMPOP x z MIN",
                "ZMPOP 1 z foo", "ZMPOP 1 z MIN COUNT 0", "ZMPOP 1 z MIN COUNT x", "ZMPOP 1 z MIN COUNT 1 COUNT 2",
                "ZMPOP 3 z MIN", "ZMPOP 1 z", "ZMPOP 1 z max count", "ZCARD z");
        d.run("ZADD e 1 a 2 b", "ZPOPMIN e 5", "EXISTS e", "ZADD e 1 a", "ZMPOP 1 e MAX COUNT 10", "EXISTS e");
        listKey(d, "s");
        d.run("ZPOPMIN s", "ZPOPMAX s 2", "ZMPOP 2 nokey s MIN", "ZMPOP 2 s nokey MIN");
        resp3(d);
        bothEncodings(d, "ZADD z 1 a 2 b 3 c", "ZPOPMIN z", "ZPOPMAX z 1", "ZPOPMIN z 0", "ZPOPMIN nokey",
                "ZPOPMIN nokey 1", "ZMPOP 1 z MIN COUNT 2", "ZMPOP 1 nokey MAX");
        EVENTS.clear();
        d.run("ZADD ev 1 a 2 b 3 c", "ZPOPMIN ev", "ZPOPMAX ev", "ZMPOP 1 ev MIN");
        assertEquals(List.of("12 zadd ev", "12 zpopmin ev", "12 zpopmax ev", "12 zpopmin ev", "12 del ev"),
                new ArrayList<>(EVENTS));
        d.assertSame();
    }

    @Test
    void zunionZinterZdiffAndStores() {
        Differential d = diff(13);
        String[] script = {"ZUNION 2 z w", "ZUNION 2 z w WITHSCORES", "ZUNION 2 z w WEIGHTS 2 3 WITHSCORES",
            "ZUNION 2 z w AGGREGATE MIN WITHSCORES", "ZUNION 2 z w AGGREGATE max WEIGHTS 1 -1 WITHSCORES",
            "ZUNION 3 z nokey w WITHSCORES", "ZINTER 2 z w WITHSCORES",
            "ZINTER 2 z w WEIGHTS 0.5 2 AGGREGATE SUM WITHSCORES",
            "ZINTER 2 z w AGGREGATE MAX WITHSCORES", "ZINTER 2 z nokey", "ZINTER 1 z", "ZDIFF 2 z w WITHSCORES",
            "ZDIFF 1 z", "ZDIFF 2 nokey z", "ZDIFF 2 z nokey WITHSCORES", "ZUNIONSTORE dst 2 z w",
            "ZRANGE dst 0 -1 WITHSCORES",
            "OBJECT ENCODING dst", "ZINTERSTORE dst 2 z w WEIGHTS 2 2", "ZRANGE dst 0 -1 WITHSCORES",
            "ZDIFFSTORE dst 2 z w",
            "ZRANGE dst 0 -1 WITHSCORES", "OBJECT ENCODING dst", "ZINTERSTORE dst 2 z nokey", "EXISTS dst",
            "ZINTERCARD 2 z w", "ZINTERCARD 2 z w LIMIT 1", "ZINTERCARD 2 z w LIMIT 0", "ZINTERCARD 1 z LIMIT 2",
            "ZINTERCARD 2 z nokey", "ZUNION 0 z", "ZUNION x z", "ZUNION 3 z w", "ZUNION 2 z w WEIGHTS 1",
            "ZUNION 2 z w WEIGHTS 1 x", "ZUNION 2 z w AGGREGATE avg", "ZUNION 2 z w AGGREGATE", "ZUNION 2 z w foo",
            "ZUNIONSTORE dst 2 z w WITHSCORES", "ZDIFF 2 z w WEIGHTS 1 1", "ZDIFF 2 z w AGGREGATE SUM",
            "ZDIFFSTORE dst 0 z", "ZINTERSTORE dst 0 z", "ZINTERCARD 0 z", "ZINTERCARD x z", "ZINTERCARD 2 z",
            "ZINTERCARD 1 z LIMIT -1", "ZINTERCARD 1 z LIMIT x", "ZINTERCARD 1 z WITHSCORES",
            "ZINTER 2 z w WITHSCORES WITHSCORES"};
        d.run("ZADD w 10 b 20 c 30 x");
        bothEncodings(d, "ZADD z 1 a 2 b 3 c", script);
        d.run("ZADD inf1 inf a 1 b", "ZADD inf2 -inf a 2 b", "ZUNION 2 inf1 inf2 WITHSCORES",
                "ZINTER 2 inf1 inf2 WITHSCORES",
                "ZUNION 2 inf1 inf2 WEIGHTS 0 1 WITHSCORES", "ZINTER 2 inf1 inf2 AGGREGATE MIN WITHSCORES",
                "ZADD f1 0.1 a", "ZADD f2 0.2 a", "ZADD f3 0.3 a 1 b", "ZUNION 3 f1 f2 f3 WITHSCORES");
        d.cmd(bigZadd("big", 130, 1));
        d.run("ZUNIONSTORE dst 2 big w", "OBJECT ENCODING dst", "ZINTERSTORE dst 2 big w", "OBJECT ENCODING dst");
        d.cmd("ZADD", "long", "1", "x".repeat(65));
        d.run("ZUNIONSTORE dst 1 long", "OBJECT ENCODING dst", "ZUNIONSTORE dst 2 long w", "OBJECT ENCODING dst");
        d.run("ZADD plain 1 x", "EXPIRE plain 100", "ZUNIONSTORE plain 1 w", "TTL plain");
        listKey(d, "s");
        d.run("ZUNION 2 z s", "ZUNION 2 z s WEIGHTS x", "ZINTERSTORE dst 2 s z", "ZINTERCARD 1 s", "ZDIFF 2 nokey s",
                "ZUNIONSTORE s 1 w", "TYPE s");
        ref.call("SADD", "pset", "a", "x", "y");
        SetStandIn.put(pair.cinnabar(), 13, "pset", "a", "x", "y");
        d.run("ZUNION 2 pset z WITHSCORES", "ZINTER 2 z pset WEIGHTS 2 3 WITHSCORES", "ZDIFF 2 pset z WITHSCORES",
                "ZINTERCARD 2 pset z", "ZUNIONSTORE dst 1 pset", "ZRANGE dst 0 -1 WITHSCORES");
        resp3(d);
        d.run("ZUNION 2 z w WITHSCORES", "ZINTER 2 z w WITHSCORES", "ZDIFF 2 z w WITHSCORES", "ZUNION 2 z w");
        EVENTS.clear();
        d.run("ZUNIONSTORE e1 2 z w", "ZINTERSTORE e1 2 z w", "ZDIFFSTORE e1 2 z w", "ZINTERSTORE e1 2 z nokey",
                "ZINTERSTORE e1 2 z nokey");
        assertEquals(List.of("13 zunionstore e1", "13 zinterstore e1", "13 zdiffstore e1", "13 del e1"),
                new ArrayList<>(EVENTS));
        d.assertSame();
    }

    @Test
    void zscanReturnsEveryMemberWithScores() {
        Differential d = diff(14);
        d.run("ZADD z 1 a 2.5 b 3 c 1e30 foo", "ZSCAN z 0", "ZSCAN z 0 MATCH f*", "ZSCAN z 0 COUNT 1",
                "ZSCAN z 0 MATCH * COUNT 100", "ZSCAN z 0 COUNT 0", "ZSCAN z 0 COUNT x", "ZSCAN z 0 MATCH",
                "ZSCAN z 0 TYPE zset", "ZSCAN z abc", "ZSCAN z -1", "ZSCAN nokey 0", "ZSCAN nokey 0 COUNT 0",
                "ZSCAN nokey x", "ZSCAN z 0 foo");
        listKey(d, "s");
        d.run("ZSCAN s 0");
        resp3(d);
        d.run("ZSCAN z 0", "ZSCAN nokey 0");
        d.assertSame();
        // a skiplist is scanned incrementally: each member exactly once when nothing changes
        RespClient c = pair.cinnabarClient();
        c.call("SELECT", "14");
        c.call(bigZadd("big", 300, 1));
        java.util.Set<String> seen = new java.util.HashSet<>();
        String cursor = "0";
        int calls = 0;
        do {
            List<?> r = (List<?>) Resp.parse(c.call("ZSCAN", "big", cursor, "MATCH", "m1*"));
            cursor = String.valueOf(r.get(0));
            List<?> items = (List<?>) r.get(1);
            for (int i = 0; i < items.size(); i += 2) {
                assertTrue(seen.add(String.valueOf(items.get(i))), "duplicate " + items.get(i));
                assertEquals(String.valueOf(items.get(i)).substring(1), String.valueOf(items.get(i + 1)));
            }
            calls++;
        } while (!cursor.equals("0"));
        assertEquals(111, seen.size());
        assertTrue(calls > 5, "a 300-member skiplist took " + calls + " ZSCAN calls");
    }

    @Test
    void zscanOfASkiplistSeesEveryMemberPresentThroughoutWhileItGrowsAndShrinks() {
        RespClient c = pair.cinnabarClient();
        c.call("SELECT", "17");
        c.call("FLUSHDB");
        c.call(bigZadd("z", 1000, 1));
        java.util.Set<String> seen = new java.util.HashSet<>();
        String cursor = "0";
        int step = 0;
        do {
            List<?> r = (List<?>) Resp.parse(c.call("ZSCAN", "z", cursor, "COUNT", "20"));
            cursor = String.valueOf(r.get(0));
            List<?> items = (List<?>) r.get(1);
            for (int i = 0; i < items.size(); i += 2) {
                seen.add(String.valueOf(items.get(i)));
            }
            // members m100.. come and go (the table shrinks and grows); m0..m99 stay throughout
            if (step % 2 == 0) {
                List<String> rem = new ArrayList<>(List.of("ZREM", "z"));
                for (int i = 100; i < 1000; i++) {
                    rem.add("m" + i);
                }
                c.call(rem.toArray(new String[0]));
            } else {
                c.call(bigZadd("z", 1000, 1));
            }
            step++;
        } while (!cursor.equals("0"));
        for (int i = 0; i < 100; i++) {
            assertTrue(seen.contains("m" + i), "m" + i + " was never returned");
        }
    }

    @Test
    void zrandmemberProperties() {
        Differential d = diff(15);
        d.run("ZRANDMEMBER nokey", "ZRANDMEMBER nokey 5", "ZRANDMEMBER nokey -5 WITHSCORES", "ZADD z 1 a 2 b 3 c",
                "ZRANDMEMBER z 0", "ZRANDMEMBER z x", "ZRANDMEMBER z 1 foo", "ZRANDMEMBER z 1 WITHSCORES x",
                "ZRANDMEMBER z -9223372036854775808", "ZRANDMEMBER z 9223372036854775807 WITHSCORES",
                "ZRANDMEMBER z -4611686018427387904 WITHSCORES", "ZRANDMEMBER z 3", "ZRANDMEMBER z 10 WITHSCORES");
        listKey(d, "s");
        d.run("ZRANDMEMBER s", "ZRANDMEMBER s 2");
        String[] single = {"ZRANDMEMBER one", "ZRANDMEMBER one -3 WITHSCORES", "ZRANDMEMBER one -2",
            "ZRANDMEMBER one 1 WITHSCORES", "ZRANDMEMBER one 5 WITHSCORES", "ZRANDMEMBER one 1"};
        d.run("ZADD one 2.5 x");
        d.run(single);
        resp3(d);
        d.run(single);
        d.assertSame();
        RespClient c = pair.cinnabarClient();
        c.call("SELECT", "15");
        c.call(bigZadd("big", 200, 1));
        for (String key : List.of("z", "big")) {
            int size = key.equals("z") ? 3 : 200;
            List<?> one = List.of(Resp.parse(c.call("ZRANDMEMBER", key)));
            assertEquals(1, one.size());
            List<?> distinct = (List<?>) Resp.parse(c.call("ZRANDMEMBER", key, "2"));
            assertEquals(2, new java.util.HashSet<>(distinct).size());
            List<?> rep = (List<?>) Resp.parse(c.call("ZRANDMEMBER", key, "-20", "WITHSCORES"));
            assertEquals(40, rep.size());
            for (int i = 0; i < rep.size(); i += 2) {
                String score = String.valueOf(c.call("ZSCORE", key, String.valueOf(rep.get(i))));
                assertTrue(score.contains(String.valueOf(rep.get(i + 1))), score + " vs " + rep.get(i + 1));
            }
            List<?> all = (List<?>) Resp.parse(c.call("ZRANDMEMBER", key, "1000"));
            assertEquals(size, new java.util.HashSet<>(all).size());
            for (int count = 2; count < size; count += 33) { // both ways of picking distinct members
                List<?> some = (List<?>) Resp.parse(c.call("ZRANDMEMBER", key, String.valueOf(count)));
                assertEquals(count, new java.util.HashSet<>(some).size());
                assertTrue(all.containsAll(some));
            }
        }
        c.call("HELLO", "3");
        String pairs = c.call("ZRANDMEMBER", "z", "2", "WITHSCORES");
        assertTrue(pairs.startsWith("*2\r\n*2\r\n$1\r\n"), pairs);
    }

    @Test
    void randomOperationsMatchRedisInBothEncodings() {
        Differential d = diff(16);
        java.util.Random rnd = new java.util.Random(7);
        String[] scores = {"0", "1", "-1", "2.5", "1e10", "-inf", "inf", "0.1", "3"};
        for (int op = 0; op < 3000; op++) {
            String key = rnd.nextBoolean() ? "small" : "big";
            String m = "m" + rnd.nextInt(key.equals("big") ? 400 : 40);
            String sc = scores[rnd.nextInt(scores.length)];
            int a = rnd.nextInt(60) - 30;
            int b = rnd.nextInt(60) - 30;
            switch (rnd.nextInt(12)) {
                case 0, 1, 2 -> d.cmd("ZADD", key, sc, m, scores[rnd.nextInt(scores.length)], m + "x");
                case 3 -> d.cmd("ZINCRBY", key, sc, m);
                case 4 -> d.cmd("ZREM", key, m, m + "x");
                case 5 -> d.cmd("ZRANK", key, m, "WITHSCORE");
                case 6 -> d.cmd("ZRANGE", key, String.valueOf(a), String.valueOf(b), "WITHSCORES");
                case 7 -> d.cmd("ZRANGE", key, "(" + sc, "+inf", "BYSCORE", "LIMIT", String.valueOf(Math.abs(a)), "5");
                case 8 -> d.cmd("ZREVRANGEBYSCORE", key, sc, "-inf", "WITHSCORES", "LIMIT", "0", String.valueOf(b));
                case 9 -> d.cmd("ZREMRANGEBYRANK", key, String.valueOf(a), String.valueOf(a + 2));
                case 10 -> d.cmd("ZCOUNT", key, sc, "(" + scores[rnd.nextInt(scores.length)]);
                default -> d.cmd(rnd.nextBoolean() ? "ZPOPMIN" : "ZPOPMAX", key, String.valueOf(rnd.nextInt(3)));
            }
            if (op % 500 == 0) {
                d.run("ZCARD small", "ZCARD big", "OBJECT ENCODING small", "OBJECT ENCODING big");
            }
        }
        d.run("ZRANGE small 0 -1 WITHSCORES", "ZRANGE big 0 -1 WITHSCORES", "ZUNION 2 small big WITHSCORES",
                "ZINTER 2 small big AGGREGATE MAX WITHSCORES", "ZDIFF 2 big small WITHSCORES");
        for (int op = 0; op < 500; op++) {
            String key = rnd.nextBoolean() ? "lexs" : "lexb";
            String m = String.valueOf((char) ('a' + rnd.nextInt(20))) + rnd.nextInt(key.equals("lexb") ? 200 : 5);
            String lo = (rnd.nextBoolean() ? "[" : "(") + (char) ('a' + rnd.nextInt(20));
            String hi = (rnd.nextBoolean() ? "[" : "(") + (char) ('a' + rnd.nextInt(20));
            switch (rnd.nextInt(5)) {
                case 0, 1 -> d.cmd("ZADD", key, "0", m);
                case 2 -> d.cmd("ZRANGEBYLEX", key, lo, hi, "LIMIT", "1", "3");
                case 3 -> d.cmd("ZLEXCOUNT", key, lo, rnd.nextBoolean() ? hi : "+");
                default -> d.cmd("ZREMRANGEBYLEX", key, lo, hi);
            }
        }
        d.run("ZRANGE lexs 0 -1", "ZRANGE lexb 0 -1", "OBJECT ENCODING lexb");
        d.assertSame();
    }

    /**
     * A skiplist of 20000 members (nodes up to seven or more levels, several pages of hash buckets): ranks,
     * rank ranges, removals and moves against Redis, then most of it removed by rank (the buckets shrink).
     */
    @Test
    void largeSkiplistRanksAndRemovalsMatchRedis() {
        Differential d = diff(8);
        java.util.Random rnd = new java.util.Random(5);
        for (int from = 0; from < 20_000; from += 1000) {
            List<String> a = new ArrayList<>(List.of("ZADD", "L"));
            for (int i = from; i < from + 1000; i++) {
                a.add(String.valueOf((i * 7919L) % 20_000));
                a.add("member:" + i);
            }
            d.cmd(a.toArray(new String[0]));
        }
        for (int op = 0; op < 1500; op++) {
            String m = "member:" + rnd.nextInt(20_500);
            int r = rnd.nextInt(21_000) - 500;
            switch (rnd.nextInt(7)) {
                case 0 -> d.cmd("ZRANK", "L", m, "WITHSCORE");
                case 1 -> d.cmd("ZREVRANK", "L", m);
                case 2 -> d.cmd("ZRANGE", "L", String.valueOf(r), String.valueOf(r + 4), "WITHSCORES");
                case 3 -> d.cmd("ZADD", "L", String.valueOf(rnd.nextInt(21_000)), m);
                case 4 -> d.cmd("ZREM", "L", m);
                case 5 -> d.cmd("ZREMRANGEBYRANK", "L", String.valueOf(r), String.valueOf(r + 1));
                default -> d.cmd("ZREVRANGE", "L", String.valueOf(r), String.valueOf(r + 3));
            }
        }
        long grown = Long.parseLong(cand.call("MEMORY", "USAGE", "L").trim().substring(1));
        assertTrue(grown > 19_000 * 72L && grown < 21_000 * 120L, "MEMORY USAGE " + grown);
        d.run("ZCARD L", "ZRANGE L 0 -1 WITHSCORES", "ZREMRANGEBYRANK L 10 -200", "ZCARD L",
                "ZRANGE L 0 -1 WITHSCORES", "ZSCORE L member:3", "COPY L L2", "ZREM L2 member:1",
                "ZRANGE L2 0 -1 WITHSCORES", "ZRANGE L 0 -1 WITHSCORES");
        d.assertSame();
        long shrunk = Long.parseLong(cand.call("MEMORY", "USAGE", "L").trim().substring(1));
        assertTrue(shrunk > 209 * 72L && shrunk < 209 * 120L + 20_000, "MEMORY USAGE " + shrunk);
    }

    /**
     * Score updates of a skiplist set, small (the node keeps its place and is updated in place) and large (it
     * moves), interleaved with score ranges read from either end, which start from the node the bound search
     * found; the whole set is compared now and then.
     */
    @Test
    void skiplistScoreUpdatesAndRangesMatchRedis() {
        Differential d = diff(17);
        java.util.Random rnd = new java.util.Random(11);
        d.cmd(bigZadd("z", 300, 1));
        for (int op = 0; op < 3000; op++) {
            String m = "m" + rnd.nextInt(320);
            String lo = String.valueOf(rnd.nextInt(400) - 50);
            String hi = String.valueOf(Integer.parseInt(lo) + rnd.nextInt(40));
            switch (rnd.nextInt(8)) {
                case 0 -> d.cmd("ZINCRBY", "z", rnd.nextBoolean() ? "0.001" : "-0.001", m);
                case 1 -> d.cmd("ZADD", "z", String.valueOf(rnd.nextInt(400) - 50), m);
                case 2 -> d.cmd("ZADD", "z", "XX", "CH", "INCR", String.valueOf(rnd.nextInt(7) - 3), m);
                case 3 -> d.cmd("ZRANGEBYSCORE", "z", lo, hi, "WITHSCORES", "LIMIT", "0", "10");
                case 4 -> d.cmd("ZREVRANGEBYSCORE", "z", hi, "(" + lo, "LIMIT", "0", "7");
                case 5 -> d.cmd("ZRANGE", "z", "(" + lo, hi, "BYSCORE", "REV", "LIMIT", "2", "5");
                case 6 -> d.cmd("ZRANGEBYSCORE", "z", lo, "+inf", "LIMIT", String.valueOf(rnd.nextInt(5)), "3");
                default -> d.cmd("ZREM", "z", m);
            }
            if (op % 300 == 0) {
                d.run("ZRANGE z 0 -1 WITHSCORES", "ZCARD z", "OBJECT ENCODING z");
            }
        }
        d.run("ZRANGE z 0 -1 WITHSCORES");
        d.assertSame();
    }

    @Test
    void copiesAreIndependentAndKeepTheirEncoding() {
        Differential d = diff(18);
        d.cmd(bigZadd("big", 200, 1));
        d.run("ZADD small 1 a 2 b", "TYPE small", "TYPE big", "COPY small s2", "COPY big b2", "OBJECT ENCODING s2",
                "OBJECT ENCODING b2", "ZADD small 9 a", "ZREM big m1", "ZINCRBY b2 100 m2", "ZRANGE s2 0 -1 WITHSCORES",
                "ZSCORE big m2", "ZSCORE b2 m2", "ZSCORE b2 m1", "ZCARD big", "ZCARD b2", "ZRANK b2 m2");
        d.assertSame();
    }

    @Test
    void encodingFollowsConfiguredLimits() {
        Differential d = diff(19);
        try {
            d.run("CONFIG SET zset-max-listpack-entries 4", "CONFIG SET zset-max-listpack-value 5");
            d.run("ZADD a 1 a 2 b 3 c 4 d", "OBJECT ENCODING a", "ZADD a 5 e", "OBJECT ENCODING a", "ZREM a a b c",
                    "OBJECT ENCODING a", "ZADD b 1 abcde", "OBJECT ENCODING b", "ZADD b 1 abcdef", "OBJECT ENCODING b",
                    "ZADD c 1 a 2 b 3 c 4 d 5 e", "OBJECT ENCODING c", "ZUNIONSTORE u 1 a", "OBJECT ENCODING u",
                    "ZUNIONSTORE u 2 a c", "OBJECT ENCODING u", "ZUNIONSTORE u 1 b", "OBJECT ENCODING u",
                    "ZRANGESTORE r c 0 3", "OBJECT ENCODING r", "ZRANGESTORE r c 0 4", "OBJECT ENCODING r",
                    "ZRANGESTORE r c -inf +inf BYSCORE LIMIT 0 2", "OBJECT ENCODING r", "ZDIFFSTORE r 2 c a",
                    "OBJECT ENCODING r", "CONFIG SET zset-max-listpack-entries 0", "ZADD z0 1 a", "OBJECT ENCODING z0",
                    "ZUNIONSTORE z1 1 z0", "OBJECT ENCODING z1", "ZRANGESTORE z2 z0 0 -1", "OBJECT ENCODING z2");
            d.assertSame();
        } finally {
            d.run("CONFIG SET zset-max-listpack-entries 128", "CONFIG SET zset-max-listpack-value 64");
        }
    }

    @Test
    void extremeNumbersInRangesAndCounts() {
        Differential d = diff(20);
        d.run("ZADD z 1 a 2 b 3 c", "ZRANGE z -9223372036854775808 9223372036854775807",
                "ZRANGE z 9223372036854775807 -9223372036854775808", "ZREVRANGE z -9223372036854775808 -1",
                "ZRANGE z -inf +inf BYSCORE LIMIT 9223372036854775807 1",
                "ZRANGE z -inf +inf BYSCORE LIMIT 1 9223372036854775807 WITHSCORES",
                "ZRANGE z -inf +inf BYSCORE LIMIT -9223372036854775808 1", "ZRANGE z 0 -1 LIMIT 0 9223372036854775808",
                "ZUNIONSTORE d 9223372036854775807 z", "ZINTERCARD 9223372036854775807 z", "ZUNION -1 z",
                "ZINTERCARD 1 z LIMIT 9223372036854775807", "ZPOPMIN z 9223372036854775807", "EXISTS z",
                "ZADD z 1 a", "ZMPOP 1 z MAX COUNT 9223372036854775807", "ZADD z 1 a",
                "ZREMRANGEBYRANK z 0 9223372036854775807",
                "ZADD z 1e308 a -1e308 b", "ZINCRBY z 1e308 a", "ZUNION 1 z WEIGHTS 10 WITHSCORES",
                "ZUNION 1 z WEIGHTS 0 WITHSCORES", "ZSCAN z 0 COUNT 9223372036854775807");
        d.assertSame();
    }

    @Test
    void commandInfoMatchesRedis() {
        CommandInfoConformance.assertConforms(pair.cinnabar(),
                CommandInfoConformance.namesOf(new SortedSetFamily()));
    }

    @Test
    void commandDocsMatchRedis() {
        RespClient r = pair.redisClient();
        RespClient c = pair.cinnabarClient();
        for (String name : CommandInfoConformance.namesOf(new SortedSetFamily())) {
            assertEquals(CommandInfoConformance.docsWithoutArguments(Resp.parse(r.call("COMMAND",
                    "DOCS", name))).toString(),
                    CommandInfoConformance.docsWithoutArguments(Resp.parse(c.call("COMMAND", "DOCS", name))).toString(),
                    name);
        }
    }

    @Test
    void everyCommandIsExercised() {
        SpecCoverage.assertCovered(SpecCoverage.commandWords(new SortedSetFamily()), Path.of("src/test/java"));
    }

    @Test
    void wrongTypeForEveryCommand() {
        StandInValue.LIST.put(pair.cinnabar(), 8, "lst");
        RespClient c = pair.cinnabarClient();
        c.call("SELECT", "8");
        for (String[] cmd : List.of(new String[] {"ZADD", "lst", "1", "a"}, new String[] {"ZCARD", "lst"},
                new String[] {"ZRANK", "lst", "a"}, new String[] {"ZCOUNT", "lst", "1", "2"})) {
            assertTrue(c.call(cmd).startsWith("-WRONGTYPE"), String.join(" ", cmd));
        }
    }
}
