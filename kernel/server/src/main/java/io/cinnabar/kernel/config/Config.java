package io.cinnabar.kernel.config;

import io.cinnabar.api.ConfigParameter;
import io.cinnabar.api.ServerConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;

/**
 * The server's configuration: every parameter (the kernel's and the plugins'), its current value,
 * loading from a redis.conf-syntax file plus command-line overrides, and change listeners that apply a
 * new value to the running server. Values are kept in the form CONFIG GET prints.
 */
public final class Config implements ServerConfig {
    private final Map<String, ConfigParameter> params = new LinkedHashMap<>();
    private final Map<String, String> aliases = new LinkedHashMap<>();
    private final Map<String, String> values = new LinkedHashMap<>();
    private final List<BiConsumer<String, String>> listeners = new CopyOnWriteArrayList<>();
    private Path file;
    /** Directives not known when the file was read: plugin configs are registered later (see {@link #finishLoading}). */
    private final List<String[]> pending = new ArrayList<>();

    public Config() {
        for (ConfigParameter p : KernelConfigs.all()) {
            register(p);
        }
    }

    public void register(ConfigParameter p) {
        params.put(p.name(), p);
        values.putIfAbsent(p.name(), p.defaultValue());
        for (String a : p.aliases()) {
            aliases.put(a, p.name());
        }
    }

    /** The canonical name for {@code name} or an alias (e.g. slaveof -> replicaof), or null when unknown. */
    public String canonical(String name) {
        String l = name.toLowerCase(Locale.ROOT);
        if (params.containsKey(l)) {
            return l;
        }
        return aliases.get(l);
    }

    public ConfigParameter parameter(String canonicalName) {
        return params.get(canonicalName);
    }

    public Map<String, ConfigParameter> parameters() {
        return params;
    }

    public Map<String, String> aliasMap() {
        return aliases;
    }

    public Path file() {
        return file;
    }

    /** Called with (name, value) after a value changes at runtime. */
    public void onChange(BiConsumer<String, String> listener) {
        listeners.add(listener);
    }

    @Override
    public String get(String name) {
        String c = canonical(name);
        return c == null ? null : values.get(c);
    }

    @Override
    public long getLong(String name) {
        return Long.parseLong(get(name));
    }

    @Override
    public boolean getBoolean(String name) {
        return "yes".equals(get(name));
    }

    public int getInt(String name) {
        return (int) getLong(name);
    }

    /**
     * Validates and sets one value; throws IllegalArgumentException with Redis's reason. Does not run
     * listeners (see {@link #commit}).
     */
    public String validate(String canonicalName, String raw) {
        ConfigParameter p = params.get(canonicalName);
        return p.validator().apply(raw);
    }

    /** Stores a validated value and tells the listeners. */
    public void commit(String canonicalName, String value) {
        values.put(canonicalName, value);
        for (BiConsumer<String, String> l : listeners) {
            l.accept(canonicalName, value);
        }
    }

    /** Stores a value without telling listeners (startup, rollback). */
    public void put(String canonicalName, String value) {
        values.put(canonicalName, value);
    }

    /** Loads the file (if any) then applies "--name value ..." overrides, as redis-server does. */
    public void load(Path confFile, List<String> overrides) throws ConfigError {
        StringBuilder text = new StringBuilder();
        if (confFile != null) {
            this.file = confFile.toAbsolutePath();
            try {
                text.append(Files.readString(confFile, StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new ConfigError("Fatal error, can't open config file '" + confFile + "': " + e.getMessage());
            }
            text.append('\n');
        }
        // Like redis-server: each "--name v1 v2" becomes the line "name v1 v2" appended to the file's text.
        StringBuilder extra = new StringBuilder();
        for (String o : overrides) {
            if (o.startsWith("--") && o.length() > 2) {
                if (extra.length() > 0) {
                    extra.append('\n');
                }
                extra.append(o.substring(2)).append(' ');
            } else {
                extra.append(quote(o)).append(' ');
            }
        }
        text.append(extra);
        loadText(text.toString());
    }

    private static String quote(String s) {
        if (!s.isEmpty() && s.chars().noneMatch(c -> c <= ' ' || c == '"' || c == '\'' || c == '\\')) {
            return s;
        }
        return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    void loadText(String text) throws ConfigError {
        String[] lines = text.split("\n", -1);
        Map<String, List<String>> multi = new LinkedHashMap<>();
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].trim();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            List<String> argv = ConfigLine.split(line);
            if (argv == null) {
                throw fatal(i + 1, line, "Unbalanced quotes in configuration line");
            }
            if (argv.isEmpty()) {
                continue;
            }
            String name = argv.get(0).toLowerCase(Locale.ROOT);
            if (name.equals("include")) {
                continue;
            }
            String c = canonical(name);
            String value = String.join(" ", argv.subList(1, argv.size()));
            if (c == null) {
                pending.add(new String[] {name, value, Integer.toString(i + 1), line});
                continue;
            }
            if (KernelConfigs.MULTI_LINE.contains(c)) {
                // "save 900 1" / "client-output-buffer-limit ..." lines accumulate
                multi.computeIfAbsent(c, k -> new ArrayList<>()).add(value);
                value = String.join(" ", multi.get(c));
            }
            try {
                values.put(c, validate(c, value));
            } catch (IllegalArgumentException e) {
                throw fatal(i + 1, line, e.getMessage());
            }
        }
    }

    /**
     * Applies directives that were unknown at load time, now that plugins registered their parameters;
     * one that is still unknown is a fatal error naming its line, as redis-server reports it.
     */
    public void finishLoading() throws ConfigError {
        for (String[] p : pending) {
            String c = canonical(p[0]);
            if (c == null) {
                throw fatal(Integer.parseInt(p[2]), p[3], "Bad directive or wrong number of arguments");
            }
            try {
                values.put(c, validate(c, p[1]));
            } catch (IllegalArgumentException e) {
                throw fatal(Integer.parseInt(p[2]), p[3], e.getMessage());
            }
        }
        pending.clear();
    }

    private static ConfigError fatal(int lineNo, String line, String reason) {
        return new ConfigError("\n*** FATAL CONFIG FILE ERROR (Redis 7.2.6) ***\n"
                + "Reading the configuration file, at line " + lineNo + "\n>>> '" + line + "'\n" + reason);
    }

    /** Every (name, value) pair, canonical names only. */
    public Map<String, String> snapshot() {
        return new LinkedHashMap<>(values);
    }
}
