package io.cinnabar.kernel.server;

import io.cinnabar.api.Args;
import io.cinnabar.kernel.command.Command;
import java.util.ArrayList;
import java.util.List;

/** The commands queued between MULTI and EXEC, and whether a queue-time error aborts the EXEC. */
public final class Transaction {
    public record Queued(Command command, Args args) {
    }

    private final List<Queued> queue = new ArrayList<>();
    private boolean aborted;

    public void add(Command c, Args args) {
        queue.add(new Queued(c, args.copy()));
    }

    public List<Queued> queued() {
        return queue;
    }

    /** A queue-time error (unknown command, wrong arity, ...) makes EXEC fail with EXECABORT. */
    public void abort() {
        aborted = true;
    }

    public boolean aborted() {
        return aborted;
    }
}
