package io.cinnabar.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cinnabar.testkit.ReferenceRedis;
import io.cinnabar.testkit.RespClient;
import io.cinnabar.testkit.TestServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The built tarball, unpacked into {@code target/it}, started with {@code bin/cinnabar-server} as a real
 * process and checked over real sockets: the bundled plugins load, bad plugin jars are skipped, redis-cli
 * works, and a bad config file stops the server.
 */
class DistributionIT {
    private static Path itDir;
    private static Path home;
    private static ServerProcess server;

    @BeforeAll
    static void unpackAndStart() throws Exception {
        Path tarball = Path.of(System.getProperty("cinnabar.tarball"));
        itDir = Path.of(System.getProperty("cinnabar.itDir"));
        deleteTree(itDir);
        Files.createDirectories(itDir);
        Process tar = new ProcessBuilder("tar", "xzf", tarball.toString(), "-C", itDir.toString())
                .redirectErrorStream(true).start();
        assertTrue(tar.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, tar.exitValue(), new String(tar.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        home = itDir.resolve("cinnabar-0.1.0");
        server = ServerProcess.start(home, itDir, itDir.resolve("logs/main.log"));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void theTarballHasTheDocumentedLayout() {
        assertTrue(Files.isExecutable(home.resolve("bin/cinnabar-server")));
        assertTrue(Files.isRegularFile(home.resolve("conf/cinnabar.conf")));
        assertTrue(Files.isRegularFile(home.resolve("README.md")));
        assertTrue(Files.isRegularFile(home.resolve("lib/cinnabar-server-0.1.0.jar")));
        assertTrue(Files.isRegularFile(home.resolve("lib/cinnabar-api-0.1.0.jar")));
        assertTrue(Files.isRegularFile(home.resolve("plugins/cinnabar-strings-0.1.0.jar")));
        assertTrue(Files.isRegularFile(home.resolve("plugins/cinnabar-hyperloglog-0.1.0.jar")));
        assertTrue(Files.isRegularFile(home.resolve("plugins/cinnabar-hashes-0.1.0.jar")));
        assertTrue(Files.isRegularFile(home.resolve("plugins/cinnabar-example-0.1.0.jar")));
        assertTrue(Files.isRegularFile(home.resolve("plugins/cinnabar-pubsub-0.1.0.jar")));
        assertFalse(Files.exists(home.resolve("lib/cinnabar-example-0.1.0.jar")), "plugins stay out of lib/");
    }

    @Test
    void mappedEngineRestartsWarmAfterSigtermAndRecoversStringsAfterKill9() throws IOException {
        Path dir = itDir.resolve("mapped-engine");
        deleteTree(dir);
        Files.createDirectories(dir);
        String[] args = {"--storage-engine", "mapped", "--dir", dir.toString(), "--mapped-max-keys", "10000"};
        ServerProcess first = ServerProcess.start(home, itDir, itDir.resolve("logs/mapped-1.log"), args);
        try (RespClient c = first.client()) {
            c.call("SET", "s", "one");
            c.call("SET", "t", "two", "EX", "1000");
            c.call("RPUSH", "l", "a", "b");
        }
        first.close(); // SIGTERM: a clean shutdown
        assertTrue(Files.exists(dir.resolve("mapped/clean")), first.log());
        ServerProcess second = ServerProcess.start(home, itDir, itDir.resolve("logs/mapped-2.log"), args);
        try (RespClient c = second.client()) {
            assertEquals("$3\r\none\r\n", c.call("GET", "s"));
            assertEquals("*2\r\n$1\r\na\r\n$1\r\nb\r\n", c.call("LRANGE", "l", "0", "-1"));
            assertNotEquals(":-1\r\n", c.call("TTL", "t"));
            c.call("SET", "s", "changed");
            c.call("SET", "u", "new");
        }
        assertTrue(second.log().contains("mapped engine: warm restart, 3 keys restored"), second.log());
        second.kill();
        ServerProcess third = ServerProcess.start(home, itDir, itDir.resolve("logs/mapped-3.log"), args);
        try (RespClient c = third.client()) {
            assertEquals("$7\r\nchanged\r\n", c.call("GET", "s"));
            assertEquals("$3\r\nnew\r\n", c.call("GET", "u"));
            assertNotEquals(":-1\r\n", c.call("TTL", "t"));
            assertEquals(":0\r\n", c.call("EXISTS", "l"), "a list lives on the heap: lost in a crash");
        } finally {
            third.close();
        }
        assertTrue(third.log().contains("mapped engine: recovered restart, 3 keys restored"), third.log());
    }

    @Test
    void pingWorks() {
        try (RespClient c = server.client()) {
            assertEquals("+PONG\r\n", c.call("PING"));
            assertEquals("$5\r\nhello\r\n", c.call("PING", "hello"));
        }
    }

    /**
     * bin/cinnabar-cluster: six nodes started under a working directory, joined into 3 masters and 3 replicas
     * without redis-cli (the script speaks RESP itself), checked by redis-cli --cluster check when it exists,
     * and stopped.
     */
    @Test
    void clusterScriptStartsCreatesAndStopsSixNodes() throws Exception {
        int base = clusterBasePort();
        Path work = itDir.resolve("cluster");
        deleteTree(work);
        Path script = home.resolve("bin/cinnabar-cluster");
        assertTrue(Files.isExecutable(script));
        try {
            String created = clusterScript(script, work, base, "start") + clusterScript(script, work, base, "create");
            assertTrue(created.contains("Master[0] -> Slots 0 - 5460"), created);
            assertTrue(created.contains("Master[2] -> Slots 10923 - 16383"), created);
            String status = clusterScript(script, work, base, "status");
            assertEquals(6, status.lines().filter(l -> l.endsWith(" running cluster_state:ok")).count(), status);
            try (RespClient c = new RespClient("127.0.0.1", base)) {
                // the replicas' new role reaches this node by gossip: poll with a deadline
                String nodes = c.call("CLUSTER", "NODES");
                long deadline = System.currentTimeMillis() + 30_000;
                while (nodes.lines().filter(l -> l.contains("slave")).count() < 3
                        && System.currentTimeMillis() < deadline) {
                    Thread.onSpinWait();
                    nodes = c.call("CLUSTER", "NODES");
                }
                assertEquals(3, nodes.lines().filter(l -> l.contains("master")).count(), nodes);
                assertEquals(3, nodes.lines().filter(l -> l.contains("slave")).count(), nodes);
            }
            if (ReferenceRedis.cli() != null) {
                Process check = new ProcessBuilder(ReferenceRedis.cli(), "--cluster", "check", "127.0.0.1:" + base)
                        .redirectErrorStream(true).start();
                assertTrue(check.waitFor(60, TimeUnit.SECONDS));
                String out = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertTrue(out.contains("[OK] All 16384 slots covered."), out);
            }
            assertTrue(Files.isRegularFile(work.resolve(base + "/nodes.conf")));
        } finally {
            clusterScript(script, work, base, "stop");
        }
        String stopped = clusterScript(script, work, base, "status");
        assertEquals(6, stopped.lines().filter(l -> l.endsWith(" not running")).count(), stopped);
    }

    private static String clusterScript(Path script, Path work, int base, String action) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(script.toString(), action).redirectErrorStream(true);
        pb.environment().put("CLUSTER_DIR", work.toString());
        pb.environment().put("PORT", Integer.toString(base));
        pb.environment().put("REDIS_CLI", "none");
        pb.environment().put("TIMEOUT", "2000");
        Process p = pb.start();
        p.getOutputStream().close();
        assertTrue(p.waitFor(180, TimeUnit.SECONDS), "cinnabar-cluster " + action + " did not finish");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), out);
        return out;
    }

    /** Six consecutive free ports whose bus ports (+10000) are free too. */
    private static int clusterBasePort() {
        for (int attempt = 0; attempt < 100; attempt++) {
            int base = 20000 + new Random().nextInt(30000);
            boolean free = true;
            for (int i = 0; i < 6 && free; i++) {
                for (int port : new int[] {base + i, base + i + 10000}) {
                    try (java.net.ServerSocket s = new java.net.ServerSocket(port)) {
                        s.getLocalPort();
                    } catch (IOException e) {
                        free = false;
                    }
                }
            }
            if (free) {
                return base;
            }
        }
        throw new IllegalStateException("no six free ports");
    }

    @Test
    void moduleListShowsTheBundledPlugins() {
        try (RespClient c = server.client()) {
            String list = c.call("MODULE", "LIST");
            assertTrue(list.contains("$7\r\nstrings\r\n"), list);
            assertTrue(list.contains("$7\r\nexample\r\n"), list);
            assertTrue(list.contains("$6\r\nhashes\r\n"), list);
            assertTrue(list.contains("$6\r\npubsub\r\n"), list);
        }
        String log = server.log();
        assertTrue(log.contains("Plugin 'strings' 0.1.0 loaded"), log);
        assertTrue(log.contains("Plugin 'example' 0.1.0 loaded"), log);
    }

    @Test
    void thePubSubPluginDeliversMessagesKeyspaceEventsAndTracks() {
        try (RespClient sub = server.client(); RespClient c = server.client()) {
            sub.send("PSUBSCRIBE", "it:*", "__keyevent@0__:*");
            sub.readReply();
            sub.readReply();
            assertEquals(":1\r\n", c.call("PUBLISH", "it:ch", "hi"));
            assertEquals("*4\r\n$8\r\npmessage\r\n$4\r\nit:*\r\n$5\r\nit:ch\r\n$2\r\nhi\r\n", sub.readReply());
            assertEquals("+OK\r\n", c.call("CONFIG", "SET", "notify-keyspace-events", "E$"));
            c.call("SET", "it:k", "v");
            assertEquals("*4\r\n$8\r\npmessage\r\n$16\r\n__keyevent@0__:*\r\n$18\r\n__keyevent@0__:set\r\n"
                    + "$4\r\nit:k\r\n", sub.readReply());
            assertEquals("+OK\r\n", c.call("CONFIG", "SET", "notify-keyspace-events", ""));
            // client-side caching: the plugin's subcommands joined the kernel's CLIENT
            assertEquals("+OK\r\n", c.call("CLIENT", "TRACKING", "on"));
            assertEquals(":0\r\n", c.call("CLIENT", "GETREDIR"));
        }
    }

    @Test
    void theExamplePluginsRateLimiterWorks() {
        try (RespClient c = server.client()) {
            assertEquals("*3\r\n:1\r\n:1\r\n:0\r\n", c.call("RATELIMIT.HIT", "it:limiter", "2", "60000"));
            assertEquals("*3\r\n:1\r\n:0\r\n:0\r\n", c.call("RATELIMIT.HIT", "it:limiter", "2", "60000"));
            String denied = c.call("RATELIMIT.HIT", "it:limiter", "2", "60000");
            assertTrue(denied.startsWith("*3\r\n:0\r\n:0\r\n:"), denied);
            String peek = c.call("RATELIMIT.PEEK", "it:limiter", "2", "60000");
            assertTrue(peek.startsWith("*3\r\n:0\r\n:0\r\n:") && !peek.endsWith(":0\r\n"), peek);
            assertEquals(":1\r\n", c.call("RATELIMIT.RESET", "it:limiter"));
            assertEquals("*3\r\n:1\r\n:2\r\n:0\r\n", c.call("RATELIMIT.PEEK", "it:limiter", "2", "60000"));
            assertEquals("-ERR COST exceeds ratelimit-max-cost (1000)\r\n",
                    c.call("RATELIMIT.HIT", "it:limiter", "5000", "60000", "COST", "1001"));
        }
    }

    @Test
    void brokenAndIncompatibleJarsAreLoggedAndSkipped() throws IOException {
        Path plugins = itDir.resolve("plugins-with-bad-jars");
        deleteTree(plugins);
        Files.createDirectories(plugins);
        try (Stream<Path> bundled = Files.list(home.resolve("plugins"))) {
            for (Path jar : bundled.toList()) {
                Files.copy(jar, plugins.resolve(jar.getFileName()));
            }
        }
        byte[] garbage = new byte[4096];
        new Random(7).nextBytes(garbage);
        Files.write(plugins.resolve("broken.jar"), garbage);
        // the example plugin rebuilt for an API this server does not provide
        repackWithManifest(home.resolve("plugins/cinnabar-example-0.1.0.jar"), plugins.resolve("from-the-future.jar"),
                "example-next", ">=99.0.0");
        // a plugin whose Plugin-Class is not in its jar
        writeManifestOnlyJar(plugins.resolve("missing-class.jar"), "missing-class", "io.nowhere.MissingPlugin");

        try (ServerProcess s = ServerProcess.start(home, itDir, itDir.resolve("logs/bad-jars.log"),
                "--plugins-dir", plugins.toString());
             RespClient c = s.client()) {
            assertEquals("+PONG\r\n", c.call("PING"));
            assertEquals("*3\r\n:1\r\n:0\r\n:0\r\n", c.call("RATELIMIT.HIT", "k", "1", "1000"));
            String log = s.log();
            assertTrue(warned(log, "broken.jar"), log);
            assertTrue(warned(log, "'example-next' skipped"), log);
            assertTrue(warned(log, "'missing-class' skipped"), log);
            assertTrue(log.contains("Plugin 'example' 0.1.0 loaded"), log);
            assertTrue(log.contains("Plugin 'strings' 0.1.0 loaded"), log);
            String list = c.call("MODULE", "LIST");
            assertTrue(list.contains("$7\r\nexample\r\n"), list);
            assertFalse(list.contains("example-next"), list);
            assertFalse(list.contains("missing-class"), list);
        }
    }

    @Test
    void redisCliTalksToIt() throws Exception {
        String cli = ReferenceRedis.cli();
        Assumptions.assumeTrue(cli != null, "no redis-cli: set CINNABAR_REFERENCE_REDIS or install redis-tools");
        String port = Integer.toString(server.port());
        assertEquals("PONG\n", run(cli, "-p", port, "PING"));
        assertEquals("1\n4\n0\n", run(cli, "-p", port, "RATELIMIT.HIT", "cli:limiter", "5", "60000"));
        assertEquals("1\n", run(cli, "-p", port, "RATELIMIT.RESET", "cli:limiter"));
    }

    @Test
    void theShippedConfigWorksFromAnyDirectory() throws IOException {
        Path elsewhere = itDir.resolve("elsewhere");
        Files.createDirectories(elsewhere);
        // the config file stays the first argument; its relative plugins-dir is resolved against the home
        try (ServerProcess s = ServerProcess.start(home, elsewhere, itDir.resolve("logs/shipped-conf.log"),
                home.resolve("conf/cinnabar.conf").toString(), "--loglevel", "notice");
             RespClient c = s.client()) {
            assertEquals("*3\r\n:1\r\n:0\r\n:0\r\n", c.call("RATELIMIT.HIT", "conf", "1", "1000"));
            assertTrue(s.log().contains("Plugin 'example' 0.1.0 loaded"), s.log());
        }
    }

    @Test
    void anUnknownConfigDirectiveStopsTheServerNamingTheLine() throws Exception {
        Path conf = itDir.resolve("bad.conf");
        Files.writeString(conf, "port " + TestServer.freePort() + "\nsave \"\"\nno-such-directive yes\n");
        Path log = itDir.resolve("logs/bad-conf.log");
        Process p = ServerProcess.launch(home, itDir, log, List.of(conf.toString()));
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the server should exit");
        String out = Files.readString(log);
        assertNotEquals(0, p.exitValue(), out);
        assertTrue(out.contains("at line 3"), out);
        assertTrue(out.contains(">>> 'no-such-directive yes'"), out);
        assertTrue(out.contains("Bad directive or wrong number of arguments"), out);
    }

    /** As redis-server: a port that cannot be bound stops the server with the reason in its logfile. */
    @Test
    void aBusyClusterBusPortStopsTheServerWithTheReasonInItsLogfile() throws Exception {
        int port;
        ServerSocket taken = null;
        do { // a free port whose bus port (port + 10000) this test can hold
            port = TestServer.freePort();
            if (port <= 55_000) {
                try {
                    taken = new ServerSocket(port + 10000);
                } catch (IOException e) {
                    taken = null;
                }
            }
        } while (taken == null);
        try (ServerSocket busy = taken) {
            Path dir = Files.createDirectories(itDir.resolve("busy-bus"));
            Path logfile = dir.resolve("server.log");
            Process p = ServerProcess.launch(home, itDir, itDir.resolve("logs/busy-bus.out"), List.of("--port",
                    Integer.toString(port), "--cluster-enabled", "yes", "--save", "", "--dir", dir.toString(),
                    "--logfile", logfile.toString()));
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the server should exit");
            assertNotEquals(0, p.exitValue());
            String log = Files.readString(logfile);
            assertTrue(warned(log, "Failed listening on port " + (port + 10000) + " (cluster), aborting"), log);
        }
    }

    @Test
    void versionFlagPrintsTheVersion() throws Exception {
        String out = run(home.resolve("bin/cinnabar-server").toString(), "--version");
        assertTrue(out.startsWith("Cinnabar server v="), out);
    }

    private static boolean warned(String log, String what) {
        return log.lines().anyMatch(l -> l.contains(" # ") && l.contains(what));
    }

    private static String run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        return new String(out, StandardCharsets.UTF_8);
    }

    private static void repackWithManifest(Path from, Path to, String pluginId, String requires) throws IOException {
        try (JarInputStream in = new JarInputStream(Files.newInputStream(from))) {
            Manifest m = new Manifest(in.getManifest());
            m.getMainAttributes().putValue("Plugin-Id", pluginId);
            m.getMainAttributes().putValue("Plugin-Requires", requires);
            try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(to), m)) {
                JarEntry e;
                while ((e = in.getNextJarEntry()) != null) {
                    out.putNextEntry(new JarEntry(e.getName()));
                    in.transferTo(out);
                    out.closeEntry();
                }
            }
        }
    }

    private static void writeManifestOnlyJar(Path to, String pluginId, String pluginClass) throws IOException {
        Manifest m = new Manifest();
        Attributes a = m.getMainAttributes();
        a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        a.putValue("Plugin-Id", pluginId);
        a.putValue("Plugin-Version", "0.1.0");
        a.putValue("Plugin-Class", pluginClass);
        a.putValue("Plugin-Requires", ">=0.1.0");
        try (OutputStream os = Files.newOutputStream(to); JarOutputStream out = new JarOutputStream(os, m)) {
            out.flush();
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
