package io.cinnabar.pubsub;

import static io.cinnabar.pubsub.PubSubServers.expect;
import static io.cinnabar.pubsub.PubSubServers.expectUnordered;
import static io.cinnabar.pubsub.PubSubServers.replies;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cinnabar.testkit.CommandInfoConformance;
import io.cinnabar.testkit.Differential;
import io.cinnabar.testkit.Resp;
import io.cinnabar.testkit.RespClient;
import io.cinnabar.testkit.ServerPair;
import io.cinnabar.testkit.ServerPairExtension;
import io.cinnabar.testkit.SpecCoverage;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * SUBSCRIBE and friends, PUBLISH, SPUBLISH and PUBSUB against the reference redis-server, byte for byte, in
 * RESP2 and RESP3. Channel names carry the test's name so tests sharing the servers never see each other.
 */
class PubSubFamilyTest {
    @RegisterExtension
    static final ServerPairExtension PAIR = new ServerPairExtension(PubSubServers::builder);

    private static ServerPair pair() {
        return PAIR.pair();
    }

    /** A subscriber connection pair and a publisher connection pair. */
    private record Clients(Differential sub, Differential pub) {
    }

    private static Clients clients() {
        return new Clients(pair().diff(), pair().diff());
    }

    @Test
    void subscribeRepliesOncePerChannelWithTheRunningCount() {
        Differential d = pair().diff();
        replies(d, 2, "SUBSCRIBE", "s1:a", "s1:b");
        replies(d, 1, "SUBSCRIBE", "s1:a");
        replies(d, 2, "PSUBSCRIBE", "s1:*", "s1:?");
        replies(d, 1, "SSUBSCRIBE", "s1:shard");
        replies(d, 1, "UNSUBSCRIBE", "s1:a");
        replies(d, 1, "UNSUBSCRIBE", "s1:never");
        replies(d, 1, "PUNSUBSCRIBE", "s1:?");
        replies(d, 1, "SUNSUBSCRIBE", "s1:shard");
        replies(d, 1, "SUNSUBSCRIBE");
        replies(d, 1, "UNSUBSCRIBE");
        replies(d, 1, "PUNSUBSCRIBE");
        replies(d, 1, "UNSUBSCRIBE");
        replies(d, 1, "PUNSUBSCRIBE");
        d.run("GET s1:k", "PING");
        d.assertSame();
    }

    @Test
    void subscribedResp2ClientMayOnlyRunSubscriptionCommandsPingQuitReset() {
        Differential d = pair().diff();
        replies(d, 1, "SUBSCRIBE", "s2:a");
        d.run("GET s2:k", "PUBLISH s2:a x", "CLIENT LIST", "HELLO 3", "MULTI", "PUBSUB NUMPAT", "PING", "PING hi");
        d.cmd("PING", "");
        replies(d, 1, "SSUBSCRIBE", "s2:s");
        replies(d, 1, "UNSUBSCRIBE", "s2:a");
        d.run("GET s2:k");
        replies(d, 1, "SUNSUBSCRIBE");
        d.run("GET s2:k", "PING");
        d.run("QUIT");
        d.assertSame();
    }

    @Test
    void resp3SubscriberRunsAnyCommandAndGetsPushFrames() {
        Differential d = pair().diff();
        d.resp3("GET", "s3:nokey");
        replies(d, 2, "SUBSCRIBE", "s3:a", "s3:b");
        replies(d, 1, "PSUBSCRIBE", "s3:*");
        d.run("GET s3:nokey", "PING", "PING hi", "SET s3:k v", "GET s3:k", "PUBSUB NUMSUB s3:a s3:zz",
                "PUBSUB CHANNELS s3:a", "PUBSUB SHARDNUMSUB s3:a", "PUBSUB SHARDCHANNELS s3:none", "PUBSUB HELP");
        // a message to itself comes after the PUBLISH reply, as Redis 7.2 orders pushes
        replies(d, 3, "PUBLISH", "s3:a", "hello");
        // without arguments Redis leaves channels in its dict's (random) order: one left keeps replies comparable
        replies(d, 1, "UNSUBSCRIBE", "s3:b");
        replies(d, 1, "UNSUBSCRIBE");
        replies(d, 1, "PUNSUBSCRIBE");
        replies(d, 1, "UNSUBSCRIBE");
        d.run("PING");
        d.assertSame();
    }

    @Test
    void publishDeliversToChannelAndPatternSubscribersAndCountsThem() {
        Clients c = clients();
        replies(c.sub(), 1, "SUBSCRIBE", "s4:news");
        replies(c.sub(), 3, "PSUBSCRIBE", "s4:n*", "s4:?ews", "s4:[mn]ews");
        c.pub().run("PUBLISH s4:news hello");
        expectUnordered(c.sub(), "message and three pmessages", 4);
        c.pub().run("PUBLISH s4:nothing x", "PUBLISH s4:other x");
        expect(c.sub(), "pmessage s4:n*", 1);
        c.pub().cmd("PUBLISH", "s4:news", "with space\r\nand crlf");
        expectUnordered(c.sub(), "binary-safe message", 4);
        c.sub().assertSame();
        c.pub().assertSame();
    }

    @Test
    void resp3SubscriberGetsMessagesAsPushes() {
        Clients c = clients();
        c.sub().resp3("GET", "s5:nokey");
        replies(c.sub(), 1, "SUBSCRIBE", "s5:ch");
        replies(c.sub(), 1, "PSUBSCRIBE", "s5:*");
        replies(c.sub(), 1, "SSUBSCRIBE", "s5:sh");
        c.pub().run("PUBLISH s5:ch m1", "SPUBLISH s5:sh m2", "SPUBLISH s5:ch m3");
        expect(c.sub(), "message, pmessage, smessage", 3);
        c.sub().run("GET s5:nokey");
        c.sub().assertSame();
        c.pub().assertSame();
    }

    @Test
    void shardedPubSubIsSeparateFromChannels() {
        Clients c = clients();
        replies(c.sub(), 2, "SSUBSCRIBE", "s6:a", "s6:b");
        replies(c.sub(), 1, "SUBSCRIBE", "s6:a");
        c.pub().run("SPUBLISH s6:a one", "PUBLISH s6:a two", "SPUBLISH s6:c three", "PUBSUB SHARDNUMSUB s6:a s6:b s6:c",
                "PUBSUB NUMSUB s6:a s6:b", "PUBSUB SHARDCHANNELS s6:a*", "PUBSUB SHARDCHANNELS s6:z*",
                "PUBSUB CHANNELS s6:*");
        expect(c.sub(), "smessage then message", 2);
        replies(c.sub(), 1, "SUNSUBSCRIBE", "s6:b");
        replies(c.sub(), 1, "SUNSUBSCRIBE");
        c.pub().run("PUBSUB SHARDNUMSUB s6:a", "PUBSUB SHARDNUMSUB");
        c.sub().assertSame();
        c.pub().assertSame();
    }

    @Test
    void pubsubIntrospectionAndItsErrors() {
        Clients c = clients();
        replies(c.sub(), 1, "SUBSCRIBE", "s7:x");
        replies(c.sub(), 2, "PSUBSCRIBE", "s7:p1", "s7:p2");
        c.pub().run("PUBSUB CHANNELS s7:*", "PUBSUB CHANNELS s7:[x]", "PUBSUB CHANNELS s7:y", "PUBSUB NUMSUB",
                "PUBSUB NUMSUB s7:x s7:y s7:x", "PUBSUB HELP", "PUBSUB CHANNELS a b", "PUBSUB SHARDCHANNELS a b",
                "PUBSUB NUMPAT x", "PUBSUB FOO", "PUBSUB", "PUBSUB help", "SUBSCRIBE", "PSUBSCRIBE", "SSUBSCRIBE",
                "PUBLISH s7:x", "SPUBLISH s7:x", "PUBLISH a b c");
        c.sub().assertSame();
        c.pub().assertSame();
        // NUMPAT counts every pattern of the whole server: compare ours with what this test subscribed
        assertEquals(":2\r\n", c.pub().candidate().call("PUBSUB", "NUMPAT"));
    }

    @Test
    void subscribeInsideMultiWorksButShardSubscribeIsRefused() {
        Differential d = pair().diff();
        d.run("MULTI", "SSUBSCRIBE s8:s", "SUBSCRIBE s8:a", "EXEC", "GET s8:k");
        replies(d, 1, "UNSUBSCRIBE");
        d.run("MULTI", "PUBLISH s8:a x", "PSUBSCRIBE s8:*", "EXEC");
        d.run("PING");
        d.assertSame();
    }

    @Test
    void resp3TransactionSubscribesInsideExecAndGetsItsOwnMessageAfterIt() {
        Differential d = pair().diff();
        d.resp3("GET", "s14:nokey");
        d.run("MULTI", "SUBSCRIBE s14:a", "PUBLISH s14:a x", "SSUBSCRIBE s14:s", "PING");
        replies(d, 2, "EXEC");
        replies(d, 1, "UNSUBSCRIBE");
        d.assertSame();
    }

    @Test
    void resetLeavesEverySubscriptionSilently() {
        Clients c = clients();
        replies(c.sub(), 1, "SUBSCRIBE", "s9:a");
        replies(c.sub(), 1, "PSUBSCRIBE", "s9:*");
        replies(c.sub(), 1, "SSUBSCRIBE", "s9:s");
        c.sub().run("RESET", "GET s9:k", "PING");
        c.pub().run("PUBLISH s9:a x", "SPUBLISH s9:s x", "PUBSUB NUMSUB s9:a", "PUBSUB SHARDNUMSUB s9:s");
        c.sub().assertSame();
        c.pub().assertSame();
    }

    @Test
    void disconnectedSubscriberIsForgotten() throws Exception {
        RespClient sub = pair().cinnabarClient();
        sub.send("SUBSCRIBE", "s10:a");
        sub.readReply();
        sub.send("SSUBSCRIBE", "s10:s");
        sub.readReply();
        RespClient pub = pair().cinnabarClient();
        assertEquals("*2\r\n$5\r\ns10:a\r\n:1\r\n", pub.call("PUBSUB", "NUMSUB", "s10:a"));
        sub.close();
        long deadline = System.currentTimeMillis() + 5000;
        while (!pub.call("PUBSUB", "NUMSUB", "s10:a").equals("*2\r\n$5\r\ns10:a\r\n:0\r\n")) {
            assertTrue(System.currentTimeMillis() < deadline, "subscription outlived its connection");
            Thread.onSpinWait();
        }
        assertEquals(":0\r\n", pub.call("PUBLISH", "s10:a", "x"));
        assertEquals(":0\r\n", pub.call("SPUBLISH", "s10:s", "x"));
    }

    @Test
    void clientListShowsSubscriptionCountsAndFlagP() {
        RespClient sub = pair().cinnabarClient();
        sub.send("SUBSCRIBE", "s11:a", "s11:b");
        sub.readReply();
        sub.readReply();
        sub.send("PSUBSCRIBE", "s11:*");
        sub.readReply();
        sub.send("SSUBSCRIBE", "s11:s");
        sub.readReply();
        String list = pair().cinnabarClient().call("CLIENT", "LIST", "TYPE", "PUBSUB");
        assertTrue(list.contains(" flags=P ") && list.contains(" sub=2 psub=1 ssub=1 "), list);
    }

    @Test
    void infoStatsCountsChannelsPatternsAndShardChannels() {
        RespClient sub = pair().cinnabarClient();
        RespClient admin = pair().cinnabarClient();
        String before = admin.call("INFO", "stats");
        int channels = field(before, "pubsub_channels");
        int patterns = field(before, "pubsub_patterns");
        int shard = field(before, "pubsubshard_channels");
        sub.send("SUBSCRIBE", "s12:a", "s12:b");
        sub.readReply();
        sub.readReply();
        sub.send("PSUBSCRIBE", "s12:*");
        sub.readReply();
        sub.send("SSUBSCRIBE", "s12:s");
        sub.readReply();
        String after = admin.call("INFO", "stats");
        assertEquals(channels + 2, field(after, "pubsub_channels"));
        assertEquals(patterns + 1, field(after, "pubsub_patterns"));
        assertEquals(shard + 1, field(after, "pubsubshard_channels"));
    }

    private static int field(String info, String name) {
        for (String line : info.split("\r\n")) {
            if (line.startsWith(name + ":")) {
                return Integer.parseInt(line.substring(name.length() + 1));
            }
        }
        throw new AssertionError(name + " missing from INFO: " + info);
    }

    @Test
    void patternsFollowRedisGlobRules() {
        Clients c = clients();
        replies(c.sub(), 5, "PSUBSCRIBE", "s13:h?llo", "s13:h[^e]llo", "s13:h[a-b]llo", "s13:h\\*llo", "s13:*");
        for (String ch : new String[] {"s13:hello", "s13:hallo", "s13:hbllo", "s13:h*llo", "s13:hllo", "s13:"}) {
            String got = c.pub().cmd("PUBLISH", ch, "m");
            expectUnordered(c.sub(), "pmessages for " + ch, Integer.parseInt(got.substring(1, got.length() - 2)));
        }
        c.sub().assertSame();
        c.pub().assertSame();
    }

    @Test
    void commandInfoMatchesRedis() {
        CommandInfoConformance.assertConforms(pair().cinnabar(),
                CommandInfoConformance.namesOf(new PubSubFamily(new PubSub())));
    }

    @Test
    void commandDocsMatchRedisWithoutArguments() {
        RespClient r = pair().redisClient();
        RespClient c = pair().cinnabarClient();
        for (String name : CommandInfoConformance.namesOf(new PubSubFamily(new PubSub()))) {
            assertEquals(CommandInfoConformance.docsWithoutArguments(Resp.parse(r.call("COMMAND", "DOCS", name))).toString(),
                    CommandInfoConformance.docsWithoutArguments(Resp.parse(c.call("COMMAND", "DOCS", name))).toString(),
                    name);
        }
    }

    @Test
    void everyCommandIsExercised() {
        SpecCoverage.assertCovered(SpecCoverage.commandWords(new PubSubFamily(new PubSub())),
                Path.of("src/test/java"));
    }

}
