package io.cinnabar.datatypes.zset;

import static io.cinnabar.api.CommandFlag.BLOCKING;
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
 * The sorted set commands (Redis's t_zset.c), as data: arity, flags, key specs and docs exactly as Redis 7.2's
 * {@code COMMAND INFO}/{@code COMMAND DOCS} report them. Handlers live in {@link ZsetCommands},
 * {@link RangeCommands}, {@link PopCommands}, {@link BlockingPopCommands} and
 * {@link SetOpCommands}. The geo commands (group "geo") store their points as sorted sets too: {@link GeoCommands}
 * and {@link GeoSearch}.
 */
@Extension
public final class SortedSetFamily implements CommandFamily {
    public SortedSetFamily() {
    }

    @Override
    public List<CommandSpec> commands() {
        return List.of(
                zset("zadd", -4, "1.2.0", "Adds one or more members to a sorted set, or updates their scores. "
                        + "Creates the key if it doesn't exist.",
                        ZADD_COMPLEXITY)
                        .flags(WRITE, DENYOOM, FAST)
                        .key(KeySpec.range(1, 0, 1, "RW", "UPDATE"))
                        .history("2.4.0", "Accepts multiple elements.")
                        .history("3.0.2", "Added the `XX`, `NX`, `CH` and `INCR` options.")
                        .history("6.2.0", "Added the `GT` and `LT` options.")
                        .handler(ZsetCommands::zadd).build(),
                zset("zincrby", 4, "1.2.0", "Increments the score of a member in a sorted set.",
                        ZINCRBY_COMPLEXITY)
                        .flags(WRITE, DENYOOM, FAST)
                        .key(KeySpec.range(1, 0, 1, "RW", "ACCESS", "UPDATE"))
                        .handler(ZsetCommands::zincrby).build(),
                zset("zrem", -3, "1.2.0", "Removes one or more members from a sorted set. Deletes the sorted set if "
                        + "all members were removed.",
                        ZREM_COMPLEXITY)
                        .flags(WRITE, FAST)
                        .key(KeySpec.range(1, 0, 1, "RW", "DELETE"))
                        .history("2.4.0", "Accepts multiple elements.")
                        .handler(ZsetCommands::zrem).build(),
                zset("zcard", 2, "1.2.0", "Returns the number of members in a sorted set.",
                        O1)
                        .flags(READONLY, FAST)
                        .key(KeySpec.range(1, 0, 1, "RO"))
                        .handler(ZsetCommands::zcard).build(),
                zset("zscore", 3, "1.2.0", "Returns the score of a member in a sorted set.",
                        O1)
                        .flags(READONLY, FAST)
                        .key(KeySpec.range(1, 0, 1, "RO", "ACCESS"))
                        .handler(ZsetCommands::zscore).build(),
                zset("zmscore", -3, "6.2.0", "Returns the score of one or more members in a sorted set.",
                        "O(N) where N is the number of members being requested.")
                        .flags(READONLY, FAST)
                        .key(KeySpec.range(1, 0, 1, "RO", "ACCESS"))
                        .handler(ZsetCommands::zmscore).build(),
                zset("zcount", 4, "2.0.0", "Returns the count of members in a sorted set that have scores within a "
                        + "range.",
                        ZCOUNT_COMPLEXITY)
                        .flags(READONLY, FAST)
                        .key(KeySpec.range(1, 0, 1, "RO", "ACCESS"))
                        .handler(ZsetCommands::zcount).build(),
                zset("zlexcount", 4, "2.8.9", "Returns the number of members in a sorted set within a "
                        + "lexicographical range.",
                        ZCOUNT_COMPLEXITY)
                        .flags(READONLY, FAST)
                        .key(KeySpec.range(1, 0, 1, "RO", "ACCESS"))
                        .handler(ZsetCommands::zlexcount).build(),
                zset("zrank", -3, "2.0.0", "Returns the index of a member in a sorted set ordered by ascending "
                        + "scores.",
                        O_LOG_N)
                        .flags(READONLY, FAST)
                        .key(KeySpec.range(1, 0, 1, "RO", "ACCESS"))
                        .history("7.2.0", "Added the optional `WITHSCORE` argument.")
                        .handler(ZsetCommands::zrank).build(),
                zset("zrevrank", -3, "2.0.0", "Returns the index of a member in a sorted set ordered by descending "
                        + "scores.",
                        O_LOG_N)
                        .flags(READONLY, FAST)
                        .key(KeySpec.range(1, 0, 1, "RO", "ACCESS"))
                        .history("7.2.0", "Added the optional `WITHSCORE` argument.")
                        .handler(ZsetCommands::zrevrank).build(),
                zset("zrange", -4, "1.2.0", "Returns members in a sorted set within a range of indexes.",
                        ZRANGE_COMPLEXITY)
                        .flags(READONLY)
                        .key(KeySpec.range(1, 0, 1, "RO", "ACCESS"))
                        .history("6.2.0", "Added the `REV`, `BYSCORE`, `BYLEX` and `LIMIT` options.")
                        .handler(RangeCommands::zrange).build(),
                zset("zrangebyscore", -4, "1.0.5", "Returns members in a sorted set within a range of scores.",
                        ZRANGEBYSCORE_COMPLEXITY)
                        .flags(READONLY)
                        .key(KeySpec.range(1, 0, 1, "RO", "ACCESS"))
                        .deprecated("6.2.0", "`ZRANGE` with the `BYSCORE` argument")
                        .history("2.0.0", "Added the `WITHSCORES` modifier.")
                        .handler(RangeCommands::zrangebyscore).build(),
                zset("zrevrangebyscore", -4, "2.2.0", "Returns members in a sorted set within a range of scores in "
                        + "reverse order.",
                        ZRANGEBYSCORE_COMPLEXITY)
                        .flags(READONLY)
                        .key(KeySpec.range(1, 0, 1, "RO", "ACCESS"))
                        .deprecated("6.2.0", "`ZRANGE` with the `REV` and `BYSCORE` arguments")
                        .history("2.1.6", "`min` and `max` can be exclusive.")
                        .handler(RangeCommands::zrevrangebyscore).build(),
                zset("zrangebylex", -4, "2.8.9", "Returns members in a sorted set within a lexicographical range.",
                        ZRANGEBYSCORE_COMPLEXITY)
                        .flags(READONLY)
                        .key(KeySpec.range(1, 0, 1, "RO", "ACCESS"))
                        .deprecated("6.2.0", "`ZRANGE` with the `BYLEX` argument")
                        .handler(RangeCommands::zrangebylex).build(),
                zset("zrevrangebylex", -4, "2.8.9", "Returns members in a sorted set within a lexicographical range "
                        + "in reverse order.",
                        ZRANGEBYSCORE_COMPLEXITY)
                        .flags(READONLY)
                        .key(KeySpec.range(1, 0, 1, "RO", "ACCESS"))
                        .deprecated("6.2.0", "`ZRANGE` with the `REV` and `BYLEX` arguments")
                        .handler(RangeCommands::zrevrangebylex).build(),
                zset("zrevrange", -4, "1.2.0", "Returns members in a sorted set within a range of indexes in reverse "
                        + "order.",
                        ZRANGE_COMPLEXITY)
                        .flags(READONLY)
                        .key(KeySpec.range(1, 0, 1, "RO", "ACCESS"))
                        .deprecated("6.2.0", "`ZRANGE` with the `REV` argument")
                        .handler(RangeCommands::zrevrange).build(),
                zset("zrangestore", -5, "6.2.0", "Stores a range of members from sorted set in a key.",
                        ZRANGESTORE_COMPLEXITY)
                        .flags(WRITE, DENYOOM)
                        .key(KeySpec.range(1, 0, 1, "OW", "UPDATE"))
                        .key(KeySpec.range(2, 0, 1, "RO", "ACCESS"))
                        .handler(RangeCommands::zrangestore).build(),
                zset("zremrangebyrank", 4, "2.0.0", "Removes members in a sorted set within a range of indexes. "
                        + "Deletes the sorted set if all members were removed.",
                        ZREMRANGEBYRANK_COMPLEXITY)
                        .flags(WRITE)
                        .key(KeySpec.range(1, 0, 1, "RW", "DELETE"))
                        .handler(RangeCommands::zremrangebyrank).build(),
                zset("zremrangebyscore", 4, "1.2.0", "Removes members in a sorted set within a range of scores. "
                        + "Deletes the sorted set if all members were removed.",
                        ZREMRANGEBYRANK_COMPLEXITY)
                        .flags(WRITE)
                        .key(KeySpec.range(1, 0, 1, "RW", "DELETE"))
                        .handler(RangeCommands::zremrangebyscore).build(),
                zset("zremrangebylex", 4, "2.8.9", "Removes members in a sorted set within a lexicographical range. "
                        + "Deletes the sorted set if all members were removed.",
                        ZREMRANGEBYRANK_COMPLEXITY)
                        .flags(WRITE)
                        .key(KeySpec.range(1, 0, 1, "RW", "DELETE"))
                        .handler(RangeCommands::zremrangebylex).build(),
                zset("zpopmin", -2, "5.0.0", "Returns the lowest-scoring members from a sorted set after removing "
                        + "them. Deletes the sorted set if the last member was popped.",
                        ZPOPMIN_COMPLEXITY)
                        .flags(WRITE, FAST)
                        .key(KeySpec.range(1, 0, 1, "RW", "ACCESS", "DELETE"))
                        .handler(PopCommands::zpopmin).build(),
                zset("zpopmax", -2, "5.0.0", "Returns the highest-scoring members from a sorted set after removing "
                        + "them. Deletes the sorted set if the last member was popped.",
                        ZPOPMIN_COMPLEXITY)
                        .flags(WRITE, FAST)
                        .key(KeySpec.range(1, 0, 1, "RW", "ACCESS", "DELETE"))
                        .handler(PopCommands::zpopmax).build(),
                zset("zmpop", -4, "7.0.0", "Returns the highest- or lowest-scoring members from one or more sorted "
                        + "sets after removing them. Deletes the sorted set if the last member was popped.",
                        ZMPOP_COMPLEXITY)
                        .flags(WRITE)
                        .key(KeySpec.keynum(1, 0, 1, 1, "RW", "ACCESS", "DELETE"))
                        .handler(PopCommands::zmpop).build(),
                zset("bzpopmin", -3, "5.0.0", "Removes and returns the member with the lowest score from one or more "
                        + "sorted sets. Blocks until a member is available otherwise. Deletes the sorted set if the last "
                        + "element was popped.",
                        BZPOPMIN_COMPLEXITY)
                        .flags(WRITE, BLOCKING, FAST)
                        .key(KeySpec.range(1, -2, 1, "RW", "ACCESS", "DELETE"))
                        .history("6.0.0", "`timeout` is interpreted as a double instead of an integer.")
                        .handler(BlockingPopCommands::bzpopmin).build(),
                // Redis's summary has the missing "is" and the double space
                zset("bzpopmax", -3, "5.0.0", "Removes and returns the member with the highest score from one or more "
                        + "sorted sets. Blocks until a member available otherwise.  Deletes the sorted set if the last "
                        + "element was popped.",
                        BZPOPMIN_COMPLEXITY)
                        .flags(WRITE, BLOCKING, FAST)
                        .key(KeySpec.range(1, -2, 1, "RW", "ACCESS", "DELETE"))
                        .history("6.0.0", "`timeout` is interpreted as a double instead of an integer.")
                        .handler(BlockingPopCommands::bzpopmax).build(),
                zset("bzmpop", -5, "7.0.0", "Removes and returns a member by score from one or more sorted sets. "
                        + "Blocks until a member is available otherwise. Deletes the sorted set if the last element "
                        + "was popped.",
                        ZMPOP_COMPLEXITY)
                        .flags(WRITE, BLOCKING)
                        .key(KeySpec.keynum(2, 0, 1, 1, "RW", "ACCESS", "DELETE"))
                        .handler(BlockingPopCommands::bzmpop).build(),
                zset("zrandmember", -2, "6.2.0", "Returns one or more random members from a sorted set.",
                        "O(N) where N is the number of members returned")
                        .flags(READONLY)
                        .key(KeySpec.range(1, 0, 1, "RO", "ACCESS"))
                        .tips("nondeterministic_output")
                        .handler(PopCommands::zrandmember).build(),
                zset("zscan", -3, "2.8.0", "Iterates over members and scores of a sorted set.",
                        ZSCAN_COMPLEXITY)
                        .flags(READONLY)
                        .key(KeySpec.range(1, 0, 1, "RO", "ACCESS"))
                        .tips("nondeterministic_output")
                        .handler(PopCommands::zscan).build(),
                zset("zunion", -3, "6.2.0", "Returns the union of multiple sorted sets.",
                        ZUNION_COMPLEXITY)
                        .flags(READONLY)
                        .key(KeySpec.keynum(1, 0, 1, 1, "RO", "ACCESS"))
                        .handler(SetOpCommands::zunion).build(),
                zset("zinter", -3, "6.2.0", "Returns the intersect of multiple sorted sets.",
                        ZINTER_COMPLEXITY)
                        .flags(READONLY)
                        .key(KeySpec.keynum(1, 0, 1, 1, "RO", "ACCESS"))
                        .handler(SetOpCommands::zinter).build(),
                zset("zdiff", -3, "6.2.0", "Returns the difference between multiple sorted sets.",
                        ZDIFF_COMPLEXITY)
                        .flags(READONLY)
                        .key(KeySpec.keynum(1, 0, 1, 1, "RO", "ACCESS"))
                        .handler(SetOpCommands::zdiff).build(),
                zset("zunionstore", -4, "2.0.0", "Stores the union of multiple sorted sets in a key.",
                        ZUNIONSTORE_COMPLEXITY)
                        .flags(WRITE, DENYOOM)
                        .key(KeySpec.range(1, 0, 1, "OW", "UPDATE"))
                        .key(KeySpec.keynum(2, 0, 1, 1, "RO", "ACCESS"))
                        .handler(SetOpCommands::zunionstore).build(),
                zset("zinterstore", -4, "2.0.0", "Stores the intersect of multiple sorted sets in a key.",
                        ZINTER_COMPLEXITY)
                        .flags(WRITE, DENYOOM)
                        .key(KeySpec.range(1, 0, 1, "OW", "UPDATE"))
                        .key(KeySpec.keynum(2, 0, 1, 1, "RO", "ACCESS"))
                        .handler(SetOpCommands::zinterstore).build(),
                zset("zdiffstore", -4, "6.2.0", "Stores the difference of multiple sorted sets in a key.",
                        ZDIFF_COMPLEXITY)
                        .flags(WRITE, DENYOOM)
                        .key(KeySpec.range(1, 0, 1, "OW", "UPDATE"))
                        .key(KeySpec.keynum(2, 0, 1, 1, "RO", "ACCESS"))
                        .handler(SetOpCommands::zdiffstore).build(),
                zset("zintercard", -3, "7.0.0", "Returns the number of members of the intersect of multiple sorted "
                        + "sets.",
                        ZINTERCARD_COMPLEXITY)
                        .flags(READONLY)
                        .key(KeySpec.keynum(1, 0, 1, 1, "RO", "ACCESS"))
                        .handler(SetOpCommands::zintercard).build(),
                geo("geoadd", -5, "Adds one or more members to a geospatial index. The key is created if it "
                        + "doesn't exist.", ZADD_COMPLEXITY)
                        .flags(WRITE, DENYOOM)
                        .key(KeySpec.range(1, 0, 1, "RW", "UPDATE"))
                        .history("6.2.0", "Added the `CH`, `NX` and `XX` options.")
                        .handler(GeoCommands::geoadd).build(),
                geo("geodist", -4, "Returns the distance between two members of a geospatial index.", O1)
                        .flags(READONLY)
                        .key(KeySpec.range(1, 0, 1, "RO", "ACCESS"))
                        .handler(GeoCommands::geodist).build(),
                geo("geohash", -2, "Returns members from a geospatial index as geohash strings.",
                        GEO_PER_MEMBER_COMPLEXITY)
                        .flags(READONLY)
                        .key(KeySpec.range(1, 0, 1, "RO", "ACCESS"))
                        .handler(GeoCommands::geohash).build(),
                geo("geopos", -2, "Returns the longitude and latitude of members from a geospatial index.",
                        GEO_PER_MEMBER_COMPLEXITY)
                        .flags(READONLY)
                        .key(KeySpec.range(1, 0, 1, "RO", "ACCESS"))
                        .handler(GeoCommands::geopos).build(),
                geo("georadius", -6, "Queries a geospatial index for members within a distance from a coordinate, "
                        + "optionally stores the result.", GEORADIUS_COMPLEXITY)
                        .flags(WRITE, DENYOOM)
                        .key(KeySpec.range(1, 0, 1, "RO", "ACCESS"))
                        .key(KeySpec.keyword("STORE", 6, 0, 1, "OW", "UPDATE"))
                        .key(KeySpec.keyword("STOREDIST", 6, 0, 1, "OW", "UPDATE"))
                        .deprecated("6.2.0", "`GEOSEARCH` and `GEOSEARCHSTORE` with the `BYRADIUS` argument")
                        .history("6.2.0", "Added the `ANY` option for `COUNT`.")
                        .history("7.0.0", "Added support for uppercase unit names.")
                        .handler(GeoSearch::georadius).build(),
                geo("georadius_ro", -6, "Returns members from a geospatial index that are within a distance from a "
                        + "coordinate.", GEORADIUS_COMPLEXITY)
                        .since("3.2.10")
                        .flags(READONLY)
                        .key(KeySpec.range(1, 0, 1, "RO", "ACCESS"))
                        .deprecated("6.2.0", "`GEOSEARCH` with the `BYRADIUS` argument")
                        .history("6.2.0", "Added the `ANY` option for `COUNT`.")
                        .handler(GeoSearch::georadiusRo).build(),
                geo("georadiusbymember", -5, "Queries a geospatial index for members within a distance from a "
                        + "member, optionally stores the result.", GEORADIUS_COMPLEXITY)
                        .flags(WRITE, DENYOOM)
                        .key(KeySpec.range(1, 0, 1, "RO", "ACCESS"))
                        .key(KeySpec.keyword("STORE", 5, 0, 1, "OW", "UPDATE"))
                        .key(KeySpec.keyword("STOREDIST", 5, 0, 1, "OW", "UPDATE"))
                        .deprecated("6.2.0", "`GEOSEARCH` and `GEOSEARCHSTORE` with the `BYRADIUS` and `FROMMEMBER` "
                                + "arguments")
                        .history("7.0.0", "Added support for uppercase unit names.")
                        .handler(GeoSearch::georadiusbymember).build(),
                geo("georadiusbymember_ro", -5, "Returns members from a geospatial index that are within a distance "
                        + "from a member.", GEORADIUS_COMPLEXITY)
                        .since("3.2.10")
                        .flags(READONLY)
                        .key(KeySpec.range(1, 0, 1, "RO", "ACCESS"))
                        .deprecated("6.2.0", "`GEOSEARCH` with the `BYRADIUS` and `FROMMEMBER` arguments")
                        .handler(GeoSearch::georadiusbymemberRo).build(),
                geo("geosearch", -7, "Queries a geospatial index for members inside an area of a box or a circle.",
                        GEOSEARCH_COMPLEXITY)
                        .since("6.2.0")
                        .flags(READONLY)
                        .key(KeySpec.range(1, 0, 1, "RO", "ACCESS"))
                        .history("7.0.0", "Added support for uppercase unit names.")
                        .handler(GeoSearch::geosearch).build(),
                geo("geosearchstore", -8, "Queries a geospatial index for members inside an area of a box or a "
                        + "circle, optionally stores the result.", GEOSEARCH_COMPLEXITY)
                        .since("6.2.0")
                        .flags(WRITE, DENYOOM)
                        .key(KeySpec.range(1, 0, 1, "OW", "UPDATE"))
                        .key(KeySpec.range(2, 0, 1, "RO", "ACCESS"))
                        .history("7.0.0", "Added support for uppercase unit names.")
                        .handler(GeoSearch::geosearchstore).build()
        );
    }

    private static final String ZADD_COMPLEXITY =
            "O(log(N)) for each item added, where N is the number of elements in the sorted set.";

    private static final String ZINCRBY_COMPLEXITY = "O(log(N)) where N is the number of elements in the sorted set.";

    private static final String ZREM_COMPLEXITY =
            "O(M*log(N)) with N being the number of elements in the sorted set and M the number of elements to be "
            + "removed.";

    private static final String O1 = "O(1)";

    private static final String ZCOUNT_COMPLEXITY = "O(log(N)) with N being the number of elements in the sorted set.";

    private static final String O_LOG_N = "O(log(N))";

    private static final String ZRANGE_COMPLEXITY =
            "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements returned.";

    private static final String ZRANGEBYSCORE_COMPLEXITY =
            "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements being "
            + "returned. If M is constant (e.g. always asking for the first 10 elements with LIMIT), you can "
            + "consider it O(log(N)).";

    private static final String ZRANGESTORE_COMPLEXITY =
            "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements stored "
            + "into the destination key.";

    private static final String ZREMRANGEBYRANK_COMPLEXITY =
            "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements removed "
            + "by the operation.";

    private static final String ZPOPMIN_COMPLEXITY =
            "O(log(N)*M) with N being the number of elements in the sorted set, and M being the number of elements "
            + "popped.";

    private static final String BZPOPMIN_COMPLEXITY = "O(log(N)) with N being the number of elements in the sorted set.";

    private static final String ZMPOP_COMPLEXITY =
            "O(K) + O(M*log(N)) where K is the number of provided keys, N being the number of elements in the sorted "
            + "set, and M being the number of elements popped.";

    private static final String ZSCAN_COMPLEXITY =
            "O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to "
            + "return back to 0. N is the number of elements inside the collection.";

    private static final String ZUNION_COMPLEXITY =
            "O(N)+O(M*log(M)) with N being the sum of the sizes of the input sorted sets, and M being the number of "
            + "elements in the resulting sorted set.";

    private static final String ZINTER_COMPLEXITY =
            "O(N*K)+O(M*log(M)) worst case with N being the smallest input sorted set, K being the number of input "
            + "sorted sets and M being the number of elements in the resulting sorted set.";

    private static final String ZDIFF_COMPLEXITY =
            "O(L + (N-K)log(N)) worst case where L is the total number of elements in all the sets, N is the size of "
            + "the first set, and K is the size of the result set.";

    private static final String ZUNIONSTORE_COMPLEXITY =
            "O(N)+O(M log(M)) with N being the sum of the sizes of the input sorted sets, and M being the number of "
            + "elements in the resulting sorted set.";

    private static final String ZINTERCARD_COMPLEXITY =
            "O(N*K) worst case with N being the smallest input sorted set, K being the number of input sorted sets.";

    private static final String GEO_PER_MEMBER_COMPLEXITY = "O(1) for each member requested.";

    private static final String GEORADIUS_COMPLEXITY =
            "O(N+log(M)) where N is the number of elements inside the bounding box of the circular area delimited by "
            + "center and radius and M is the number of items inside the index.";

    private static final String GEOSEARCH_COMPLEXITY =
            "O(N+log(M)) where N is the number of elements in the grid-aligned bounding box area around the shape "
            + "provided as the filter and M is the number of items inside the shape";

    /** The geo commands (Redis's geo.c) work on sorted sets but are group "geo", ACL category @geo. */
    private static CommandSpec.Builder geo(String name, int arity, String summary, String complexity) {
        return CommandSpec.command(name).arity(arity).acl(AclCategory.GEO).group("geo").since("3.2.0")
                .summary(summary).complexity(complexity);
    }

    private static CommandSpec.Builder zset(String name, int arity, String since, String summary, String complexity) {
        return CommandSpec.command(name).arity(arity).acl(AclCategory.SORTEDSET).group("sorted-set").since(since)
                .summary(summary).complexity(complexity);
    }
}
