package io.cinnabar.datatypes.strings;

import static io.cinnabar.api.AclCategory.BITMAP;
import static io.cinnabar.api.CommandFlag.DENYOOM;
import static io.cinnabar.api.CommandFlag.FAST;
import static io.cinnabar.api.CommandFlag.READONLY;
import static io.cinnabar.api.CommandFlag.WRITE;

import io.cinnabar.api.CommandFamily;
import io.cinnabar.api.CommandSpec;
import io.cinnabar.api.KeySpec;
import java.util.List;
import org.pf4j.Extension;

/**
 * The bitmap commands (Redis's bitops.c), specs as Redis 7.2's COMMAND INFO reports them. Handlers live in
 * {@link BitCommands}, {@link BitopCommand} and {@link BitfieldCommand}.
 */
@Extension
public final class BitmapFamily implements CommandFamily {
    private static final KeySpec READ_KEY = KeySpec.range(1, 0, 1, "RO", "ACCESS");

    @Override
    public List<CommandSpec> commands() {
        return List.of(
                bitmap("setbit", 4, "2.2.0", "O(1)",
                        "Sets or clears the bit at offset of the string value. Creates the key if it doesn't exist.")
                        .flags(WRITE, DENYOOM).key(KeySpec.range(1, 0, 1, "RW", "ACCESS", "UPDATE"))
                        .handler(BitCommands::setbit).build(),
                bitmap("getbit", 3, "2.2.0", "O(1)", "Returns a bit value by offset.")
                        .flags(READONLY, FAST).key(READ_KEY).handler(BitCommands::getbit).build(),
                bitmap("bitcount", -2, "2.6.0", "O(N)", "Counts the number of set bits (population counting) in a string.")
                        .flags(READONLY).key(READ_KEY).handler(BitCommands::bitcount).build(),
                bitmap("bitpos", -3, "2.8.7", "O(N)", "Finds the first set (1) or clear (0) bit in a string.")
                        .flags(READONLY).key(READ_KEY).handler(BitCommands::bitpos).build(),
                bitmap("bitop", -4, "2.6.0", "O(N)", "Performs bitwise operations on multiple strings, and stores the result.")
                        .flags(WRITE, DENYOOM).key(KeySpec.range(2, 0, 1, "OW", "UPDATE"))
                        .key(KeySpec.range(3, -1, 1, "RO", "ACCESS")).handler(new BitopCommand()).build(),
                bitmap("bitfield", -2, "3.2.0", "O(1) for each subcommand specified",
                        "Performs arbitrary bitfield integer operations on strings.")
                        .flags(WRITE, DENYOOM).key(KeySpec.range(1, 0, 1, "RW", "ACCESS", "UPDATE", "VARIABLE_FLAGS"))
                        .handler(new BitfieldCommand(false)).build(),
                bitmap("bitfield_ro", -2, "6.0.0", "O(1) for each subcommand specified",
                        "Performs arbitrary read-only bitfield integer operations on strings.")
                        .flags(READONLY, FAST).key(READ_KEY).handler(new BitfieldCommand(true)).build());
    }

    private static CommandSpec.Builder bitmap(String name, int arity, String since, String complexity, String summary) {
        return CommandSpec.command(name).arity(arity).acl(BITMAP).group("bitmap").since(since)
                .complexity(complexity).summary(summary);
    }
}
