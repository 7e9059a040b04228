package io.cinnabar.kernel.it;

import io.cinnabar.datatypes.strings.BitmapFamily;
import io.cinnabar.datatypes.strings.StringsFamily;
import io.cinnabar.testkit.SpecCoverage;
import io.cinnabar.testkit.TestServer;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The meta-test: every command and subcommand registered by the kernel and the strings plugin is exercised by
 * some test of the kernel (kernel/server, kernel/it) or of the strings plugin.
 */
class SpecCoverageTest {
    @Test
    void everyRegisteredCommandIsExercisedByATest() {
        try (TestServer server = TestServer.start(new StringsFamily(), new BitmapFamily())) {
            SpecCoverage.assertCovered(SpecCoverage.commandWords(server), Path.of("src/test"),
                    Path.of("../server/src/test"), Path.of("../../datatypes/strings/src/test"));
        }
    }
}
