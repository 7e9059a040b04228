package io.cinnabar.pubsub;

import io.cinnabar.datatypes.hashes.HashesFamily;
import io.cinnabar.datatypes.hyperloglog.HyperLogLogFamily;
import io.cinnabar.datatypes.lists.ListsFamily;
import io.cinnabar.datatypes.sets.SetsFamily;
import io.cinnabar.datatypes.strings.BitmapFamily;
import io.cinnabar.datatypes.strings.StringsFamily;
import io.cinnabar.datatypes.zset.SortedSetFamily;
import io.cinnabar.testkit.Differential;
import io.cinnabar.testkit.RespClient;
import io.cinnabar.testkit.TestServer;

/** Test helpers: a server with the plugin's extensions (one registry per server), and multi-reply diffs. */
final class PubSubServers {
    private PubSubServers() {
    }

    /** A builder of a Cinnabar with the pub/sub plugin and the data types (their keyspace notifications). */
    static TestServer.Builder builder() {
        PubSub p = new PubSub();
        return TestServer.builder().pluginId("pubsub").family(new PubSubFamily(p)).family(new TrackingFamily(p))
                .family(new StringsFamily()).family(new BitmapFamily()).family(new ListsFamily())
                .family(new HashesFamily()).family(new SetsFamily()).family(new SortedSetFamily())
                .family(new HyperLogLogFamily()).listener(new KeyspaceNotifier(p)).lifecycle(new PubSubLifecycle(p))
                .info(new PubSubInfo(p)).info(new TrackingInfo(p));
    }

    /** Sends one command to both servers and compares the next {@code replies} replies of each. */
    static void replies(Differential d, int replies, String... cmd) {
        d.reference().send(cmd);
        d.candidate().send(cmd);
        expect(d, String.join(" ", cmd), replies);
    }

    /** Reads and compares {@code replies} more replies (pushes) from both connections. */
    static void expect(Differential d, String what, int replies) {
        for (int i = 0; i < replies; i++) {
            compare(d, what + " #" + (i + 1), d.reference(), d.candidate());
        }
    }

    /**
     * Sends one command and compares its next {@code replies} replies as sets: Redis walks its subscription
     * dicts in hash order (seeded at random per process), so several channels' replies come in no fixed order.
     */
    static void repliesUnordered(Differential d, int replies, String... cmd) {
        d.reference().send(cmd);
        d.candidate().send(cmd);
        expectUnordered(d, String.join(" ", cmd), replies);
    }

    /** Like {@link #expect}, comparing the replies as sets (several patterns match one message). */
    static void expectUnordered(Differential d, String what, int replies) {
        java.util.List<String> want = new java.util.ArrayList<>();
        java.util.List<String> got = new java.util.ArrayList<>();
        for (int i = 0; i < replies; i++) {
            want.add(d.reference().readReply());
            got.add(d.candidate().readReply());
        }
        java.util.Collections.sort(want);
        java.util.Collections.sort(got);
        if (!want.equals(got)) {
            d.mismatches().add(what + " (in any order)\n    redis:    " + String.join(" ", want).replace("\r\n", "\\r\\n")
                    + "\n    cinnabar: " + String.join(" ", got).replace("\r\n", "\\r\\n"));
        }
    }

    /** Reads one reply from each of a pair of connections and records a mismatch. */
    static void compare(Differential d, String what, RespClient ref, RespClient cand) {
        String want = ref.readReply();
        String got = cand.readReply();
        if (!want.equals(got)) {
            d.mismatches().add(what + "\n    redis:    " + want.replace("\r\n", "\\r\\n")
                    + "\n    cinnabar: " + got.replace("\r\n", "\\r\\n"));
        }
    }
}
