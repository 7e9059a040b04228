package io.cinnabar.kernel.config;

import io.cinnabar.api.ConfigParameter;
import io.cinnabar.api.Errors;
import io.cinnabar.api.Glob;
import io.cinnabar.api.ServerConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * The server's configuration: every parameter (the kernel's and the plugins'), its current value,
 * loading from a redis.conf-syntax file plus command-line overrides (as redis-server's
 * loadServerConfigFromString), atomic multi-parameter CONFIG SET with rollback, and change listeners
 * that apply a new value to the running server. Values are kept in the form CONFIG GET prints, one byte
 * per char (ISO-8859-1) so that any byte given in a file or by CONFIG SET survives.
 */
public final class Config implements ServerConfig {
    private final Map<String, ConfigParameter> params = new LinkedHashMap<>();
    private final Map<String, ConfigMeta> metas;
    private final Map<String, String> aliases = new LinkedHashMap<>();
    private final Map<String, String> values = new HashMap<>();
    /**
     * {@link #getLong}'s results by the name asked for, until any value changes: plugins read their limits on
     * every write (list-max-listpack-size for each LPUSH), and a lookup here costs one probe where a fresh
     * reading costs three and a parse. Concurrent: threads other than the event loop read the config too.
     */
    private final Map<String, Long> longs = new ConcurrentHashMap<>();
    private volatile int version;
    private final List<BiConsumer<String, String>> listeners = new CopyOnWriteArrayList<>();
    private Path file;
    /** Directives that are not parameters (rename-command, user, loadmodule, sentinel), for the parts that own them. */
    private final List<Directive> directives = new ArrayList<>();
    private final ConfigLoader loader = new ConfigLoader(this);

    /** A non-parameter directive from the config file: its lower-case name and arguments. */
    public record Directive(String name, List<String> args) {
    }

    /** A CONFIG SET failure: the complete error line to reply. */
    public static final class SetError extends Exception {
        private static final long serialVersionUID = 1L;

        SetError(String line) {
            super(line);
        }
    }

    public Config() {
        metas = KernelConfigs.metas();
        for (ConfigParameter p : KernelConfigs.all(metas)) {
            register(p);
        }
    }

    public void register(ConfigParameter p) {
        params.put(p.name(), p);
        values.putIfAbsent(p.name(), p.defaultValue());
        valuesChanged();
        for (String a : p.aliases()) {
            aliases.put(a, p.name());
        }
    }

    /** The canonical name for {@code name} or an alias (e.g. slaveof -> replicaof), or null when unknown. */
    public String canonical(String name) {
        if (params.containsKey(name)) {
            return name; // the usual case, a plugin reading its limit on every write: no lower-casing
        }
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

    /**
     * Every name CONFIG GET can list, sorted: canonical names and aliases (Redis lists an alias as a
     * parameter of its own), without the hidden ones, which only an exact name shows.
     */
    public List<String> listedNames() {
        TreeMap<String, String> all = new TreeMap<>();
        for (String n : params.keySet()) {
            all.put(n, n);
        }
        all.putAll(aliases);
        List<String> out = new ArrayList<>();
        all.forEach((name, canonical) -> {
            ConfigMeta m = metas.get(canonical);
            if (m == null || !m.has(ConfigMeta.Flag.HIDDEN)) {
                out.add(name);
            }
        });
        return out;
    }

    /** Redis's memtoull (a size with an optional k/kb/m/mb/g/gb unit), or null when invalid. */
    public static Long parseMemory(String v) {
        return ConfigMeta.memtoull(v);
    }

    /** The listed names (see {@link #listedNames}) matching a glob pattern, ignoring case. */
    public List<String> namesMatching(String pattern) {
        List<String> out = new ArrayList<>();
        for (String n : listedNames()) {
            if (Glob.matches(pattern, n, true)) {
                out.add(n);
            }
        }
        return out;
    }

    /** The absolute path of the config file the server was started with, or null. */
    public Path file() {
        return file;
    }

    ConfigMeta meta(String canonicalName) {
        return metas.get(canonicalName);
    }

    public boolean isProtected(String canonicalName) {
        ConfigMeta m = metas.get(canonicalName);
        return m != null && m.has(ConfigMeta.Flag.PROTECTED);
    }

    /** Called with (name, value) after a value changes at runtime; throwing IllegalArgumentException fails the change. */
    public void onChange(BiConsumer<String, String> listener) {
        listeners.add(listener);
    }

    /** Called with the new value after {@code canonicalName} changes at runtime. */
    public void onChange(String canonicalName, Consumer<String> listener) {
        listeners.add((n, v) -> {
            if (n.equals(canonicalName)) {
                listener.accept(v);
            }
        });
    }

    @Override
    public String get(String name) {
        String c = canonical(name);
        return c == null ? null : values.get(c);
    }

    /**
     * A numeric parameter's value (memory parameters in bytes, a percentage as its negative); for
     * notify-keyspace-events the {@code KeyspaceEvents} flags it enables.
     */
    @Override
    public long getLong(String name) {
        Long cached = longs.get(name);
        if (cached != null) {
            return cached;
        }
        int before = version;
        long v = readLong(name);
        if (version == before) { // no change meanwhile (a reader on another thread): the result still holds
            longs.put(name, v);
        }
        return v;
    }

    private void valuesChanged() {
        version++;
        longs.clear();
    }

    private long readLong(String name) {
        String c = canonical(name);
        String v = values.get(c);
        if ("notify-keyspace-events".equals(c)) {
            return keyspaceFlags(v);
        }
        ConfigMeta m = metas.get(c);
        return m != null && m.kind() != ConfigMeta.Kind.SPECIAL && m.kind() != ConfigMeta.Kind.BOOL
                ? m.valueOf(v) : Long.parseLong(v);
    }

    private String lastEvents = "";
    private int lastEventFlags;

    private int keyspaceFlags(String v) {
        if (!v.equals(lastEvents)) {
            lastEventFlags = SpecialConfigs.parseKeyspaceEvents(v);
            lastEvents = v;
        }
        return lastEventFlags;
    }

    @Override
    public boolean getBoolean(String name) {
        return "yes".equals(get(name));
    }

    public int getInt(String name) {
        return (int) getLong(name);
    }

    /**
     * Validates a value given as one string (CONFIG SET: a multi-word parameter splits it on spaces)
     * against the current value, and returns the CONFIG GET form; IllegalArgumentException has Redis's reason.
     */
    public String validate(String canonicalName, String raw) {
        return validate(canonicalName, raw, values.get(canonicalName));
    }

    private String validate(String canonicalName, String raw, String current) {
        ConfigMeta m = metas.get(canonicalName);
        if (m == null) {
            return params.get(canonicalName).validator().apply(raw);
        }
        List<String> args = m.has(ConfigMeta.Flag.MULTI_ARG) ? ConfigLine.splitSpaces(raw) : List.of(raw);
        return validateArgs(m, args, current);
    }

    static String validateArgs(ConfigMeta m, List<String> args, String current) {
        if (m.kind() == ConfigMeta.Kind.SPECIAL) {
            return SpecialConfigs.of(m.name()).set(args, current);
        }
        return m.parse(args);
    }

    /** Stores a validated value and tells the listeners. */
    public void commit(String canonicalName, String value) {
        values.put(canonicalName, value);
        valuesChanged();
        for (BiConsumer<String, String> l : listeners) {
            l.accept(canonicalName, value);
        }
    }

    /** Stores a value without telling listeners (startup, rollback). */
    public void put(String canonicalName, String value) {
        values.put(canonicalName, value);
        valuesChanged();
    }

    /**
     * CONFIG SET name value [name value ...] as Redis 7.2 does it: every name is checked first (unknown,
     * immutable, protected, duplicate; the first problem wins), then every value is validated in order,
     * then all are stored and the changed ones applied; when an apply fails every value is restored and
     * re-applied. {@code names} are as the client typed them.
     */
    public void set(List<String> names, List<String> raws, boolean protectedAllowed) throws SetError {
        List<String> registered = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            String typed = names.get(i);
            String c = canonical(typed);
            if (c == null) {
                throw new SetError(Errors.configUnknownOption(typed));
            }
            ConfigParameter p = params.get(c);
            if (p.immutable() || (isProtected(c) && !protectedAllowed)) {
                throw failed(typed, p.immutable() ? "can't set immutable config" : "can't set protected config");
            }
            // Redis registers an alias as an entry of its own, so "slave-priority 1 replica-priority 2" is no duplicate
            String entry = typed.toLowerCase(Locale.ROOT);
            if (registered.contains(entry)) {
                throw failed(typed, "duplicate parameter");
            }
            registered.add(entry);
        }
        Map<String, String> old = new LinkedHashMap<>();
        Map<String, String> working = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) {
            String c = canonical(names.get(i));
            String current = working.containsKey(c) ? working.get(c) : values.get(c);
            try {
                working.put(c, validate(c, raws.get(i), current));
            } catch (IllegalArgumentException e) {
                throw failed(registered.get(i), e.getMessage());
            }
            old.putIfAbsent(c, values.get(c));
        }
        List<String> changed = new ArrayList<>();
        working.forEach((c, v) -> {
            if (!v.equals(values.get(c))) {
                changed.add(c);
            }
            values.put(c, v);
        });
        valuesChanged();
        for (String c : changed) {
            try {
                notifyListeners(c, values.get(c));
            } catch (IllegalArgumentException e) {
                values.putAll(old);
                valuesChanged();
                for (String r : changed) {
                    try {
                        notifyListeners(r, values.get(r));
                    } catch (IllegalArgumentException ignored) {
                        // restoring the previous value: Redis only logs a failure here
                    }
                }
                throw failed(nameAsRegistered(names, c), e.getMessage());
            }
        }
    }

    private void notifyListeners(String c, String v) {
        for (BiConsumer<String, String> l : listeners) {
            l.accept(c, v);
        }
    }

    private String nameAsRegistered(List<String> names, String canonical) {
        for (String n : names) {
            if (canonical.equals(canonical(n))) {
                return n.toLowerCase(Locale.ROOT);
            }
        }
        return canonical;
    }

    private static SetError failed(String name, String reason) {
        return new SetError(Errors.configSetFailed(name, reason));
    }

    // ---- startup ----

    /** Loads the file (if any) then applies "--name value ..." overrides, as redis-server does. */
    public void load(Path confFile, List<String> overrides) throws ConfigError {
        if (confFile != null) {
            this.file = confFile.toAbsolutePath();
        }
        loader.load(confFile, overrides);
    }

    /**
     * Applies directives that were unknown at load time, now that plugins registered their parameters;
     * one that is still unknown is a fatal error naming its line, as redis-server reports it.
     */
    public void finishLoading() throws ConfigError {
        loader.finishLoading();
    }

    /** redis-server's command line options as config file text (see {@link ConfigLoader#options}). */
    static String options(List<String> argv) {
        return ConfigLoader.options(argv);
    }

    /** The C library's words for an I/O failure, as redis-server reports them. */
    public static String strerror(IOException e) {
        return ConfigLoader.strerror(e);
    }

    /** The non-parameter directives named {@code name} (e.g. "user", "rename-command") in file order. */
    public List<Directive> directives(String name) {
        List<Directive> out = new ArrayList<>();
        for (Directive d : directives) {
            if (d.name().equals(name)) {
                out.add(d);
            }
        }
        return out;
    }

    void addDirective(Directive d) {
        directives.add(d);
    }

    /** The stored value of a canonical name (no alias lookup). */
    String valueOf(String canonicalName) {
        return values.get(canonicalName);
    }

    ConfigParameter parameterOf(String canonicalName) {
        return params.get(canonicalName);
    }

    // ---- rewrite ----

    /**
     * CONFIG REWRITE: rewrites the config file keeping its comments and layout (Redis's rewriteConfig);
     * {@code forceAll} writes every parameter (DEBUG CONFIG-REWRITE-FORCE-ALL).
     */
    public void rewrite(boolean forceAll) throws IOException {
        new ConfigRewriter(this, forceAll).rewrite(file);
    }

    /** The current value of every canonical parameter. */
    public Map<String, String> snapshot() {
        Map<String, String> out = new LinkedHashMap<>();
        for (String n : params.keySet()) {
            out.put(n, values.get(n));
        }
        return out;
    }
}
