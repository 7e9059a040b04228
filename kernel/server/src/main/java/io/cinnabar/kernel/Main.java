package io.cinnabar.kernel;

import io.cinnabar.kernel.config.Config;
import io.cinnabar.kernel.config.ConfigError;
import io.cinnabar.kernel.server.CinnabarServer;
import io.cinnabar.kernel.server.ServerLog;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** {@code cinnabar-server [/path/to/cinnabar.conf] [--option value ...]}, as redis-server's command line. */
public final class Main {
    private Main() {
    }

    public static void main(String[] argv) throws Exception {
        if (argv.length == 1 && (argv[0].equals("-v") || argv[0].equals("--version"))) {
            System.out.println("Cinnabar server v=" + CinnabarServer.VERSION + " (Redis-compatible)");
            return;
        }
        if (argv.length == 1 && (argv[0].equals("-h") || argv[0].equals("--help"))) {
            System.out.println("Usage: cinnabar-server [/path/to/cinnabar.conf] [options]\n"
                    + "Examples:\n  cinnabar-server --port 7000\n  cinnabar-server conf/cinnabar.conf --loglevel verbose");
            return;
        }
        Path conf = null;
        List<String> rest = new ArrayList<>(Arrays.asList(argv));
        if (!rest.isEmpty() && !rest.get(0).startsWith("--")) {
            conf = Path.of(rest.remove(0));
        }
        Config config = new Config();
        try {
            config.load(conf, rest);
        } catch (ConfigError e) {
            // redis-server logs an unreadable file on stdout and prints other config errors on stderr
            (e.isLogLine() ? System.out : System.err).println(e.getMessage());
            System.exit(1);
        }
        ServerLog.configure(config);
        CinnabarServer server = new CinnabarServer(config);
        try {
            server.start();
        } catch (IllegalStateException e) {
            // as redis-server's serverLog(LL_WARNING, ...): into the logfile when there is one, else stdout
            server.log().warn(e.getMessage());
            System.exit(1);
        }
        // SIGTERM and SIGINT both arrive as a JVM shutdown; Redis's default for either is the same final save
        Runtime.getRuntime().addShutdownHook(new Thread(() -> server.shutdownOnSignal("shutdown-on-sigterm"),
                "cinnabar-shutdown"));
        server.awaitTermination();
    }
}
