package io.cinnabar.kernel.net;

/** A malformed request: the server replies {@code -ERR Protocol error: ...} and closes the connection, as Redis. */
public final class ProtocolException extends Exception {
    private static final long serialVersionUID = 1L;

    public ProtocolException(String what) {
        super("ERR Protocol error: " + what, null, false, false);
    }
}
