package io.cinnabar.kernel.command;

import io.cinnabar.api.CommandSpec;
import io.cinnabar.api.RedisNumbers;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Every command the server knows, from the kernel's families and the plugins'. Lookup goes from the
 * raw name bytes to the command without building a String: names are bucketed by length and compared
 * ASCII-case-insensitively.
 */
public final class CommandTable {
    private final Map<String, Command> byName = new TreeMap<>();
    private Command[][] byLength = new Command[0][];

    /** Adds a command; returns the one it replaced (same name), or null. */
    public synchronized Command register(CommandSpec spec, String origin) {
        Command old = byName.put(spec.name(), new Command(spec, origin));
        rebuildIndex();
        return old;
    }

    /**
     * Joins the subcommands of {@code spec} to the registered container of the same name; false when there is
     * no such container.
     */
    public synchronized boolean join(CommandSpec spec, String origin) {
        Command container = byName.get(spec.name());
        if (container == null) {
            return false;
        }
        for (CommandSpec sub : spec.subcommands()) {
            container.join(sub, origin);
        }
        return true;
    }

    private void rebuildIndex() {
        int max = 0;
        for (String n : byName.keySet()) {
            max = Math.max(max, n.length());
        }
        List<List<Command>> tmp = new ArrayList<>();
        for (int i = 0; i <= max; i++) {
            tmp.add(new ArrayList<>());
        }
        for (Command c : byName.values()) {
            tmp.get(c.spec().name().length()).add(c);
        }
        Command[][] idx = new Command[max + 1][];
        for (int i = 0; i <= max; i++) {
            idx[i] = tmp.get(i).toArray(new Command[0]);
        }
        byLength = idx;
    }

    /** The command for the raw name, or null. */
    public Command lookup(byte[] name) {
        Command[][] idx = byLength;
        if (name.length >= idx.length) {
            return null;
        }
        for (Command c : idx[name.length]) {
            if (RedisNumbers.equalsIgnoreCase(name, c.spec().name())) {
                return c;
            }
        }
        return null;
    }

    public Command lookup(String name) {
        return byName.get(name.toLowerCase(Locale.ROOT));
    }

    /** The subcommand of {@code container} named by the raw bytes, or null. */
    public static Command subcommand(Command container, byte[] name) {
        if (name.length > 64) {
            return null;
        }
        return container.subcommand(new String(name, StandardCharsets.ISO_8859_1));
    }

    /** "name" or "container|sub" (COMMAND INFO/DOCS, ACL), or null. */
    public Command lookupFullName(String fullName) {
        int bar = fullName.indexOf('|');
        if (bar < 0) {
            return lookup(fullName);
        }
        Command c = lookup(fullName.substring(0, bar));
        return c == null ? null : c.subcommand(fullName.substring(bar + 1));
    }

    /** All top-level commands, sorted by name. */
    public Collection<Command> all() {
        return byName.values();
    }

    public int size() {
        return byName.size();
    }
}
