package io.cinnabar.kernel.command;

import io.cinnabar.api.CommandSpec;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/** A registered command: its spec, its counters, its subcommands, and the plugin that brought it. */
public final class Command {
    private final CommandSpec spec;
    private final String origin;
    private final CommandStats stats = new CommandStats();
    private final Map<String, Command> subcommands = new HashMap<>();
    private final java.util.List<Command> joined = new java.util.ArrayList<>();
    private final KeyExtractor.LegacyRange severalKeys;

    public Command(CommandSpec spec, String origin) {
        this.spec = spec;
        this.origin = origin;
        KeyExtractor.LegacyRange r = KeyExtractor.legacyRange(spec);
        this.severalKeys = !r.movable() && r.step() > 0 && (r.last() < 0 || r.last() > r.first()) ? r : null;
        for (CommandSpec s : spec.subcommands()) {
            subcommands.put(s.name(), new Command(s, origin));
        }
    }

    public CommandSpec spec() {
        return spec;
    }

    /** "kernel" or the id of the plugin that registered it. */
    public String origin() {
        return origin;
    }

    /**
     * Where the keys are when the command may name several at fixed places (MSET, MGET, DEL, SMOVE...), so
     * they can be prefetched together before it runs; null for a command of at most one key or of movable keys.
     */
    public KeyExtractor.LegacyRange severalKeys() {
        return severalKeys;
    }

    public CommandStats stats() {
        return stats;
    }

    public Map<String, Command> subcommands() {
        return subcommands;
    }

    public Command subcommand(String name) {
        return subcommands.get(name.toLowerCase(Locale.ROOT));
    }

    /** Adds a subcommand another family brings to this container ({@link CommandSpec#joinsContainer}). */
    public void join(CommandSpec sub, String origin) {
        Command c = new Command(sub, origin);
        Command old = subcommands.put(sub.name(), c);
        if (old != null) {
            joined.remove(old);
        }
        joined.add(c);
    }

    /** The subcommands other families joined to this container, in the order they came. */
    public java.util.List<Command> joined() {
        return joined;
    }

    public String fullName() {
        return spec.fullName();
    }
}
