package io.cinnabar.api;

/** What a handler may know about the client running it. */
public interface ClientInfo {
    long id();

    /** CLIENT SETNAME, or null. */
    String name();

    /** 2 or 3. */
    int protocol();

    /** The selected database index. */
    int dbIndex();

    /** True while executing inside MULTI/EXEC. */
    boolean inTransaction();
}
