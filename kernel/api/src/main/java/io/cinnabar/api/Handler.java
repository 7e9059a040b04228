package io.cinnabar.api;

/**
 * Executes one command on the execution thread. The dispatcher has already checked auth, arity, slots,
 * MULTI queueing and memory; a handler parses its options, does the work and writes exactly one reply.
 * Errors are thrown as {@link CommandException} (or written with {@link Reply#error}).
 */
@FunctionalInterface
public interface Handler {
    void execute(CommandContext ctx, Args args, Reply reply);
}
