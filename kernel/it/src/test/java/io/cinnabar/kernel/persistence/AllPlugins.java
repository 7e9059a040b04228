package io.cinnabar.kernel.persistence;

import io.cinnabar.api.CommandFamily;
import io.cinnabar.api.ConfigProvider;
import io.cinnabar.api.DataType;
import io.cinnabar.api.InfoSection;
import io.cinnabar.api.KeyspaceEventListener;
import io.cinnabar.api.Lifecycle;
import io.cinnabar.testkit.TestServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;

/**
 * Every plugin on the test classpath, found the way PF4J finds them (each jar's {@code META-INF/extensions.idx}),
 * registered in-process: the persistence tests then cover every data type whose plugin is built, including
 * the ones added after these tests were written.
 */
public final class AllPlugins {
    private AllPlugins() {
    }

    static List<Object> extensions() {
        List<Object> out = new ArrayList<>();
        try {
            Enumeration<URL> idx = AllPlugins.class.getClassLoader().getResources("META-INF/extensions.idx");
            while (idx.hasMoreElements()) {
                URL u = idx.nextElement();
                try (BufferedReader r = new BufferedReader(new InputStreamReader(u.openStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        line = line.trim();
                        if (line.isEmpty() || line.startsWith("#")) {
                            continue;
                        }
                        out.add(Class.forName(line).getDeclaredConstructor().newInstance());
                    }
                }
            }
        } catch (IOException | ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    /** A builder with every family, config, INFO section, data type, listener and lifecycle registered. */
    public static TestServer.Builder builder() {
        TestServer.Builder b = TestServer.builder();
        for (Object e : extensions()) {
            if (e instanceof CommandFamily f) {
                b.family(f);
            }
            if (e instanceof ConfigProvider c) {
                b.configs(c);
            }
            if (e instanceof InfoSection s) {
                b.info(s);
            }
            if (e instanceof DataType t) {
                b.dataType(t);
            }
            if (e instanceof KeyspaceEventListener l) {
                b.listener(l);
            }
            if (e instanceof Lifecycle l) {
                b.lifecycle(l);
            }
        }
        return b;
    }

    /** The RDB type ids the loaded data types read (plus 0, strings). */
    static java.util.Set<Integer> readableRdbTypes() {
        java.util.Set<Integer> ids = new java.util.HashSet<>();
        ids.add(0);
        for (Object e : extensions()) {
            if (e instanceof DataType t) {
                for (int id : t.rdbTypes()) {
                    ids.add(id);
                }
            }
        }
        return ids;
    }
}
