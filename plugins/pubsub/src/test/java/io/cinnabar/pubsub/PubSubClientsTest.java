package io.cinnabar.pubsub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cinnabar.testkit.RespClient;
import io.cinnabar.testkit.TestServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TrackingArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.support.caching.CacheAccessor;
import io.lettuce.core.support.caching.CacheFrontend;
import io.lettuce.core.support.caching.ClientSideCaching;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;

/** Real client libraries: Jedis (RESP2) and Lettuce (RESP3) subscribers, Lettuce's client-side caching. */
class PubSubClientsTest {
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = PubSubServers.builder().start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void jedisSubscriberReceivesChannelAndPatternMessages() throws Exception {
        BlockingQueue<String> got = new LinkedBlockingQueue<>();
        CountDownLatch subscribed = new CountDownLatch(2);
        JedisPubSub listener = new JedisPubSub() {
            @Override
            public void onPSubscribe(String pattern, int count) {
                subscribed.countDown();
                subscribe("j:news");
            }

            @Override
            public void onSubscribe(String channel, int count) {
                subscribed.countDown();
            }

            @Override
            public void onMessage(String channel, String message) {
                got.add("message " + channel + " " + message);
            }

            @Override
            public void onPMessage(String pattern, String channel, String message) {
                got.add("pmessage " + pattern + " " + channel + " " + message);
                if (message.equals("bye")) {
                    punsubscribe();
                    unsubscribe();
                }
            }
        };
        Thread t = new Thread(() -> {
            try (Jedis sub = new Jedis("127.0.0.1", server.port())) {
                sub.psubscribe(listener, "j:*");
            }
        });
        t.start();
        assertTrue(subscribed.await(10, TimeUnit.SECONDS), "Jedis did not subscribe");
        try (Jedis pub = new Jedis("127.0.0.1", server.port())) {
            assertEquals(2, pub.publish("j:news", "hello"));
            assertEquals(1, pub.publish("j:other", "bye"));
        }
        assertEquals("message j:news hello", got.poll(10, TimeUnit.SECONDS));
        assertEquals("pmessage j:* j:news hello", got.poll(10, TimeUnit.SECONDS));
        assertEquals("pmessage j:* j:other bye", got.poll(10, TimeUnit.SECONDS));
        t.join(10_000);
        assertTrue(!t.isAlive(), "Jedis subscriber did not leave");
    }

    @Test
    void lettuceResp3SubscriberGetsPushMessagesAndKeepsRunningCommands() throws Exception {
        RedisClient client = RedisClient.create(RedisURI.create("redis://127.0.0.1:" + server.port()));
        try (StatefulRedisPubSubConnection<String, String> conn = client.connectPubSub()) {
            BlockingQueue<String> got = new LinkedBlockingQueue<>();
            conn.addListener(new RedisPubSubAdapter<>() {
                @Override
                public void message(String channel, String message) {
                    got.add("message " + channel + " " + message);
                }

                @Override
                public void message(String pattern, String channel, String message) {
                    got.add("pmessage " + pattern + " " + channel + " " + message);
                }

                @Override
                public void smessage(String channel, String message) {
                    got.add("smessage " + channel + " " + message);
                }
            });
            conn.sync().subscribe("l:a");
            conn.sync().psubscribe("l:p*");
            conn.sync().ssubscribe("l:s");
            // RESP3: a subscriber may run any command
            assertEquals("PONG", conn.sync().ping());
            assertEquals(List.of("l:a"), conn.sync().pubsubChannels("l:*"));
            try (RespClient pub = server.client()) {
                assertEquals(":1\r\n", pub.call("PUBLISH", "l:a", "one"));
                assertEquals(":1\r\n", pub.call("PUBLISH", "l:p1", "two"));
                assertEquals(":1\r\n", pub.call("SPUBLISH", "l:s", "three"));
            }
            assertEquals("message l:a one", got.poll(10, TimeUnit.SECONDS));
            assertEquals("pmessage l:p* l:p1 two", got.poll(10, TimeUnit.SECONDS));
            assertEquals("smessage l:s three", got.poll(10, TimeUnit.SECONDS));
        } finally {
            client.shutdown();
        }
    }

    @Test
    void lettuceClientSideCachingDropsAValueAnotherClientChanged() throws Exception {
        RedisClient client = RedisClient.create(RedisURI.create("redis://127.0.0.1:" + server.port()));
        try (StatefulRedisConnection<String, String> conn = client.connect();
             RespClient writer = server.client()) {
            Map<String, String> local = new ConcurrentHashMap<>();
            CacheFrontend<String, String> cache = ClientSideCaching.enable(CacheAccessor.forMap(local), conn,
                    TrackingArgs.Builder.enabled());
            writer.call("SET", "csc:k", "one");
            assertEquals("one", cache.get("csc:k"));
            assertEquals("one", local.get("csc:k"));
            writer.call("SET", "csc:k", "two");
            long deadline = System.currentTimeMillis() + 10_000;
            while (local.containsKey("csc:k")) {
                assertTrue(System.currentTimeMillis() < deadline, "the invalidation never reached Lettuce");
                Thread.onSpinWait();
            }
            assertEquals("two", cache.get("csc:k"));
            cache.close();
        } finally {
            client.shutdown();
        }
    }
}
