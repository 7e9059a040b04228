package io.cinnabar.kernel.commands;

import io.cinnabar.api.CommandContext;
import io.cinnabar.kernel.net.ClientConnection;
import io.cinnabar.kernel.net.ExecutionContext;

/** Access from a kernel handler's context to the connection behind it. */
public final class Kernel {
    private Kernel() {
    }

    public static ClientConnection client(CommandContext ctx) {
        return ((ExecutionContext) ctx).connection();
    }
}
