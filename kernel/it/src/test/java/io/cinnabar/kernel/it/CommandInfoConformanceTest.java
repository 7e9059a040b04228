package io.cinnabar.kernel.it;

import io.cinnabar.datatypes.strings.BitmapFamily;
import io.cinnabar.datatypes.strings.StringsFamily;
import io.cinnabar.testkit.CommandInfoConformance;
import io.cinnabar.testkit.TestServer;
import org.junit.jupiter.api.Test;

/** Every command and subcommand we register (kernel and strings plugin) reports Redis 7.2's COMMAND INFO. */
class CommandInfoConformanceTest {
    @Test
    void everyRegisteredCommandMatchesRedisCommandInfo() {
        try (TestServer server = TestServer.start(new StringsFamily(), new BitmapFamily())) {
            CommandInfoConformance.assertConforms(server, CommandInfoConformance.namesOf(server));
        }
    }
}
