package io.cinnabar.kernel.commands;

import io.cinnabar.api.CommandFamily;
import io.cinnabar.api.CommandSpec;
import io.cinnabar.kernel.server.CinnabarServer;
import java.util.List;

/** Placeholder replaced by the family's implementation. */
final class ServerFamily implements CommandFamily {
    private final CinnabarServer server;

    ServerFamily(CinnabarServer server) {
        this.server = server;
    }

    @Override
    public List<CommandSpec> commands() {
        return List.of();
    }
}
