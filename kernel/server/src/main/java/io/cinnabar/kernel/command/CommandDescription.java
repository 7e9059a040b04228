package io.cinnabar.kernel.command;

import io.cinnabar.api.AclCategory;
import io.cinnabar.api.CommandFlag;
import io.cinnabar.api.CommandSpec;
import io.cinnabar.api.KeySpec;
import io.cinnabar.api.Reply;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * COMMAND INFO and COMMAND DOCS entries, written from a command's spec in Redis 7.2's reply shapes
 * ({@code addReplyCommandInfo}, {@code addReplyCommandDocs}). COMMAND DOCS leaves out {@code arguments}: our
 * specs do not describe arguments.
 */
public final class CommandDescription {
    /** Flags Redis keeps internal and never prints. */
    private static final Set<CommandFlag> HIDDEN = EnumSet.of(CommandFlag.MAY_REPLICATE, CommandFlag.SENTINEL,
            CommandFlag.ONLY_SENTINEL, CommandFlag.PROTECTED);

    private CommandDescription() {
    }

    /** The flags COMMAND INFO prints, in Redis's order, with {@code movablekeys} derived from the key specs. */
    public static List<String> flags(CommandSpec spec) {
        EnumSet<CommandFlag> flags = spec.flags().isEmpty() ? EnumSet.noneOf(CommandFlag.class)
                : EnumSet.copyOf(spec.flags());
        if (KeyExtractor.legacyRange(spec).movable()) {
            flags.add(CommandFlag.MOVABLEKEYS);
        }
        flags.removeAll(HIDDEN);
        List<String> out = new ArrayList<>(flags.size());
        for (CommandFlag f : flags) {
            out.add(f.redisName());
        }
        return out;
    }

    /** The subcommands of a container in declaration order. */
    public static List<Command> subcommands(Command c) {
        List<Command> out = new ArrayList<>(c.subcommands().size());
        for (CommandSpec s : c.spec().subcommands()) {
            Command sub = c.subcommand(s.name());
            if (sub != null && !c.joined().contains(sub)) {
                out.add(sub);
            }
        }
        out.addAll(c.joined());
        return out;
    }

    /** One COMMAND INFO entry: name, arity, flags, first, last, step, ACL categories, tips, key specs, subcommands. */
    public static void info(Reply r, Command c) {
        CommandSpec spec = c.spec();
        r.array(10);
        r.bulk(spec.fullName());
        r.integer(spec.arity());
        List<String> flags = flags(spec);
        r.set(flags.size());
        for (String f : flags) {
            r.simple(f);
        }
        KeyExtractor.LegacyRange range = KeyExtractor.legacyRange(spec);
        r.integer(range.first());
        r.integer(range.last());
        r.integer(range.step());
        r.set(spec.aclCategories().size());
        for (AclCategory a : spec.aclCategories()) {
            r.simple("@" + a.redisName());
        }
        r.set(spec.tips().size());
        for (String t : spec.tips()) {
            r.bulk(t);
        }
        r.set(spec.keySpecs().size());
        for (KeySpec ks : spec.keySpecs()) {
            keySpec(r, ks);
        }
        List<Command> subs = subcommands(c);
        if (subs.isEmpty()) {
            r.set(0);
        } else {
            r.array(subs.size());
            for (Command sub : subs) {
                info(r, sub);
            }
        }
    }

    private static void keySpec(Reply r, KeySpec ks) {
        r.map(3);
        r.bulk("flags");
        List<String> flags = KeySpecFlags.canonical(ks.flags());
        r.set(flags.size());
        for (String f : flags) {
            r.simple(f);
        }
        r.bulk("begin_search");
        if (ks.isKeyword()) {
            typed(r, "keyword", 2);
            r.bulk("keyword");
            r.bulk(ks.keyword());
            r.bulk("startfrom");
            r.integer(ks.keywordStart());
        } else if (ks.isUnknown()) {
            typed(r, "unknown", 0);
        } else {
            typed(r, "index", 1);
            r.bulk("index");
            r.integer(ks.beginIndex());
        }
        r.bulk("find_keys");
        if (ks.isKeynum()) {
            typed(r, "keynum", 3);
            r.bulk("keynumidx");
            r.integer(ks.keynumIndex());
            r.bulk("firstkey");
            r.integer(ks.firstKey());
        } else if (ks.isUnknown() || ks.keyStep() <= 0) {
            typed(r, "unknown", 0);
            return;
        } else {
            typed(r, "range", 3);
            r.bulk("lastkey");
            r.integer(ks.lastKey());
        }
        r.bulk("keystep");
        r.integer(ks.keyStep());
        if (!ks.isKeynum()) {
            r.bulk("limit");
            r.integer(ks.limit());
        }
    }

    /** {@code {type: <type>, spec: {<n> pairs follow>}}} of a begin_search or find_keys entry. */
    private static void typed(Reply r, String type, int specPairs) {
        r.map(2);
        r.bulk("type");
        r.bulk(type);
        r.bulk("spec");
        r.map(specPairs);
    }

    /** One COMMAND DOCS entry (a map): summary, since, group, complexity, doc flags, deprecation, history, subcommands. */
    public static void docs(Reply r, Command c) {
        CommandSpec spec = c.spec();
        List<Command> subs = subcommands(c);
        int n = 1;
        n += spec.summary().isEmpty() ? 0 : 1;
        n += spec.since() == null ? 0 : 1;
        n += spec.complexity().isEmpty() ? 0 : 1;
        n += spec.docFlags().isEmpty() ? 0 : 1;
        n += spec.deprecatedSince() == null ? 0 : 1;
        n += spec.replacedBy() == null ? 0 : 1;
        n += spec.history().isEmpty() ? 0 : 1;
        n += subs.isEmpty() ? 0 : 1;
        r.map(n);
        if (!spec.summary().isEmpty()) {
            r.bulk("summary");
            r.bulk(spec.summary());
        }
        if (spec.since() != null) {
            r.bulk("since");
            r.bulk(spec.since());
        }
        r.bulk("group");
        r.bulk(spec.group());
        if (!spec.complexity().isEmpty()) {
            r.bulk("complexity");
            r.bulk(spec.complexity());
        }
        if (!spec.docFlags().isEmpty()) {
            r.bulk("doc_flags");
            r.set(spec.docFlags().size());
            for (String f : spec.docFlags()) {
                r.simple(f);
            }
        }
        if (spec.deprecatedSince() != null) {
            r.bulk("deprecated_since");
            r.bulk(spec.deprecatedSince());
        }
        if (spec.replacedBy() != null) {
            r.bulk("replaced_by");
            r.bulk(spec.replacedBy());
        }
        if (!spec.history().isEmpty()) {
            r.bulk("history");
            r.set(spec.history().size());
            for (CommandSpec.History h : spec.history()) {
                r.array(2);
                r.bulk(h.version());
                r.bulk(h.description());
            }
        }
        if (!subs.isEmpty()) {
            r.bulk("subcommands");
            r.map(subs.size());
            for (Command sub : subs) {
                r.bulk(sub.fullName());
                docs(r, sub);
            }
        }
    }
}
