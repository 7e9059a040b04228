package io.cinnabar.datatypes.lists;

import static io.cinnabar.api.CommandFlag.DENYOOM;
import static io.cinnabar.api.CommandFlag.READONLY;
import static io.cinnabar.api.CommandFlag.WRITE;

import io.cinnabar.api.AclCategory;
import io.cinnabar.api.Args;
import io.cinnabar.api.CommandFamily;
import io.cinnabar.api.CommandSpec;
import io.cinnabar.api.KeyFinder;
import io.cinnabar.api.KeySpec;
import java.util.List;
import org.pf4j.Extension;

/**
 * SORT and SORT_RO (Redis's sort.c), as data. They read lists, sets and sorted sets through
 * {@link io.cinnabar.api.Sortable} and live here because the result SORT ... STORE creates is a list.
 * Handlers in {@link SortCommand}.
 */
@Extension
public final class SortFamily implements CommandFamily {
    private static final String COMPLEXITY = "O(N+M*log(M)) where N is the number of elements in the list or set "
            + "to sort, and M the number of returned elements. When the elements are not sorted, complexity is O(N).";
    private static final List<String> SOURCE_FLAGS = List.of("RO", "ACCESS");
    private static final List<String> STORE_FLAGS = List.of("OW", "UPDATE");

    public SortFamily() {
    }

    @Override
    public List<CommandSpec> commands() {
        return List.of(
                sort("sort", "1.0.0", "Sorts the elements in a list, a set, or a sorted set, optionally storing the "
                        + "result.").flags(WRITE, DENYOOM).acl(AclCategory.WRITE)
                        .key(KeySpec.range(1, 0, 1, "RO", "ACCESS"))
                        .key(KeySpec.unknown("RO", "ACCESS"))
                        .key(KeySpec.unknown("OW", "UPDATE"))
                        .keyFinder(SortFamily::sortKeys).handler(SortCommand::sort).build(),
                sort("sort_ro", "7.0.0", "Returns the sorted elements of a list, a set, or a sorted set.")
                        .flags(READONLY).acl(AclCategory.READ)
                        .key(KeySpec.range(1, 0, 1, "RO", "ACCESS"))
                        .key(KeySpec.unknown("RO", "ACCESS"))
                        .keyFinder((args, out) -> out.key(1, SOURCE_FLAGS)).handler(SortCommand::sortRo).build());
    }

    private static CommandSpec.Builder sort(String name, String since, String summary) {
        return CommandSpec.command(name).arity(-2)
                .acl(AclCategory.SET, AclCategory.SORTEDSET, AclCategory.LIST, AclCategory.SLOW, AclCategory.DANGEROUS)
                .group("generic").since(since).summary(summary).complexity(COMPLEXITY);
    }

    /**
     * Redis's sortGetKeys: the sorted key, and the argument after the last STORE. Unknown words are taken to
     * have no argument; LIMIT skips two, GET and BY one (so a STORE right after them is not the option).
     */
    private static void sortKeys(Args args, KeyFinder.Sink out) {
        out.key(1, SOURCE_FLAGS);
        int store = -1;
        for (int i = 2; i < args.size(); i++) {
            if (args.is(i, "limit")) {
                i += 2;
            } else if (args.is(i, "get") || args.is(i, "by")) {
                i += 1;
            } else if (args.is(i, "store") && i + 1 < args.size()) {
                store = i + 1;
            }
        }
        if (store > 0) {
            out.key(store, STORE_FLAGS);
        }
    }
}
