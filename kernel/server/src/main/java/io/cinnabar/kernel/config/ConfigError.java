package io.cinnabar.kernel.config;

/**
 * A configuration file or command-line error, reported the way redis-server reports it, then exit:
 * a "FATAL CONFIG FILE ERROR" block on stderr, or (for a file that can't be opened) a log line on stdout.
 */
public final class ConfigError extends Exception {
    private static final long serialVersionUID = 1L;
    private final boolean logLine;

    public ConfigError(String message) {
        this(message, false);
    }

    public ConfigError(String message, boolean logLine) {
        super(message);
        this.logLine = logLine;
    }

    /** True when redis-server prints this as a log line on stdout rather than a block on stderr. */
    public boolean isLogLine() {
        return logLine;
    }
}
