package io.cinnabar.api;

import org.pf4j.ExtensionPoint;

/** A section of INFO contributed by a plugin. Runs on the execution thread. */
public interface InfoSection extends ExtensionPoint {
    /** Lower-case section name, as given to {@code INFO <section>}. */
    String name();

    void write(InfoWriter out);

    /** Receives {@code name:value} lines. */
    interface InfoWriter {
        InfoWriter field(String name, Object value);
    }
}
