package io.cinnabar.datatypes.strings;

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
 * The string commands (Redis's t_string.c), as data: arity, flags, key specs and docs exactly as Redis 7.2's
 * {@code COMMAND INFO}/{@code COMMAND DOCS} report them. Handlers live in {@link StringCommands},
 * {@link RangeCommands}, {@link CounterCommands} and {@link LcsCommand}.
 */
@Extension
public final class StringsFamily implements CommandFamily {
    private static final String O1 = "O(1)";

    public StringsFamily() {
    }

    @Override
    public List<CommandSpec> commands() {
        return List.of(
                string("get", 2, "1.0.0", "Returns the string value of a key.", O1)
                        .flags(READONLY, FAST).key(one("RO", "ACCESS")).handler(StringCommands::get).build(),
                string("set", -3, "1.0.0",
                        "Sets the string value of a key, ignoring its type. The key is created if it doesn't exist.", O1)
                        .flags(WRITE, DENYOOM).key(one("RW", "ACCESS", "UPDATE", "VARIABLE_FLAGS"))
                        .handler(StringCommands::set).build(),
                string("setnx", 3, "1.0.0", "Set the string value of a key only when the key doesn't exist.", O1)
                        .flags(WRITE, DENYOOM, FAST).key(one("OW", "INSERT")).handler(StringCommands::setnx).build(),
                string("setex", 4, "2.0.0",
                        "Sets the string value and expiration time of a key. Creates the key if it doesn't exist.", O1)
                        .flags(WRITE, DENYOOM).key(one("OW", "UPDATE")).handler(StringCommands::setex).build(),
                string("psetex", 4, "2.6.0", "Sets both string value and expiration time in milliseconds of a key. "
                        + "The key is created if it doesn't exist.", O1)
                        .flags(WRITE, DENYOOM).key(one("OW", "UPDATE")).handler(StringCommands::psetex).build(),
                string("getex", -2, "6.2.0", "Returns the string value of a key after setting its expiration time.", O1)
                        .flags(WRITE, FAST).key(one("RW", "ACCESS", "UPDATE")).handler(StringCommands::getex).build(),
                string("getdel", 2, "6.2.0", "Returns the string value of a key after deleting the key.", O1)
                        .flags(WRITE, FAST).key(one("RW", "ACCESS", "DELETE")).handler(StringCommands::getdel).build(),
                string("getset", 3, "1.0.0",
                        "Returns the previous string value of a key after setting it to a new value.", O1)
                        .flags(WRITE, DENYOOM, FAST).key(one("RW", "ACCESS", "UPDATE"))
                        .handler(StringCommands::getset).build(),
                string("mget", -2, "1.0.0", "Atomically returns the string values of one or more keys.",
                        "O(N) where N is the number of keys to retrieve.")
                        .flags(READONLY, FAST).key(KeySpec.range(1, -1, 1, "RO", "ACCESS"))
                        .tips("request_policy:multi_shard").handler(StringCommands::mget).build(),
                string("mset", -3, "1.0.1", "Atomically creates or modifies the string values of one or more keys.",
                        "O(N) where N is the number of keys to set.")
                        .flags(WRITE, DENYOOM).key(KeySpec.range(1, -1, 2, "OW", "UPDATE"))
                        .tips("request_policy:multi_shard", "response_policy:all_succeeded")
                        .handler(StringCommands::mset).build(),
                string("msetnx", -3, "1.0.1",
                        "Atomically modifies the string values of one or more keys only when all keys don't exist.",
                        "O(N) where N is the number of keys to set.")
                        .flags(WRITE, DENYOOM).key(KeySpec.range(1, -1, 2, "OW", "INSERT"))
                        .handler(StringCommands::msetnx).build(),
                string("append", 3, "2.0.0",
                        "Appends a string to the value of a key. Creates the key if it doesn't exist.", APPEND_COMPLEXITY)
                        .flags(WRITE, DENYOOM, FAST).key(one("RW", "INSERT")).handler(RangeCommands::append).build(),
                string("strlen", 2, "2.2.0", "Returns the length of a string value.", O1)
                        .flags(READONLY, FAST).key(one("RO")).handler(RangeCommands::strlen).build(),
                string("getrange", 4, "2.4.0", "Returns a substring of the string stored at a key.", RANGE_COMPLEXITY)
                        .flags(READONLY).key(one("RO", "ACCESS")).handler(RangeCommands::getrange).build(),
                string("substr", 4, "1.0.0", "Returns a substring from a string value.", RANGE_COMPLEXITY)
                        .flags(READONLY).key(one("RO", "ACCESS")).handler(RangeCommands::getrange).build(),
                string("setrange", 4, "2.2.0", "Overwrites a part of a string value with another by an offset. "
                        + "Creates the key if it doesn't exist.", SETRANGE_COMPLEXITY)
                        .flags(WRITE, DENYOOM).key(one("RW", "UPDATE")).handler(RangeCommands::setrange).build(),
                counter("incr", "Increments the integer value of a key by one. Uses 0 as initial value if the key "
                        + "doesn't exist.").handler(CounterCommands::incr).build(),
                counter("decr", "Decrements the integer value of a key by one. Uses 0 as initial value if the key "
                        + "doesn't exist.").handler(CounterCommands::decr).build(),
                counter("incrby", "Increments the integer value of a key by a number. Uses 0 as initial value if the "
                        + "key doesn't exist.").arity(3).handler(CounterCommands::incrby).build(),
                counter("decrby", "Decrements a number from the integer value of a key. Uses 0 as initial value if "
                        + "the key doesn't exist.").arity(3).handler(CounterCommands::decrby).build(),
                counter("incrbyfloat", "Increment the floating point value of a key by a number. Uses 0 as initial "
                        + "value if the key doesn't exist.").arity(3).since("2.6.0")
                        .handler(CounterCommands::incrbyfloat).build(),
                string("lcs", -3, "7.0.0", "Finds the longest common substring.",
                        "O(N*M) where N and M are the lengths of s1 and s2, respectively")
                        .flags(READONLY).key(KeySpec.range(1, 1, 1, "RO", "ACCESS")).handler(LcsCommand::lcs).build());
    }

    private static final String APPEND_COMPLEXITY = "O(1). The amortized time complexity is O(1) assuming the "
            + "appended value is small and the already present value is of any size, since the dynamic string "
            + "library used by Redis will double the free space available on every reallocation.";

    private static final String RANGE_COMPLEXITY = "O(N) where N is the length of the returned string. The "
            + "complexity is ultimately determined by the returned length, but because creating a substring from "
            + "an existing string is very cheap, it can be considered O(1) for small strings.";

    private static final String SETRANGE_COMPLEXITY = "O(1), not counting the time taken to copy the new string in "
            + "place. Usually, this string is very small so the amortized complexity is O(1). Otherwise, "
            + "complexity is O(M) with M being the length of the value argument.";

    private static CommandSpec.Builder string(String name, int arity, String since, String summary, String complexity) {
        return CommandSpec.command(name).arity(arity).acl(AclCategory.STRING).group("string").since(since)
                .summary(summary).complexity(complexity);
    }

    /** INCR and friends: same flags and key spec; arity 2 unless set again. */
    private static CommandSpec.Builder counter(String name, String summary) {
        return string(name, 2, "1.0.0", summary, O1).flags(WRITE, DENYOOM, FAST)
                .key(one("RW", "ACCESS", "UPDATE"));
    }

    /** The single key at argument 1. */
    private static KeySpec one(String... flags) {
        return KeySpec.range(1, 0, 1, flags);
    }
}
