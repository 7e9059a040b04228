package io.cinnabar.pubsub;

import io.cinnabar.api.ClientHandle;
import java.util.Arrays;
import java.util.TreeSet;

/** One client's CLIENT TRACKING state (Redis's CLIENT_TRACKING_* flags, redirection and prefixes). */
final class TrackingClient {
    final ClientHandle client;
    boolean bcast;
    boolean optin;
    boolean optout;
    boolean noloop;
    boolean caching;        // CLIENT CACHING given for the next command
    boolean brokenRedirect;
    long redirect;
    /** BCAST prefixes in byte order, as Redis's rax lists them. */
    final TreeSet<byte[]> prefixes = new TreeSet<>(Arrays::compareUnsigned);

    TrackingClient(ClientHandle client) {
        this.client = client;
    }

    /** Tells the kernel what CLIENT LIST shows. */
    void publishState() {
        client.setTrackingState(true, brokenRedirect, bcast, redirect);
    }
}
