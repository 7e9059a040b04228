package io.cinnabar.api;

/**
 * A client connection a plugin may keep beyond one command, to send it messages another client's command
 * causes (pub/sub messages, client-side caching invalidations), and to set its subscribed state. Use it only
 * on the execution thread. A message is written into the connection's output buffer at once (behind any
 * reply already there) and flushed once per event-loop turn, never blocking; the connection's
 * {@code client-output-buffer-limit} class applies to it, so a client that does not read is disconnected as
 * Redis does.
 */
public interface ClientHandle extends ClientInfo {
    /** True once the connection is closed or closing: messages to it are dropped. */
    boolean isClosed();

    /**
     * Opens one message pushed to this client outside its own replies: write exactly one element to the
     * returned writer (usually {@link Reply#push}, an array in RESP2), then call {@link #endPush}. The
     * message is written even under CLIENT REPLY OFF/SKIP, as Redis's CLIENT_PUSHING.
     */
    Reply beginPush();

    /** Ends the message opened by {@link #beginPush}: schedules the flush and applies the output buffer limits. */
    void endPush();

    /**
     * This client's pub/sub subscription counts: nonzero makes it a subscriber (CLIENT LIST flags=P and
     * sub/psub/ssub, type PUBSUB, and in RESP2 only the (P|S)(UN)SUBSCRIBE, PING, QUIT and RESET commands).
     */
    void setSubscriptions(int channels, int patterns, int shardChannels);

    /**
     * This client's client-side caching state as CLIENT LIST shows it: flags t (tracking), R (broken
     * redirection), B (broadcast mode), and {@code redir=} (the redirection id while tracking, else -1).
     */
    void setTrackingState(boolean tracking, boolean brokenRedirect, boolean broadcast, long redirect);
}
