package io.cinnabar.kernel.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cinnabar.api.CommandFamily;
import io.cinnabar.api.CommandFlag;
import io.cinnabar.api.CommandSpec;
import io.cinnabar.api.Errors;
import io.cinnabar.kernel.info.LatencyHistogram;
import io.cinnabar.kernel.keyspace.Database;
import io.cinnabar.testkit.CommandInfoConformance;
import io.cinnabar.testkit.Differential;
import io.cinnabar.testkit.ReferenceRedis;
import io.cinnabar.testkit.RespClient;
import io.cinnabar.testkit.Resp;
import io.cinnabar.testkit.TestServer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class DiagnosticsFamilyTest {
    private static ReferenceRedis ref;
    private static TestServer srv;

    /** A command flagged skip_slowlog and an admin command, as plugins may declare them. */
    private static final CommandFamily FLAGGED = () -> List.of(
            CommandSpec.command("testquiet").arity(1).flags(CommandFlag.SKIP_SLOWLOG, CommandFlag.SKIP_MONITOR)
                    .handler((ctx, args, reply) -> reply.ok()).build(),
            CommandSpec.command("testadmin").arity(1).flags(CommandFlag.ADMIN).handler((ctx, args, reply) -> reply.ok())
                    .build());

    @BeforeAll
    static void start() {
        ref = ReferenceRedis.start();
        srv = TestServer.builder().option("enable-debug-command", "yes").family(FLAGGED).start();
    }

    @AfterAll
    static void stop() {
        if (srv != null) {
            srv.close();
        }
        if (ref != null) {
            ref.close();
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(String raw) {
        return (List<Object>) Resp.parse(raw);
    }

    /** Each entry without its id, time and duration (which differ between servers and runs). */
    private static List<Object> slowlogShape(RespClient c) {
        List<Object> out = new ArrayList<>();
        long previousId = -1;
        for (Object o : list(c.call("SLOWLOG", "GET", "-1"))) {
            List<Object> e = (List<Object>) o;
            long id = (Long) e.get(0);
            assertTrue(previousId < 0 || id == previousId - 1, "ids count down, newest first");
            previousId = id;
            assertTrue((Long) e.get(1) > 1_600_000_000L);
            assertTrue((Long) e.get(2) >= 0);
            assertTrue(((String) e.get(4)).matches("127\\.0\\.0\\.1:\\d+"), (String) e.get(4));
            out.add(List.of(e.get(3), e.get(5)));
        }
        return out;
    }

    @Test
    void slowlogRecordsCommandsAsRedis() {
        String longArg = "x".repeat(200);
        List<String> manyArgs = new ArrayList<>(List.of("CONFIG", "GET"));
        for (int i = 0; i < 40; i++) {
            manyArgs.add("p" + i);
        }
        try (RespClient r = ref.client(); RespClient c = srv.client()) {
            Differential d = new Differential(r, c);
            d.run("CONFIG SET slowlog-log-slower-than 0", "SLOWLOG RESET", "PING");
            d.cmd("ECHO", longArg);
            d.cmd(manyArgs.toArray(new String[0]));
            d.cmd("CONFIG", "SET", "masterauth", "secret", "hz", "10");
            d.cmd("CONFIG", "SET", "nosuch", "1", "masterauth", "secret");
            d.run("ECHO", "SLOWLOG LEN");
            assertEquals(slowlogShape(r), slowlogShape(c));
            d.run("CONFIG SET slowlog-max-len 0", "PING", "PING", "CONFIG SET slowlog-max-len 10", "SLOWLOG LEN");
            assertEquals(slowlogShape(r), slowlogShape(c));
            assertEquals(list(r.call("SLOWLOG", "GET", "2")).size(), list(c.call("SLOWLOG", "GET", "2")).size());
            d.run("CONFIG SET slowlog-log-slower-than -1", "CONFIG SET slowlog-max-len 1", "SLOWLOG LEN",
                    "CONFIG SET slowlog-log-slower-than 0", "SLOWLOG LEN", "CONFIG SET slowlog-max-len 128");
            d.run("SLOWLOG GET 0", "SLOWLOG GET -2", "SLOWLOG GET abc", "SLOWLOG GET 1 2", "SLOWLOG LEN x",
                    "SLOWLOG HELP", "SLOWLOG", "SLOWLOG NOSUCH", "CONFIG SET slowlog-max-len 2", "SLOWLOG LEN",
                    "CONFIG SET slowlog-log-slower-than -1", "SLOWLOG RESET",
                    "PING", "SLOWLOG LEN", "CONFIG SET slowlog-log-slower-than 10000", "CONFIG SET slowlog-max-len 128");
            d.cmd("CONFIG", "SET", "masterauth", "");
            d.assertSame();
        }
    }

    /** The usec INFO commandstats shows for {@code command} ("cmdstat_echo:calls=1,usec=12,..."). */
    private static long statUsec(RespClient c, String command) {
        for (String line : ((String) Resp.parse(c.call("INFO", "commandstats"))).split("\r\n")) {
            if (line.startsWith("cmdstat_" + command + ":")) {
                return Long.parseLong(line.replaceAll(".*,usec=(\\d+),.*", "$1"));
            }
        }
        throw new AssertionError("no cmdstat_" + command);
    }

    /** Pipelined commands each start where the one before ended: the sleep is the DEBUG's time, not the ECHO's. */
    @Test
    void aPipelinedCommandsTimeStartsAfterTheOneBefore() {
        // one write: both commands are in the same read
        String sleepThenEcho = "*3\r\n$5\r\nDEBUG\r\n$5\r\nSLEEP\r\n$3\r\n0.3\r\n*2\r\n$4\r\nECHO\r\n$5\r\nafter\r\n";
        for (RespClient c : new RespClient[] {ref.client(), srv.client()}) {
            try (c) {
                c.call("CONFIG", "SET", "slowlog-log-slower-than", "-1");
                c.call("CONFIG", "RESETSTAT");
                c.writeRaw(sleepThenEcho);
                assertEquals("+OK\r\n", c.readReply());
                assertEquals("$5\r\nafter\r\n", c.readReply());
                assertTrue(statUsec(c, "debug") >= 300_000);
                assertTrue(statUsec(c, "echo") < 150_000, "ECHO's time holds DEBUG SLEEP's");
                // a slowlog entry is work of its own: the command after it still starts after it
                c.call("CONFIG", "SET", "slowlog-log-slower-than", "100000");
                c.call("SLOWLOG", "RESET");
                c.writeRaw(sleepThenEcho);
                c.readReply();
                c.readReply();
                List<Object> entries = list(c.call("SLOWLOG", "GET"));
                assertEquals(List.of("DEBUG", "SLEEP", "0.3"), ((List<Object>) entries.get(0)).get(3));
                assertEquals(1, entries.size());
                c.call("CONFIG", "SET", "slowlog-log-slower-than", "10000");
            }
        }
    }

    @Test
    void slowlogSkipsFlaggedCommandsAndTruncatesLikeRedis() {
        try (RespClient c = srv.client()) {
            c.call("CONFIG", "SET", "slowlog-log-slower-than", "0");
            c.call("SLOWLOG", "RESET");
            c.call("TESTQUIET");
            c.call("TESTADMIN");
            List<Object> entries = list(c.call("SLOWLOG", "GET"));
            List<Object> newest = (List<Object>) entries.get(0);
            assertEquals(List.of("TESTADMIN"), newest.get(3));
            assertEquals(List.of("SLOWLOG", "RESET"), ((List<Object>) entries.get(1)).get(3));
            assertEquals(2, entries.size());
            c.call("CONFIG", "SET", "slowlog-log-slower-than", "10000");
        }
    }

    @Test
    void latencyRepliesAsRedisWhileMonitoringIsOff() {
        try (RespClient r = ref.client(); RespClient c = srv.client()) {
            Differential d = new Differential(r, c);
            d.run("LATENCY RESET", "LATENCY LATEST", "LATENCY HISTORY command", "LATENCY GRAPH command",
                    "LATENCY DOCTOR", "LATENCY RESET a b", "LATENCY HELP", "LATENCY HISTOGRAM nosuch",
                    "LATENCY HISTORY", "LATENCY GRAPH", "LATENCY LATEST x", "LATENCY DOCTOR x", "LATENCY HELP x",
                    "LATENCY", "LATENCY NOSUCH");
            d.assertSame();
        }
    }

    @Test
    void latencyMonitorRecordsCommandsAboveTheThreshold() {
        try (RespClient c = srv.client()) {
            // a threshold no other command of the test reaches, even on a cold JVM (at 1 ms, a LATENCY HISTORY
            // that took 1 ms added a second sample before the graph); the slow log's threshold above it, for
            // the doctor's tuning advice
            c.call("LATENCY", "RESET");
            c.call("CONFIG", "SET", "slowlog-log-slower-than", "1000000");
            c.call("CONFIG", "SET", "latency-monitor-threshold", "100");
            try {
                latencyMonitorRecordsASleep(c);
            } finally {
                c.call("CONFIG", "SET", "latency-monitor-threshold", "0");
                c.call("CONFIG", "SET", "slowlog-log-slower-than", "10000");
            }
        }
    }

    private static void latencyMonitorRecordsASleep(RespClient c) {
        c.call("DEBUG", "SLEEP", "0.2");
        List<Object> latest = list(c.call("LATENCY", "LATEST"));
        assertEquals(1, latest.size());
        List<Object> ev = (List<Object>) latest.get(0);
        assertEquals("command", ev.get(0));
        assertTrue((Long) ev.get(2) >= 200 && (Long) ev.get(3) >= 200, ev.toString());
        List<Object> history = list(c.call("LATENCY", "HISTORY", "command"));
        assertEquals(1, history.size());
        String graph = (String) Resp.parse(c.call("LATENCY", "GRAPH", "command"));
        String[] lines = graph.split("\n");
        assertTrue(lines[0].matches("command - high \\d+ ms, low \\d+ ms \\(all time high \\d+ ms\\)"), lines[0]);
        assertEquals("-".repeat(80), lines[1]);
        assertEquals("_", lines[5]);
        assertTrue(lines[7].matches("\\d"), lines[7]);
        assertEquals("s", lines[8]);
        String doctor = (String) Resp.parse(c.call("LATENCY", "DOCTOR"));
        assertTrue(doctor.startsWith("Dave, I have observed latency spikes in this Redis instance."), doctor);
        assertTrue(doctor.contains("1. command: 1 latency spikes (average "), doctor);
        assertTrue(doctor.contains("- Your current Slow Log configuration only logs events that are slower than your "
                + "configured latency monitor threshold. Please use 'CONFIG SET slowlog-log-slower-than 100000'."),
                doctor);
        assertEquals("-ERR No samples available for event 'COMMAND'\r\n", c.call("LATENCY", "GRAPH", "COMMAND"));
        assertEquals(":1\r\n", c.call("LATENCY", "RESET", "COMMAND"));
        assertEquals("*0\r\n", c.call("LATENCY", "LATEST"));
    }

    @Test
    void latencyHistogramCountsEveryCall() {
        try (RespClient c = srv.client()) {
            c.call("CONFIG", "RESETSTAT");
            for (int i = 0; i < 7; i++) {
                c.call("PING");
            }
            c.call("CONFIG", "GET", "hz");
            List<Object> all = list(c.call("LATENCY", "HISTOGRAM", "PING", "config", "nosuch"));
            assertEquals("ping", all.get(0));
            List<Object> ping = (List<Object>) all.get(1);
            assertEquals(List.of("calls", 7L, "histogram_usec"), ping.subList(0, 3));
            List<Object> buckets = (List<Object>) ping.get(3);
            assertEquals(7L, buckets.get(buckets.size() - 1));
            assertTrue(all.contains("config|get") && all.contains("config|resetstat"), all.toString());
            c.call("CONFIG", "SET", "latency-tracking", "no");
            c.call("PING");
            List<Object> after = list(c.call("LATENCY", "HISTOGRAM", "ping"));
            assertEquals(7L, ((List<Object>) after.get(1)).get(1));
            c.call("CONFIG", "SET", "latency-tracking", "yes");
        }
    }

    /** Bucket labels and percentiles as redis-server 7.2 printed them for the same durations. */
    @Test
    void latencyHistogramBucketsAsRedis() {
        LatencyHistogram h = new LatencyHistogram();
        long[] micros = {0, 0, 0, 0, 0, 1};
        for (long m : micros) {
            h.recordNanos(m * 1000);
        }
        assertEquals(1, h.valueAtPercentile(50));
        assertEquals(1003, h.valueAtPercentile(99));
        assertEquals(List.of(List.of(1L, 6L)), rows(h.cumulativeBuckets()));
        LatencyHistogram sleeps = new LatencyHistogram();
        long[] durations = {120, 250, 500, 1000, 2000, 4000, 8000, 16000, 33000, 130000, 260000, 520000};
        for (long m : durations) {
            sleeps.recordNanos(m * 1000);
        }
        long[] labels = Arrays.stream(sleeps.cumulativeBuckets()).mapToLong(b -> b[0]).toArray();
        assertEquals(List.of(132L, 264L, 528L, 1056L, 2113L, 4227L, 8454L, 16908L, 33816L, 135266L, 270532L, 541065L),
                Arrays.stream(labels).boxed().toList());
    }

    private static List<List<Long>> rows(long[][] b) {
        List<List<Long>> out = new ArrayList<>();
        for (long[] r : b) {
            out.add(List.of(r[0], r[1]));
        }
        return out;
    }

    /** MONITOR lines with the time and the client port masked. */
    private static String masked(String line) {
        return line.replaceFirst("^\\+\\d+\\.\\d{6} \\[(\\d+) 127\\.0\\.0\\.1:\\d+\\]", "+T [$1 ADDR]");
    }

    @Test
    void monitorShowsCommandsAsRedis() {
        try (RespClient rm = ref.client(); RespClient cm = srv.client(); RespClient r = ref.client();
             RespClient c = srv.client()) {
            assertEquals("+OK\r\n", rm.call("MONITOR"));
            assertEquals("+OK\r\n", cm.call("MONITOR"));
            Differential d = new Differential(r, c);
            d.run("PING");
            d.cmd("ECHO", "a\"b\u0001\n\\ é");
            d.run("SELECT 2", "PING", "CONFIG GET hz", "DEBUG SLEEP 0", "SELECT 0");
            d.cmd("CONFIG", "SET", "masterauth", "pw");
            d.cmd("CONFIG", "SET", "masterauth", "");
            d.run("AUTH a b", "AUTH a b c", "AUTH x", "HELLO 2 AUTH u");
            d.assertSame();
            for (int i = 0; i < 9; i++) {
                assertEquals(masked(rm.readReply()), masked(cm.readReply()));
            }
            // MONITOR again gets no reply at all; the monitor's own command shows in its feed after its reply
            rm.send("MONITOR");
            cm.send("MONITOR");
            assertEquals("+PONG\r\n", rm.call("PING"));
            assertEquals("+PONG\r\n", cm.call("PING"));
            assertEquals(masked(rm.readReply()), masked(cm.readReply()));
        }
    }

    @Test
    void monitorFeedFormat() {
        try (RespClient m = srv.client(); RespClient c = srv.client()) {
            m.call("MONITOR");
            c.call("SELECT", "3");
            c.call("TESTADMIN");
            c.call("TESTQUIET");
            c.call("ECHO", "x y");
            assertTrue(m.readReply().matches("\\+\\d{10}\\.\\d{6} \\[3 127\\.0\\.0\\.1:\\d+\\] \"SELECT\" \"3\"\r\n"));
            assertTrue(m.readReply().endsWith("] \"ECHO\" \"x y\"\r\n"));
        }
    }

    @Test
    void debugIsRefusedUnlessEnabled() {
        try (TestServer plain = TestServer.start(); RespClient c = plain.client()) {
            assertEquals("-" + Errors.NO_PERMISSION_DEBUG + "\r\n", c.call("DEBUG", "HELP"));
            assertEquals("-" + Errors.NO_PERMISSION_DEBUG + "\r\n", c.call("DEBUG", "SLEEP", "0"));
            assertEquals(2, plain.server().commands().lookup("debug").stats().rejectedCalls);
            assertEquals(0, plain.server().commands().lookup("debug").stats().calls);
        }
        try (TestServer local = TestServer.builder().option("enable-debug-command", "local").start();
             RespClient c = local.client()) {
            assertEquals("+OK\r\n", c.call("DEBUG", "SLEEP", "0"));
        }
    }

    @Test
    void debugSubcommandsAsRedis() {
        try (ReferenceRedis ref2 = ReferenceRedis.start();
             TestServer srv2 = TestServer.builder().option("enable-debug-command", "yes").start();
             RespClient r = ref2.client(); RespClient c = srv2.client()) {
            Differential d = new Differential(r, c);
            d.run("DEBUG DIGEST", "DEBUG POPULATE 3", "DEBUG POPULATE 3", "DEBUG POPULATE 2 p 10");
            for (String size : new String[] {"2", "10", "20", "21", "40", "100", "1000", "20000", "70000"}) {
                d.run("DEBUG POPULATE 1 s" + size + " " + size);
            }
            d.cmd("DEBUG", "POPULATE", "2", "a\u0000b");
            d.cmd("DEBUG", "POPULATE", "1", "y".repeat(200));
            d.run("DEBUG DIGEST", "DEBUG DIGEST-VALUE key:0 p:1 nokey s100:0", "DEBUG DIGEST-VALUE",
                    "DEBUG OBJECT nokey", "DEBUG OBJECT", "DEBUG SLEEP 0", "DEBUG SLEEP abc", "DEBUG SLEEP",
                    "DEBUG SET-ACTIVE-EXPIRE 0", "DEBUG SET-ACTIVE-EXPIRE 1", "DEBUG QUICKLIST-PACKED-THRESHOLD 5gb",
                    "DEBUG QUICKLIST-PACKED-THRESHOLD 0", "DEBUG QUICKLIST-PACKED-THRESHOLD 1kb",
                    "DEBUG LISTPACK key:0", "DEBUG LISTPACK nokey", "DEBUG QUICKLIST key:0", "DEBUG QUICKLIST key:0 1",
                    "DEBUG ERROR", "DEBUG ERROR oops", "DEBUG LOG hello", "DEBUG CHANGE-REPL-ID",
                    "DEBUG foo", "DEBUG", "DEBUG POPULATE -1", "DEBUG POPULATE abc",
                    "DEBUG POPULATE 1 x -5", "DEBUG POPULATE 1 2 3 4", "DEBUG HELP", "debug help extra",
                    "DEBUG PAUSE-CRON 1", "DEBUG PAUSE-CRON 0", "DEBUG CONFIG-REWRITE-FORCE-ALL");
            d.cmd("DEBUG", "ERROR", "WRONGTYPE my error");
            for (String t : new String[] {"string", "integer", "double", "bignum", "null", "array", "set", "map", "attrib",
                "push", "verbatim", "true", "false", "xyz", "STRING"}) {
                d.run("DEBUG PROTOCOL " + t);
            }
            d.assertSame();
            for (String key : new String[] {"key:0", "p:1", "s2:0", "s10:0", "s20:0", "s21:0", "s40:0", "s100:0",
                "s1000:0", "s20000:0", "s70000:0", "a:0"}) {
                assertEquals(maskObject(r.call("DEBUG", "OBJECT", key)), maskObject(c.call("DEBUG", "OBJECT", key)), key);
            }
        }
    }

    /** RESP3 replies: the reference switches with HELLO 3, this server's connection is switched directly. */
    @Test
    void resp3RepliesAsRedis() throws Exception {
        try (RespClient r = ref.client(); RespClient c = srv.client()) {
            r.call("HELLO", "3");
            c.call("PING");
            long newest = srv.server().clients().all().stream().mapToLong(cc -> cc.id()).max().orElseThrow();
            onLoop(srv, () -> {
                srv.server().clients().get(newest).setProtocol(3);
                return null;
            });
            Differential d = new Differential(r, c);
            for (String t : new String[] {"string", "integer", "double", "bignum", "null", "array", "set", "map",
                "verbatim", "true", "false"}) {
                d.run("DEBUG PROTOCOL " + t);
            }
            d.run("CONFIG GET maxmemory", "CONFIG GET nosuch", "LATENCY HISTOGRAM nosuch", "LATENCY DOCTOR");
            d.assertSame();
            // an attribute comes before the real reply, a push (held until the reply is written) after it
            for (String t : new String[] {"attrib", "push"}) {
                assertEquals(r.call("DEBUG", "PROTOCOL", t), c.call("DEBUG", "PROTOCOL", t));
                assertEquals(r.readReply(), c.readReply());
            }
        }
    }

    private static String maskObject(String reply) {
        return reply.replaceFirst("Value at:0x[0-9a-f]+", "Value at:X").replaceFirst("lru:\\d+ lru_seconds_idle:\\d+",
                "lru:L lru_seconds_idle:I");
    }

    @Test
    void debugSetActiveExpireControlsTheCron() throws Exception {
        try (TestServer s = TestServer.builder().option("enable-debug-command", "yes").option("hz", "100").start();
             RespClient c = s.client()) {
            assertEquals("+OK\r\n", c.call("DEBUG", "SET-ACTIVE-EXPIRE", "0"));
            assertFalse(s.server().activeExpireEnabled());
            byte[] key = "gone".getBytes(StandardCharsets.US_ASCII);
            onLoop(s, () -> {
                Database db = s.server().db(0);
                db.add(key, "v".getBytes(StandardCharsets.US_ASCII));
                db.setExpire(key, System.currentTimeMillis() - 1000);
                return null;
            });
            assertEquals("+OK\r\n", c.call("DEBUG", "SET-ACTIVE-EXPIRE", "1"));
            long deadline = System.currentTimeMillis() + 10_000;
            while (onLoop(s, () -> s.server().db(0).size()) != 0 && System.currentTimeMillis() < deadline) {
                Thread.onSpinWait();
            }
            assertEquals(0L, onLoop(s, () -> s.server().db(0).size()));
        }
    }

    private static <T> T onLoop(TestServer s, java.util.concurrent.Callable<T> task) throws Exception {
        CompletableFuture<T> f = new CompletableFuture<>();
        s.server().execute(() -> {
            try {
                f.complete(task.call());
            } catch (Exception e) {
                f.completeExceptionally(e);
            }
        });
        return f.get(10, TimeUnit.SECONDS);
    }

    @Test
    void commandDocsAndInfoMatchRedis() {
        try (RespClient r = ref.client(); RespClient c = srv.client()) {
            for (String name : List.of("config", "slowlog", "latency", "monitor", "debug")) {
                assertEquals(CommandInfoConformance.docsWithoutArguments(Resp.parse(r.call("COMMAND", "DOCS", name))).toString(),
                        CommandInfoConformance.docsWithoutArguments(Resp.parse(c.call("COMMAND", "DOCS", name))).toString(),
                        name);
            }
        }
        CommandInfoConformance.assertConforms(srv, List.of("config", "config|get", "config|set", "config|resetstat",
                "config|rewrite", "config|help", "slowlog", "slowlog|get", "slowlog|len", "slowlog|reset", "slowlog|help",
                "latency", "latency|doctor", "latency|graph", "latency|histogram", "latency|history", "latency|latest",
                "latency|reset", "latency|help", "monitor", "debug"));
    }

    @Test
    void debugCinnabarOnlySubcommands() {
        try (RespClient c = srv.client()) {
            // redis-server's own stringmatch fuzzer can crash it (7.2.6), so this one is checked here only
            assertEquals("+Apparently Redis did not crash: test passed\r\n", c.call("DEBUG", "STRINGMATCH-TEST"));
            String replId = srv.server().replication().replId();
            assertEquals("+OK\r\n", c.call("DEBUG", "CHANGE-REPL-ID"));
            assertFalse(replId.equals(srv.server().replication().replId()));
            assertEquals(-1, srv.server().replication().secondReplOffset());
            String report = (String) Resp.parse(c.call("DEBUG", "JMAP"));
            assertTrue(report.startsWith("heap: used="), report);
            assertTrue(report.contains("#instances"), report);
        }
    }
}
