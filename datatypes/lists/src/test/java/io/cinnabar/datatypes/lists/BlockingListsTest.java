package io.cinnabar.datatypes.lists;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cinnabar.api.KeyspaceEvents;
import io.cinnabar.testkit.Differential;
import io.cinnabar.testkit.Loop;
import io.cinnabar.testkit.RespClient;
import io.cinnabar.testkit.ServerPair;
import io.cinnabar.testkit.TestServer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * BLPOP, BRPOP, BLMOVE, BRPOPLPUSH and BLMPOP against the reference redis-server: the same multi-client script
 * (one client blocks, another pushes, the first reads its reply) runs on both servers and every recorded reply
 * must be byte-identical. Blocking is awaited through INFO clients' blocked_clients, never by sleeping.
 */
class BlockingListsTest {
    private static ServerPair pair;

    /** Every keyspace event Cinnabar emits, as "db event key". */
    private static final Queue<String> EVENTS = new ConcurrentLinkedQueue<>();

    @BeforeAll
    static void start() {
        pair = ServerPair.start(TestServer.builder().family(new ListsFamily())
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

    /** One server's run of a script: numbered clients in one database, an admin connection, the replies seen. */
    private static final class Run {
        final boolean reference;
        final int db;
        final RespClient admin;
        final List<RespClient> clients = new ArrayList<>();
        final List<String> ids = new ArrayList<>();
        final List<String> replies = new ArrayList<>();

        Run(boolean reference, int db, int n) {
            this.reference = reference;
            this.db = db;
            this.admin = client();
            admin.call("SELECT", String.valueOf(db));
            admin.call("FLUSHDB");
            for (int i = 0; i < n; i++) {
                RespClient c = client();
                c.call("SELECT", String.valueOf(db));
                ids.add(c.call("CLIENT", "ID").substring(1).trim());
                clients.add(c);
            }
        }

        RespClient client() {
            return reference ? pair.redisClient() : pair.cinnabarClient();
        }

        /** Runs a command on client {@code c} and records its reply. */
        Run call(int c, String line) {
            replies.add(c + " " + line + " -> " + clients.get(c).call(line.split(" ")));
            return this;
        }

        /** Runs a command without recording its reply (HELLO, whose reply names each server). */
        Run quiet(int c, String line) {
            clients.get(c).call(line.split(" "));
            return this;
        }

        /** Sends a command that must block, and waits until the server counts one more blocked client. */
        Run block(int c, String line) {
            int before = blockedClients();
            clients.get(c).send(line.split(" "));
            await(line + " blocks", () -> blockedClients() == before + 1);
            return this;
        }

        /** Reads (waiting for) the reply of client {@code c}'s blocked command. */
        Run read(int c) {
            replies.add(c + " reads " + clients.get(c).readReply());
            return this;
        }

        /** Records how many clients are blocked now. */
        Run blocked() {
            replies.add("blocked_clients:" + blockedClients());
            return this;
        }

        /** Records the calls, rejected and failed counts of INFO commandstats for {@code cmd}. */
        Run stat(String cmd) {
            String info = admin.call("INFO", "commandstats");
            int i = info.indexOf("cmdstat_" + cmd + ":");
            if (i < 0) {
                replies.add(cmd + " never called");
                return this;
            }
            String line = info.substring(i, info.indexOf('\r', i));
            replies.add(line.replaceAll("usec=\\d+,usec_per_call=[0-9.]+,", ""));
            return this;
        }

        private long mark;

        /** Notes INFO stats' total_commands_processed, for {@link #sinceMark}. */
        Run mark() {
            mark = processed();
            return this;
        }

        /** Records how many commands were processed since {@link #mark} (with the INFO of the mark). */
        Run sinceMark() {
            replies.add("processed since mark: " + (processed() - mark));
            return this;
        }

        private long processed() {
            String info = admin.call("INFO", "stats");
            int i = info.indexOf("total_commands_processed:");
            return Long.parseLong(info.substring(i + 25, info.indexOf('\r', i)));
        }

        /** CLIENT UNBLOCK of client {@code c} (plus TIMEOUT or ERROR), recording the admin's reply. */
        Run unblock(int c, String... mode) {
            List<String> cmd = new ArrayList<>(List.of("CLIENT", "UNBLOCK", ids.get(c)));
            cmd.addAll(List.of(mode));
            replies.add("unblock " + c + " -> " + admin.call(cmd.toArray(new String[0])));
            return this;
        }

        /** A string key (the lists module has no SET: Cinnabar's is written directly). */
        Run string(String key) {
            if (reference) {
                admin.call("SET", key, "v");
            } else {
                Loop.run(pair.cinnabar(), () -> pair.cinnabar().server().db(db)
                        .set(key.getBytes(StandardCharsets.ISO_8859_1), "v".getBytes(StandardCharsets.ISO_8859_1)));
            }
            return this;
        }

        int blockedClients() {
            String info = admin.call("INFO", "clients");
            int i = info.indexOf("blocked_clients:");
            return Integer.parseInt(info.substring(i + 16, info.indexOf('\r', i)));
        }
    }

    private interface Script {
        void play(Run r);
    }

    /** Plays {@code script} with {@code n} clients on the reference, then on Cinnabar; the replies must match. */
    private static List<String> same(int db, int n, Script script) {
        Run want = new Run(true, db, n);
        script.play(want);
        assertEquals(0, want.blockedClients(), "the script leaves a client blocked on the reference");
        Run got = new Run(false, db, n);
        script.play(got);
        assertEquals(0, got.blockedClients(), "the script leaves a client blocked on Cinnabar");
        assertEquals(String.join("\n", want.replies).replace("\r\n", "\\r\\n"),
                String.join("\n", got.replies).replace("\r\n", "\\r\\n"));
        pair.closeClients();
        return want.replies;
    }

    private static void await(String what, BooleanSupplier cond) {
        long deadline = System.currentTimeMillis() + 10_000;
        while (!cond.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.onSpinWait();
        }
    }

    private Differential diff(int db) {
        Differential d = new Differential(pair.redisClient(), pair.cinnabarClient());
        d.run("SELECT " + db, "FLUSHDB");
        return d;
    }

    @Test
    void listsWithElementsAreServedAtOnceLikeTheNonBlockingCommands() {
        Differential d = diff(1);
        d.run("RPUSH a 1 2 3 4 5", "RPUSH b x y", "BLPOP a 0", "BRPOP a 0", "BLPOP nosuch b a 0", "BRPOP nosuch b 0",
                "BRPOP b a 0", "EXISTS b", "BLPOP a a 0", "EXISTS a", "RPUSH c 1 2 3 4 5",
                "BLMPOP 0 2 nosuch c LEFT", "BLMPOP 0 1 c RIGHT COUNT 2", "BLMPOP 0 1 c left count 10", "EXISTS c",
                "RPUSH m 1 2 3", "BLMOVE m n LEFT RIGHT 0", "BLMOVE m n right left 0", "BRPOPLPUSH m n 0",
                "EXISTS m", "LRANGE n 0 -1", "BLMOVE n n LEFT RIGHT 0", "LRANGE n 0 -1", "BRPOPLPUSH n n 0",
                "LRANGE n 0 -1", "BLMOVE n n RIGHT RIGHT 0", "BLMOVE n n LEFT LEFT 0", "LRANGE n 0 -1",
                "RPUSH e 1", "BLMPOP 0.01 3 x y e RIGHT COUNT 1", "BLPOP e 0.01", "BLMOVE e f LEFT RIGHT 0.01",
                "BRPOPLPUSH e f 0.01", "BLMPOP 0.01 1 e LEFT", "BRPOP e f 0.01");
        d.assertSame();
    }

    @Test
    void wrongTypesAndBadArgumentsGetRedisErrors() {
        Differential d = diff(2);
        new Run(true, 2, 0).string("s");
        new Run(false, 2, 0).string("s");
        d.run("RPUSH l a b c d e f",
                "BLPOP", "BLPOP a", "BRPOP a", "BLMOVE a b LEFT RIGHT", "BLMOVE a b LEFT RIGHT 0 x", "BRPOPLPUSH a b",
                "BRPOPLPUSH a b 0 x", "BLMPOP 0 1 a", "BLMPOP 0 1",
                "BLPOP a -1", "BLPOP a x", "BLPOP a 1e300", "BLPOP a inf", "BLPOP a nan", "BLPOP a -0.5",
                "BLPOP s -1", "BLPOP s 0", "BRPOP s l 0", "BLPOP l s 0", "BRPOP nosuch s l 0",
                "BLMOVE a b UP RIGHT x", "BLMOVE a b LEFT UP x", "BLMOVE a b LEFT RIGHT x", "BLMOVE a b LEFT RIGHT -1",
                "BLMOVE s l LEFT RIGHT -1", "BLMOVE s l LEFT RIGHT 0", "BLMOVE l s LEFT RIGHT 0", "BLMOVE s s LEFT RIGHT 0",
                "BRPOPLPUSH a b x", "BRPOPLPUSH a b -1", "BRPOPLPUSH s l 0", "BRPOPLPUSH l s 0",
                "BLMOVE nosuch s LEFT RIGHT 0.01", "LRANGE l 0 -1",
                "BLMPOP x 1 a LEFT", "BLMPOP -1 1 a LEFT", "BLMPOP 0 0 a LEFT", "BLMPOP x 0 a LEFT",
                "BLMPOP 0 -1 a b LEFT", "BLMPOP 0 x a b LEFT", "BLMPOP x 1 a UP", "BLMPOP x 2 a LEFT",
                "BLMPOP x 1 a LEFT COUNT 0", "BLMPOP x 1 a LEFT COUNT -1", "BLMPOP 0 1 a LEFT COUNT x",
                "BLMPOP -1 1 a LEFT COUNT 2 COUNT 3", "BLMPOP 0 1 a LEFT count", "BLMPOP 0 1 a LEFT foo",
                "BLMPOP 0 9223372036854775807 a LEFT", "BLMPOP 0 9223372036854775806 a LEFT",
                "BLMPOP 0 2147483648 a LEFT", "BLMPOP 0 1 s LEFT", "BLMPOP 0 2 l s LEFT COUNT 2",
                "BLMPOP 0 2 s l LEFT", "BLMPOP 0 2 nosuch s RIGHT", "LRANGE l 0 -1");
        d.assertSame();
    }

    /** Inside MULTI a valid timeout answers at once, so values that would block forever can be compared too. */
    @Test
    void timeoutArgumentsAreReadAsRedisReadsThem() {
        Differential d = diff(3);
        d.run("MULTI");
        for (String t : new String[] {"1e400", "9223372036854775", "9223372036854776", "9223372036854775.807",
                "9223370000000000", "9.3e15", "9.2e15", "1e18", "1e-5000", "-1e-5000", "-1e-400", "1e-400", "1.5e-320",
                ".5e-3", "-.1e-3", "-0.001", "-0.0005", "-0.002", "-1.0001e-3", "-0.0015", "-0.000999999",
                "0x1p-8", "-0x1p-12", "-0", "+0.0001", "1e-3", "-1", "1 ", " 1", "1e", "e1", ".", "-", "0x",
                "infinity", "-inf", "NaN", "1e99999999999", "-1e99999999999", "0.1", "2.5", "100", "-0.0011",
                "-0.0010000000000000001", "-0.00099999999999999999"}) {
            d.cmd("BLPOP", "nosuch", t);
        }
        d.cmd("BLPOP", "nosuch", "\0");
        d.cmd("BLPOP", "nosuch", "1\0x");
        d.cmd("BLPOP", "nosuch", "1".repeat(5119));
        d.cmd("BLPOP", "nosuch", "0." + "0".repeat(5118));
        d.cmd("BLPOP", "nosuch", "0." + "0".repeat(5117));
        d.run("EXEC");
        d.assertSame();
    }

    @Test
    void timeoutsReplyNullInBothProtocols() {
        same(3, 1, r -> r.call(0, "BLPOP a b 0.05").call(0, "BRPOP a 0.01").call(0, "BLMOVE a b LEFT RIGHT 0.02")
                .call(0, "BRPOPLPUSH a b 0.01").call(0, "BLMPOP 0.01 2 a b LEFT COUNT 3").call(0, "BLPOP a 0.0001")
                .call(0, "BLPOP a 1e-300").call(0, "BLPOP a 0x1p-8").call(0, "EXISTS a b")
                .quiet(0, "HELLO 3")
                .call(0, "BLPOP a b 0.02").call(0, "BRPOP a 0.01").call(0, "BLMOVE a b LEFT RIGHT 0.01")
                .call(0, "BRPOPLPUSH a b 0.01").call(0, "BLMPOP 0.01 1 a RIGHT"));
    }

    @Test
    void insideMultiTheCommandsAnswerAtOnce() {
        same(4, 1, r -> r.call(0, "MULTI").call(0, "BLPOP a 0").call(0, "BRPOP a b 0")
                .call(0, "BLMOVE a b LEFT RIGHT 0").call(0, "BRPOPLPUSH a b 0").call(0, "BLMPOP 0 1 a LEFT")
                .call(0, "RPUSH a x y z").call(0, "BLMOVE a b LEFT RIGHT 0").call(0, "BLPOP a 0")
                .call(0, "BLMPOP 0 2 b a RIGHT COUNT 5").call(0, "BRPOPLPUSH a b 0").call(0, "BLMOVE b b LEFT RIGHT 0")
                .call(0, "EXEC")
                .quiet(0, "HELLO 3")
                .call(0, "MULTI").call(0, "BLPOP a 0").call(0, "BLMOVE a b LEFT RIGHT 0").call(0, "BRPOPLPUSH a b 0")
                .call(0, "BLMPOP 0 1 a LEFT").call(0, "EXEC"));
    }

    @Test
    void aPushServesTheBlockedClientWithTheFirstNonEmptyKeyInArgumentOrder() {
        same(5, 2, r -> r.block(0, "BLPOP a b c 0").call(1, "RPUSH c x y").read(0).call(1, "LRANGE c 0 -1")
                .block(0, "BRPOP a b 0").call(1, "LPUSH b 1 2 3").read(0)
                .block(0, "BLPOP x y 0").call(1, "MULTI").call(1, "RPUSH y 1").call(1, "RPUSH x 2")
                .call(1, "EXEC").read(0).call(1, "LRANGE y 0 -1").call(1, "EXISTS x")
                .block(0, "BLMPOP 0 2 p q RIGHT COUNT 2").call(1, "RPUSH q 1 2 3").read(0).call(1, "LRANGE q 0 -1")
                .block(0, "BLMPOP 0 1 p LEFT COUNT 5").call(1, "RPUSH p 1 2").read(0).call(1, "EXISTS p"));
    }

    @Test
    void blockedClientsAreServedInArrivalOrder() {
        same(6, 4, r -> r.block(0, "BLPOP q 0").block(1, "BRPOP other q 0").block(2, "BLMPOP 0 1 q LEFT COUNT 2")
                .call(3, "RPUSH q a").read(0).blocked()
                .call(3, "RPUSH q b c d e").read(1).read(2).call(3, "LRANGE q 0 -1")
                .block(0, "BRPOP q2 0").block(1, "BRPOP q2 0").call(3, "RPUSH q2 1 2").read(0).read(1)
                .call(3, "EXISTS q2").call(3, "DEL q"));
    }

    @Test
    void aPushThatLeavesTheListEmptyServesNobody() {
        same(7, 2, r -> r.block(0, "BLPOP k 0").call(1, "MULTI").call(1, "RPUSH k a").call(1, "LPOP k")
                .call(1, "EXEC").blocked().call(1, "RPUSH other x").blocked().call(1, "RPUSH k b").read(0));
    }

    @Test
    void blmoveWakesAndFeedsClientsBlockedOnItsDestination() {
        same(8, 3, r -> r.block(0, "BLMOVE src dst RIGHT LEFT 0").block(1, "BLPOP dst 0")
                .call(2, "RPUSH src a b").read(0).read(1).call(2, "LRANGE src 0 -1").call(2, "EXISTS dst")
                .block(0, "BRPOPLPUSH s2 d2 0").block(1, "BLMPOP 0 1 d2 LEFT COUNT 3").call(2, "LPUSH s2 x")
                .read(0).read(1).call(2, "EXISTS s2 d2")
                // a plain LMOVE into a key wakes its waiters too
                .block(1, "BRPOP d3 0").call(2, "RPUSH s3 m").call(2, "LMOVE s3 d3 LEFT LEFT").read(1)
                .block(1, "BLPOP d4 0").call(2, "RPUSH s4 n").call(2, "RPOPLPUSH s4 d4").read(1));
    }

    @Test
    void blmoveOnOneKeyRotatesItAndServesTheNextWaiter() {
        same(9, 3, r -> r.block(0, "BLMOVE k k RIGHT LEFT 0").block(1, "BLPOP k 0").call(2, "RPUSH k a")
                .read(0).read(1).call(2, "EXISTS k")
                .block(0, "BRPOPLPUSH k k 0").call(2, "RPUSH k x y").read(0).call(2, "LRANGE k 0 -1"));
    }

    @Test
    void blmoveToAKeyOfAnotherTypeFailsWhenServed() {
        same(10, 2, r -> r.string("str").block(0, "BLMOVE src str LEFT RIGHT 0").call(1, "RPUSH src a").read(0)
                .call(1, "LRANGE src 0 -1").call(1, "DEL src")
                .block(0, "BRPOPLPUSH src str 0").call(1, "RPUSH src b").read(0).call(1, "LRANGE src 0 -1"));
    }

    @Test
    void clientUnblockEndsTheWaitWithTheTimeoutReplyOrAnError() {
        same(11, 1, r -> r.block(0, "BLPOP a 0").unblock(0).read(0)
                .block(0, "BLMOVE a b LEFT RIGHT 0").unblock(0, "TIMEOUT").read(0)
                .block(0, "BRPOPLPUSH a b 0").unblock(0, "ERROR").read(0)
                .block(0, "BLMPOP 0 2 a b LEFT").unblock(0, "timeout").read(0)
                .block(0, "BRPOP a 0").unblock(0, "error").read(0).unblock(0)
                .quiet(0, "HELLO 3")
                .block(0, "BLMOVE a b LEFT RIGHT 0").unblock(0).read(0)
                .block(0, "BLPOP a 0").unblock(0).read(0));
    }

    @Test
    void servedRepliesInResp3() {
        same(12, 2, r -> r.quiet(0, "HELLO 3").block(0, "BLPOP a 0").call(1, "RPUSH a x").read(0)
                .block(0, "BLMPOP 0 1 a RIGHT COUNT 2").call(1, "RPUSH a x y z").read(0)
                .block(0, "BLMOVE b c LEFT RIGHT 0").call(1, "RPUSH b q").read(0)
                .call(0, "BRPOP a 0").call(0, "BLMPOP 0 1 c LEFT").call(0, "BRPOPLPUSH a c 0.01"));
    }

    @Test
    void aTimeoutLaterInTheQueueDoesNotDisturbOthers() {
        same(13, 3, r -> r.block(0, "BLPOP k 0").block(1, "BLPOP k 0.2").read(1).blocked()
                .call(2, "RPUSH k v").read(0).call(2, "EXISTS k"));
    }

    @Test
    void aKeyOfAnotherTypeBeforeTheServedKeyFailsTheRerun() {
        same(15, 2, r -> r.block(0, "BLPOP a b 0").string("a").blocked().call(1, "RPUSH b x").read(0)
                .call(1, "LRANGE b 0 -1"));
    }

    @Test
    void onlyTheBlockedClientsDatabaseCounts() {
        same(5, 2, r -> r.block(0, "BLPOP k 0").call(1, "SELECT 6").call(1, "RPUSH k other").blocked()
                .call(1, "DEL k").call(1, "SELECT 5").call(1, "RPUSH k mine").read(0));
    }

    @Test
    void keysArrivingByRenameMoveCopyOrSwapdbServeWaiters() {
        same(7, 2, r -> r.call(1, "SELECT 8").call(1, "FLUSHDB").call(1, "SELECT 7")
                .block(0, "BLPOP dst 0").call(1, "RPUSH src a").call(1, "RENAME src dst").read(0)
                .block(0, "BLPOP dst 0").call(1, "RPUSH src b").call(1, "COPY src dst").read(0).call(1, "DEL src")
                .block(0, "BLPOP k 0").call(1, "SELECT 8").call(1, "RPUSH k c").call(1, "MOVE k 7").read(0)
                .block(0, "BRPOP k 0").call(1, "RPUSH k d").call(1, "SWAPDB 7 8").read(0).call(1, "SELECT 7")
                .call(1, "SWAPDB 7 8").call(1, "FLUSHDB").call(1, "SELECT 8").call(1, "FLUSHDB"));
    }

    @Test
    void aBlockedCommandCountsOnceInCommandstats() {
        same(9, 2, r -> r.string("s").call(1, "CONFIG RESETSTAT").block(0, "BLPOP k 0").call(1, "MULTI").call(1, "RPUSH k a")
                .call(1, "LPOP k").call(1, "EXEC").call(1, "RPUSH k b").read(0).call(0, "BLPOP k 0.01")
                .block(0, "BLMOVE src s LEFT RIGHT 0").call(1, "RPUSH src x").read(0)
                .block(0, "BLMPOP 0 1 q LEFT").unblock(0, "ERROR").read(0).call(1, "DEL src")
                .stat("blpop").stat("blmove").stat("blmpop").stat("rpush").stat("lpop")
                .mark().call(0, "BLPOP k 0.01").call(0, "BLMOVE k j LEFT RIGHT 0.01").sinceMark());
    }

    /** Occurrences of {@code word} in {@code text}. */
    private static int count(String text, String word) {
        int n = 0;
        for (int i = text.indexOf(word); i >= 0; i = text.indexOf(word, i + 1)) {
            n++;
        }
        return n;
    }

    @Test
    void slowlogLatencyAndMonitorSeeABlockedCommandAsRedisDoes() {
        Script script = r -> {
            r.call(1, "CONFIG SET slowlog-log-slower-than 0").call(1, "SLOWLOG RESET").call(1, "LATENCY RESET")
                    .call(1, "CONFIG RESETSTAT");
            RespClient monitor = r.client();
            monitor.call("MONITOR");
            r.block(0, "BLPOP k 0").call(1, "RPUSH k a").read(0).call(0, "BLPOP k 0.01")
                    .block(0, "BRPOP k 0").call(1, "MULTI").call(1, "RPUSH k b").call(1, "LPOP k").call(1, "EXEC")
                    .call(1, "RPUSH k c").read(0);
            String slowlog = r.admin.call("SLOWLOG", "GET", "1000");
            r.replies.add("slowlog BLPOP " + count(slowlog, "BLPOP") + " BRPOP " + count(slowlog, "BRPOP"));
            String hist = r.admin.call("LATENCY", "HISTOGRAM", "blpop", "brpop");
            r.replies.add("histogram calls " + hist.replaceAll("(?s)histogram_usec\r\n[%*]\\d+\r\n(:\\d+\r\n)*", ""));
            r.admin.call("CONFIG", "SET", "slowlog-log-slower-than", "10000");
            r.admin.call("ECHO", "__end__");
            StringBuilder fed = new StringBuilder();
            while (!fed.toString().contains("__end__")) {
                fed.append(monitor.readReply());
            }
            r.replies.add("monitor BLPOP " + count(fed.toString(), "\"BLPOP\"") + " BRPOP "
                    + count(fed.toString(), "\"BRPOP\""));
        };
        same(3, 2, script);
    }

    @Test
    void infoAndClientListShowBlockedClients() {
        same(4, 3, r -> {
            r.block(0, "BLPOP k1 k2 k1 5").block(1, "BLMOVE k2 x LEFT LEFT 0");
            String info = r.admin.call("INFO", "clients");
            for (String field : new String[] {"blocked_clients:", "clients_in_timeout_table:", "total_blocking_keys:",
                    "total_blocking_keys_on_nokey:"}) {
                int i = info.indexOf(field);
                r.replies.add(i < 0 ? field + " missing" : info.substring(i, info.indexOf('\r', i)));
            }
            String list = r.admin.call("CLIENT", "LIST");
            r.replies.add("flags=b " + count(list, " flags=b ") + " cmd=blpop " + count(list, " cmd=blpop ")
                    + " cmd=blmove " + count(list, " cmd=blmove "));
            r.call(2, "RPUSH k2 a b").read(0).read(1).blocked();
        });
    }

    @Test
    void servingEmitsThePopAndPushEvents() {
        List<String> events = new ArrayList<>();
        RespClient sub = pair.redisClient();
        pair.redisClient().call("CONFIG", "SET", "notify-keyspace-events", "KEA");
        sub.call("PSUBSCRIBE", "__keyevent@14__:*");
        try {
            Script script = r -> r.block(0, "BLPOP a 0").call(1, "RPUSH a x").read(0)
                    .block(0, "BLMOVE s d RIGHT LEFT 0").call(1, "RPUSH s y z").read(0)
                    .block(0, "BLMPOP 0 1 m LEFT COUNT 9").call(1, "RPUSH m 1 2").read(0)
                    .block(0, "BRPOPLPUSH e e 0").call(1, "RPUSH e 1").read(0).call(1, "DEL s d e");
            Run ref = new Run(true, 14, 2);
            script.play(ref);
            ref.admin.call("SET", "__end__", "x");
            while (true) {
                String[] lines = sub.readReply().split("\r\n");
                if (lines[8].equals("__end__")) {
                    break;
                }
                events.add("14 " + lines[6].substring("__keyevent@14__:".length()) + " " + lines[8]);
            }
            EVENTS.clear();
            Run got = new Run(false, 14, 2);
            script.play(got);
            assertEquals(ref.replies, got.replies);
            assertTrue(events.size() > 10, "reference events: " + events);
            Supplier<List<String>> ours = () -> EVENTS.stream().filter(e -> e.startsWith("14 ")).toList();
            assertEquals(events, ours.get());
        } finally {
            pair.redisClient().call("CONFIG", "SET", "notify-keyspace-events", "");
        }
    }
}
