package io.cinnabar.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the coverage meta-test counts as exercising a command, and what it does not. */
class SpecCoverageSelfTest {
    @Test
    void literalsScriptLinesAndArgumentRunsCountCommentsDoNot(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("ExampleTest.java"), String.join("\n",
                "class ExampleTest {",
                "    // \"DEL k\" in a comment does not count",
                "    /* nor \"EXPIRE k 1\" in a block comment */",
                "    void t() {",
                "        c.call(\"GET\", \"k\");",
                "        d.run(\"SET k v\", \"object encoding k\");",
                "        c.call(\"CONFIG\", \"GET\", \"maxmemory\");",
                "        c.call(\"CLIENT\");",
                "        c.call(\"LIST\");",
                "        String s = \"\"\"",
                "            INCR counter",
                "            \"\"\";",
                "        char q = '\"';",
                "        c.call(\"APPEND\", \"k\", \"v\");",
                "    }",
                "}"));
        List<String> missing = SpecCoverage.uncovered(List.of("get", "set", "object encoding", "config get",
                "config set", "client list", "del", "expire", "incr", "append"), List.of(dir));
        assertEquals(List.of("config set", "client list", "del", "expire"), missing);
    }
}
