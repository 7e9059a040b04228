package io.cinnabar.api;

/**
 * An error reply. The message is the error line without the leading '-' (e.g. {@code ERR syntax error}),
 * normally one of the {@link Errors} constants. Stackless: it is a reply, not a bug.
 */
public final class CommandException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CommandException(String errorLine) {
        super(errorLine, null, false, false);
    }
}
