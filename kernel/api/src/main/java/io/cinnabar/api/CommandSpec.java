package io.cinnabar.api;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * One command described as data: everything COMMAND INFO/DOCS, ACL categories, the dispatcher's checks
 * (arity, flags, keys for cluster slots) and MULTI rules read, plus the handler that executes it.
 * A container command (CONFIG, CLIENT, ...) has subcommands and no handler of its own.
 */
public final class CommandSpec {
    private final String name;
    private final int arity;
    private final Set<CommandFlag> flags;
    /** {@link #flags} as bits by ordinal: {@link #has} runs for every command several times, a bit test is cheapest. */
    private final long flagBits;

    static {
        if (CommandFlag.values().length > Long.SIZE) {
            throw new ExceptionInInitializerError("CommandSpec.flagBits holds at most 64 flags");
        }
    }
    private final Set<AclCategory> aclCategories;
    private final List<KeySpec> keySpecs;
    private final List<String> tips;
    private final String group;
    private final String since;
    private final String summary;
    private final String complexity;
    private final List<CommandSpec> subcommands;
    private final Handler handler;
    private final List<String> docFlags;
    private final String deprecatedSince;
    private final String replacedBy;
    private final List<History> history;
    private final KeyFinder keyFinder;
    private final boolean joinsContainer;
    private String parentName;

    /** One entry of a command's documented history (COMMAND DOCS {@code history}). */
    public record History(String version, String description) {
    }

    private CommandSpec(Builder b) {
        this.name = b.name;
        this.arity = b.arity;
        this.flags = Collections.unmodifiableSet(EnumSet.copyOf(b.flags));
        long bits = 0;
        for (CommandFlag f : flags) {
            bits |= 1L << f.ordinal();
        }
        this.flagBits = bits;
        this.keySpecs = List.copyOf(b.keySpecs);
        this.tips = List.copyOf(b.tips);
        this.group = b.group;
        this.since = b.since;
        this.summary = b.summary;
        this.complexity = b.complexity;
        this.subcommands = List.copyOf(b.subcommands);
        this.handler = b.handler;
        this.docFlags = List.copyOf(b.docFlags);
        this.deprecatedSince = b.deprecatedSince;
        this.replacedBy = b.replacedBy;
        this.history = List.copyOf(b.history);
        this.keyFinder = b.keyFinder;
        this.joinsContainer = b.joinsContainer;
        this.aclCategories = Collections.unmodifiableSet(implicitCategories(b.acl, b.flags));
        for (CommandSpec sub : subcommands) {
            sub.parentName = name;
        }
    }

    /** Redis's setImplicitACLCategories: categories that follow from the flags. */
    private static EnumSet<AclCategory> implicitCategories(EnumSet<AclCategory> declared, Set<CommandFlag> flags) {
        EnumSet<AclCategory> c = EnumSet.copyOf(declared);
        if (flags.contains(CommandFlag.WRITE)) {
            c.add(AclCategory.WRITE);
        }
        if (flags.contains(CommandFlag.READONLY) && !declared.contains(AclCategory.SCRIPTING)) {
            c.add(AclCategory.READ);
        }
        if (flags.contains(CommandFlag.ADMIN)) {
            c.add(AclCategory.ADMIN);
            c.add(AclCategory.DANGEROUS);
        }
        if (flags.contains(CommandFlag.PUBSUB)) {
            c.add(AclCategory.PUBSUB);
        }
        if (flags.contains(CommandFlag.FAST)) {
            c.add(AclCategory.FAST);
        }
        if (flags.contains(CommandFlag.BLOCKING)) {
            c.add(AclCategory.BLOCKING);
        }
        if (!c.contains(AclCategory.FAST)) {
            c.add(AclCategory.SLOW);
        }
        return c;
    }

    public static Builder command(String name) {
        return new Builder(name);
    }

    /** True when this container only brings subcommands to the container of the same name (see the builder's). */
    public boolean joinsContainer() {
        return joinsContainer;
    }

    /** Lower-case name; for a subcommand just its own part (e.g. {@code get}). */
    public String name() {
        return name;
    }

    /** {@code config|get} for a subcommand, else the name. */
    public String fullName() {
        return parentName == null ? name : parentName + "|" + name;
    }

    /** The container's name, or null for a top-level command. */
    public String parentName() {
        return parentName;
    }

    public int arity() {
        return arity;
    }

    public Set<CommandFlag> flags() {
        return flags;
    }

    public boolean has(CommandFlag f) {
        return (flagBits & 1L << f.ordinal()) != 0;
    }

    public Set<AclCategory> aclCategories() {
        return aclCategories;
    }

    public List<KeySpec> keySpecs() {
        return keySpecs;
    }

    public List<String> tips() {
        return tips;
    }

    public String group() {
        return group;
    }

    public String since() {
        return since;
    }

    public String summary() {
        return summary;
    }

    public String complexity() {
        return complexity;
    }

    public List<CommandSpec> subcommands() {
        return subcommands;
    }

    public Handler handler() {
        return handler;
    }

    /** COMMAND DOCS {@code doc_flags}: {@code deprecated}, {@code syscmd}; empty for most commands. */
    public List<String> docFlags() {
        return docFlags;
    }

    /** The version that deprecated the command, or null. */
    public String deprecatedSince() {
        return deprecatedSince;
    }

    /** What replaces a deprecated command (Redis's text, e.g. {@code `REPLICAOF`}), or null. */
    public String replacedBy() {
        return replacedBy;
    }

    public List<History> history() {
        return history;
    }

    /** Finds keys where the key specs cannot (Redis's {@code getkeys_proc}), or null. */
    public KeyFinder keyFinder() {
        return keyFinder;
    }

    /** True when {@code argc} arguments (including the name) satisfy the arity. */
    public boolean arityAccepts(int argc) {
        return arity >= 0 ? argc == arity : argc >= -arity;
    }

    @Override
    public String toString() {
        return fullName();
    }

    /** Builds a spec; names are stored in lower case. */
    public static final class Builder {
        private final String name;
        private int arity;
        private final EnumSet<CommandFlag> flags = EnumSet.noneOf(CommandFlag.class);
        private final EnumSet<AclCategory> acl = EnumSet.noneOf(AclCategory.class);
        private final List<KeySpec> keySpecs = new ArrayList<>();
        private final List<String> tips = new ArrayList<>();
        private String group = "generic";
        private String since = "1.0.0";
        private String summary = "";
        private String complexity = "";
        private final List<CommandSpec> subcommands = new ArrayList<>();
        private Handler handler;
        private final List<String> docFlags = new ArrayList<>();
        private String deprecatedSince;
        private String replacedBy;
        private final List<History> history = new ArrayList<>();
        private KeyFinder keyFinder;
        private boolean joinsContainer;

        private Builder(String name) {
            this.name = name.toLowerCase(Locale.ROOT);
        }

        /** Redis arity: positive = exact argument count including the name, negative = at least. */
        public Builder arity(int arity) {
            this.arity = arity;
            return this;
        }

        public Builder flags(CommandFlag... f) {
            Collections.addAll(flags, f);
            return this;
        }

        public Builder acl(AclCategory... c) {
            Collections.addAll(acl, c);
            return this;
        }

        public Builder key(KeySpec spec) {
            keySpecs.add(spec);
            return this;
        }

        public Builder tips(String... t) {
            Collections.addAll(tips, t);
            return this;
        }

        public Builder group(String group) {
            this.group = group;
            return this;
        }

        public Builder since(String since) {
            this.since = since;
            return this;
        }

        public Builder summary(String summary) {
            this.summary = summary;
            return this;
        }

        public Builder complexity(String complexity) {
            this.complexity = complexity;
            return this;
        }

        /**
         * Makes this container's subcommands join the container of the same name that another family (the
         * kernel's, say) registers, instead of replacing it: a plugin adds CLIENT TRACKING this way. Only the name
         * and the subcommands of such a spec are used.
         */
        public Builder joinsContainer() {
            this.joinsContainer = true;
            return this;
        }

        public Builder subcommand(CommandSpec sub) {
            subcommands.add(sub);
            return this;
        }

        public Builder handler(Handler handler) {
            this.handler = handler;
            return this;
        }

        /** COMMAND DOCS {@code doc_flags}, e.g. {@code deprecated} or {@code syscmd}. */
        public Builder docFlags(String... f) {
            Collections.addAll(docFlags, f);
            return this;
        }

        /** Marks the command deprecated since {@code version} (also sets the {@code deprecated} doc flag). */
        public Builder deprecated(String version, String replacedBy) {
            if (!docFlags.contains("deprecated")) {
                docFlags.add("deprecated");
            }
            this.deprecatedSince = version;
            this.replacedBy = replacedBy;
            return this;
        }

        /** Adds a history entry, e.g. {@code history("7.0.0", "Added the `NOW`, `FORCE` and `ABORT` modifiers.")}. */
        public Builder history(String version, String description) {
            history.add(new History(version, description));
            return this;
        }

        /**
         * Key extraction for what key specs cannot express (Redis's {@code getkeys_proc}): used when a spec is
         * {@link KeySpec#unknown}, {@code incomplete} or has {@code variable_flags}, and when the specs do not
         * apply to the given arguments.
         */
        public Builder keyFinder(KeyFinder finder) {
            this.keyFinder = finder;
            return this;
        }

        public CommandSpec build() {
            if (handler == null && subcommands.isEmpty()) {
                throw new IllegalStateException("command " + name + " has neither a handler nor subcommands");
            }
            return new CommandSpec(this);
        }
    }
}
