package io.cinnabar.datatypes.sets;

import io.cinnabar.api.Args;
import io.cinnabar.api.Argv;
import io.cinnabar.api.CommandContext;
import io.cinnabar.api.CommandException;
import io.cinnabar.api.Db;
import io.cinnabar.api.Errors;
import io.cinnabar.api.KeyspaceEvents;
import io.cinnabar.api.Reply;
import io.cinnabar.api.ScanCursor;
import io.cinnabar.api.ScanOptions;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/** SRANDMEMBER, SPOP and SSCAN of Redis's t_set.c. */
final class SetRandom {
    /** Redis's SPOP_MOVE_STRATEGY_MUL: past this ratio SPOP builds the remaining set instead of popping. */
    private static final int SPOP_MOVE_STRATEGY_MUL = 5;
    /** Redis's SRANDMEMBER_SUB_STRATEGY_MUL: the same trade-off for distinct random members. */
    private static final int SRANDMEMBER_SUB_STRATEGY_MUL = 3;

    private SetRandom() {
    }

    static void srandmember(CommandContext ctx, Args args, Reply reply) {
        if (args.size() > 3) {
            throw new CommandException(Errors.SYNTAX);
        }
        if (args.size() == 3) {
            srandmemberWithCount(ctx, args, reply);
            return;
        }
        SetValue set = ctx.db().get(args.get(1), SetValue.class);
        if (set == null) {
            reply.nullBulk();
            return;
        }
        set.reply(reply, set.randomIndex());
    }

    /**
     * A negative count may repeat members (in random order); a positive one returns distinct members, the
     * whole set in its own order when the count reaches the size.
     */
    private static void srandmemberWithCount(CommandContext ctx, Args args, Reply reply) {
        long l = args.longAt(2);
        if (l == Long.MIN_VALUE) {
            throw new CommandException(Errors.valueOutOfRange(-Long.MAX_VALUE, Long.MAX_VALUE));
        }
        boolean unique = l >= 0;
        long count = Math.abs(l);
        SetValue set = ctx.db().get(args.get(1), SetValue.class);
        if (set == null || count == 0) {
            reply.array(0);
            return;
        }
        int size = set.size();
        if (!unique || count == 1) {
            // a reply header holds an int: beyond 2^31-1 elements (far past any memory) the reply stops there
            int n = (int) Math.min(count, Integer.MAX_VALUE);
            reply.array(n);
            for (int i = 0; i < n; i++) {
                set.reply(reply, set.randomIndex());
            }
            return;
        }
        if (count >= size) {
            reply.array(size);
            for (int i = 0; i < size; i++) {
                set.reply(reply, i);
            }
            return;
        }
        int[] picked = distinctIndexes(set, (int) count);
        reply.array(picked.length);
        for (int i : picked) {
            set.reply(reply, i);
        }
    }

    /**
     * {@code count} distinct random positions of {@code set} (count < size): random probes while the count is a
     * small part of the set, else a random subset chosen by removing positions from the full range.
     */
    private static int[] distinctIndexes(SetValue set, int count) {
        int size = set.size();
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        if ((long) count * SRANDMEMBER_SUB_STRATEGY_MUL > size) {
            int[] all = new int[size];
            for (int i = 0; i < size; i++) {
                all[i] = i;
            }
            for (int i = 0; i < count; i++) { // partial Fisher-Yates
                int j = i + rnd.nextInt(size - i);
                int t = all[i];
                all[i] = all[j];
                all[j] = t;
            }
            return Arrays.copyOf(all, count);
        }
        // probes remembered in a small open-addressing table sized by the count, not by the set
        int[] seen = new int[Integer.highestOneBit(count * 2 - 1) << 1];
        Arrays.fill(seen, -1);
        int mask = seen.length - 1;
        int[] out = new int[count];
        int n = 0;
        while (n < count) {
            int i = rnd.nextInt(size);
            int slot = (i * 0x9E3779B9) >>> 7 & mask;
            while (seen[slot] >= 0 && seen[slot] != i) {
                slot = (slot + 1) & mask;
            }
            if (seen[slot] < 0) {
                seen[slot] = i;
                out[n++] = i;
            }
        }
        return out;
    }

    static void spop(CommandContext ctx, Args args, Reply reply) {
        if (args.size() > 3) {
            throw new CommandException(Errors.SYNTAX);
        }
        if (args.size() == 3) {
            spopWithCount(ctx, args, reply);
            return;
        }
        Db db = ctx.db();
        byte[] key = args.get(1);
        SetValue set = db.get(key, SetValue.class);
        if (set == null) {
            reply.nullBulk();
            return;
        }
        int i = set.randomIndex();
        byte[] m = set.at(i);
        set.removeAt(i);
        ctx.notifyKeyspaceEvent(KeyspaceEvents.SET, "spop", key);
        ctx.propagateAs(SREM, key, m); // replicas remove the member this server chose
        reply.bulk(m);
        if (set.size() == 0) {
            db.delete(key);
            ctx.notifyKeyspaceEvent(KeyspaceEvents.GENERIC, "del", key);
        }
        ctx.signalModifiedKey(key);
        ctx.addDirty(1);
    }

    /**
     * SPOP key count, a RESP3 set: the count is checked before the key; popping the whole set deletes it;
     * popping most of it keeps a new set of the remaining members (a hashtable's survivors start as a listpack,
     * as in Redis).
     */
    private static void spopWithCount(CommandContext ctx, Args args, Reply reply) {
        long count = args.longAt(2, Errors.MUST_BE_POSITIVE);
        if (count < 0) {
            throw new CommandException(Errors.MUST_BE_POSITIVE);
        }
        Db db = ctx.db();
        byte[] key = args.get(1);
        SetValue set = db.get(key, SetValue.class);
        if (set == null || count == 0) {
            reply.set(0);
            return;
        }
        int size = set.size();
        ctx.notifyKeyspaceEvent(KeyspaceEvents.SET, "spop", key);
        ctx.addDirty(Math.min(count, size));
        if (count >= size) {
            SetCommands.members(reply, set);
            db.delete(key);
            ctx.notifyKeyspaceEvent(KeyspaceEvents.GENERIC, "del", key);
            ctx.signalModifiedKey(key);
            ctx.propagateAs(Argv.deletion(ctx.config().getBoolean("lazyfree-lazy-server-del")), key);
            return;
        }
        int remaining = size - (int) count;
        SremBatches srem = ctx.propagating() ? new SremBatches(ctx, key) : null;
        ctx.preventPropagation(); // the popped members go out as SREMs instead
        if ((long) remaining * SPOP_MOVE_STRATEGY_MUL > count) {
            reply.set((int) count);
            for (long n = 0; n < count; n++) {
                int i = set.randomIndex();
                set.reply(reply, i);
                if (srem != null) {
                    srem.add(set.at(i));
                }
                set.removeAt(i);
            }
        } else {
            SetLimits limits = SetLimits.of(ctx);
            int enc = set.encodingId();
            SetValue kept = SetValue.empty(enc == SetValue.HASHTABLE ? SetValue.LISTPACK : enc);
            for (int n = 0; n < remaining; n++) {
                int i = set.randomIndex();
                kept.add(set.at(i), limits);
                set.removeAt(i);
            }
            SetCommands.members(reply, set);
            if (srem != null) {
                for (int i = 0; i < set.size(); i++) {
                    srem.add(set.at(i));
                }
            }
            db.setKeepTtl(key, kept);
        }
        if (srem != null) {
            srem.flush();
        }
        ctx.signalModifiedKey(key);
    }

    private static final byte[] SREM = Argv.word("SREM");

    /** SPOP with a count goes to replicas as SREMs of the popped members, 1024 per command as Redis sends them. */
    private static final class SremBatches {
        private static final int BATCH = 1024;
        private final CommandContext ctx;
        private final byte[] key;
        private final List<byte[]> argv = new ArrayList<>();

        SremBatches(CommandContext ctx, byte[] key) {
            this.ctx = ctx;
            this.key = key;
            argv.add(SREM);
            argv.add(key);
        }

        void add(byte[] member) {
            argv.add(member);
            if (argv.size() == BATCH + 2) {
                flush();
            }
        }

        void flush() {
            if (argv.size() > 2) {
                ctx.alsoPropagate(argv.toArray(new byte[0][]));
                argv.subList(2, argv.size()).clear();
            }
        }
    }

    /** SSCAN key cursor [MATCH pattern] [COUNT count]: options are read only when the key exists. */
    static void sscan(CommandContext ctx, Args args, Reply reply) {
        ScanCursor.parse(args.get(2)); // Redis checks the cursor before looking the key up
        SetValue set = ctx.db().get(args.get(1), SetValue.class);
        if (set == null) {
            reply.array(2);
            reply.bulk(new byte[] {'0'});
            reply.array(0);
            return;
        }
        ScanOptions opts = ScanOptions.parse(args, 3, false);
        long cursor = opts.cursor();
        List<byte[]> found = new ArrayList<>();
        if (set.encodingId() == SetValue.HASHTABLE) {
            long maxSteps = opts.count() * 10;
            do {
                cursor = set.scan(cursor, found::add);
            } while (cursor != 0 && maxSteps-- != 0 && found.size() < opts.count());
        } else {
            // small encodings are returned whole in one call, as Redis does
            set.forEach(found::add);
            cursor = 0;
        }
        reply.array(2);
        reply.bulk(Long.toUnsignedString(cursor).getBytes(StandardCharsets.US_ASCII));
        int n = 0;
        for (byte[] m : found) {
            if (opts.matches(m)) {
                n++;
            }
        }
        reply.array(n);
        for (byte[] m : found) {
            if (opts.matches(m)) {
                reply.bulk(m);
            }
        }
    }
}
