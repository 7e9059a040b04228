package io.cinnabar.kernel.config;

/** A configuration file or command-line error, reported the way redis-server reports it, then exit. */
public final class ConfigError extends Exception {
    private static final long serialVersionUID = 1L;

    public ConfigError(String message) {
        super(message);
    }
}
