package io.cinnabar.datatypes.lists;

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
 * The list commands (Redis's t_list.c), as data: arity, flags, key specs and docs as Redis 7.2's
 * {@code COMMAND INFO}/{@code COMMAND DOCS} report them. Handlers live in {@link ListCommands},
 * {@link ListEditCommands} and (the blocking ones) {@link BlockingListCommands}.
 */
@Extension
public final class ListsFamily implements CommandFamily {
    private static final String O1 = "O(1)";
    private static final String PUSH_COMPLEXITY = "O(1) for each element added, so O(N) to add N elements when "
            + "the command is called with multiple arguments.";
    private static final String POP_COMPLEXITY = "O(N) where N is the number of elements returned";
    private static final String BPOP_COMPLEXITY = "O(N) where N is the number of provided keys.";
    private static final String DOUBLE_TIMEOUT = "`timeout` is interpreted as a double instead of an integer.";

    public ListsFamily() {
    }

    @Override
    public List<CommandSpec> commands() {
        return List.of(
                list("lpush", -3, "1.0.0", "Prepends one or more elements to a list. Creates the key if it doesn't "
                        + "exist.", PUSH_COMPLEXITY).flags(WRITE, DENYOOM, FAST)
                        .key(one("RW", "INSERT")).history("2.4.0", "Accepts multiple `element` arguments.")
                        .handler(ListCommands::lpush).build(),
                list("rpush", -3, "1.0.0", "Appends one or more elements to a list. Creates the key if it doesn't "
                        + "exist.", PUSH_COMPLEXITY).flags(WRITE, DENYOOM, FAST)
                        .key(one("RW", "INSERT")).history("2.4.0", "Accepts multiple `element` arguments.")
                        .handler(ListCommands::rpush).build(),
                list("lpushx", -3, "2.2.0", "Prepends one or more elements to a list only when the list exists.",
                        PUSH_COMPLEXITY).flags(WRITE, DENYOOM, FAST)
                        .key(one("RW", "INSERT")).history("4.0.0", "Accepts multiple `element` arguments.")
                        .handler(ListCommands::lpushx).build(),
                list("rpushx", -3, "2.2.0", "Appends an element to a list only when the list exists.",
                        PUSH_COMPLEXITY).flags(WRITE, DENYOOM, FAST)
                        .key(one("RW", "INSERT")).history("4.0.0", "Accepts multiple `element` arguments.")
                        .handler(ListCommands::rpushx).build(),
                list("lpop", -2, "1.0.0", "Returns the first elements in a list after removing it. Deletes the list "
                        + "if the last element was popped.", POP_COMPLEXITY).flags(WRITE, FAST)
                        .key(one("RW", "ACCESS", "DELETE")).history("6.2.0", "Added the `count` argument.")
                        .handler(ListCommands::lpop).build(),
                list("rpop", -2, "1.0.0", "Returns and removes the last elements of a list. Deletes the list if the "
                        + "last element was popped.", POP_COMPLEXITY).flags(WRITE, FAST)
                        .key(one("RW", "ACCESS", "DELETE")).history("6.2.0", "Added the `count` argument.")
                        .handler(ListCommands::rpop).build(),
                list("llen", 2, "1.0.0", "Returns the length of a list.", O1).flags(READONLY, FAST)
                        .key(one("RO")).handler(ListCommands::llen).build(),
                list("lrange", 4, "1.0.0", "Returns a range of elements from a list.", "O(S+N) where S is the "
                        + "distance of start offset from HEAD for small lists, from nearest end (HEAD or TAIL) for "
                        + "large lists; and N is the number of elements in the specified range.").flags(READONLY)
                        .key(one("RO", "ACCESS")).handler(ListCommands::lrange).build(),
                list("lindex", 3, "1.0.0", "Returns an element from a list by its index.", "O(N) where N is the "
                        + "number of elements to traverse to get to the element at index. This makes asking for the "
                        + "first or the last element of the list O(1).").flags(READONLY)
                        .key(one("RO", "ACCESS")).handler(ListCommands::lindex).build(),
                list("lset", 4, "1.0.0", "Sets the value of an element in a list by its index.", "O(N) where N is "
                        + "the length of the list. Setting either the first or the last element of the list is O(1).")
                        .flags(WRITE, DENYOOM).key(one("RW", "UPDATE"))
                        .handler(ListEditCommands::lset).build(),
                list("linsert", 5, "2.2.0", "Inserts an element before or after another element in a list.",
                        "O(N) where N is the number of elements to traverse before seeing the value pivot. This "
                        + "means that inserting somewhere on the left end on the list (head) can be considered O(1) "
                        + "and inserting somewhere on the right end (tail) is O(N).").flags(WRITE, DENYOOM)
                        .key(one("RW", "INSERT")).handler(ListEditCommands::linsert).build(),
                list("lrem", 4, "1.0.0", "Removes elements from a list. Deletes the list if the last element was "
                        + "removed.", "O(N+M) where N is the length of the list and M is the number of elements "
                        + "removed.").flags(WRITE).key(one("RW", "DELETE"))
                        .handler(ListEditCommands::lrem).build(),
                list("ltrim", 4, "1.0.0", "Removes elements from both ends a list. Deletes the list if all elements "
                        + "were trimmed.", "O(N) where N is the number of elements to be removed by the operation.")
                        .flags(WRITE).key(one("RW", "DELETE"))
                        .handler(ListEditCommands::ltrim).build(),
                list("lpos", -3, "6.0.6", "Returns the index of matching elements in a list.", "O(N) where N is the "
                        + "number of elements in the list, for the average case. When searching for elements near "
                        + "the head or the tail of the list, or when the MAXLEN option is provided, the command may "
                        + "run in constant time.").flags(READONLY).key(one("RO", "ACCESS"))
                        .handler(ListEditCommands::lpos).build(),
                list("lmove", 5, "6.2.0", "Returns an element after popping it from one list and pushing it to "
                        + "another. Deletes the list if the last element was moved.", O1).flags(WRITE, DENYOOM)
                        .key(KeySpec.range(1, 0, 1, "RW", "ACCESS", "DELETE"))
                        .key(KeySpec.range(2, 0, 1, "RW", "INSERT")).handler(ListCommands::lmove).build(),
                list("rpoplpush", 3, "1.2.0", "Returns the last element of a list after removing and pushing it to "
                        + "another list. Deletes the list if the last element was popped.", O1).flags(WRITE, DENYOOM)
                        .key(KeySpec.range(1, 0, 1, "RW", "ACCESS", "DELETE"))
                        .key(KeySpec.range(2, 0, 1, "RW", "INSERT"))
                        .deprecated("6.2.0", "`LMOVE` with the `RIGHT` and `LEFT` arguments")
                        .handler(ListCommands::rpoplpush).build(),
                list("lmpop", -4, "7.0.0", "Returns multiple elements from a list after removing them. Deletes the "
                        + "list if the last element was popped.", "O(N+M) where N is the number of provided keys and "
                        + "M is the number of elements returned.").flags(WRITE)
                        .key(KeySpec.keynum(1, 0, 1, 1, "RW", "ACCESS", "DELETE")).handler(ListCommands::lmpop).build(),
                list("blpop", -3, "2.0.0", "Removes and returns the first element in a list. Blocks until an "
                        + "element is available otherwise. Deletes the list if the last element was popped.",
                        BPOP_COMPLEXITY).flags(WRITE, BLOCKING)
                        .key(KeySpec.range(1, -2, 1, "RW", "ACCESS", "DELETE")).history("6.0.0", DOUBLE_TIMEOUT)
                        .handler(BlockingListCommands::blpop).build(),
                list("brpop", -3, "2.0.0", "Removes and returns the last element in a list. Blocks until an "
                        + "element is available otherwise. Deletes the list if the last element was popped.",
                        BPOP_COMPLEXITY).flags(WRITE, BLOCKING)
                        .key(KeySpec.range(1, -2, 1, "RW", "ACCESS", "DELETE")).history("6.0.0", DOUBLE_TIMEOUT)
                        .handler(BlockingListCommands::brpop).build(),
                list("blmove", 6, "6.2.0", "Pops an element from a list, pushes it to another list and returns it. "
                        + "Blocks until an element is available otherwise. Deletes the list if the last element was "
                        + "moved.", O1).flags(WRITE, DENYOOM, BLOCKING)
                        .key(KeySpec.range(1, 0, 1, "RW", "ACCESS", "DELETE"))
                        .key(KeySpec.range(2, 0, 1, "RW", "INSERT")).handler(BlockingListCommands::blmove).build(),
                list("brpoplpush", 4, "2.2.0", "Pops an element from a list, pushes it to another list and returns "
                        + "it. Block until an element is available otherwise. Deletes the list if the last element was "
                        + "popped.", O1).flags(WRITE, DENYOOM, BLOCKING)
                        .key(KeySpec.range(1, 0, 1, "RW", "ACCESS", "DELETE"))
                        .key(KeySpec.range(2, 0, 1, "RW", "INSERT"))
                        .deprecated("6.2.0", "`BLMOVE` with the `RIGHT` and `LEFT` arguments")
                        .history("6.0.0", DOUBLE_TIMEOUT).handler(BlockingListCommands::brpoplpush).build(),
                list("blmpop", -5, "7.0.0", "Pops the first element from one of multiple lists. Blocks until an "
                        + "element is available otherwise. Deletes the list if the last element was popped.",
                        "O(N+M) where N is the number of provided keys and M is the number of elements returned.")
                        .flags(WRITE, BLOCKING).key(KeySpec.keynum(2, 0, 1, 1, "RW", "ACCESS", "DELETE"))
                        .handler(BlockingListCommands::blmpop).build());
    }

    private static CommandSpec.Builder list(String name, int arity, String since, String summary, String complexity) {
        return CommandSpec.command(name).arity(arity).acl(AclCategory.LIST).group("list").since(since)
                .summary(summary).complexity(complexity);
    }

    /** The single key at argument 1. */
    private static KeySpec one(String... flags) {
        return KeySpec.range(1, 0, 1, flags);
    }
}
