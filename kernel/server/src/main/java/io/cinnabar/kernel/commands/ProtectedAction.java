package io.cinnabar.kernel.commands;

import io.cinnabar.kernel.net.ClientConnection;

/** allowProtectedAction: a setting of "yes" allows it, "local" only from a loopback or unix-socket client. */
final class ProtectedAction {
    private ProtectedAction() {
    }

    static boolean allowed(String setting, ClientConnection client) {
        return setting.equals("yes") || (setting.equals("local") && isLocal(client));
    }

    /** islocalClient: a loopback address (Cinnabar has no unix socket listener). */
    static boolean isLocal(ClientConnection client) {
        String addr = client.remoteAddress();
        return addr.startsWith("127.") || addr.startsWith("::1:") || addr.startsWith("[::1]")
                || addr.startsWith("0:0:0:0:0:0:0:1");
    }
}
