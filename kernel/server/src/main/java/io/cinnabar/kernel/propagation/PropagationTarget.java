package io.cinnabar.kernel.propagation;

/**
 * Receives the commands that change the dataset, in execution order, as Redis feeds its replicas and its
 * AOF. {@code db} is the database the command ran in, or -1 for MULTI/EXEC around an execution unit (the
 * target emits its own SELECT when the database differs from the one it last selected). Called on the
 * execution thread; must not block.
 */
public interface PropagationTarget {
    void feed(int db, byte[][] argv);
}
