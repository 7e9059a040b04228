package io.cinnabar.kernel.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.cinnabar.api.AclCategory;
import io.cinnabar.api.CommandFamily;
import io.cinnabar.api.CommandSpec;
import io.cinnabar.api.InfoSection;
import io.cinnabar.kernel.info.LatencyHistogram;
import io.cinnabar.kernel.server.CinnabarServer;
import io.cinnabar.testkit.Differential;
import io.cinnabar.testkit.Loop;
import io.cinnabar.testkit.ReferenceRedis;
import io.cinnabar.testkit.Resp;
import io.cinnabar.testkit.RespClient;
import io.cinnabar.testkit.TestServer;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ServerFamilyTest {
    private static ReferenceRedis redis;
    private static TestServer server;

    @BeforeAll
    static void start() {
        redis = ReferenceRedis.start();
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    /** Section title -> fields, from an INFO reply's text. */
    static Map<String, Map<String, String>> parseInfo(String raw) {
        Object v = Resp.parse(raw);
        Map<String, Map<String, String>> sections = new LinkedHashMap<>();
        Map<String, String> current = null;
        for (String line : ((String) v).split("\r\n")) {
            if (line.startsWith("# ")) {
                current = new LinkedHashMap<>();
                sections.put(line.substring(2), current);
            } else if (!line.isEmpty()) {
                int colon = line.indexOf(':');
                assertTrue(colon > 0 && current != null, "malformed INFO line: " + line);
                current.put(line.substring(0, colon), line.substring(colon + 1));
            }
        }
        return sections;
    }

    private static List<String> titles(RespClient c, String... args) {
        List<String> cmd = new ArrayList<>(List.of("INFO"));
        cmd.addAll(List.of(args));
        List<String> out = new ArrayList<>(parseInfo(c.call(cmd.toArray(new String[0]))).keySet());
        out.remove("Plugins");
        return out;
    }

    @Test
    void infoEverythingHasEveryFieldRedisHasPerSection() {
        try (RespClient r = redis.client(); RespClient c = server.client()) {
            Map<String, Map<String, String>> want = parseInfo(r.call("INFO", "everything"));
            Map<String, Map<String, String>> got = parseInfo(c.call("INFO", "everything"));
            List<String> missing = new ArrayList<>();
            for (String section : List.of("Server", "Clients", "Memory", "Persistence", "Stats", "Replication", "CPU",
                    "Cluster")) {
                assertTrue(got.containsKey(section), "no section " + section);
                for (String field : want.get(section).keySet()) {
                    if (!got.get(section).containsKey(field)) {
                        missing.add(section + "." + field);
                    }
                }
            }
            if (!missing.isEmpty()) {
                fail("INFO fields of redis-server we do not report: " + missing);
            }
        }
    }

    @Test
    void infoSectionSelectionMatchesRedis() {
        try (RespClient r = redis.client(); RespClient c = server.client()) {
            for (String[] args : List.of(new String[0], new String[] {"default"}, new String[] {"all"},
                    new String[] {"everything"}, new String[] {"server", "clients"}, new String[] {"CPU", "Keyspace"},
                    new String[] {"default", "commandstats"}, new String[] {"all", "server"},
                    new String[] {"module_list"}, new String[] {"modules"}, new String[] {"latencystats", "errorstats"})) {
                assertEquals(titles(r, args), titles(c, args), "sections of INFO " + String.join(" ", args));
            }
            assertEquals(List.of("Plugins"), new ArrayList<>(parseInfo(c.call("INFO", "plugins")).keySet()));
            Differential d = new Differential(r, c);
            d.run("INFO nosuchsection", "INFO nosuch other");
            d.assertSame();
        }
    }

    @Test
    void infoValuesAreWellFormed() {
        try (RespClient c = server.client()) {
            Map<String, Map<String, String>> info = parseInfo(c.call("INFO", "everything"));
            Map<String, String> s = info.get("Server");
            assertEquals("7.2.6", s.get("redis_version"));
            assertTrue(s.get("run_id").matches("[0-9a-f]{40}"), s.get("run_id"));
            assertEquals(String.valueOf(server.port()), s.get("tcp_port"));
            assertEquals(String.valueOf(ProcessHandle.current().pid()), s.get("process_id"));
            assertEquals("name=tcp,bind=127.0.0.1,port=" + server.port(), s.get("listener0"));
            long micros = Long.parseLong(s.get("server_time_usec"));
            assertTrue(Math.abs(micros / 1000 - System.currentTimeMillis()) < 60_000);
            Map<String, String> mem = info.get("Memory");
            assertTrue(Long.parseLong(mem.get("used_memory")) > 0);
            assertTrue(Long.parseLong(mem.get("used_memory_rss")) > 0);
            assertTrue(Long.parseLong(mem.get("used_memory_peak")) >= Long.parseLong(mem.get("used_memory_startup")));
            assertTrue(mem.get("used_memory_human").matches("\\d+(\\.\\d\\d[KMGTP])?B?"), mem.get("used_memory_human"));
            assertTrue(mem.get("mem_fragmentation_ratio").matches("\\d+\\.\\d\\d"));
            assertEquals("noeviction", mem.get("maxmemory_policy"));
            assertEquals("master", info.get("Replication").get("role"));
            assertTrue(info.get("Replication").get("master_replid").matches("[0-9a-f]{40}"));
            assertTrue(info.get("CPU").get("used_cpu_user").matches("\\d+\\.\\d{6}"));
            assertEquals("0", info.get("Cluster").get("cluster_enabled"));
            assertEquals("0", info.get("Persistence").get("loading"));
            assertTrue(Long.parseLong(info.get("Stats").get("total_connections_received")) >= 1);
        }
    }

    @Test
    void infoIsAVerbatimStringInResp3() {
        try (RespClient c = server.client()) {
            c.call("PING");
            Loop.useResp3(server);
            String raw = c.call("INFO", "cluster");
            assertEquals("=34\r\ntxt:# Cluster\r\ncluster_enabled:0\r\n\r\n", raw);
            assertEquals("=4\r\ntxt:\r\n", c.call("INFO", "nosuch"));
        }
    }

    @Test
    void commandstatsErrorstatsAndLatencystatsFollowCommands() {
        try (TestServer s = TestServer.start(); RespClient r = redis.client(); RespClient c = s.client()) {
            Loop.run(s, () -> s.server().resetStats());
            r.call("CONFIG", "RESETSTAT");
            Differential d = new Differential(r, c);
            d.run("PING", "PING x", "COMMAND COUNT x", "COMMAND nosuch", "NOSUCHCOMMAND", "COMMAND GETKEYS ping",
                    "INFO errorstats");
            d.assertSame();
            String stats = (String) Resp.parse(c.call("INFO", "commandstats"));
            assertTrue(Pattern.compile("cmdstat_ping:calls=2,usec=\\d+,usec_per_call=\\d+\\.\\d\\d,rejected_calls=0,"
                    + "failed_calls=0\r\n").matcher(stats).find(), stats);
            assertTrue(stats.contains("cmdstat_command|count:calls=0,usec=0,usec_per_call=0.00,rejected_calls=1,"
                    + "failed_calls=0\r\n"), stats);
            assertTrue(Pattern.compile("cmdstat_command\\|getkeys:calls=1,usec=\\d+,usec_per_call=[\\d.]+,"
                    + "rejected_calls=0,failed_calls=1").matcher(stats).find(), stats);
            assertFalse(stats.contains("cmdstat_command:"), "an unknown subcommand counts for no command: " + stats);
            assertEquals(fieldNames(r.call("INFO", "commandstats")), fieldNames(c.call("INFO", "commandstats")),
                    "commands with stats (CONFIG RESETSTAT aside)");
            String latency = (String) Resp.parse(c.call("INFO", "latencystats"));
            assertTrue(Pattern.compile("latency_percentiles_usec_ping:p50=\\d+\\.\\d{3},p99=\\d+\\.\\d{3},"
                    + "p99\\.9=\\d+\\.\\d{3}\r\n").matcher(latency).find(), latency);
            assertEquals(fieldNames(r.call("INFO", "latencystats")), fieldNames(c.call("INFO", "latencystats")));
        }
    }

    /** Field names, without the reference's own CONFIG RESETSTAT (our test resets through the API). */
    private static List<String> fieldNames(String raw) {
        List<String> out = new ArrayList<>();
        for (Map<String, String> fields : parseInfo(raw).values()) {
            out.addAll(fields.keySet());
        }
        out.removeIf(n -> n.endsWith("config|resetstat"));
        out.sort(null);
        return out;
    }

    @Test
    void keyspaceSectionCountsKeysExpiresAndAverageTtl() {
        try (TestServer s = TestServer.start(); RespClient c = s.client()) {
            assertEquals("# Keyspace\r\n", Resp.parse(c.call("INFO", "keyspace")));
            Loop.run(s, () -> {
                var db = s.server().db(0);
                db.set("a".getBytes(StandardCharsets.UTF_8), new byte[] {'1'});
                db.set("b".getBytes(StandardCharsets.UTF_8), new byte[] {'2'});
                db.setExpire("b".getBytes(StandardCharsets.UTF_8), System.currentTimeMillis() + 100_000);
                s.server().db(3).set("c".getBytes(StandardCharsets.UTF_8), new byte[] {'3'});
            });
            Map<String, String> ks = parseInfo(c.call("INFO", "keyspace")).get("Keyspace");
            assertEquals(List.of("db0", "db3"), new ArrayList<>(ks.keySet()));
            java.util.regex.Matcher m = Pattern.compile("keys=2,expires=1,avg_ttl=(\\d+)").matcher(ks.get("db0"));
            assertTrue(m.matches(), ks.get("db0"));
            long avg = Long.parseLong(m.group(1));
            assertTrue(avg > 90_000 && avg <= 100_000, "avg_ttl " + avg);
            assertEquals("keys=1,expires=0,avg_ttl=0", ks.get("db3"));
        }
    }

    @Test
    void resetStatsClearsCountersAndCommandStats() {
        try (TestServer s = TestServer.start(); RespClient c = s.client()) {
            c.call("PING");
            c.call("NOSUCHCOMMAND");
            Loop.run(s, () -> s.server().resetStats());
            Map<String, Map<String, String>> info = parseInfo(c.call("INFO", "stats", "commandstats", "errorstats",
                    "latencystats"));
            assertEquals("0", info.get("Stats").get("total_commands_processed"));
            assertEquals("0", info.get("Stats").get("total_error_replies"));
            assertTrue(info.get("Commandstats").isEmpty(), info.toString());
            assertTrue(info.get("Errorstats").isEmpty(), info.toString());
            assertTrue(info.get("Latencystats").isEmpty(), info.toString());
        }
    }

    @Test
    void instantaneousOpsPerSecondIsSampled() {
        try (RespClient c = server.client()) {
            long deadline = System.currentTimeMillis() + 10_000;
            while (System.currentTimeMillis() < deadline) {
                for (int i = 0; i < 200; i++) {
                    c.call("PING");
                }
                String ops = parseInfo(c.call("INFO", "stats")).get("Stats").get("instantaneous_ops_per_sec");
                if (Long.parseLong(ops) > 0) {
                    return;
                }
            }
            fail("instantaneous_ops_per_sec stayed 0 while commands ran");
        }
    }

    @Test
    void latencyHistogramReportsRedisBucketValues() {
        LatencyHistogram h = new LatencyHistogram();
        h.recordNanos(5_000);
        assertEquals(5_023, h.valueAtPercentile(50));
        h.recordNanos(12_000);
        assertEquals(12_031, h.valueAtPercentile(99));
        assertEquals(5_023, h.valueAtPercentile(50));
        LatencyHistogram small = new LatencyHistogram();
        small.recordNanos(4_000);
        assertEquals(4_015, small.valueAtPercentile(99.9));
        small.recordNanos(0);
        assertEquals(1, small.valueAtPercentile(0));
    }

    @Test
    void pluginInfoSectionsStandAloneOrMergeIntoBuiltins() {
        InfoSection own = section("example", "hits", 3);
        InfoSection stats = section("stats", "pubsub_channels", 7);
        try (TestServer s = TestServer.builder().info(own).info(stats).start(); RespClient c = s.client()) {
            assertFalse(parseInfo(c.call("INFO")).containsKey("example"));
            assertEquals("3", parseInfo(c.call("INFO", "example")).get("example").get("hits"));
            assertEquals("3", parseInfo(c.call("INFO", "everything")).get("example").get("hits"));
            assertEquals("3", parseInfo(c.call("INFO", "modules")).get("example").get("hits"));
            Map<String, String> st = parseInfo(c.call("INFO", "stats")).get("Stats");
            assertEquals("7", st.get("pubsub_channels"));
            List<String> names = new ArrayList<>(st.keySet());
            assertTrue(names.indexOf("pubsub_channels") < names.indexOf("pubsub_patterns"), "merged in place");
            Map<String, String> plugins = parseInfo(c.call("INFO", "plugins")).get("Plugins");
            assertEquals("1", plugins.get("plugins_loaded"));
            assertEquals("2", plugins.get("info_sections"));
        }
    }

    private static InfoSection section(String name, String field, Object value) {
        return new InfoSection() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public void write(InfoWriter out) {
                out.field(field, value);
            }
        };
    }

    @Test
    void timeIsTheServerClock() {
        try (RespClient r = redis.client(); RespClient c = server.client()) {
            List<?> ours = (List<?>) Resp.parse(c.call("TIME"));
            List<?> theirs = (List<?>) Resp.parse(r.call("TIME"));
            assertEquals(2, ours.size());
            long seconds = Long.parseLong((String) ours.get(0));
            long micros = Long.parseLong((String) ours.get(1));
            assertTrue(Math.abs(seconds - Long.parseLong((String) theirs.get(0))) <= 2);
            assertTrue(micros >= 0 && micros < 1_000_000);
            Differential d = new Differential(r, c);
            d.run("TIME x");
            d.assertSame();
        }
    }

    @Test
    void moduleListShowsPluginsAsModules() {
        CommandFamily family = () -> List.of(CommandSpec.command("examplecmd").arity(1).acl(AclCategory.STRING)
                .handler((ctx, args, reply) -> reply.ok()).build());
        try (TestServer s = TestServer.builder().family(family).pluginId("example").start();
             RespClient c = s.client()) {
            assertEquals("*1\r\n*8\r\n$4\r\nname\r\n$7\r\nexample\r\n$3\r\nver\r\n:100\r\n$4\r\npath\r\n"
                    + "$11\r\n(classpath)\r\n$4\r\nargs\r\n*0\r\n", c.call("MODULE", "LIST"));
            assertTrue(((String) Resp.parse(c.call("INFO", "modules")))
                    .contains("module:name=example,ver=100,api=1,filters=0,usedby=[],using=[],options=[]\r\n"));
        }
        try (RespClient r = redis.client(); RespClient c = server.client()) {
            Differential d = new Differential(r, c);
            d.run("MODULE LIST", "MODULE HELP", "MODULE LOAD /nonexistent.so", "MODULE LOADEX /x.so", "MODULE UNLOAD x",
                    "MODULE", "MODULE nosuch", "MODULE LIST x", "MODULE UNLOAD");
            d.assertSame();
        }
    }

    @Test
    void moduleLoadExplainsPluginsWhenModuleCommandIsEnabled() {
        try (TestServer s = TestServer.builder().option("enable-module-command", "yes").start();
             RespClient c = s.client()) {
            String reply = c.call("MODULE", "LOAD", "/x.so");
            assertTrue(reply.startsWith("-ERR Cinnabar loads modules as plugins from plugins-dir"), reply);
        }
        try (TestServer s = TestServer.builder().option("enable-module-command", "local").start();
             RespClient c = s.client()) {
            assertTrue(c.call("MODULE", "UNLOAD", "x").startsWith("-ERR Cinnabar loads modules"));
        }
    }

    @Test
    void memoryUsageCountsKeyAndValue() {
        try (TestServer s = TestServer.start(); RespClient c = s.client()) {
            byte[] value = new byte[100];
            Loop.run(s, () -> s.server().db(0).set("k".getBytes(StandardCharsets.UTF_8), value));
            long usage = (Long) Resp.parse(c.call("MEMORY", "USAGE", "k"));
            assertTrue(usage > 100, "usage " + usage);
            assertEquals(usage, Resp.parse(c.call("MEMORY", "USAGE", "k", "SAMPLES", "0")));
            assertEquals(usage, Resp.parse(c.call("MEMORY", "USAGE", "k", "samples", "10")));
            Map<Object, Object> stats = Resp.pairs(Resp.parse(c.call("MEMORY", "STATS")));
            assertEquals(1L, stats.get("keys.count"));
            Map<Object, Object> db0 = Resp.pairs(stats.get("db.0"));
            assertEquals(List.of("overhead.hashtable.main", "overhead.hashtable.expires",
                    "overhead.hashtable.slot-to-keys"), new ArrayList<>(db0.keySet()));
        }
        try (RespClient r = redis.client(); RespClient c = server.client()) {
            Differential d = new Differential(r, c);
            d.run("MEMORY USAGE nokey", "MEMORY USAGE nokey SAMPLES 5", "MEMORY USAGE nokey SAMPLES -1",
                    "MEMORY USAGE nokey SAMPLES x", "MEMORY USAGE nokey SAMPLES", "MEMORY USAGE nokey foo bar",
                    "MEMORY USAGE", "MEMORY HELP", "MEMORY PURGE", "MEMORY", "MEMORY nosuch", "MEMORY STATS x",
                    "MEMORY DOCTOR x", "MEMORY MALLOC-STATS x", "MEMORY PURGE x", "MEMORY HELP x");
            d.assertSame();
        }
    }

    @Test
    void memoryStatsHasRedisFieldNames() {
        try (RespClient r = redis.client(); RespClient c = server.client()) {
            r.call("FLUSHALL");
            Map<Object, Object> want = Resp.pairs(Resp.parse(r.call("MEMORY", "STATS")));
            Map<Object, Object> got = Resp.pairs(Resp.parse(c.call("MEMORY", "STATS")));
            assertEquals(new ArrayList<>(want.keySet()), new ArrayList<>(got.keySet()));
            for (Object k : List.of("dataset.percentage", "peak.percentage", "fragmentation")) {
                Double.parseDouble((String) got.get(k));
            }
            Loop.useResp3(server);
            Map<Object, Object> resp3 = Resp.pairs(Resp.parse(c.call("MEMORY", "STATS")));
            assertTrue(resp3.get("fragmentation") instanceof Double, "RESP3 doubles: " + resp3);
        }
    }

    @Test
    void memoryDoctorAndMallocStatsAreReports() {
        try (RespClient c = server.client()) {
            String doctor = (String) Resp.parse(c.call("MEMORY", "DOCTOR"));
            assertTrue(doctor.startsWith("Hi Sam") || doctor.startsWith("Sam, I detected"), doctor);
            assertTrue(doctor.endsWith("\n"));
            String malloc = (String) Resp.parse(c.call("MEMORY", "MALLOC-STATS"));
            assertTrue(malloc.startsWith("___ Begin JVM memory statistics ___\n") && malloc.contains("Heap: used="),
                    malloc);
        }
    }

    @Test
    void shutdownArgumentErrorsMatchRedis() {
        try (RespClient r = redis.client(); RespClient c = server.client()) {
            Differential d = new Differential(r, c);
            d.run("SHUTDOWN ABORT", "SHUTDOWN abort", "SHUTDOWN NOW ABORT", "SHUTDOWN ABORT FORCE", "SHUTDOWN SAVE NOSAVE",
                    "SHUTDOWN nosuch", "SHUTDOWN NOSAVE NOW x");
            d.assertSame();
        }
    }

    @Test
    void shutdownStopsTheServer() {
        TestServer s = TestServer.start();
        int port = s.port();
        List<CinnabarServer.ShutdownRequest> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        s.server().onPrepareShutdown(req -> {
            seen.add(req);
            return true;
        });
        try (RespClient c = s.client()) {
            c.send("SHUTDOWN", "NOSAVE", "NOW");
            assertTrue(c.isClosedByServer(), "the connection closes without a reply");
        }
        assertEquals(List.of(new CinnabarServer.ShutdownRequest(false, true, true, false)), seen);
        assertTrue(s.server().isShuttingDown());
        long deadline = System.currentTimeMillis() + 10_000;
        while (System.currentTimeMillis() < deadline && accepts(port)) {
            Thread.onSpinWait();
        }
        assertFalse(accepts(port), "the port still accepts connections after SHUTDOWN");
        s.close();
    }

    @Test
    void shutdownRefusedByAFailingStepUnlessForced() {
        try (TestServer s = TestServer.start(); RespClient c = s.client()) {
            s.server().onPrepareShutdown(req -> false);
            assertEquals("-ERR Errors trying to SHUTDOWN. Check logs.\r\n", c.call("SHUTDOWN"));
            assertEquals("+PONG\r\n", c.call("PING"));
            assertFalse(s.server().isShuttingDown());
            c.send("SHUTDOWN", "FORCE");
            assertTrue(c.isClosedByServer());
            assertTrue(s.server().isShuttingDown());
        }
    }

    private static boolean accepts(int port) {
        try (Socket ignored = new Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
