package io.cinnabar.kernel.server;

import io.cinnabar.api.Args;
import io.cinnabar.api.CommandFlag;
import io.cinnabar.kernel.command.Command;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The commands queued between MULTI and EXEC (Redis's multiState): the queue, whether a queue-time error
 * aborts the EXEC, the union of the queued commands' flags (a paused server holds an EXEC that would
 * write), and the memory the queue holds (CLIENT LIST multi-mem).
 */
public final class Transaction {
    public record Queued(Command command, Args args) {
    }

    /** Redis's sizeof(multiCmd): what each queued command costs besides its arguments. */
    private static final int QUEUED_OVERHEAD = 24;
    private static final int POINTER = 8;

    private final List<Queued> queue = new ArrayList<>();
    private final Set<CommandFlag> flags = EnumSet.noneOf(CommandFlag.class);
    private boolean aborted;
    private long argvBytes;

    public void add(Command c, Args args) {
        Args copy = args.copy();
        queue.add(new Queued(c, copy));
        flags.addAll(c.spec().flags());
        long bytes = (long) POINTER * copy.size();
        for (int i = 0; i < copy.size(); i++) {
            bytes += copy.get(i).length;
        }
        argvBytes += bytes;
    }

    public List<Queued> queued() {
        return queue;
    }

    public int size() {
        return queue.size();
    }

    /** A queue-time error (unknown command, wrong arity, ...) makes EXEC fail with EXECABORT. */
    public void abort() {
        aborted = true;
    }

    public boolean aborted() {
        return aborted;
    }

    /** True when some queued command has the flag (Redis's mstate.cmd_flags). */
    public boolean anyHas(CommandFlag f) {
        return flags.contains(f);
    }

    /** CLIENT LIST multi-mem: argument bytes plus argv pointers of the queued commands. */
    public long argvMemory() {
        return argvBytes;
    }

    /** The whole queue's memory as Redis's multiStateMemOverhead counts it (CLIENT LIST tot-mem). */
    public long memoryOverhead() {
        // the queue array grows by doubling from 2 slots, as Redis's mstate.alloc_count
        long slots = queue.isEmpty() ? 0 : Math.max(2, Long.highestOneBit(queue.size() - 1L) << 1);
        return argvBytes + QUEUED_OVERHEAD * slots;
    }
}
