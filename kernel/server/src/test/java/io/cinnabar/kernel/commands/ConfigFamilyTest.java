package io.cinnabar.kernel.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cinnabar.kernel.command.Command;
import io.cinnabar.testkit.Differential;
import io.cinnabar.testkit.ReferenceRedis;
import io.cinnabar.testkit.RespClient;
import io.cinnabar.testkit.Resp;
import io.cinnabar.testkit.TestServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigFamilyTest {
    /** Values that depend on how each server was started, not on its defaults. */
    private static final Set<String> MACHINE_SPECIFIC = Set.of("dir", "port", "pidfile", "daemonize", "bind", "save",
            "enable-debug-command", "logfile");
    /** Cinnabar's own parameters. */
    private static final Set<String> CINNABAR_ONLY = Set.of("plugins-dir", "plugin-required", "rdb-version", "storage-engine",
            "mapped-max-keys", "cluster-slot-stats-enabled");

    private static ReferenceRedis ref;
    private static TestServer srv;

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() {
        ref = ReferenceRedis.start();
        srv = TestServer.builder().option("enable-debug-command", "yes").option("save", "").option("loglevel", "notice")
                .start();
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

    private static Map<String, String> configMap(RespClient c, String... patterns) {
        Map<String, String> out = new LinkedHashMap<>();
        Resp.pairs(Resp.parse(c.call(cmd(patterns)))).forEach((k, v) -> out.put((String) k, (String) v));
        return out;
    }

    private static String[] cmd(String[] patterns) {
        List<String> cmd = new ArrayList<>(List.of("CONFIG", "GET"));
        cmd.addAll(List.of(patterns));
        return cmd.toArray(new String[0]);
    }

    @Test
    void configGetStarListsRedisNamesWithRedisDefaults() {
        try (RespClient r = ref.client(); RespClient c = srv.client()) {
            Map<String, String> redis = configMap(r, "*");
            Map<String, String> ours = configMap(c, "*");
            Set<String> ourNames = new TreeSet<>(ours.keySet());
            ourNames.removeAll(CINNABAR_ONLY);
            assertEquals(new TreeSet<>(redis.keySet()), ourNames);
            List<String> differing = new ArrayList<>();
            for (String name : redis.keySet()) {
                if (!MACHINE_SPECIFIC.contains(name) && !redis.get(name).equals(ours.get(name))) {
                    differing.add(name + ": redis=" + redis.get(name) + " cinnabar=" + ours.get(name));
                }
            }
            assertEquals(List.of(), differing);
        }
    }

    @Test
    void configGetTakesExactNamesAliasesAndPatterns() {
        try (RespClient r = ref.client(); RespClient c = srv.client()) {
            Differential d = new Differential(r, c);
            d.run("CONFIG GET maxmemory", "CONFIG GET MAXMEMORY maxmemory", "CONFIG GET nosuch", "CONFIG GET slaveof",
                    "CONFIG GET key-load-delay", "CONFIG GET key-load*", "CONFIG GET maxmemory-polic? *-policy",
                    "CONFIG GET HZ", "CONFIG GET [h]z", "CONFIG GET *ziplist-size", "CONFIG GET lua-time-limit",
                    "CONFIG GET nosuch*", "CONFIG GET");
            d.assertSame();
            // several matches come in Redis's hash order: compare them as sets
            for (String[] patterns : new String[][] {{"max*"}, {"slave*", "replica*"}, {"*-ziplist-*", "hash-*"},
                {"*a*", "hz"}, {"*policy*", "maxmemory*"}, {"notify-keyspace-events", "hz", "NOTIFY-keyspace-events"}}) {
                Map<String, String> ours = configMap(c, patterns);
                boolean ownNames = ours.keySet().removeAll(CINNABAR_ONLY); // e.g. *a* matches storage-engine
                assertEquals(configMap(r, patterns), ours, String.join(" ", patterns));
                if (!ownNames) {
                    assertEquals(r.call(cmd(patterns)).length(), c.call(cmd(patterns)).length(), String.join(" ", patterns));
                }
            }
        }
    }

    /** CONFIG SET replies and the value read back, for parameters of every type and a wide set of inputs. */
    @Test
    void configSetValidatesEveryTypeAsRedis() {
        String[] params = {"activerehashing", "hz", "maxmemory-samples", "list-max-listpack-size",
            "slowlog-log-slower-than", "active-defrag-cycle-min", "hash-max-listpack-value", "client-query-buffer-limit",
            "proto-max-bulk-len", "maxmemory", "cluster-link-sendbuf-limit", "maxmemory-clients", "maxmemory-policy",
            "loglevel", "oom-score-adj", "appendfsync", "shutdown-on-sigint", "cluster-announce-hostname",
            "cluster-announce-human-nodename", "proc-title-template", "replica-announce-ip", "save",
            "client-output-buffer-limit", "oom-score-adj-values", "notify-keyspace-events",
            "latency-tracking-info-percentiles", "databases", "daemonize", "dir", "dbfilename", "masterauth",
            "slave-priority", "lua-time-limit", "repl-backlog-size", "unixsocketperm", "key-load-delay", "replicaof",
            "locale-collate", "set-max-listpack-value", "tracking-table-max-keys"};
        String[] values = {"abc", "", "-1", "0", "1", "-2147483649", "2147483648", "4294967296", "9223372036854775807",
            "9223372036854775808", "18446744073709551615", "18446744073709551616", "-9223372036854775808", "1kb", "1k",
            "1gb", "5%", "-5%", "100%", "101%", "0777", "1 2", "yes", "NO", "1.5", "+1", "01", " 1", "1b", "1mb", "1KB",
            "-1kb", "1g", "1tb", "0x10", "3600 1 300 100", "0 1", "normal 1mb 2mb 30", "pubsub 1 2", "master 1 2 3",
            "1 2 3", "1 2 3000", "Ex", "AKEn", "gxKE$lshzetdmn", "50 99.99", "inf", "save now", "save nosave", "now  save",
            "{title} {port}", "{bad}", "{title}", "{{x", "C", "POSIX", "allkeys-LRU", "relative", "a-b.c", "a_b", "a%b",
            "no one"};
        try (RespClient r = ref.client(); RespClient c = srv.client()) {
            Differential d = new Differential(r, c);
            for (String p : params) {
                String redisStart = configMap(r, p).get(p);
                String ourStart = configMap(c, p).get(p);
                for (String v : values) {
                    d.cmd("CONFIG", "SET", p, v);
                    if (redisStart.equals(ourStart)) {
                        d.cmd("CONFIG", "GET", p);
                    }
                    r.call("CONFIG", "SET", p, redisStart);
                    c.call("CONFIG", "SET", p, ourStart);
                }
            }
            d.assertSame();
        }
    }

    @Test
    void configSetChecksNamesThenValuesFirstProblemWins() {
        try (RespClient r = ref.client(); RespClient c = srv.client()) {
            Differential d = new Differential(r, c);
            d.run("CONFIG SET a b c", "CONFIG SET nosuch 1 databases 2", "CONFIG SET databases 2 nosuch 1",
                    "CONFIG SET hz 5 HZ 6", "CONFIG SET slave-priority 1 replica-priority 2", "CONFIG GET replica-priority",
                    "CONFIG SET replica-priority 100", "CONFIG SET SLAVE-PRIORITY abc", "CONFIG SET hz abc maxmemory xyz",
                    "CONFIG SET hz 5 maxmemory xyz", "CONFIG GET hz", "CONFIG SET requirepass", "CONFIG SET",
                    "CONFIG SET hz 11 timeout 3", "CONFIG GET hz", "CONFIG GET timeout", "CONFIG SET hz 10 timeout 0",
                    "CONFIG SET maxmemory-policy allkeys-lru maxmemory-policy noeviction",
                    "CONFIG SET dbfilename x.rdb hz 12", "CONFIG GET hz");
            d.assertSame();
        }
    }

    @Test
    void configSetReachesRunningConnections() {
        try (RespClient r = ref.client(); RespClient c = srv.client()) {
            Differential d = new Differential(r, c);
            d.run("CONFIG SET maxclients 1");
            try (RespClient r2 = ref.client(); RespClient c2 = srv.client()) {
                assertEquals(r2.readReply(), c2.readReply());
                assertTrue(r2.isClosedByServer() && c2.isClosedByServer());
            }
            d.run("CONFIG SET maxclients 10000", "CONFIG SET requirepass sekret");
            try (RespClient r2 = ref.client(); RespClient c2 = srv.client()) {
                Differential d2 = new Differential(r2, c2);
                d2.run("PING");
                d2.assertSame();
            }
            d.run("PING");
            d.cmd("CONFIG", "SET", "requirepass", "");
            d.run("CONFIG SET proto-max-bulk-len 1mb");
            try (RespClient r2 = ref.client(); RespClient c2 = srv.client()) {
                byte[] tooLong = "*2\r\n$4\r\nECHO\r\n$2000000\r\n".getBytes(StandardCharsets.US_ASCII);
                r2.writeRaw(tooLong);
                c2.writeRaw(tooLong);
                assertEquals(r2.readReply(), c2.readReply());
            }
            d.run("CONFIG SET proto-max-bulk-len 512mb", "CONFIG GET proto-max-bulk-len");
            d.assertSame();
        }
        assertEquals(512L << 20, srv.server().config().getLong("proto-max-bulk-len"));
    }

    @Test
    void resetStatClearsCommandAndServerStats() {
        try (RespClient c = srv.client()) {
            c.call("CONFIG", "GET", "hz");
            c.call("CONFIG", "GET", "hz");
            Command get = srv.server().commands().lookup("config").subcommand("get");
            assertTrue(get.stats().calls >= 2);
            assertEquals("+OK\r\n", c.call("CONFIG", "RESETSTAT"));
            assertEquals(0, get.stats().calls);
            assertEquals(0, get.stats().micros);
            assertEquals(null, srv.server().metrics().latency(get));
            // the RESETSTAT call itself is counted after the reset, as in Redis
            assertEquals(1, srv.server().commands().lookup("config").subcommand("resetstat").stats().calls);
        }
    }

    @Test
    void configHelpAndErrorsAsRedis() {
        try (RespClient r = ref.client(); RespClient c = srv.client()) {
            Differential d = new Differential(r, c);
            d.run("CONFIG HELP", "config help", "CONFIG", "CONFIG FOO", "CONFIG HELP x", "CONFIG RESETSTAT x",
                    "CONFIG REWRITE x", "CONFIG REWRITE", "CONFIG GET");
            d.assertSame();
        }
    }

    /**
     * The same file and the same CONFIG SETs on both servers: lines kept in place must be identical; lines
     * appended after the signature come in Redis's hash order, so they compare as sets.
     */
    @Test
    void configRewriteEditsTheFileAsRedis() throws Exception {
        Path inc = tmp.resolve("inc.conf");
        Files.writeString(inc, "timeout 5\n");
        String conf = "# top comment\nsave 900 1\nsave 300 10\n\n\n# another\nmaxmemory 100mb\n"
                + "hash-max-ziplist-entries 100\nslave-priority 50\n  maxmemory-samples   7  \nhz 10\nHz 20\n"
                + "client-output-buffer-limit normal 0 0 0\nnotify-keyspace-events \"Ex\"\nmasterauth secret\n"
                + "include " + inc + "\nrename-command FLUSHALL \"\"\nlua-time-limit 100\nbind 127.0.0.1 -::1\n";
        Path redisConf = Files.createDirectories(tmp.resolve("r")).resolve("redis.conf");
        Path ourConf = Files.createDirectories(tmp.resolve("c")).resolve("cinnabar.conf");
        Files.writeString(redisConf, conf);
        Files.writeString(ourConf, conf);
        String[] sets = {"CONFIG", "SET", "maxmemory", "1gb", "hz", "10", "timeout", "30", "notify-keyspace-events", "",
            "client-output-buffer-limit", "pubsub 1mb 2mb 30 replica 0 0 0", "maxmemory-clients", "5%",
            "latency-tracking-info-percentiles", "50 99.99", "proc-title-template", "{title} x\"y",
            "oom-score-adj-values", "1 2 3", "save", "", "appendfsync", "always", "replica-announce-ip", "1.2.3.4",
            "masterauth", "", "maxmemory-samples", "5", "loglevel", "warning", "shutdown-on-sigterm", "now save"};
        try (ReferenceRedis ref2 = ReferenceRedis.startWithConfig(redisConf);
             TestServer srv2 = TestServer.builder().configFile(ourConf).option("save", "")
                     .option("enable-debug-command", "yes").start();
             RespClient r = ref2.client(); RespClient c = srv2.client()) {
            Differential d = new Differential(r, c);
            d.cmd(sets);
            d.run("CONFIG REWRITE");
            d.assertSame();
        }
        List<String> redis = Files.readAllLines(redisConf);
        List<String> ours = Files.readAllLines(ourConf);
        int rs = redis.indexOf("# Generated by CONFIG REWRITE");
        int cs = ours.indexOf("# Generated by CONFIG REWRITE");
        assertTrue(rs > 0 && cs > 0, String.join("\n", ours));
        assertEquals(redis.subList(0, rs), ours.subList(0, cs));
        assertEquals(appended(redis.subList(rs, redis.size())), appended(ours.subList(cs, ours.size())));
    }

    private static Set<String> appended(List<String> lines) {
        Set<String> out = new HashSet<>();
        for (String l : lines) {
            String name = l.split(" ")[0];
            if (!MACHINE_SPECIFIC.contains(name) && !CINNABAR_ONLY.contains(name)) {
                out.add(l);
            }
        }
        return out;
    }
}
