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
    private final Set<AclCategory> aclCategories;
    private final List<KeySpec> keySpecs;
    private final List<String> tips;
    private final String group;
    private final String since;
    private final String summary;
    private final String complexity;
    private final List<CommandSpec> subcommands;
    private final Handler handler;
    private String parentName;

    private CommandSpec(Builder b) {
        this.name = b.name;
        this.arity = b.arity;
        this.flags = Collections.unmodifiableSet(b.flags);
        this.keySpecs = List.copyOf(b.keySpecs);
        this.tips = List.copyOf(b.tips);
        this.group = b.group;
        this.since = b.since;
        this.summary = b.summary;
        this.complexity = b.complexity;
        this.subcommands = List.copyOf(b.subcommands);
        this.handler = b.handler;
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
        return flags.contains(f);
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

        public Builder subcommand(CommandSpec sub) {
            subcommands.add(sub);
            return this;
        }

        public Builder handler(Handler handler) {
            this.handler = handler;
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
