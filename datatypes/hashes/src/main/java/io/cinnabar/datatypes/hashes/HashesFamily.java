package io.cinnabar.datatypes.hashes;

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
 * The hash commands (Redis's t_hash.c), as data: arity, flags, key specs and docs exactly as Redis 7.2's
 * {@code COMMAND INFO}/{@code COMMAND DOCS} report them, plus Redis 7.4's hash field expiry commands as its
 * {@code COMMAND INFO} documents them. Handlers live in {@link HashCommands}, {@link HashCounterCommands},
 * {@link HashRandomCommand}, {@link HashScanCommand} and {@link HashFieldExpiryCommands}.
 */
@Extension
public final class HashesFamily implements CommandFamily {
    private static final String O1 = "O(1)";
    private static final String ON_SIZE = "O(N) where N is the size of the hash.";
    private static final String ORDER = "nondeterministic_output_order";
    private static final String ON_FIELDS = "O(N) where N is the number of specified fields";

    public HashesFamily() {
    }

    @Override
    public List<CommandSpec> commands() {
        return List.of(
                hash("hset", -4, "Creates or modifies the value of a field in a hash.", "O(1) for each field/value "
                        + "pair added, so O(N) to add N field/value pairs when the command is called with multiple "
                        + "field/value pairs.")
                        .flags(WRITE, DENYOOM, FAST).key(one("RW", "UPDATE"))
                        .history("4.0.0", "Accepts multiple `field` and `value` arguments.")
                        .handler(HashCommands::hset).build(),
                hash("hsetnx", 4, "Sets the value of a field in a hash only when the field doesn't exist.", O1)
                        .flags(WRITE, DENYOOM, FAST).key(one("RW", "INSERT")).handler(HashCommands::hsetnx).build(),
                hash("hmset", -4, "Sets the values of multiple fields.",
                        "O(N) where N is the number of fields being set.")
                        .flags(WRITE, DENYOOM, FAST).key(one("RW", "UPDATE"))
                        .deprecated("4.0.0", "`HSET` with multiple field-value pairs")
                        .handler(HashCommands::hmset).build(),
                hash("hget", 3, "Returns the value of a field in a hash.", O1)
                        .flags(READONLY, FAST).key(one("RO", "ACCESS")).handler(HashCommands::hget).build(),
                hash("hmget", -3, "Returns the values of all fields in a hash.",
                        "O(N) where N is the number of fields being requested.")
                        .flags(READONLY, FAST).key(one("RO", "ACCESS")).handler(HashCommands::hmget).build(),
                hash("hdel", -3, "Deletes one or more fields and their values from a hash. Deletes the hash if no "
                        + "fields remain.", "O(N) where N is the number of fields to be removed.")
                        .flags(WRITE, FAST).key(one("RW", "DELETE"))
                        .history("2.4.0", "Accepts multiple `field` arguments.")
                        .handler(HashCommands::hdel).build(),
                hash("hlen", 2, "Returns the number of fields in a hash.", O1)
                        .flags(READONLY, FAST).key(one("RO")).handler(HashCommands::hlen).build(),
                hash("hstrlen", 3, "Returns the length of the value of a field.", O1).since("3.2.0")
                        .flags(READONLY, FAST).key(one("RO")).handler(HashCommands::hstrlen).build(),
                hash("hexists", 3, "Determines whether a field exists in a hash.", O1)
                        .flags(READONLY, FAST).key(one("RO")).handler(HashCommands::hexists).build(),
                hash("hkeys", 2, "Returns all fields in a hash.", ON_SIZE)
                        .flags(READONLY).key(one("RO", "ACCESS")).tips(ORDER).handler(HashCommands::hkeys).build(),
                hash("hvals", 2, "Returns all values in a hash.", ON_SIZE)
                        .flags(READONLY).key(one("RO", "ACCESS")).tips(ORDER).handler(HashCommands::hvals).build(),
                hash("hgetall", 2, "Returns all fields and values in a hash.", ON_SIZE)
                        .flags(READONLY).key(one("RO", "ACCESS")).tips(ORDER).handler(HashCommands::hgetall).build(),
                hash("hincrby", 4, "Increments the integer value of a field in a hash by a number. Uses 0 as initial "
                        + "value if the field doesn't exist.", O1)
                        .flags(WRITE, DENYOOM, FAST).key(one("RW", "ACCESS", "UPDATE"))
                        .handler(HashCounterCommands::hincrby).build(),
                hash("hincrbyfloat", 4, "Increments the floating point value of a field by a number. Uses 0 as initial "
                        + "value if the field doesn't exist.", O1).since("2.6.0")
                        .flags(WRITE, DENYOOM, FAST).key(one("RW", "ACCESS", "UPDATE"))
                        .handler(HashCounterCommands::hincrbyfloat).build(),
                hash("hrandfield", -2, "Returns one or more random fields from a hash.",
                        "O(N) where N is the number of fields returned").since("6.2.0")
                        .flags(READONLY).key(one("RO", "ACCESS")).tips("nondeterministic_output")
                        .handler(HashRandomCommand::hrandfield).build(),
                hash("hscan", -3, "Iterates over fields and values of a hash.", "O(1) for every call. O(N) for a "
                        + "complete iteration, including enough command calls for the cursor to return back to 0. N "
                        + "is the number of elements inside the collection.").since("2.8.0")
                        .flags(READONLY).key(one("RO", "ACCESS")).tips("nondeterministic_output")
                        .handler(HashScanCommand::hscan).build(),
                fieldExpire("hexpire", "Set expiry for hash field using relative time to expire (seconds)")
                        .handler(HashFieldExpiryCommands::hexpire).build(),
                fieldExpire("hpexpire", "Set expiry for hash field using relative time to expire (milliseconds)")
                        .handler(HashFieldExpiryCommands::hpexpire).build(),
                fieldExpire("hexpireat", "Set expiry for hash field using an absolute Unix timestamp (seconds)")
                        .handler(HashFieldExpiryCommands::hexpireat).build(),
                fieldExpire("hpexpireat",
                        "Set expiry for hash field using an absolute Unix timestamp (milliseconds)")
                        .handler(HashFieldExpiryCommands::hpexpireat).build(),
                fieldTtl("httl", "Returns the TTL in seconds of a hash field.")
                        .handler(HashFieldExpiryCommands::httl).build(),
                fieldTtl("hpttl", "Returns the TTL in milliseconds of a hash field.")
                        .handler(HashFieldExpiryCommands::hpttl).build(),
                fieldTtl("hexpiretime", "Returns the expiration time of a hash field as a Unix timestamp, in "
                        + "seconds.").handler(HashFieldExpiryCommands::hexpiretime).build(),
                fieldTtl("hpexpiretime", "Returns the expiration time of a hash field as a Unix timestamp, in "
                        + "msec.").handler(HashFieldExpiryCommands::hpexpiretime).build(),
                hash("hpersist", -5, "Removes the expiration time for each specified field", ON_FIELDS)
                        .since("7.4.0").flags(WRITE, FAST).key(one("RW", "UPDATE"))
                        .handler(HashFieldExpiryCommands::hpersist).build());
    }

    /** HEXPIRE and its variants (Redis 7.4): key time [NX|XX|GT|LT] FIELDS numfields field... */
    private static CommandSpec.Builder fieldExpire(String name, String summary) {
        return hash(name, -6, summary, ON_FIELDS).since("7.4.0").flags(WRITE, DENYOOM, FAST)
                .key(one("RW", "UPDATE"));
    }

    /** HTTL and its variants (Redis 7.4): key FIELDS numfields field... */
    private static CommandSpec.Builder fieldTtl(String name, String summary) {
        return hash(name, -5, summary, ON_FIELDS).since("7.4.0").flags(READONLY, FAST).key(one("RO", "ACCESS"));
    }

    private static CommandSpec.Builder hash(String name, int arity, String summary, String complexity) {
        return CommandSpec.command(name).arity(arity).acl(AclCategory.HASH).group("hash").since("2.0.0")
                .summary(summary).complexity(complexity);
    }

    /** The single key at argument 1. */
    private static KeySpec one(String... flags) {
        return KeySpec.range(1, 0, 1, flags);
    }
}
