package io.cinnabar.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;

/**
 * Runs the same command script against the reference Redis and Cinnabar, one connection each, and
 * compares every reply byte for byte. A script is a list of commands, each a list of arguments; a line
 * form {@code "SET k v"} splits on spaces (use {@link #cmd} for arguments with spaces or binary data).
 */
public final class Differential {
    private final RespClient reference;
    private final RespClient candidate;
    private final List<String> mismatches = new ArrayList<>();

    public Differential(RespClient reference, RespClient candidate) {
        this.reference = reference;
        this.candidate = candidate;
    }

    /** Runs one command on both and records a mismatch; returns Cinnabar's reply. */
    public String cmd(String... args) {
        String want = reference.call(args);
        String got = candidate.call(args);
        if (!want.equals(got)) {
            mismatches.add(String.join(" ", args) + "\n    redis:    " + show(want) + "\n    cinnabar: " + show(got));
        }
        return got;
    }

    /** Runs each line (split on single spaces). */
    public Differential run(String... lines) {
        for (String l : lines) {
            cmd(l.split(" "));
        }
        return this;
    }

    /** Fails listing every mismatch seen so far. */
    public void assertSame() {
        if (!mismatches.isEmpty()) {
            fail(mismatches.size() + " replies differ from redis-server:\n" + String.join("\n", mismatches));
        }
    }

    public List<String> mismatches() {
        return mismatches;
    }

    /** The connection to the reference Redis, for calls that are not compared. */
    public RespClient reference() {
        return reference;
    }

    /** The connection to Cinnabar, for calls that are not compared. */
    public RespClient candidate() {
        return candidate;
    }

    /**
     * HELLO 3 on both (the replies carry connection ids, so they are not compared), then {@code nullProbe},
     * a command whose reply is null, shows that Cinnabar's connection now writes RESP3's null.
     */
    public Differential resp3(String... nullProbe) {
        reference.call("HELLO", "3");
        candidate.call("HELLO", "3");
        assertEquals("_\r\n", cmd(nullProbe), "Cinnabar connection is not in RESP3");
        return this;
    }

    static String show(String raw) {
        return raw.replace("\r\n", "\\r\\n");
    }
}
