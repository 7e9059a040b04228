package io.cinnabar.kernel.propagation;

import io.cinnabar.api.Args;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Decides what each command sends to replicas and the AOF (Redis's call()/alsoPropagate/
 * propagatePendingCommands). A command that changed data (dirty grew) propagates its own arguments, or the
 * rewrite it asked for; commands may add more (lazy-expiry DELs, a served BLPOP as LPOP) or prevent theirs.
 * Everything one top-level call produced (a command, an EXEC with its queue, a served blocked client) is an
 * execution unit: one command goes out alone, several go out inside MULTI ... EXEC. Deletions outside any
 * command (active expiry, eviction) go out at once, each alone.
 *
 * <p>With no target attached (no replica, AOF off) nothing is recorded, so commands pay nothing.
 */
public final class Propagator {
    private static final byte[][] MULTI = {"MULTI".getBytes(StandardCharsets.US_ASCII)};
    private static final byte[][] EXEC = {"EXEC".getBytes(StandardCharsets.US_ASCII)};

    private final List<PropagationTarget> targets = new CopyOnWriteArrayList<>();
    private final List<Op> unit = new ArrayList<>();
    /** Nesting depth of calls in progress (EXEC calls its queued commands); index into the per-call state. */
    private int depth;
    /** Per nesting level: the call's rewrite (null: its own arguments) and whether it propagates at all. */
    private byte[][][] rewrites = new byte[4][][];
    private boolean[] prevented = new boolean[4];

    private record Op(int db, byte[][] argv) {
    }

    public void addTarget(PropagationTarget t) {
        targets.add(t);
    }

    public void removeTarget(PropagationTarget t) {
        targets.remove(t);
    }

    /** True when something consumes propagated commands. */
    public boolean active() {
        return !targets.isEmpty();
    }

    /** Called before a command executes. */
    public void beginCall() {
        depth++;
        if (depth == rewrites.length) {
            rewrites = java.util.Arrays.copyOf(rewrites, depth * 2);
            prevented = java.util.Arrays.copyOf(prevented, depth * 2);
        }
        rewrites[depth] = null;
        prevented[depth] = false;
    }

    /**
     * Called after a command executed in database {@code db} (also when it failed): records its propagation
     * when it changed data, and when it was the outermost call sends the whole execution unit.
     */
    public void endCall(int db, Args args, long dirtyDelta) {
        if (dirtyDelta > 0 && !prevented[depth] && active()) {
            byte[][] argv = rewrites[depth];
            unit.add(new Op(db, argv != null ? argv : args.tail(0)));
        }
        rewrites[depth] = null;
        depth--;
        if (depth == 0) {
            flushUnit();
        }
    }

    /** The executing command propagates as {@code argv} instead of its own arguments. */
    public void rewrite(byte[][] argv) {
        if (depth > 0) {
            rewrites[depth] = argv;
        }
    }

    /** The executing command propagates nothing (its effects go out another way, or not at all). */
    public void prevent() {
        if (depth > 0) {
            prevented[depth] = true;
        }
    }

    /** Adds a command to the current execution unit, or sends it at once outside any command. */
    public void also(int db, byte[][] argv) {
        if (!active()) {
            return;
        }
        if (depth == 0) {
            feed(db, argv);
        } else {
            unit.add(new Op(db, argv));
        }
    }

    private void flushUnit() {
        int n = unit.size();
        if (n == 0) {
            return;
        }
        if (n == 1) {
            Op op = unit.get(0);
            feed(op.db(), op.argv());
        } else {
            feed(-1, MULTI);
            for (Op op : unit) {
                feed(op.db(), op.argv());
            }
            feed(-1, EXEC);
        }
        unit.clear();
    }

    private void feed(int db, byte[][] argv) {
        for (PropagationTarget t : targets) {
            t.feed(db, argv);
        }
    }
}
