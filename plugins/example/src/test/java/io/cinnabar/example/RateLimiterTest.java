package io.cinnabar.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The sliding log itself: eviction, merging, retry-after arithmetic, growth and shrinking. */
class RateLimiterTest {

    @Test
    void hitsInTheSameMillisecondShareAnEntry() {
        RateLimiter log = new RateLimiter();
        log.record(100, 1);
        log.record(100, 2);
        log.record(101, 1);
        assertEquals(2, log.size());
        assertEquals(4, log.used());
        assertEquals(3, log.costAt(0));
    }

    @Test
    void aClockThatStepsBackFilesTheHitUnderTheNewestEntry() {
        RateLimiter log = new RateLimiter();
        log.record(500, 1);
        log.record(400, 1);
        assertEquals(1, log.size());
        assertEquals(500, log.newest());
        assertEquals(2, log.used());
    }

    @Test
    void evictionDropsExactlyTheHitsOutsideTheWindow() {
        RateLimiter log = new RateLimiter();
        log.record(1000, 1);
        log.record(1500, 1);
        log.evict(1999, 1000);
        assertEquals(2, log.used());
        log.evict(2000, 1000);  // the hit at 1000 counted until 1999
        assertEquals(1, log.used());
        assertEquals(1, log.usedWithin(2400, 1000));
        assertEquals(0, log.usedWithin(2500, 1000));
        assertEquals(1, log.used(), "usedWithin changes nothing");
    }

    @Test
    void retryAfterIsTheTimeUntilEnoughCostLeaves() {
        RateLimiter log = new RateLimiter();
        log.record(1000, 2);
        log.record(1200, 1);
        long now = 1300;
        assertEquals(0, log.retryAfter(now, 1000, 5, 2, log.used()));
        assertEquals(1000 + 1000 - now, log.retryAfter(now, 1000, 3, 2, log.used()));
        assertEquals(1200 + 1000 - now, log.retryAfter(now, 1000, 3, 3, log.used()));
        assertEquals(-1, log.retryAfter(now, 1000, 3, 4, log.used()));
    }

    @Test
    void theRingGrowsAndShrinksWithTheLog() {
        RateLimiter log = new RateLimiter();
        long small = log.memoryUsage();
        for (int i = 0; i < 10_000; i++) {
            log.record(i, 1);
        }
        assertEquals(10_000, log.size());
        long big = log.memoryUsage();
        assertTrue(big > 160_000, "two long arrays of at least 10k entries: " + big);
        log.evict(10_099 + 1, 100);  // the newest hit (9_999) counted until 10_098
        assertEquals(0, log.size());
        for (int i = 0; i < 20; i++) {
            log.evict(20_000, 100);
        }
        assertEquals(small, log.memoryUsage());
        log.record(30_000, 1);
        assertEquals(30_000, log.newest());
    }

    @Test
    void aCopySharesNothing() {
        RateLimiter log = new RateLimiter();
        log.record(10, 1);
        RateLimiter copy = (RateLimiter) log.copy();
        assertNotSame(log, copy);
        copy.record(20, 5);
        assertEquals(1, log.used());
        assertEquals(6, copy.used());
        assertEquals("ratelimit", copy.typeName());
        assertEquals("slidinglog", copy.encoding());
    }
}
