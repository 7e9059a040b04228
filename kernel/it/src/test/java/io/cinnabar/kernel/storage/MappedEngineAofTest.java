package io.cinnabar.kernel.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cinnabar.kernel.persistence.AllPlugins;
import io.cinnabar.testkit.RespClient;
import io.cinnabar.testkit.TestServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code mapped} engine with {@code appendonly yes}: the AOF is the source, so a restart neither applies a
 * command twice (the maps and a replay of the same AOF) nor loses what the AOF holds beyond the maps.
 */
class MappedEngineAofTest {
    @TempDir
    Path dir;

    private TestServer mapped(Path d, String appendonly, String preamble) {
        return AllPlugins.builder().option("dir", d.toString()).option("save", "").option("storage-engine", "mapped")
                .option("mapped-max-keys", "4096").option("appendonly", appendonly)
                .option("appendfsync", "always").option("aof-use-rdb-preamble", preamble).start();
    }

    private static void write(RespClient c) {
        for (int i = 0; i < 3; i++) {
            c.call("INCR", "counter");
        }
        c.call("SET", "s", "v");
        c.call("APPEND", "s", "w");
        c.call("RPUSH", "list", "a", "b");
        c.call("HSET", "hash", "f", "1");
        c.call("HINCRBY", "hash", "f", "2");
    }

    private static void assertWritten(RespClient c, String counter) {
        assertEquals("$" + counter.length() + "\r\n" + counter + "\r\n", c.call("GET", "counter"));
        assertEquals("$2\r\nvw\r\n", c.call("GET", "s"));
        assertEquals("*2\r\n$1\r\na\r\n$1\r\nb\r\n", c.call("LRANGE", "list", "0", "-1"));
        assertEquals("$1\r\n3\r\n", c.call("HGET", "hash", "f"));
        assertEquals(":4\r\n", c.call("DBSIZE"));
    }

    @Test
    void aCleanRestartKeepsTheMapsAndDoesNotReplayTheAof() throws IOException {
        for (String preamble : new String[] {"yes", "no"}) {
            Path d = Files.createDirectories(dir.resolve("preamble-" + preamble));
            try (TestServer s = mapped(d, "yes", preamble); RespClient c = s.client()) {
                write(c);
            }
            try (TestServer s = mapped(d, "yes", preamble); RespClient c = s.client()) {
                assertWritten(c, "3");
                c.call("INCR", "counter");
            }
            try (TestServer s = mapped(d, "yes", preamble); RespClient c = s.client()) {
                assertWritten(c, "4");
            }
            // the AOF alone (heap engine) holds the same
            try (TestServer s = AllPlugins.builder().option("dir", d.toString()).option("save", "")
                    .option("appendonly", "yes").start(); RespClient c = s.client()) {
                assertWritten(c, "4");
            }
        }
    }

    @Test
    void anUncleanStopReplaysTheAofIntoFreshMaps() throws IOException {
        Path live = Files.createDirectories(dir.resolve("live"));
        Path crashed = dir.resolve("crashed");
        try (TestServer s = mapped(live, "yes", "yes"); RespClient c = s.client()) {
            c.call("SET", "before", "restart");
        }
        try (TestServer s = mapped(live, "yes", "yes"); RespClient c = s.client()) {
            write(c);
            // the files as a kill -9 leaves them: appendfsync always put every acknowledged write in the AOF
            MappedEngineTest.copyTree(live, crashed);
        }
        assertTrue(Files.exists(crashed.resolve("appendonlydir")));
        try (TestServer s = mapped(crashed, "yes", "yes"); RespClient c = s.client()) {
            assertEquals("$7\r\nrestart\r\n", c.call("GET", "before"));
            c.call("DEL", "before");
            assertWritten(c, "3"); // heap-held values (list, hash, appended string) survive through the AOF
        }
        try (TestServer s = mapped(crashed, "yes", "yes"); RespClient c = s.client()) {
            assertWritten(c, "3");
        }
    }

    @Test
    void anAofChangedSinceTheCleanShutdownIsTheSource() throws IOException {
        try (TestServer s = mapped(dir, "yes", "yes"); RespClient c = s.client()) {
            write(c);
        }
        // an operator appends to the AOF while the server is down
        Path aofDir = dir.resolve("appendonlydir");
        Path incr;
        try (Stream<Path> files = Files.list(aofDir)) {
            incr = files.filter(p -> p.getFileName().toString().endsWith(".incr.aof")).findFirst().orElseThrow();
        }
        Files.writeString(incr, "*2\r\n$4\r\nINCR\r\n$7\r\ncounter\r\n", StandardCharsets.US_ASCII,
                StandardOpenOption.APPEND);
        try (TestServer s = mapped(dir, "yes", "yes"); RespClient c = s.client()) {
            assertWritten(c, "4");
        }
    }

    @Test
    void turningAppendonlyOnStartsTheAofFromTheMaps() throws IOException {
        for (String preamble : new String[] {"yes", "no"}) {
            Path d = Files.createDirectories(dir.resolve("preamble-" + preamble));
            try (TestServer s = mapped(d, "no", preamble); RespClient c = s.client()) {
                write(c);
            }
            try (TestServer s = mapped(d, "yes", preamble); RespClient c = s.client()) {
                assertWritten(c, "3");
                c.call("INCR", "counter");
            }
            try (TestServer s = AllPlugins.builder().option("dir", d.toString()).option("save", "")
                    .option("appendonly", "yes").start(); RespClient c = s.client()) {
                assertWritten(c, "4");
            }
        }
    }
}
