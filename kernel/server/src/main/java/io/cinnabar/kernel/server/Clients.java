package io.cinnabar.kernel.server;

import io.cinnabar.kernel.net.ClientConnection;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** The connected clients, by id, in connection order (CLIENT LIST order). */
public final class Clients {
    private final CinnabarServer server;
    private final Map<Long, ClientConnection> byId = Collections.synchronizedMap(new LinkedHashMap<>());

    Clients(CinnabarServer server) {
        this.server = server;
    }

    /** Registers a new connection; false when maxclients is reached. */
    public boolean admit(ClientConnection c) {
        server.stats().connectionsReceived++;
        if (byId.size() >= server.config().getLong("maxclients")) {
            server.stats().rejectedConnections++;
            return false;
        }
        byId.put(c.id(), c);
        return true;
    }

    public void remove(ClientConnection c) {
        if (byId.remove(c.id()) != null) {
            server.watches().unwatchAll(c);
            server.onClientClosed(c);
        }
    }

    public ClientConnection get(long id) {
        return byId.get(id);
    }

    /** A snapshot safe to iterate while clients come and go. */
    public Collection<ClientConnection> all() {
        synchronized (byId) {
            return java.util.List.copyOf(byId.values());
        }
    }

    public int size() {
        return byId.size();
    }
}
