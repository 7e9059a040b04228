package io.cinnabar.kernel.commands;

import io.cinnabar.api.CommandContext;
import io.cinnabar.kernel.net.ClientConnection;
import io.cinnabar.kernel.net.ExecutionContext;

/** Access from a kernel handler's context to the connection behind it. */
final class Kernel {
    private Kernel() {
    }

    static ClientConnection client(CommandContext ctx) {
        return ((ExecutionContext) ctx).connection();
    }
}
