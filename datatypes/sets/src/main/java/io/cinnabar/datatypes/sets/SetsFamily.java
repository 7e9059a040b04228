package io.cinnabar.datatypes.sets;

import static io.cinnabar.api.CommandFlag.DENYOOM;
import static io.cinnabar.api.CommandFlag.FAST;
import static io.cinnabar.api.CommandFlag.READONLY;
import static io.cinnabar.api.CommandFlag.WRITE;

import io.cinnabar.api.AclCategory;
import io.cinnabar.api.CommandFamily;
import io.cinnabar.api.CommandSpec;
import io.cinnabar.api.KeySpec;
import java.util.List;
import org.pf4j.Extension;

/**
 * The set commands (Redis's t_set.c), as data: arity, flags, key specs and docs exactly as Redis 7.2's
 * {@code COMMAND INFO}/{@code COMMAND DOCS} report them. Handlers live in {@link SetCommands},
 * {@link SetAlgebra} and {@link SetRandom}.
 */
@Extension
public final class SetsFamily implements CommandFamily {
    private static final String O1 = "O(1)";
    private static final String INTER = "O(N*M) worst case where N is the cardinality of the smallest set and M is "
            + "the number of sets.";
    private static final String UNION = "O(N) where N is the total number of elements in all given sets.";
    private static final String ORDER = "nondeterministic_output_order";

    public SetsFamily() {
    }

    @Override
    public List<CommandSpec> commands() {
        return List.of(
                set("sadd", -3, "1.0.0", "Adds one or more members to a set. Creates the key if it doesn't exist.",
                        "O(1) for each element added, so O(N) to add N elements when the command is called with "
                                + "multiple arguments.")
                        .flags(WRITE, DENYOOM, FAST).key(one("RW", "INSERT"))
                        .history("2.4.0", "Accepts multiple `member` arguments.").handler(SetCommands::sadd).build(),
                set("srem", -3, "1.0.0",
                        "Removes one or more members from a set. Deletes the set if the last member was removed.",
                        "O(N) where N is the number of members to be removed.")
                        .flags(WRITE, FAST).key(one("RW", "DELETE"))
                        .history("2.4.0", "Accepts multiple `member` arguments.").handler(SetCommands::srem).build(),
                set("scard", 2, "1.0.0", "Returns the number of members in a set.", O1)
                        .flags(READONLY, FAST).key(one("RO")).handler(SetCommands::scard).build(),
                set("sismember", 3, "1.0.0", "Determines whether a member belongs to a set.", O1)
                        .flags(READONLY, FAST).key(one("RO")).handler(SetCommands::sismember).build(),
                set("smismember", -3, "6.2.0", "Determines whether multiple members belong to a set.",
                        "O(N) where N is the number of elements being checked for membership")
                        .flags(READONLY, FAST).key(one("RO", "ACCESS")).handler(SetCommands::smismember).build(),
                set("smembers", 2, "1.0.0", "Returns all members of a set.", "O(N) where N is the set cardinality.")
                        .flags(READONLY).key(one("RO", "ACCESS")).tips(ORDER).handler(SetCommands::smembers).build(),
                set("smove", 4, "1.0.0", "Moves a member from one set to another.", O1)
                        .flags(WRITE, FAST).key(one("RW", "ACCESS", "DELETE"))
                        .key(KeySpec.range(2, 0, 1, "RW", "INSERT")).handler(SetCommands::smove).build(),
                set("sinter", -2, "1.0.0", "Returns the intersect of multiple sets.", INTER)
                        .flags(READONLY).key(all(1, "RO", "ACCESS")).tips(ORDER).handler(SetAlgebra::sinter).build(),
                set("sintercard", -3, "7.0.0", "Returns the number of members of the intersect of multiple sets.",
                        INTER).flags(READONLY).key(KeySpec.keynum(1, 0, 1, 1, "RO", "ACCESS"))
                        .handler(SetAlgebra::sintercard).build(),
                set("sinterstore", -3, "1.0.0", "Stores the intersect of multiple sets in a key.", INTER)
                        .flags(WRITE, DENYOOM).key(one("RW", "UPDATE")).key(all(2, "RO", "ACCESS"))
                        .handler(SetAlgebra::sinterstore).build(),
                set("sunion", -2, "1.0.0", "Returns the union of multiple sets.", UNION)
                        .flags(READONLY).key(all(1, "RO", "ACCESS")).tips(ORDER).handler(SetAlgebra::sunion).build(),
                set("sunionstore", -3, "1.0.0", "Stores the union of multiple sets in a key.", UNION)
                        .flags(WRITE, DENYOOM).key(one("OW", "UPDATE")).key(all(2, "RO", "ACCESS"))
                        .handler(SetAlgebra::sunionstore).build(),
                set("sdiff", -2, "1.0.0", "Returns the difference of multiple sets.", UNION)
                        .flags(READONLY).key(all(1, "RO", "ACCESS")).tips(ORDER).handler(SetAlgebra::sdiff).build(),
                set("sdiffstore", -3, "1.0.0", "Stores the difference of multiple sets in a key.", UNION)
                        .flags(WRITE, DENYOOM).key(one("OW", "UPDATE")).key(all(2, "RO", "ACCESS"))
                        .handler(SetAlgebra::sdiffstore).build(),
                set("srandmember", -2, "1.0.0", "Get one or multiple random members from a set",
                        "Without the count argument O(1), otherwise O(N) where N is the absolute value of the "
                                + "passed count.")
                        .flags(READONLY).key(one("RO", "ACCESS")).tips("nondeterministic_output")
                        .history("2.6.0", "Added the optional `count` argument.")
                        .handler(SetRandom::srandmember).build(),
                set("spop", -2, "1.0.0", "Returns one or more random members from a set after removing them. "
                                + "Deletes the set if the last member was popped.",
                        "Without the count argument O(1), otherwise O(N) where N is the value of the passed count.")
                        .flags(WRITE, FAST).key(one("RW", "ACCESS", "DELETE")).tips("nondeterministic_output")
                        .history("3.2.0", "Added the `count` argument.").handler(SetRandom::spop).build(),
                set("sscan", -3, "2.8.0", "Iterates over members of a set.", "O(1) for every call. O(N) for a "
                                + "complete iteration, including enough command calls for the cursor to return back "
                                + "to 0. N is the number of elements inside the collection.")
                        .flags(READONLY).key(one("RO", "ACCESS")).tips("nondeterministic_output")
                        .handler(SetRandom::sscan).build());
    }

    private static CommandSpec.Builder set(String name, int arity, String since, String summary, String complexity) {
        return CommandSpec.command(name).arity(arity).acl(AclCategory.SET).group("set").since(since)
                .summary(summary).complexity(complexity);
    }

    /** The single key at argument 1. */
    private static KeySpec one(String... flags) {
        return KeySpec.range(1, 0, 1, flags);
    }

    /** Every argument from {@code index} on is a key. */
    private static KeySpec all(int index, String... flags) {
        return KeySpec.range(index, -1, 1, flags);
    }
}
