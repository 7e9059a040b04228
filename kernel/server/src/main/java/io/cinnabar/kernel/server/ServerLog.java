package io.cinnabar.kernel.server;

import io.cinnabar.kernel.config.Config;
import java.io.IOException;
import java.io.PrintStream;
import java.text.SimpleDateFormat;
import java.util.Date;
import java.util.logging.FileHandler;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.StreamHandler;

/**
 * Log output in redis-server's line format ({@code pid:M 25 Nov 2026 14:16:03.123 * message}) at the
 * {@code loglevel} threshold, to stdout or {@code logfile}. The code logs through SLF4J; this binds it (and
 * PF4J's logs) to java.util.logging.
 */
public final class ServerLog {
    private ServerLog() {
    }

    public static void configure(Config config) {
        LogManager.getLogManager().reset();
        Logger root = Logger.getLogger("");
        Level level = level(config.get("loglevel"));
        root.setLevel(level);
        Logger.getLogger("org.pf4j").setLevel(level.intValue() < Level.WARNING.intValue() ? Level.WARNING : level);
        Logger.getLogger("io.netty").setLevel(Level.WARNING);
        Handler h;
        String file = config.get("logfile");
        try {
            if (file == null || file.isEmpty()) {
                h = new StdoutHandler();
            } else {
                h = new FileHandler(file, true);
            }
        } catch (IOException e) {
            System.err.println("Can't open the log file: " + e.getMessage());
            h = new StdoutHandler();
        }
        h.setLevel(level);
        h.setFormatter(new RedisFormatter());
        root.addHandler(h);
    }

    private static Level level(String loglevel) {
        return switch (loglevel) {
            case "debug" -> Level.FINE;
            case "verbose" -> Level.CONFIG;
            case "warning" -> Level.WARNING;
            case "nothing" -> Level.OFF;
            default -> Level.INFO;
        };
    }

    /** Applies a new loglevel to the running server (CONFIG SET loglevel). */
    public static void setLevel(String loglevel) {
        Level level = level(loglevel);
        Logger root = Logger.getLogger("");
        root.setLevel(level);
        for (Handler h : root.getHandlers()) {
            h.setLevel(level);
        }
        Logger.getLogger("org.pf4j").setLevel(level.intValue() < Level.WARNING.intValue() ? Level.WARNING : level);
    }

    /**
     * Logs to standard output. Not a ConsoleHandler re-pointed at System.out: setOutputStream closes the
     * previous stream, which was System.err, and Main's fatal config errors are printed there.
     */
    private static final class StdoutHandler extends StreamHandler {
        StdoutHandler() {
            super(new PrintStream(System.out, true), new RedisFormatter());
        }

        @Override
        public synchronized void publish(LogRecord r) {
            super.publish(r);
            flush();
        }

        @Override
        public synchronized void close() {
            flush();
        }
    }

    /** pid:role date level-char message. */
    static final class RedisFormatter extends Formatter {
        private final long pid = ProcessHandle.current().pid();
        private final SimpleDateFormat date = new SimpleDateFormat("dd MMM yyyy HH:mm:ss.SSS", java.util.Locale.ROOT);

        @Override
        public synchronized String format(LogRecord r) {
            char mark = r.getLevel().intValue() >= Level.WARNING.intValue() ? '#'
                    : r.getLevel().intValue() >= Level.INFO.intValue() ? '*'
                    : r.getLevel().intValue() >= Level.CONFIG.intValue() ? '-' : '.';
            String msg = formatMessage(r);
            if (r.getThrown() != null) {
                msg += " (" + r.getThrown() + ")";
            }
            return pid + ":M " + date.format(new Date(r.getMillis())) + " " + mark + " " + msg + System.lineSeparator();
        }
    }
}
