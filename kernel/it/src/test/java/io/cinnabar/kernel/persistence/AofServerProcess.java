package io.cinnabar.kernel.persistence;

import io.cinnabar.testkit.TestServer;

/**
 * A Cinnabar server with every plugin of the test classpath in a process of its own, so a crash test can
 * kill it with SIGKILL. Arguments are option/value pairs; the port is printed on stdout once it listens.
 */
public final class AofServerProcess {
    private AofServerProcess() {
    }

    public static void main(String[] args) throws InterruptedException {
        TestServer.Builder b = AllPlugins.builder();
        for (int i = 0; i + 1 < args.length; i += 2) {
            b.option(args[i], args[i + 1]);
        }
        TestServer s = b.start();
        System.out.println("PORT " + s.port());
        System.out.flush();
        s.server().awaitTermination();
    }
}
