package io.cinnabar.datatypes.lists;

import io.cinnabar.api.Args;
import io.cinnabar.api.CommandContext;
import io.cinnabar.api.CommandException;
import io.cinnabar.api.Errors;
import io.cinnabar.api.FieldReadable;
import io.cinnabar.api.KeyspaceEvents;
import io.cinnabar.api.Reply;
import io.cinnabar.api.Sortable;
import io.cinnabar.api.Values;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * SORT and SORT_RO, step for step as Redis's sort.c: parse the options, load the elements (only the LIMIT range
 * when nothing is sorted), give each its weight (the element, or the key or hash field BY names), sort, then
 * reply or store with the GET patterns applied. Patterns are read as C strings where sort.c reads them so
 * (up to a NUL byte), and ALPHA compares as strcoll in the C/C.UTF-8 locale does: bytewise up to a NUL.
 */
final class SortCommand {
    private SortCommand() {
    }

    static void sort(CommandContext ctx, Args args, Reply reply) {
        run(ctx, args, reply, false);
    }

    static void sortRo(CommandContext ctx, Args args, Reply reply) {
        run(ctx, args, reply, true);
    }

    /** One element being sorted: the element, and its numeric weight or ALPHA comparison bytes. */
    private static final class Item {
        final byte[] element;
        double score;
        byte[] cmp;

        Item(byte[] element) {
            this.element = element;
        }
    }

    /** The parsed options (sort.c's locals); {@code dontsort} once a BY pattern without '*' was seen. */
    private static final class Options {
        boolean desc;
        boolean alpha;
        boolean dontsort;
        long limitStart;
        long limitCount = -1;
        byte[] sortby;
        byte[] storekey;
        final List<byte[]> gets = new ArrayList<>();
    }

    private static void run(CommandContext ctx, Args args, Reply reply, boolean readonly) {
        Options o = parse(ctx, args, readonly);
        Object found = ctx.db().getForRead(args.get(1));
        if (found != null && !(found instanceof Sortable)) {
            throw new CommandException(Errors.WRONGTYPE);
        }
        Sortable value = (Sortable) found;
        boolean isSet = value != null && value.typeName().equals("set");
        // a set has no order of its own: a stored result is ALPHA sorted so replicas and the AOF agree
        if (o.dontsort && isSet && o.storekey != null) {
            o.dontsort = false;
            o.alpha = true;
            o.sortby = null;
        }
        if (value != null) {
            value.beforeSort();
        }

        int length = value == null ? 0 : value.sortLength();
        long start = Math.min(Math.max(o.limitStart, 0), length);
        long count = Math.min(Math.max(o.limitCount, -1), length);
        long end = Math.min(count < 0 ? length : start + count, length);
        Item[] vector;
        if (value != null && !isSet && o.dontsort) {
            // a list's or sorted set's own order: only the LIMIT range is read, from the tail when DESC
            vector = load(value, (int) start, (int) (end - start), o.desc);
            end -= start;
            start = 0;
        } else {
            vector = load(value, 0, length, false);
        }
        if (!o.dontsort) {
            boolean conversionError = weigh(ctx, o, vector);
            Comparator<Item> order = comparator(o.alpha, o.sortby != null, o.storekey != null);
            if (o.desc) {
                order = order.reversed();
            }
            if (o.sortby != null && (start != 0 || end != vector.length)) {
                PartialQuicksort.sort(vector, order, (int) start, (int) end);
            } else {
                // glibc's qsort is a stable merge sort here, as Java's object sort: equal weights keep their order
                Arrays.sort(vector, order);
            }
            if (conversionError) {
                throw new CommandException(Errors.SORT_SCORE_NOT_DOUBLE);
            }
        }
        long outputlen = o.gets.isEmpty() ? end - start : o.gets.size() * (end - start);
        if (o.storekey == null) {
            reply(ctx, reply, vector, (int) start, (int) end, o.gets, outputlen);
        } else {
            store(ctx, reply, o.storekey, vector, (int) start, (int) end, o.gets, outputlen);
        }
    }

    /** sort.c's option loop: the first bad option ends it with its error. */
    private static Options parse(CommandContext ctx, Args args, boolean readonly) {
        Options o = new Options();
        boolean cluster = ctx.config().getBoolean("cluster-enabled");
        for (int j = 2; j < args.size(); j++) {
            int leftargs = args.size() - j - 1;
            if (args.is(j, "asc")) {
                o.desc = false;
            } else if (args.is(j, "desc")) {
                o.desc = true;
            } else if (args.is(j, "alpha")) {
                o.alpha = true;
            } else if (args.is(j, "limit") && leftargs >= 2) {
                o.limitStart = args.longAt(j + 1);
                o.limitCount = args.longAt(j + 2);
                j += 2;
            } else if (!readonly && args.is(j, "store") && leftargs >= 1) {
                o.storekey = args.get(++j);
            } else if (args.is(j, "by") && leftargs >= 1) {
                o.sortby = args.get(++j);
                // BY without '*' names no key per element: nothing to sort by (and it stays so). In cluster mode
                // Redis 7.2 refuses every BY pattern and every GET (keys of other slots)
                if (indexOf(o.sortby, (byte) '*', 0, cLength(o.sortby)) < 0) {
                    o.dontsort = true;
                } else if (cluster) {
                    throw new CommandException(Errors.SORT_BY_IN_CLUSTER);
                }
            } else if (args.is(j, "get") && leftargs >= 1) {
                if (cluster) {
                    throw new CommandException(Errors.SORT_GET_IN_CLUSTER);
                }
                o.gets.add(args.get(++j));
            } else {
                throw new CommandException(Errors.SYNTAX);
            }
        }
        return o;
    }

    /** {@code n} elements from position {@code from} of the value's order (counted from its end when reversed). */
    private static Item[] load(Sortable value, int from, int n, boolean reverse) {
        Item[] vector = new Item[n];
        int length = value == null ? 0 : value.sortLength();
        for (int j = 0; j < n; j++) {
            vector[j] = new Item(value.sortElement(reverse ? length - 1 - from - j : from + j));
        }
        return vector;
    }

    /**
     * Gives each element its weight: the element itself or what BY names (no weight when that key is missing),
     * as ALPHA bytes or a number. True when a number does not parse (sort.c still sorts, then replies the error).
     */
    private static boolean weigh(CommandContext ctx, Options o, Item[] vector) {
        boolean conversionError = false;
        for (Item item : vector) {
            byte[] byval = o.sortby == null ? item.element : lookupByPattern(ctx, o.sortby, item.element);
            if (byval == null) {
                continue;
            }
            if (o.alpha) {
                if (o.sortby != null) {
                    item.cmp = byval;
                }
            } else {
                item.score = SortWeights.parse(byval);
                conversionError |= Double.isNaN(item.score);
            }
        }
        return conversionError;
    }

    /** The sorted elements, or for each the GET patterns' values (null for a missing key). */
    private static void reply(CommandContext ctx, Reply reply, Item[] vector, int start, int end, List<byte[]> gets,
                              long outputlen) {
        reply.array((int) outputlen);
        for (int j = start; j < end; j++) {
            if (gets.isEmpty()) {
                reply.bulk(vector[j].element);
            }
            for (byte[] pattern : gets) {
                byte[] val = lookupByPattern(ctx, pattern, vector[j].element);
                if (val == null) {
                    reply.nullBulk();
                } else {
                    reply.bulk(val);
                }
            }
        }
    }

    /** STORE: the result as a list (created as a quicklist, converted when it fits), or the key deleted. */
    private static void store(CommandContext ctx, Reply reply, byte[] storekey, Item[] vector, int start, int end,
                              List<byte[]> gets, long outputlen) {
        // sort.c's createQuicklistObject() is quicklistCreate(): the default fill (-2) whatever the config, kept
        // by the stored list; only the final conversion reads list-max-listpack-size
        ListValue list = ListValue.emptyQuicklist(DEFAULT_QUICKLIST_FILL);
        for (int j = start; j < end; j++) {
            if (gets.isEmpty()) {
                list.addLast(vector[j].element);
            }
            for (byte[] pattern : gets) {
                byte[] val = lookupByPattern(ctx, pattern, vector[j].element);
                list.addLast(val == null ? EMPTY : val);
            }
        }
        if (outputlen > 0) {
            list.tryConvertQuicklist(Lists.fill(ctx));
            ctx.db().set(storekey, list);
            ctx.signalModifiedKey(storekey);
            ctx.notifyKeyspaceEvent(KeyspaceEvents.LIST, "sortstore", storekey);
            ctx.addDirty(outputlen);
        } else if (ctx.db().delete(storekey)) {
            ctx.signalModifiedKey(storekey);
            ctx.notifyKeyspaceEvent(KeyspaceEvents.GENERIC, "del", storekey);
            ctx.addDirty(1);
        }
        reply.integer(outputlen);
    }

    private static final byte[] EMPTY = new byte[0];
    /** quicklist.c's quicklistCreate() fill: listpacks of up to 8 KB. */
    private static final long DEFAULT_QUICKLIST_FILL = -2;

    /**
     * sort.c's sortCompare. Numeric weights tie-break on the elements' bytes; ALPHA by pattern puts elements
     * without a weight first; ALPHA compares with strcoll unless storing (then bytewise, so a stored result does
     * not depend on the locale).
     */
    private static Comparator<Item> comparator(boolean alpha, boolean byPattern, boolean storing) {
        if (!alpha) {
            return (a, b) -> {
                if (a.score > b.score) {
                    return 1;
                } else if (a.score < b.score) {
                    return -1;
                }
                return Arrays.compareUnsigned(a.element, b.element);
            };
        }
        if (byPattern) {
            return (a, b) -> {
                if (a.cmp == null || b.cmp == null) {
                    return a.cmp == b.cmp ? 0 : a.cmp == null ? -1 : 1;
                }
                return storing ? Arrays.compareUnsigned(a.cmp, b.cmp) : collate(a.cmp, b.cmp);
            };
        }
        return (a, b) -> storing ? Arrays.compareUnsigned(a.element, b.element) : collate(a.element, b.element);
    }

    /** strcoll in the C (and C.UTF-8) locale: strcmp, unsigned bytes up to the first NUL. */
    private static int collate(byte[] a, byte[] b) {
        for (int i = 0; ; i++) {
            int x = i < a.length ? a[i] & 0xff : 0;
            int y = i < b.length ? b[i] & 0xff : 0;
            if (x != y) {
                return x - y;
            }
            if (x == 0) {
                return 0;
            }
        }
    }

    /**
     * sort.c's lookupKeyByPattern: {@code #} is the element itself; otherwise the first {@code *} is replaced by
     * the element and the key read, as a string, or as a hash whose field follows the first {@code ->} after the
     * {@code *}. Null when the pattern has no {@code *}, the key is missing or of another type.
     */
    static byte[] lookupByPattern(CommandContext ctx, byte[] pattern, byte[] element) {
        int clen = cLength(pattern);
        if (clen == 1 && pattern[0] == '#') {
            return element;
        }
        int star = indexOf(pattern, (byte) '*', 0, clen);
        if (star < 0) {
            return null;
        }
        int arrow = -1;
        for (int i = star + 1; i + 1 < clen; i++) {
            if (pattern[i] == '-' && pattern[i + 1] == '>') {
                arrow = i;
                break;
            }
        }
        int fieldlen = arrow >= 0 && arrow + 2 < clen ? pattern.length - arrow - 2 : 0;
        int postfixlen = pattern.length - (star + 1) - (fieldlen > 0 ? fieldlen + 2 : 0);
        byte[] key = new byte[star + element.length + postfixlen];
        System.arraycopy(pattern, 0, key, 0, star);
        System.arraycopy(element, 0, key, star, element.length);
        System.arraycopy(pattern, star + 1, key, star + element.length, postfixlen);

        Object o = ctx.db().getForRead(key);
        if (o == null) {
            return null;
        }
        if (fieldlen > 0) {
            if (!(o instanceof FieldReadable hash)) {
                return null;
            }
            return hash.readField(Arrays.copyOfRange(pattern, arrow + 2, pattern.length), ctx.nowMillis());
        }
        return Values.isString(o) ? Values.stringBytes(o) : null;
    }

    /** The length of {@code b} read as a C string: up to its first NUL byte. */
    private static int cLength(byte[] b) {
        int i = indexOf(b, (byte) 0, 0, b.length);
        return i < 0 ? b.length : i;
    }

    private static int indexOf(byte[] b, byte c, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] == c) {
                return i;
            }
        }
        return -1;
    }
}
