package io.cinnabar.kernel.plugin;

import io.cinnabar.api.CommandFamily;
import io.cinnabar.api.ConfigParameter;
import io.cinnabar.api.ConfigProvider;
import io.cinnabar.api.DataType;
import io.cinnabar.api.InfoSection;
import io.cinnabar.api.KeyspaceEventListener;
import io.cinnabar.api.Lifecycle;
import io.cinnabar.kernel.server.CinnabarServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.pf4j.JarPluginManager;
import org.pf4j.PluginManager;
import org.pf4j.PluginState;
import org.pf4j.PluginWrapper;

/**
 * Loads every plugin jar in {@code plugins-dir} with PF4J and registers its extensions: command families,
 * configs, INFO sections, data types, keyspace listeners and lifecycles. A jar that fails to load or start
 * is logged and skipped; only a plugin named in {@code plugin-required} is fatal.
 */
public final class PluginHost {
    /**
     * The plugin API version a jar's {@code Plugin-Requires} is checked against (a semver expression such as
     * {@code >=0.1.0}; a bare version must match exactly). PF4J skips a plugin whose requirement fails.
     */
    public static final String API_VERSION = "0.1.0";

    private final CinnabarServer server;
    private PluginManager manager;
    private final List<LoadedPlugin> loaded = new ArrayList<>();
    private final List<InfoSection> infoSections = new ArrayList<>();
    private final List<DataType> dataTypes = new ArrayList<>();
    private final List<Lifecycle> lifecycles = new ArrayList<>();

    /** What MODULE LIST shows. */
    public record LoadedPlugin(String id, String version, String path) {
    }

    public PluginHost(CinnabarServer server) {
        this.server = server;
    }

    public void load() {
        Path dir = Path.of(server.config().get("plugins-dir"));
        if (!Files.isDirectory(dir)) {
            server.log().info("No plugins directory at {}", dir.toAbsolutePath());
            return;
        }
        manager = new JarPluginManager(dir);
        manager.setSystemVersion(API_VERSION);
        try {
            manager.loadPlugins();
        } catch (RuntimeException e) {
            server.log().warn("Plugin loading failed in {}: {}", dir, e.toString());
        }
        for (PluginWrapper w : new ArrayList<>(manager.getPlugins())) {
            try {
                manager.startPlugin(w.getPluginId());
                if (w.getPluginState() != PluginState.STARTED) {
                    throw new IllegalStateException("state " + w.getPluginState());
                }
                register(w.getPluginId(), manager.getExtensions(CommandFamily.class, w.getPluginId()),
                        manager.getExtensions(ConfigProvider.class, w.getPluginId()),
                        manager.getExtensions(InfoSection.class, w.getPluginId()),
                        manager.getExtensions(DataType.class, w.getPluginId()),
                        manager.getExtensions(KeyspaceEventListener.class, w.getPluginId()),
                        manager.getExtensions(Lifecycle.class, w.getPluginId()));
                loaded.add(new LoadedPlugin(w.getPluginId(), w.getDescriptor().getVersion(), w.getPluginPath().toString()));
                server.log().info("Plugin '{}' {} loaded from {}", w.getPluginId(), w.getDescriptor().getVersion(),
                        w.getPluginPath().getFileName());
            } catch (RuntimeException | LinkageError e) {
                server.log().warn("Plugin '{}' skipped: {}", w.getPluginId(), e.toString());
                try {
                    manager.unloadPlugin(w.getPluginId());
                } catch (RuntimeException ignored) {
                    // already broken; nothing more to release
                }
            }
        }
        String required = server.config().get("plugin-required");
        if (required != null && !required.isBlank()) {
            for (String id : required.trim().split("[\\s,]+")) {
                if (loaded.stream().noneMatch(p -> p.id().equals(id))) {
                    throw new IllegalStateException("Required plugin '" + id + "' is not loaded");
                }
            }
        }
    }

    /** Registers extensions given directly (tests and embedders use this instead of jars). */
    public void register(String id, List<CommandFamily> families, List<ConfigProvider> configs,
                         List<InfoSection> infos, List<DataType> types, List<KeyspaceEventListener> listeners,
                         List<Lifecycle> cycles) {
        for (ConfigProvider p : configs) {
            for (ConfigParameter c : p.configs()) {
                server.addConfig(c);
            }
        }
        for (CommandFamily f : families) {
            server.addFamily(f, id);
        }
        infoSections.addAll(infos);
        for (DataType t : types) {
            t.configure(server.config());
        }
        dataTypes.addAll(types);
        listeners.forEach(server::addKeyspaceListener);
        lifecycles.addAll(cycles);
    }

    /** Adds a plugin loaded some other way (in-process tests) to MODULE LIST. */
    public void addLoaded(LoadedPlugin p) {
        loaded.add(p);
    }

    public void startLifecycles() {
        for (Lifecycle l : lifecycles) {
            try {
                l.start(server);
            } catch (RuntimeException e) {
                server.log().warn("Plugin lifecycle {} failed to start: {}", l.getClass().getName(), e.toString());
            }
        }
    }

    public void stop() {
        for (Lifecycle l : lifecycles) {
            try {
                l.stop();
            } catch (RuntimeException e) {
                server.log().warn("Plugin lifecycle {} failed to stop: {}", l.getClass().getName(), e.toString());
            }
        }
        if (manager != null) {
            // one by one, newest first: PF4J's stopPlugins() removes from the list it iterates and throws
            // ConcurrentModificationException once three or more plugins are started (pf4j issue #656)
            List<PluginWrapper> started = new ArrayList<>(manager.getStartedPlugins());
            for (int i = started.size() - 1; i >= 0; i--) {
                PluginWrapper w = started.get(i);
                try {
                    if (w.getPluginState() == PluginState.STARTED) {
                        manager.stopPlugin(w.getPluginId());
                    }
                } catch (RuntimeException e) {
                    server.log().warn("Plugin {} failed to stop: {}", w.getPluginId(), e.toString());
                }
            }
        }
    }

    public List<LoadedPlugin> loaded() {
        return loaded;
    }

    public List<InfoSection> infoSections() {
        return infoSections;
    }

    public List<DataType> dataTypes() {
        return dataTypes;
    }
}
