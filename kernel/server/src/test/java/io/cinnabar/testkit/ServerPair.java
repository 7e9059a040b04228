package io.cinnabar.testkit;

import java.util.ArrayList;
import java.util.List;

/**
 * A Cinnabar {@link TestServer} and a {@link ReferenceRedis} started together, for a differential test
 * class: start it in {@code @BeforeAll}, take a {@link #diff()} (or raw clients) per test, close it in
 * {@code @AfterAll}. Every client it hands out is closed by {@link #closeClients()} and by {@link #close()}.
 */
public final class ServerPair implements AutoCloseable {
    private final TestServer cinnabar;
    private final ReferenceRedis redis;
    private final List<RespClient> clients = new ArrayList<>();

    private ServerPair(TestServer cinnabar, ReferenceRedis redis) {
        this.cinnabar = cinnabar;
        this.redis = redis;
    }

    /**
     * Starts the reference first (the test is skipped when there is no redis-server, before Cinnabar
     * starts), then Cinnabar from {@code cinnabar}; {@code redisOptions} as on redis-server's command line.
     */
    public static ServerPair start(TestServer.Builder cinnabar, String... redisOptions) {
        ReferenceRedis redis = ReferenceRedis.start(redisOptions);
        try {
            return new ServerPair(cinnabar.start(), redis);
        } catch (RuntimeException e) {
            redis.close();
            throw e;
        }
    }

    public TestServer cinnabar() {
        return cinnabar;
    }

    public ReferenceRedis redis() {
        return redis;
    }

    /** A fresh connection to the reference, closed with the pair. */
    public RespClient redisClient() {
        return track(redis.client());
    }

    /** A fresh connection to Cinnabar, closed with the pair. */
    public RespClient cinnabarClient() {
        return track(cinnabar.client());
    }

    /** A differential session over a fresh connection to each server. */
    public Differential diff() {
        return new Differential(redisClient(), cinnabarClient());
    }

    /** A differential session on database {@code db} of both servers (SELECT on each, compared). */
    public Differential diff(int db) {
        Differential d = diff();
        d.run("SELECT " + db);
        return d;
    }

    /** Closes every client handed out so far (e.g. in {@code @AfterEach}); the servers keep running. */
    public void closeClients() {
        synchronized (clients) {
            clients.forEach(RespClient::close);
            clients.clear();
        }
    }

    @Override
    public void close() {
        closeClients();
        try {
            cinnabar.close();
        } finally {
            redis.close();
        }
    }

    private RespClient track(RespClient c) {
        synchronized (clients) {
            clients.add(c);
        }
        return c;
    }
}
