package io.cinnabar.kernel.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cinnabar.api.CommandFamily;
import io.cinnabar.api.CommandSpec;
import io.cinnabar.testkit.RespClient;
import io.cinnabar.testkit.TestServer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Plugins joining subcommands to a container another family registers ({@link CommandSpec#joinsContainer}). */
class CommandTableTest {
    /** Joins CLIENT ECHO-ID to the kernel's CLIENT, and a subcommand to a container nobody registers. */
    private static final CommandFamily JOINING = () -> List.of(
            CommandSpec.command("client").joinsContainer()
                    .subcommand(CommandSpec.command("echo-id").arity(2).group("connection").summary("Test.")
                            .handler((ctx, args, reply) -> reply.integer(ctx.client().id())).build())
                    .build(),
            CommandSpec.command("nosuchcontainer").joinsContainer()
                    .subcommand(CommandSpec.command("x").arity(2).handler((ctx, args, reply) -> reply.ok()).build())
                    .build());

    @Test
    void joinedSubcommandRunsAndIsListedWithTheContainersOwn() {
        try (TestServer server = TestServer.builder().family(JOINING).start(); RespClient c = server.client()) {
            String id = c.call("CLIENT", "ID");
            assertEquals(id, c.call("CLIENT", "ECHO-ID"));
            assertEquals("-ERR wrong number of arguments for 'client|echo-id' command\r\n",
                    c.call("CLIENT", "ECHO-ID", "extra"));
            String info = c.call("COMMAND", "INFO", "client");
            assertTrue(info.contains("client|echo-id") && info.contains("client|list"), info);
            // the kernel's own subcommands are untouched
            assertTrue(c.call("CLIENT", "GETNAME").equals("$-1\r\n"));
            // a container nobody registered gets nothing (a warning in the log)
            assertTrue(c.call("NOSUCHCONTAINER", "X").startsWith("-ERR unknown command"));
        }
    }
}
