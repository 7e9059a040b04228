package io.cinnabar.kernel.commands;

import io.cinnabar.kernel.net.ClientConnection;

/** allowProtectedAction: a setting of "yes" allows it, "local" only from a loopback or unix-socket client. */
final class ProtectedAction {
    private ProtectedAction() {
    }

    static boolean allowed(String setting, ClientConnection client) {
        return setting.equals("yes") || (setting.equals("local") && isLocal(client));
    }

    /** Redis's islocalClient: a loopback address (Cinnabar has no unix socket listener). */
    static boolean isLocal(ClientConnection client) {
        String addr = client.remoteAddress();
        int colon = addr.lastIndexOf(':');
        String host = colon < 0 ? addr : addr.substring(0, colon);
        try {
            return java.net.InetAddress.getByName(host).isLoopbackAddress(); // a literal: no name lookup
        } catch (java.io.IOException | RuntimeException e) {
            return false;
        }
    }
}
