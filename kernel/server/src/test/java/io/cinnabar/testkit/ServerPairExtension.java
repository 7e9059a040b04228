package io.cinnabar.testkit;

import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The {@link ServerPair} of a differential test class, as a JUnit extension registered on a static field
 * ({@code @RegisterExtension static final ServerPairExtension PAIR = new ServerPairExtension(...)}): the pair
 * starts before the class's tests (so a missing redis-server skips the class), the clients a test took are
 * closed after it, and both servers stop after the class.
 */
public final class ServerPairExtension implements BeforeAllCallback, AfterEachCallback, AfterAllCallback {
    private final Supplier<TestServer.Builder> cinnabar;
    private final String[] redisOptions;
    private ServerPair pair;

    /** {@code cinnabar} builds the Cinnabar side; {@code redisOptions} as on redis-server's command line. */
    public ServerPairExtension(Supplier<TestServer.Builder> cinnabar, String... redisOptions) {
        this.cinnabar = cinnabar;
        this.redisOptions = redisOptions.clone();
    }

    /** The running pair (only between the class's start and end). */
    public ServerPair pair() {
        if (pair == null) {
            throw new IllegalStateException("the server pair runs only while the test class runs");
        }
        return pair;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        pair = ServerPair.start(cinnabar.get(), redisOptions);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (pair != null) {
            pair.closeClients();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (pair != null) {
            pair.close();
            pair = null;
        }
    }
}
