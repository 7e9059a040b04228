package io.cinnabar.api;

/** Read access to configuration values, by their redis.conf names. */
public interface ServerConfig {
    /** The value as CONFIG GET prints it; null for an unknown name. */
    String get(String name);

    long getLong(String name);

    boolean getBoolean(String name);
}
