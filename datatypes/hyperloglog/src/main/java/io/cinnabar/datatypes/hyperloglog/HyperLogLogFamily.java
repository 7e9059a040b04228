package io.cinnabar.datatypes.hyperloglog;

import static io.cinnabar.api.AclCategory.HYPERLOGLOG;
import static io.cinnabar.api.CommandFlag.ADMIN;
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
 * The HyperLogLog commands (Redis's hyperloglog.c), specs as Redis 7.2's COMMAND INFO and COMMAND DOCS report
 * them. Handlers live in {@link HyperLogLogCommands} and {@link HyperLogLogDebug}.
 */
@Extension
public final class HyperLogLogFamily implements CommandFamily {
    @Override
    public List<CommandSpec> commands() {
        return List.of(
                hll("pfadd", -2, "O(1) to add every element.",
                        "Adds elements to a HyperLogLog key. Creates the key if it doesn't exist.")
                        .flags(WRITE, DENYOOM, FAST).key(KeySpec.range(1, 0, 1, "RW", "INSERT"))
                        .handler(HyperLogLogCommands::pfadd).build(),
                hll("pfcount", -2, "O(1) with a very small average constant time when called with a single key. "
                                + "O(N) with N being the number of keys, and much bigger constant times, "
                                + "when called with multiple keys.",
                        "Returns the approximated cardinality of the set(s) observed by the HyperLogLog key(s).")
                        // RW: counting one key writes the cached cardinality back
                        .flags(READONLY).key(KeySpec.range(1, -1, 1, "RW", "ACCESS"))
                        .handler(HyperLogLogCommands::pfcount).build(),
                hll("pfmerge", -2, "O(N) to merge N HyperLogLogs, but with high constant times.",
                        "Merges one or more HyperLogLog values into a single key.")
                        .flags(WRITE, DENYOOM).key(KeySpec.range(1, 0, 1, "RW", "ACCESS", "INSERT"))
                        .key(KeySpec.range(2, -1, 1, "RO", "ACCESS"))
                        .handler(HyperLogLogCommands::pfmerge).build(),
                hll("pfdebug", 3, "N/A", "Internal commands for debugging HyperLogLog values.")
                        .flags(WRITE, DENYOOM, ADMIN).key(KeySpec.range(2, 0, 1, "RW", "ACCESS"))
                        .docFlags("syscmd").handler(HyperLogLogDebug::pfdebug).build(),
                hll("pfselftest", 1, "N/A", "An internal command for testing HyperLogLog values.")
                        .flags(ADMIN).docFlags("syscmd").handler(HyperLogLogDebug::pfselftest).build());
    }

    private static CommandSpec.Builder hll(String name, int arity, String complexity, String summary) {
        return CommandSpec.command(name).arity(arity).acl(HYPERLOGLOG).group("hyperloglog").since("2.8.9")
                .complexity(complexity).summary(summary);
    }
}
