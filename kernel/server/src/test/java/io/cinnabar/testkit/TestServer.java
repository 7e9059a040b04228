package io.cinnabar.testkit;

import io.cinnabar.api.CommandFamily;
import io.cinnabar.api.ConfigProvider;
import io.cinnabar.api.DataType;
import io.cinnabar.api.InfoSection;
import io.cinnabar.api.KeyspaceEventListener;
import io.cinnabar.api.Lifecycle;
import io.cinnabar.kernel.config.Config;
import io.cinnabar.kernel.plugin.PluginHost;
import io.cinnabar.kernel.server.CinnabarServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/**
 * A Cinnabar server started in this JVM on a free loopback port, with the given command-line options and
 * (for plugin tests) families registered directly from the test classpath. Talk to it over a real socket.
 */
public final class TestServer implements AutoCloseable {
    private final CinnabarServer server;

    private TestServer(CinnabarServer server) {
        this.server = server;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A plain server with default configuration. */
    public static TestServer start(CommandFamily... families) {
        Builder b = builder();
        for (CommandFamily f : families) {
            b.family(f);
        }
        return b.start();
    }

    public int port() {
        return server.port();
    }

    public CinnabarServer server() {
        return server;
    }

    public RespClient client() {
        return new RespClient("127.0.0.1", port());
    }

    @Override
    public void close() {
        server.shutdown();
        try {
            server.awaitTermination();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A free port for a test cluster node whose bus port (+10000) is free too, as redis-cli's two-argument
     * CLUSTER MEET expects: 17000-17999 (bus 27000-27999), below the ephemeral ports a client may take meanwhile.
     */
    public static int clusterPortPair() {
        for (int attempt = 0; attempt < 200; attempt++) {
            int p = 17000 + (int) (Math.random() * 1000);
            try (ServerSocket a = new ServerSocket(p); ServerSocket b = new ServerSocket(p + 10000)) {
                return p;
            } catch (IOException e) {
                // taken: try another
            }
        }
        throw new IllegalStateException("no free cluster port pair");
    }

    /** Options (as on the command line) and in-process plugin extensions. */
    public static final class Builder {
        private final List<String> options = new ArrayList<>();
        private final List<CommandFamily> families = new ArrayList<>();
        private final List<ConfigProvider> configs = new ArrayList<>();
        private final List<InfoSection> infos = new ArrayList<>();
        private final List<DataType> types = new ArrayList<>();
        private final List<KeyspaceEventListener> listeners = new ArrayList<>();
        private final List<Lifecycle> cycles = new ArrayList<>();
        private String pluginId = "test-plugin";
        private java.nio.file.Path configFile;

        /** e.g. {@code option("requirepass", "secret")}. */
        public Builder option(String name, String value) {
            options.add("--" + name);
            options.add(value);
            return this;
        }

        public Builder family(CommandFamily f) {
            families.add(f);
            return this;
        }

        public Builder configs(ConfigProvider p) {
            configs.add(p);
            return this;
        }

        public Builder info(InfoSection s) {
            infos.add(s);
            return this;
        }

        public Builder dataType(DataType t) {
            types.add(t);
            return this;
        }

        public Builder listener(KeyspaceEventListener l) {
            listeners.add(l);
            return this;
        }

        public Builder lifecycle(Lifecycle l) {
            cycles.add(l);
            return this;
        }

        /** Starts from a config file (given before the options, as on redis-server's command line). */
        public Builder configFile(java.nio.file.Path file) {
            this.configFile = file;
            return this;
        }

        public Builder pluginId(String id) {
            this.pluginId = id;
            return this;
        }

        public TestServer start() {
            List<String> opts = new ArrayList<>();
            opts.add("--port");
            opts.add("0");
            opts.add("--bind");
            opts.add("127.0.0.1");
            opts.add("--plugins-dir");
            opts.add("target/no-plugins");
            opts.add("--loglevel");
            opts.add("warning");
            try {
                // a directory of its own, so save points, FLUSHALL and SHUTDOWN never write dump.rdb into the
                // module (and a server never loads another test's file)
                opts.add("--dir");
                opts.add(java.nio.file.Files.createTempDirectory("cinnabar-test").toString());
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            opts.addAll(options);
            Config config = new Config();
            try {
                config.load(configFile, opts);
                io.cinnabar.kernel.server.ServerLog.configure(config);
                CinnabarServer s = new CinnabarServer(config);
                PluginHost host = s.plugins();
                if (!families.isEmpty() || !configs.isEmpty() || !infos.isEmpty() || !types.isEmpty()
                        || !listeners.isEmpty() || !cycles.isEmpty()) {
                    host.register(pluginId, families, configs, infos, types, listeners, cycles);
                    host.addLoaded(new PluginHost.LoadedPlugin(pluginId, "0.1.0", "(classpath)"));
                }
                s.start();
                return new TestServer(s);
            } catch (Exception e) {
                throw new IllegalStateException("test server failed to start: " + e.getMessage(), e);
            }
        }
    }
}
