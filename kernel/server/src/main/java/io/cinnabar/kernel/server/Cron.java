package io.cinnabar.kernel.server;

import io.cinnabar.kernel.keyspace.Database;

/**
 * The server cron (Redis's serverCron at {@code hz}): active expiry with Redis's effort knob, and
 * incremental rehashing / shrinking of the databases' tables.
 */
final class Cron implements Runnable {
    private static final int SAMPLES = 20;
    private final CinnabarServer server;

    Cron(CinnabarServer server) {
        this.server = server;
    }

    @Override
    public void run() {
        if (server.cronPaused()) {
            return;
        }
        server.refreshClock();
        if (server.activeExpireEnabled() && server.mayDeleteExpired()) {
            activeExpire();
        }
        if (server.config().getBoolean("activerehashing")) {
            for (Database db : server.databases()) {
                db.cron(1);
            }
        }
    }

    /** Samples each db; repeats while more than 10% (scaled by effort) of a sample was expired, within a time budget. */
    private void activeExpire() {
        int effort = Math.max(1, Math.min(10, server.config().getInt("active-expire-effort")));
        int samples = SAMPLES + SAMPLES / 4 * (effort - 1);
        int acceptableStalePercent = 10 - effort + 1;
        long budgetNanos = 25_000_000L * (1 + effort) / 4 / Math.max(1, server.config().getInt("hz") / 10);
        long deadline = System.nanoTime() + budgetNanos;
        for (Database db : server.databases()) {
            while (db.expiresSize() > 0 && System.nanoTime() < deadline) {
                int expired = db.activeExpireSample(samples);
                if (expired * 100 <= samples * acceptableStalePercent) {
                    break;
                }
            }
        }
    }
}
