package io.cinnabar.kernel.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cinnabar.api.ConfigParameter;
import io.cinnabar.testkit.ReferenceRedis;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigTest {
    @TempDir
    Path dir;

    private static String loadError(Path file, String... args) {
        Config c = new Config();
        ConfigError e = assertThrows(ConfigError.class, () -> {
            c.load(file, List.of(args));
            c.finishLoading();
        });
        return e.getMessage();
    }

    /** What redis-server prints on stderr (or, for an unreadable file, its log line) for these arguments. */
    private static String redisServerError(Path file, String... args) throws Exception {
        String bin = ReferenceRedis.binary();
        Assumptions.assumeTrue(bin != null, "no reference redis-server");
        List<String> cmd = new ArrayList<>(List.of(bin));
        if (file != null) {
            cmd.add(file.toString());
        }
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).start();
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("redis-server accepted " + cmd);
        }
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        return err.isEmpty() ? out : err;
    }

    private Path file(String name, String content) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, content, StandardCharsets.ISO_8859_1);
        return f;
    }

    @Test
    void startupErrorsPrintWhatRedisServerPrints() throws Exception {
        String[][] cases = {
            {"--foo", "bar"},
            {"--port"},
            {"--hz", "abc"},
            {"--save", "1", "2", "--maxmemory", "1x"},
            {"--replicaof", "a b"},
            {"--databases", "0"},
            {"--save", "0 1"},
            {"--enable-debug-command", "maybe"},
            {"--maxmemory-clients", "101%"},
            {"--unixsocketperm", "8"},
            {"--client-output-buffer-limit", "master 1 2 3"},
            {"--notify-keyspace-events", "Q"},
            {"--shutdown-on-sigint", "save", "nosave"},
            {"--appendfilename", "a/b"},
            {"--port", "--loglevel", "verbose"},
        };
        for (String[] c : cases) {
            assertEquals(redisServerError(null, c).strip(), loadError(null, c).strip(), String.join(" ", c));
        }
    }

    @Test
    void fileErrorsNameTheLineAsRedisServer() throws Exception {
        Path unknown = file("a.conf", "port 7000\n# c\nfoo bar\n");
        assertEquals(redisServerError(unknown).strip(), loadError(unknown).strip());
        Path quotes = file("b.conf", "maxmemory \"abc\n");
        assertEquals(redisServerError(quotes).strip(), loadError(quotes).strip());
        Path arity = file("c.conf", "\n\n  hz 10 20\n");
        assertEquals(redisServerError(arity, "--port", "7000").strip(), loadError(arity, "--port", "7000").strip());
    }

    @Test
    void unreadableFileIsALogLineOnStdout() throws Exception {
        Path missing = dir.resolve("missing.conf");
        String redis = redisServerError(missing);
        Config c = new Config();
        ConfigError e = assertThrows(ConfigError.class, () -> c.load(missing, List.of()));
        assertTrue(e.isLogLine());
        // "pid:C 25 Nov 2026 14:35:47.507 # Fatal error, ...": compare after the pid and time
        assertEquals(redis.substring(redis.indexOf(" # ")).strip(), e.getMessage().substring(e.getMessage().indexOf(" # ")).strip());
        assertTrue(e.getMessage().matches("\\d+:C \\d\\d \\w{3} \\d{4} \\d\\d:\\d\\d:\\d\\d\\.\\d{3} # .*"), e.getMessage());
    }

    @Test
    void commandLineOptionsBecomeQuotedLines() {
        assertEquals("port \"6380\" \nloglevel \"verbose\" ", Config.options(List.of("--port", "6380", "--loglevel", "verbose")));
        assertEquals("save \"\"\nport \"1\" ", Config.options(List.of("--save", "--port", "1")));
        assertEquals("save \"\"", Config.options(List.of("--save")));
        assertEquals("port \"--foo\" ", Config.options(List.of("--port", "--foo")));
        assertEquals("save \"900\" \"1\" ", Config.options(List.of("--save", "900", "1")));
    }

    @Test
    void saveLinesAccumulateAndEmptyClears() throws Exception {
        Path f = file("s.conf", "save 900 1\nsave 300 10\n");
        Config c = new Config();
        c.load(f, List.of());
        assertEquals("900 1 300 10", c.get("save"));
        c = new Config();
        c.load(f, List.of("--save", "60", "5"));
        assertEquals("900 1 300 10 60 5", c.get("save"));
        c = new Config();
        c.load(f, List.of("--save", ""));
        assertEquals("", c.get("save"));
        c = new Config();
        c.load(null, List.of("--save", "3600 1 300 100"));
        assertEquals("3600 1 300 100", c.get("save"));
    }

    @Test
    void includeReadsOtherFilesAndGlobs() throws Exception {
        file("inc1.conf", "timeout 5\n");
        file("inc2.conf", "tcp-keepalive 7\n");
        Path main = file("main.conf", "include " + dir.resolve("inc1.conf") + "\ninclude " + dir.resolve("inc*.conf")
                + "\ninclude " + dir.resolve("none*.conf") + "\n");
        Config c = new Config();
        c.load(main, List.of());
        assertEquals("5", c.get("timeout"));
        assertEquals("7", c.get("tcp-keepalive"));
    }

    @Test
    void unknownDirectivesWaitForPluginParameters() throws Exception {
        Config c = new Config();
        c.load(null, List.of("--myplugin-size", "12", "--rename-command", "flushall", ""));
        c.register(ConfigParameter.integer("myplugin-size", 1, 0, 100));
        c.finishLoading();
        assertEquals("12", c.get("myplugin-size"));
        assertEquals(List.of("flushall", ""), c.directives("rename-command").get(0).args());

        Config bad = new Config();
        bad.load(null, List.of("--myplugin-size", "12"));
        ConfigError e = assertThrows(ConfigError.class, bad::finishLoading);
        assertTrue(e.getMessage().endsWith("at line 2\n>>> 'myplugin-size \"12\"'\nBad directive or wrong number of arguments"));
    }

    @Test
    void valuesAreStoredAsConfigGetPrintsThem() throws Exception {
        Config c = new Config();
        c.load(null, List.of("--maxmemory", "1gb", "--hz", "1000", "--maxmemory-clients", "5%", "--loglevel", "WARNING",
                "--oom-score-adj", "relative", "--shutdown-on-sigint", "now save", "--unixsocketperm", "0700",
                "--notify-keyspace-events", "KExg", "--slaveof", "no one", "--client-output-buffer-limit",
                "pubsub 1mb 2mb 3"));
        assertEquals("1073741824", c.get("maxmemory"));
        assertEquals(1073741824L, c.getLong("maxmemory"));
        assertEquals("500", c.get("hz"));
        assertEquals("5%", c.get("maxmemory-clients"));
        assertEquals("warning", c.get("loglevel"));
        assertEquals("yes", c.get("oom-score-adj"));
        assertEquals("save now", c.get("shutdown-on-sigint"));
        assertEquals("700", c.get("unixsocketperm"));
        assertEquals("gxKE", c.get("notify-keyspace-events"));
        assertEquals(io.cinnabar.api.KeyspaceEvents.GENERIC | io.cinnabar.api.KeyspaceEvents.EXPIRED
                | io.cinnabar.api.KeyspaceEvents.KEYSPACE | io.cinnabar.api.KeyspaceEvents.KEYEVENT,
                c.getLong("notify-keyspace-events"));
        assertEquals("", c.get("replicaof"));
        assertEquals("normal 0 0 0 slave 268435456 67108864 60 pubsub 1048576 2097152 3", c.get("client-output-buffer-limit"));
    }

    @Test
    void configSetRestoresEveryValueWhenAnApplyFails() throws Exception {
        Config c = new Config();
        List<String> applied = new ArrayList<>();
        c.onChange((name, value) -> applied.add(name + "=" + value));
        c.onChange("timeout", v -> {
            if (v.equals("5")) {
                throw new IllegalArgumentException("cannot apply");
            }
        });
        Config.SetError e = assertThrows(Config.SetError.class,
                () -> c.set(List.of("hz", "TIMEOUT"), List.of("20", "5"), false));
        assertEquals("ERR CONFIG SET failed (possibly related to argument 'timeout') - cannot apply", e.getMessage());
        assertEquals("10", c.get("hz"));
        assertEquals("0", c.get("timeout"));
        assertEquals(List.of("hz=20", "timeout=5", "hz=10", "timeout=0"), applied);
    }

    /** getLong keeps its readings, but every way a value changes (set, rollback, commit, put) is seen at once. */
    @Test
    void getLongFollowsEveryChange() throws Exception {
        Config c = new Config();
        assertEquals(10, c.getLong("hz"));
        assertEquals(-2, c.getLong("list-max-listpack-size"));
        assertEquals(-2, c.getLong("list-max-ziplist-size")); // an alias
        c.set(List.of("hz", "list-max-listpack-size"), List.of("20", "128"), false);
        assertEquals(20, c.getLong("hz"));
        assertEquals(128, c.getLong("list-max-listpack-size"));
        assertEquals(128, c.getLong("list-max-ziplist-size"));
        c.onChange("timeout", v -> {
            throw new IllegalArgumentException("cannot apply");
        });
        assertThrows(Config.SetError.class, () -> c.set(List.of("hz", "timeout"), List.of("30", "5"), false));
        assertEquals(20, c.getLong("hz")); // rolled back
        c.commit("hz", "40");
        assertEquals(40, c.getLong("hz"));
        c.put("hz", "50");
        assertEquals(50, c.getLong("hz"));
        c.set(List.of("maxmemory"), List.of("1mb"), false);
        assertEquals(1024 * 1024, c.getLong("maxmemory"));
    }

    @Test
    void configSetValidatesEverythingBeforeStoringAnything() {
        Config c = new Config();
        Config.SetError e = assertThrows(Config.SetError.class,
                () -> c.set(List.of("hz", "maxmemory"), List.of("20", "lots"), false));
        assertEquals("ERR CONFIG SET failed (possibly related to argument 'maxmemory') - argument must be a memory value",
                e.getMessage());
        assertEquals("10", c.get("hz"));
        e = assertThrows(Config.SetError.class, () -> c.set(List.of("dir"), List.of("/"), false));
        assertEquals("ERR CONFIG SET failed (possibly related to argument 'dir') - can't set protected config", e.getMessage());
        e = assertThrows(Config.SetError.class, () -> c.set(List.of("dir"), List.of("/nonexistent-dir"), true));
        assertEquals("ERR CONFIG SET failed (possibly related to argument 'dir') - No such file or directory", e.getMessage());
    }

    @Test
    void rewriteKeepsCommentsAndUpdatesLinesInPlace() throws Exception {
        Path empty = file("empty.conf", "");
        Path f = file("r.conf", "# top\nhz 20\nslave-priority 50\n\n\n# keep\nfoo bar\nmaxmemory 1mb\nmaxmemory 2mb\n"
                + "include " + empty + "\nrequirepass \"\"\n");
        Config withFile = new Config();
        withFile.load(f, List.of("--save", "", "--dir", dir.toString()));
        withFile.put("hz", "30");
        withFile.put("replica-priority", "100");
        withFile.put("maxmemory", Long.toString(3L << 30));
        withFile.put("timeout", "7");
        withFile.put("maxmemory-clients", "5%");
        withFile.put("client-output-buffer-limit", "normal 0 0 0 slave 268435456 67108864 60 pubsub 1048576 2 3");
        withFile.rewrite(false);
        assertEquals("# top\nhz 30\nreplica-priority 100\n\n# keep\n# ??? foo bar\nmaxmemory 3gb\n\n"
                + "include " + empty + "\n\n" + ConfigRewriter.SIGNATURE + "\n"
                + "client-output-buffer-limit pubsub 1mb 2 3\n"
                + "dir " + ConfigLine.repr(dir.toRealPath().toString()) + "\n"
                + "latency-tracking-info-percentiles 50 99 99.9\n"
                + "maxmemory-clients 5%\n"
                + "save \"\"\n"
                + "timeout 7\n"
                + "user default on nopass sanitize-payload ~* &* +@all\n", Files.readString(f));
    }

    @Test
    void rewriteWithoutChangesSettlesAsRedisDoes() throws Exception {
        Path f = file("stable.conf", "port 7000\n");
        Config c = new Config();
        c.load(f, List.of());
        c.rewrite(false);
        String once = Files.readString(f);
        c.rewrite(false);
        // as in Redis, the empty string after the last newline is a line of its own: one blank line appears at the end
        String twice = Files.readString(f);
        assertEquals(once + "\n", twice);
        c.rewrite(false);
        assertEquals(twice, Files.readString(f));
        assertTrue(once.startsWith("port 7000\n\n" + ConfigRewriter.SIGNATURE + "\n"), once);
    }

    @Test
    void defaultUserLineCarriesThePasswordHash() {
        assertEquals("user default on sanitize-payload #2bb80d537b1da3e38bd30361aa855686bde0eacd7162fef6a25fe97bf527a25b"
                + " ~* &* +@all", ConfigRewriter.defaultUserLine("secret"));
    }

    @Test
    void memoryValuesFollowMemtoull() {
        assertEquals(0L, Config.parseMemory(""));
        assertEquals(1024L, Config.parseMemory("1KB"));
        assertEquals(1000L, Config.parseMemory("1k"));
        assertEquals(777L, Config.parseMemory("0777"));
        assertEquals(-1L, Config.parseMemory("18446744073709551616"));
        assertNull(Config.parseMemory("-1"));
        assertNull(Config.parseMemory("1tb"));
        assertNull(Config.parseMemory(" 1"));
        assertEquals("1gb", ConfigRewriter.formatMemory(1L << 30));
        assertEquals("3mb", ConfigRewriter.formatMemory(3L << 20));
        assertEquals("1025", ConfigRewriter.formatMemory(1025));
    }

    @Test
    void linesSplitAndQuoteAsSds() {
        assertEquals(List.of("a", "b c", "d'e", "x\ny", "\u0001"), ConfigLine.split("a \"b c\" 'd\\'e' \"x\\ny\" \"\\x01\""));
        assertEquals(List.of("foobar baz"), ConfigLine.split("foo\"bar baz\""));
        assertNull(ConfigLine.split("\"abc"));
        assertNull(ConfigLine.split("\"abc\"def"));
        assertEquals(List.of(), ConfigLine.split("   "));
        assertEquals("\"a\\\"b\\\\\\n\\x01\\xff\"", ConfigLine.repr("a\"b\\\n\u0001\u00ff"));
        assertEquals(List.of("a", "", "b"), ConfigLine.splitSpaces("a  b"));
        assertEquals(List.of(), ConfigLine.splitSpaces(""));
    }
}
