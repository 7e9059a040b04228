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

    private static void run(CommandContext ctx, Args args, Reply reply, boolean readonly) {
        boolean desc = false;
        boolean alpha = false;
        boolean dontsort = false;
        long limitStart = 0;
        long limitCount = -1;
        byte[] sortby = null;
        byte[] storekey = null;
        List<byte[]> gets = new ArrayList<>();
        boolean cluster = ctx.config().getBoolean("cluster-enabled");
        for (int j = 2; j < args.size(); j++) {
            int leftargs = args.size() - j - 1;
            if (args.is(j, "asc")) {
                desc = false;
            } else if (args.is(j, "desc")) {
                desc = true;
            } else if (args.is(j, "alpha")) {
                alpha = true;
            } else if (args.is(j, "limit") && leftargs >= 2) {
                limitStart = args.longAt(j + 1);
                limitCount = args.longAt(j + 2);
                j += 2;
            } else if (!readonly && args.is(j, "store") && leftargs >= 1) {
                storekey = args.get(++j);
            } else if (args.is(j, "by") && leftargs >= 1) {
                sortby = args.get(++j);
                // BY without '*' names no key per element: nothing to sort by (and it stays so). In cluster mode
                // Redis 7.2 refuses every BY pattern and every GET (keys of other slots)
                if (indexOf(sortby, (byte) '*', 0, cLength(sortby)) < 0) {
                    dontsort = true;
                } else if (cluster) {
                    throw new CommandException(Errors.SORT_BY_IN_CLUSTER);
                }
            } else if (args.is(j, "get") && leftargs >= 1) {
                if (cluster) {
                    throw new CommandException(Errors.SORT_GET_IN_CLUSTER);
                }
                gets.add(args.get(++j));
            } else {
                throw new CommandException(Errors.SYNTAX);
            }
        }

        Object found = ctx.db().getForRead(args.get(1));
        if (found != null && !(found instanceof Sortable)) {
            throw new CommandException(Errors.WRONGTYPE);
        }
        Sortable value = (Sortable) found;
        boolean isSet = value != null && value.typeName().equals("set");
        boolean ordered = value != null && !isSet;
        // a set has no order of its own: a stored result is ALPHA sorted so replicas and the AOF agree
        if (dontsort && isSet && storekey != null) {
            dontsort = false;
            alpha = true;
            sortby = null;
        }
        if (value != null) {
            value.beforeSort();
        }

        int length = value == null ? 0 : value.sortLength();
        long start = Math.min(Math.max(limitStart, 0), length);
        limitCount = Math.min(Math.max(limitCount, -1), length);
        long end = limitCount < 0 ? length : start + limitCount;
        if (end > length) {
            end = length;
        }

        Item[] vector;
        if (ordered && dontsort) {
            // the native order, only the LIMIT range, from the tail when DESC
            int n = (int) (end - start);
            vector = new Item[n];
            for (int j = 0; j < n; j++) {
                long i = desc ? length - 1 - start - j : start + j;
                vector[j] = new Item(value.sortElement((int) i));
            }
            end -= start;
            start = 0;
        } else {
            vector = new Item[length];
            for (int j = 0; j < length; j++) {
                vector[j] = new Item(value.sortElement(j));
            }
        }

        boolean conversionError = false;
        if (!dontsort) {
            for (Item item : vector) {
                byte[] byval;
                if (sortby != null) {
                    byval = lookupByPattern(ctx, sortby, item.element);
                    if (byval == null) {
                        continue;
                    }
                } else {
                    byval = item.element;
                }
                if (alpha) {
                    if (sortby != null) {
                        item.cmp = byval;
                    }
                } else {
                    item.score = SortWeights.parse(byval);
                    if (Double.isNaN(item.score)) {
                        conversionError = true;
                    }
                }
            }
            Comparator<Item> order = comparator(alpha, sortby != null, storekey != null);
            if (desc) {
                order = order.reversed();
            }
            if (sortby != null && (start != 0 || end != vector.length)) {
                PartialQuicksort.sort(vector, order, (int) start, (int) end);
            } else {
                // glibc's qsort is a stable merge sort here, as Java's object sort: equal weights keep their order
                Arrays.sort(vector, order);
            }
        }

        int getops = gets.size();
        long outputlen = getops > 0 ? getops * (end - start) : end - start;
        if (conversionError) {
            throw new CommandException(Errors.SORT_SCORE_NOT_DOUBLE);
        }
        if (storekey == null) {
            reply.array((int) outputlen);
            for (int j = (int) start; j < end; j++) {
                if (getops == 0) {
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
            return;
        }
        store(ctx, reply, storekey, vector, (int) start, (int) end, gets, outputlen);
    }

    /** STORE: the result as a list (created as a quicklist, converted when it fits), or the key deleted. */
    private static void store(CommandContext ctx, Reply reply, byte[] storekey, Item[] vector, int start, int end,
                              List<byte[]> gets, long outputlen) {
        long fill = Lists.fill(ctx);
        ListValue list = ListValue.emptyQuicklist(fill);
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
            list.tryConvertQuicklist(fill);
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
