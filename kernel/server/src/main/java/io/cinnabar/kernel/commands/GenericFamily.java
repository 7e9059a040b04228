package io.cinnabar.kernel.commands;

import io.cinnabar.api.CommandFamily;
import io.cinnabar.api.CommandSpec;
import io.cinnabar.kernel.server.CinnabarServer;
import java.util.List;

/** Placeholder replaced by the family's implementation. */
final class GenericFamily implements CommandFamily {
    private final CinnabarServer server;

    GenericFamily(CinnabarServer server) {
        this.server = server;
    }

    @Override
    public List<CommandSpec> commands() {
        return List.of();
    }
}
