package io.cinnabar.kernel.persistence;

/** An RDB file that cannot be loaded: the reason names the byte offset where reading stopped. */
public final class RdbLoadException extends Exception {
    private final long offset;

    public RdbLoadException(String message, long offset, Throwable cause) {
        super(message, cause);
        this.offset = offset;
    }

    public long offset() {
        return offset;
    }
}
