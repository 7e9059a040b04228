package io.cinnabar.testkit;

import static org.junit.jupiter.api.Assertions.fail;

import io.cinnabar.api.CommandFamily;
import io.cinnabar.api.CommandSpec;
import io.cinnabar.kernel.command.Command;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Compares our COMMAND INFO with the reference redis-server's, command by command and subcommand by
 * subcommand: arity, flags, first/last/step, ACL categories, tips, key specs (without Redis's free-text
 * {@code notes}) and the subcommand list. Any module can run it for its own families:
 * {@code CommandInfoConformance.assertConforms(server, CommandInfoConformance.namesOf(new MyFamily()))}.
 */
public final class CommandInfoConformance {
    private CommandInfoConformance() {
    }

    /** What the comparison found: differences, and names the reference does not know (not compared). */
    public record Report(List<String> differences, List<String> notInRedis) {
    }

    /** Full names ({@code get}, {@code config|get}) of every command and subcommand of the families. */
    public static List<String> namesOf(CommandFamily... families) {
        List<String> out = new ArrayList<>();
        for (CommandFamily f : families) {
            for (CommandSpec s : f.commands()) {
                out.add(s.name());
                for (CommandSpec sub : s.subcommands()) {
                    out.add(s.name() + "|" + sub.name());
                }
            }
        }
        return out;
    }

    /** Full names of every command and subcommand registered in the server (kernel and plugins). */
    public static List<String> namesOf(TestServer server) {
        List<String> out = new ArrayList<>();
        for (Command c : server.server().commands().all()) {
            out.add(c.fullName());
            for (CommandSpec sub : c.spec().subcommands()) {
                out.add(c.fullName() + "|" + sub.name());
            }
        }
        return out;
    }

    /** Starts a reference redis-server, compares, and fails listing every difference. */
    public static void assertConforms(TestServer server, Collection<String> names) {
        try (ReferenceRedis ref = ReferenceRedis.start(); RespClient r = ref.client(); RespClient c = server.client()) {
            Report report = compare(r, c, names);
            if (!report.differences().isEmpty()) {
                fail(report.differences().size() + " COMMAND INFO differences from redis-server"
                        + (report.notInRedis().isEmpty() ? "" : " (not in Redis, not compared: "
                        + report.notInRedis() + ")") + ":\n  " + String.join("\n  ", report.differences()));
            }
        }
    }

    public static Report compare(RespClient reference, RespClient candidate, Collection<String> names) {
        List<String> diffs = new ArrayList<>();
        List<String> notInRedis = new ArrayList<>();
        for (String name : names) {
            Object want = first(Resp.parse(reference.call("COMMAND", "INFO", name)));
            Object got = first(Resp.parse(candidate.call("COMMAND", "INFO", name)));
            if (want == null) {
                notInRedis.add(name);
                continue;
            }
            if (got == null) {
                diffs.add(name + ": missing from our COMMAND INFO");
                continue;
            }
            compareEntry(name, (List<?>) want, (List<?>) got, diffs);
        }
        return new Report(diffs, notInRedis);
    }

    private static Object first(Object reply) {
        if (!(reply instanceof List<?> l) || l.isEmpty()) {
            throw new IllegalStateException("unexpected COMMAND INFO reply: " + reply);
        }
        return l.get(0);
    }

    private static void compareEntry(String name, List<?> want, List<?> got, List<String> diffs) {
        check(name, "arity", want.get(1), got.get(1), diffs);
        check(name, "flags", asSet(want.get(2)), asSet(got.get(2)), diffs);
        check(name, "first key", want.get(3), got.get(3), diffs);
        check(name, "last key", want.get(4), got.get(4), diffs);
        check(name, "key step", want.get(5), got.get(5), diffs);
        check(name, "acl categories", asSet(want.get(6)), asSet(got.get(6)), diffs);
        check(name, "tips", asSet(want.get(7)), asSet(got.get(7)), diffs);
        check(name, "key specs", keySpecs(want.get(8)), keySpecs(got.get(8)), diffs);
        Set<String> wantSubs = subcommandNames(want.get(9));
        Set<String> gotSubs = subcommandNames(got.get(9));
        if (java.util.Collections.disjoint(gotSubs, LATER_ISSUES)) {
            wantSubs.removeAll(LATER_ISSUES);
        }
        gotSubs.removeAll(BEYOND_REDIS_72);
        check(name, "subcommands", wantSubs, gotSubs, diffs);
    }

    /** Subcommands of later servers we also serve (Valkey 8's CLUSTER SLOT-STATS): Redis 7.2 has no entry to compare. */
    private static final Set<String> BEYOND_REDIS_72 = Set.of("cluster|slot-stats");

    /**
     * Subcommands the pub/sub plugin joins to the kernel's CLIENT (client-side caching): a server without that
     * plugin lacks them all, and then they are left out of the subcommand-list comparison.
     */
    private static final Set<String> LATER_ISSUES = Set.of("client|caching", "client|getredir", "client|tracking",
            "client|trackinginfo");

    private static void check(String name, String what, Object want, Object got, List<String> diffs) {
        if (!Objects.equals(want, got)) {
            diffs.add(name + ": " + what + " redis=" + want + " cinnabar=" + got);
        }
    }

    private static Set<Object> asSet(Object v) {
        return new TreeSet<>(v == null ? List.of() : ((List<?>) v).stream().map(String::valueOf).toList());
    }

    /** Each key spec as a comparable string: flags as a set, begin_search and find_keys as given, notes left out. */
    private static List<String> keySpecs(Object v) {
        List<String> out = new ArrayList<>();
        for (Object spec : (List<?>) v) {
            Map<Object, Object> m = Resp.pairs(spec);
            out.add("{flags=" + asSet(m.get("flags")) + ", begin_search=" + nested(m.get("begin_search"))
                    + ", find_keys=" + nested(m.get("find_keys")) + "}");
        }
        return out;
    }

    private static String nested(Object v) {
        Map<Object, Object> m = Resp.pairs(v);
        return "{type=" + m.get("type") + ", spec=" + Resp.pairs(m.get("spec")) + "}";
    }

    private static Set<String> subcommandNames(Object v) {
        Set<String> out = new HashSet<>();
        for (Object sub : (List<?>) v) {
            out.add(String.valueOf(((List<?>) sub).get(0)));
        }
        return new TreeSet<>(out);
    }

    /**
     * A parsed COMMAND DOCS reply without "arguments" (our specs do not describe arguments), subcommands
     * sorted (Redis prints them in dict order): two of these compare equal when the docs agree.
     */
    public static Map<Object, Object> docsWithoutArguments(Object docsReply) {
        Map<Object, Object> out = new java.util.TreeMap<>();
        for (Map.Entry<Object, Object> e : Resp.pairs(docsReply).entrySet()) {
            Map<Object, Object> doc = new java.util.TreeMap<>(Resp.pairs(e.getValue()));
            doc.remove("arguments");
            if (doc.containsKey("subcommands")) {
                doc.put("subcommands", docsWithoutArguments(doc.get("subcommands")));
            }
            out.put(e.getKey(), doc);
        }
        return out;
    }
}
