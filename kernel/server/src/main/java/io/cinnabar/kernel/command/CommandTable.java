package io.cinnabar.kernel.command;

import io.cinnabar.api.CommandSpec;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Every command the server knows, from the kernel's families and the plugins'. Lookup goes from the
 * raw name bytes to the command without building a String: an open-addressing table keyed by an
 * ASCII-case-folded hash of the name, then one case-insensitive byte comparison.
 */
public final class CommandTable {
    private final Map<String, Command> byName = new TreeMap<>();
    /** The lookup index, replaced as a whole on every registration (read without locking). */
    private Index index = new Index(List.of());

    private static final class Index {
        final Command[] commands;
        final byte[][] names;   // lower-case ASCII
        final int mask;

        Index(Collection<Command> all) {
            int size = Integer.highestOneBit(Math.max(4, all.size() * 4) - 1) << 1;
            commands = new Command[size];
            names = new byte[size][];
            mask = size - 1;
            for (Command c : all) {
                byte[] n = c.spec().name().getBytes(StandardCharsets.ISO_8859_1);
                int i = hash(n) & mask;
                while (commands[i] != null) {
                    i = (i + 1) & mask;
                }
                commands[i] = c;
                names[i] = n;
            }
        }

        Command find(byte[] name) {
            for (int i = hash(name) & mask; commands[i] != null; i = (i + 1) & mask) {
                if (sameName(names[i], name)) {
                    return commands[i];
                }
            }
            return null;
        }

        /** FNV-1a over the bytes with ASCII letters folded to lower case. */
        private static int hash(byte[] b) {
            int h = 0x811c9dc5;
            for (byte x : b) {
                h = (h ^ (x | 0x20)) * 0x01000193;
            }
            return h ^ (h >>> 15);
        }

        private static boolean sameName(byte[] lower, byte[] b) {
            if (lower.length != b.length) {
                return false;
            }
            for (int i = 0; i < b.length; i++) {
                int c = b[i];
                if (c >= 'A' && c <= 'Z') {
                    c += 32;
                }
                if (c != lower[i]) {
                    return false;
                }
            }
            return true;
        }
    }

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
        index = new Index(byName.values());
    }

    /** The command for the raw name, or null. */
    public Command lookup(byte[] name) {
        return index.find(name);
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
