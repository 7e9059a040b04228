package io.cinnabar.kernel.propagation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.cinnabar.datatypes.hashes.HashesFamily;
import io.cinnabar.datatypes.lists.ListsFamily;
import io.cinnabar.datatypes.sets.SetsFamily;
import io.cinnabar.datatypes.strings.StringsFamily;
import io.cinnabar.datatypes.zset.SortedSetFamily;
import io.cinnabar.testkit.Differential;
import io.cinnabar.testkit.Loop;
import io.cinnabar.testkit.ReplicationSniffer;
import io.cinnabar.testkit.RespClient;
import io.cinnabar.testkit.ServerPair;
import io.cinnabar.testkit.TestServer;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What goes to replicas and the AOF, compared with what redis-server 7.2 sends a replica for the same
 * commands: relative expiries as absolute deadlines, float increments as their results, random and blocking
 * pops as plain pops, transactions and lazy-expiry deletions as MULTI ... EXEC units, SELECT when the
 * database changes. Deadlines differ between the two servers and are compared as {@code <ms>}.
 */
class PropagationTest {
    private static ServerPair pair;
    private ReplicationSniffer redisStream;
    private final ByteArrayOutputStream cinnabarStream = new ByteArrayOutputStream();
    private CommandEncoder encoder;
    private Differential d;

    @BeforeAll
    static void start() {
        pair = ServerPair.start(TestServer.builder().option("enable-debug-command", "yes")
                        .family(new StringsFamily()).family(new ListsFamily()).family(new SetsFamily())
                        .family(new HashesFamily()).family(new SortedSetFamily()),
                "--enable-debug-command", "yes");
    }

    @AfterAll
    static void stop() {
        pair.close();
    }

    @BeforeEach
    void attach() {
        d = pair.diff();
        d.run("FLUSHALL", "DEBUG SET-ACTIVE-EXPIRE 0");
        redisStream = ReplicationSniffer.attach(pair.redis().port());
        encoder = new CommandEncoder((b, off, len) -> {
            synchronized (cinnabarStream) {
                cinnabarStream.write(b, off, len);
            }
        });
        Loop.run(pair.cinnabar(), () -> pair.cinnabar().server().propagator().addTarget(encoder));
    }

    @AfterEach
    void detach() {
        Loop.run(pair.cinnabar(), () -> pair.cinnabar().server().propagator().removeTarget(encoder));
        redisStream.close();
        d.run("DEBUG SET-ACTIVE-EXPIRE 1");
        pair.closeClients();
    }

    /** Both streams, normalised, once the reference sent as many commands as Cinnabar produced. */
    private void assertSameStream() {
        List<String> ours;
        synchronized (cinnabarStream) {
            ours = normalise(ReplicationSniffer.parse(cinnabarStream.toByteArray()));
        }
        List<String> theirs = normalise(redisStream.awaitCommands(ours.size(), Duration.ofSeconds(5)));
        assertEquals(String.join("\n", theirs), String.join("\n", ours));
        d.assertSame();
    }

    private static List<String> normalise(List<String> commands) {
        List<String> out = new ArrayList<>();
        for (String c : commands) {
            out.add(c.replaceAll("\\b1\\d{12}\\b", "<ms>"));
        }
        return out;
    }

    @Test
    void relativeExpiriesGoOutAsAbsoluteDeadlines() {
        d.run("SET a 1 EX 100", "SETEX b 100 x", "PSETEX c 100000 x", "SET d 1", "EXPIRE d 100 NX",
                "GETEX a EX 50", "GETEX a PERSIST", "GETEX a PERSIST", "GETDEL c", "SET k v PX 100000 GET",
                "SET k2 v EXAT 1999999999", "SET k3 v PXAT 1999999999999", "PEXPIREAT k3 1999999999998",
                "EXPIRE d -1", "EXPIRE missing 10", "GETEX k2 PXAT 1", "GETSET gs v");
        assertSameStream();
    }

    @Test
    void floatIncrementsGoOutAsTheirResults() {
        d.run("INCRBYFLOAT f 1.5", "INCRBYFLOAT f 0.1", "HSET h a 1", "HINCRBYFLOAT h a 0.5", "HINCRBYFLOAT h b 3");
        assertSameStream();
    }

    @Test
    void setPopsGoOutAsRemovalsOfWhatWasPopped() {
        d.run("SADD one x", "SPOP one", "SADD all a b c", "SPOP all 3", "SPOP all 0", "SADD s a", "SPOP s 1",
                "SPOP missing", "SPOP missing 2");
        assertSameStream();
    }

    @Test
    void listAndSortedSetPopsGoOutAsPlainPops() {
        d.run("RPUSH l a b c d e f g h", "BLPOP l 0", "BRPOP l 0", "LMPOP 1 l RIGHT", "BLMPOP 0 1 l LEFT COUNT 2",
                "BRPOPLPUSH l l2 0", "BLMOVE l l2 left RIGHT 0", "LMPOP 1 missing LEFT",
                "ZADD z 1 a 2 b 3 c 4 d 5 e", "ZMPOP 1 z MAX", "BZPOPMIN z 0", "BZMPOP 0 1 z MIN COUNT 2",
                "ZPOPMIN z 1");
        assertSameStream();
    }

    @Test
    void transactionsGoOutAsOneUnitAndSingleWritesAlone() {
        d.run("MULTI", "SET x 1", "INCR x", "SELECT 3", "SET y 2", "EXEC", "SELECT 0",
                "MULTI", "SET g 1", "GET g", "EXEC", "MULTI", "GET g", "EXEC");
        assertSameStream();
    }

    @Test
    void lazilyExpiredKeysAreDeletedInTheSameUnitAsTheCommandThatFoundThem() throws InterruptedException {
        d.run("SET e 1", "PEXPIRE e 1", "SET f 1 PX 1", "SET r 1 PX 1");
        Thread.sleep(5); // let the deadlines pass; active expiry is off on both servers
        d.run("INCR e", "APPEND f x", "GET r");
        assertSameStream();
    }

    @Test
    void aServedBlockedPopGoesOutAfterThePushThatServedIt() {
        RespClient redisWaiter = pair.redisClient();
        RespClient ourWaiter = pair.cinnabarClient();
        redisWaiter.send("BLPOP", "w", "0");
        ourWaiter.send("BLPOP", "w", "0");
        awaitBlocked(d.reference());
        awaitBlocked(d.candidate());
        d.run("LPUSH w x y");
        assertEquals(redisWaiter.readReply(), ourWaiter.readReply());
        assertSameStream();
    }

    private static void awaitBlocked(RespClient c) {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!c.call("INFO", "clients").contains("blocked_clients:1") && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
    }

    @Test
    void commandsThatChangeNothingSendNothing() {
        d.run("SET a 1", "DEL missing", "SET a 2 NX", "GET a", "EXPIRE missing 5", "PERSIST a", "LPOP missing",
                "SREM missing x", "ZREM missing x", "HDEL missing f", "SET a 3");
        assertSameStream();
    }
}
