package io.cinnabar.kernel.info;

import io.cinnabar.api.InfoSection;
import io.cinnabar.kernel.server.CinnabarServer;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The INFO report: Redis 7.2's sections in Redis's order with its field names, then our {@code plugins}
 * section, then the sections plugins contribute. A kernel part that owns a section's data (persistence,
 * replication) {@link #replace}s the default section; a plugin {@link InfoSection} named like a built-in
 * section adds or overrides fields of it, any other name is a section of its own (shown for
 * {@code INFO everything}, {@code INFO modules} or its name, like a Redis module's section).
 */
public final class ServerInfo {
    /** Sections of a bare {@code INFO} or {@code INFO default} (Redis's list, plus ours). */
    private static final Set<String> DEFAULT = Set.of("server", "clients", "memory", "persistence", "stats",
            "replication", "cpu", "module_list", "errorstats", "cluster", "keyspace", "plugins");

    private final CinnabarServer server;
    private final Map<String, InfoSection> builtin = new LinkedHashMap<>();

    public ServerInfo(CinnabarServer server) {
        this.server = server;
        KernelInfoSections s = new KernelInfoSections(server, this);
        add("server", "Server", s::server);
        add("clients", "Clients", s::clients);
        add("memory", "Memory", s::memory);
        add("persistence", "Persistence", s::persistence);
        add("stats", "Stats", s::stats);
        add("replication", "Replication", s::replication);
        add("cpu", "CPU", s::cpu);
        add("modules", "Modules", s::modules);
        add("commandstats", "Commandstats", s::commandstats);
        add("errorstats", "Errorstats", s::errorstats);
        add("latencystats", "Latencystats", s::latencystats);
        add("cluster", "Cluster", s::cluster);
        add("keyspace", "Keyspace", s::keyspace);
        add("plugins", "Plugins", s::plugins);
    }

    private void add(String name, String title, java.util.function.Consumer<InfoSection.InfoWriter> body) {
        builtin.put(name, new Builtin(name, title, body));
    }

    /** A built-in section (its name printed as the given title). */
    private record Builtin(String name, String title, java.util.function.Consumer<InfoSection.InfoWriter> body)
            implements InfoSection {
        @Override
        public void write(InfoWriter out) {
            body.accept(out);
        }
    }

    /** Replaces a built-in section (same name) with the one of the part that owns its data. */
    public void replace(InfoSection section) {
        InfoSection old = builtin.get(section.name());
        if (old == null) {
            throw new IllegalArgumentException("no INFO section '" + section.name() + "'");
        }
        String title = old instanceof Builtin b ? b.title() : old.name();
        builtin.put(section.name(), new Builtin(section.name(), title, section::write));
    }

    /** The replication id INFO shows until replication owns the section. */

    /** The report for {@code INFO [section ...]} (arguments after the command name). */
    public String generate(List<String> args) {
        Set<String> wanted = new HashSet<>();
        boolean all = false;
        boolean everything = false;
        if (args.isEmpty()) {
            wanted.addAll(DEFAULT);
        }
        for (String a : args) {
            String s = a.toLowerCase(Locale.ROOT);
            switch (s) {
                case "default" -> wanted.addAll(DEFAULT);
                case "all" -> all = true;
                case "everything" -> {
                    all = true;
                    everything = true;
                }
                default -> wanted.add(s);
            }
        }
        List<InfoSection> extensions = server.plugins().infoSections();
        StringBuilder out = new StringBuilder(4096);
        for (InfoSection section : builtin.values()) {
            // "module_list" (part of the default) lists the modules without their own sections; "modules" adds them
            if (all || wanted.contains(section.name())
                    || (section.name().equals("modules") && wanted.contains("module_list"))) {
                Fields f = new Fields();
                section.write(f);
                for (InfoSection ext : extensions) {
                    if (ext.name().equals(section.name())) {
                        ext.write(f);
                    }
                }
                render(out, ((Builtin) section).title(), f);
            }
        }
        boolean allExtensions = everything || wanted.contains("modules");
        for (InfoSection ext : extensions) {
            if (!builtin.containsKey(ext.name()) && (allExtensions || wanted.contains(ext.name()))) {
                Fields f = new Fields();
                ext.write(f);
                render(out, ext.name(), f);
            }
        }
        return out.toString();
    }

    private static void render(StringBuilder out, String title, Fields f) {
        if (!out.isEmpty()) {
            out.append("\r\n");
        }
        out.append("# ").append(title).append("\r\n");
        for (Map.Entry<String, String> e : f.values.entrySet()) {
            out.append(e.getKey()).append(':').append(e.getValue()).append("\r\n");
        }
    }

    /** Collects a section's lines in order; a later field of the same name replaces the value in place. */
    static final class Fields implements InfoSection.InfoWriter {
        final LinkedHashMap<String, String> values = new LinkedHashMap<>();

        @Override
        public InfoSection.InfoWriter field(String name, Object value) {
            values.put(name, String.valueOf(value));
            return this;
        }
    }

    /**
     * A plugin's version as the integer Redis modules report ({@code ver}): major * 10000 + minor * 100 + patch,
     * e.g. 2.6.7 -> 20607; parts that are not numbers count as 0.
     */
    public static int moduleVersion(String semver) {
        String[] parts = semver == null ? new String[0] : semver.split("[.-]");
        int v = 0;
        for (int i = 0; i < 3; i++) {
            int part = 0;
            if (i < parts.length) {
                try {
                    part = Integer.parseInt(parts[i]);
                } catch (NumberFormatException e) {
                    part = 0;
                }
            }
            v = v * 100 + part;
        }
        return v;
    }
}
