package io.cinnabar.kernel.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cinnabar.api.Args;
import io.cinnabar.api.BlockingTimeout;
import io.cinnabar.api.CommandContext;
import io.cinnabar.api.CommandFamily;
import io.cinnabar.api.CommandFlag;
import io.cinnabar.api.CommandSpec;
import io.cinnabar.api.KeySpec;
import io.cinnabar.api.RedisValue;
import io.cinnabar.api.Reply;
import io.cinnabar.testkit.RespClient;
import io.cinnabar.testkit.TestServer;
import java.util.ArrayDeque;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The kernel's blocking machinery (CommandContext.block) with a test family shaped like BLPOP: clients
 * wait in arrival order, are served by a later write, time out with the command's reply, can be ended by
 * CLIENT UNBLOCK, never block inside MULTI, and keep their pipelined commands waiting meanwhile.
 */
class BlockingRegistryTest {
    private static TestServer server;

    /** A tiny list value for the test commands. */
    static final class TestList implements RedisValue {
        final ArrayDeque<byte[]> items = new ArrayDeque<>();

        @Override
        public String typeName() {
            return "list";
        }

        @Override
        public String encoding() {
            return "listpack";
        }

        @Override
        public long memoryUsage() {
            return 16;
        }

        @Override
        public RedisValue copy() {
            TestList t = new TestList();
            t.items.addAll(items);
            return t;
        }
    }

    /** TPUSH key value (like RPUSH) and TBPOP key [key ...] timeout (like BLPOP). */
    static final class BlockingFamily implements CommandFamily {
        @Override
        public List<CommandSpec> commands() {
            return List.of(
                    CommandSpec.command("tpush").arity(3).flags(CommandFlag.WRITE)
                            .key(KeySpec.range(1, 0, 1, "RW", "INSERT")).handler(BlockingFamily::push).build(),
                    CommandSpec.command("tbpop").arity(-3).flags(CommandFlag.WRITE, CommandFlag.BLOCKING)
                            .key(KeySpec.range(1, -2, 1, "RW", "ACCESS", "DELETE")).handler(BlockingFamily::pop)
                            .build());
        }

        static void push(CommandContext ctx, Args args, Reply reply) {
            TestList l = ctx.db().get(args.get(1), TestList.class);
            if (l == null) {
                l = new TestList();
                ctx.db().add(args.get(1), l);
            }
            l.items.add(args.get(2));
            ctx.signalModifiedKey(args.get(1));
            reply.integer(l.items.size());
        }

        static void pop(CommandContext ctx, Args args, Reply reply) {
            long timeout = BlockingTimeout.seconds(args.get(args.size() - 1));
            byte[][] keys = new byte[args.size() - 2][];
            for (int i = 1; i < args.size() - 1; i++) {
                keys[i - 1] = args.get(i);
                TestList l = ctx.db().get(args.get(i), TestList.class);
                if (l != null && !l.items.isEmpty()) {
                    byte[] v = l.items.poll();
                    if (l.items.isEmpty()) {
                        ctx.db().delete(args.get(i));
                    }
                    ctx.signalModifiedKey(args.get(i));
                    reply.array(2);
                    reply.bulk(args.get(i));
                    reply.bulk(v);
                    return;
                }
            }
            ctx.block(keys, timeout, TestList.class, Reply::nullArray);
        }
    }

    @BeforeAll
    static void start() {
        server = TestServer.builder().family(new BlockingFamily()).start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static void await(String what, BooleanSupplier cond) {
        long deadline = System.currentTimeMillis() + 10_000;
        while (!cond.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.onSpinWait();
        }
    }

    private static int blockedClients(RespClient admin) {
        String info = admin.call("INFO", "clients");
        int i = info.indexOf("blocked_clients:");
        return Integer.parseInt(info.substring(i + 16, info.indexOf('\r', i)));
    }

    @Test
    void aPushServesTheClientsBlockedOnTheKeyInArrivalOrder() {
        try (RespClient admin = server.client(); RespClient first = server.client();
             RespClient second = server.client(); RespClient writer = server.client()) {
            first.send("TBPOP", "q1", "0");
            await("first blocked", () -> blockedClients(admin) == 1);
            second.send("TBPOP", "other", "q1", "0");
            await("second blocked", () -> blockedClients(admin) == 2);
            assertEquals(":1\r\n", writer.call("TPUSH", "q1", "a"));
            assertEquals("*2\r\n$2\r\nq1\r\n$1\r\na\r\n", first.readReply());
            await("second still blocked", () -> blockedClients(admin) == 1);
            assertEquals(":1\r\n", writer.call("TPUSH", "q1", "b"));
            assertEquals("*2\r\n$2\r\nq1\r\n$1\r\nb\r\n", second.readReply());
            assertEquals(0, blockedClients(admin));
        }
    }

    @Test
    void aBlockedClientTimesOutWithTheCommandsTimeoutReply() {
        try (RespClient c = server.client()) {
            long start = System.nanoTime();
            assertEquals("*-1\r\n", c.call("TBPOP", "nothing", "0.05"));
            assertTrue(System.nanoTime() - start >= 50_000_000L, "answered before the timeout");
            c.call("HELLO", "3");
            assertEquals("_\r\n", c.call("TBPOP", "nothing", "0.01"));
        }
    }

    @Test
    void pipelinedCommandsWaitBehindABlockedOne() {
        try (RespClient c = server.client(); RespClient admin = server.client()) {
            c.writeRaw(new String(RespClient.encode("TBPOP".getBytes(), "pq".getBytes(), "0".getBytes()))
                    + "*1\r\n$4\r\nPING\r\n");
            await("blocked", () -> blockedClients(admin) == 1);
            admin.call("TPUSH", "pq", "x");
            assertEquals("*2\r\n$2\r\npq\r\n$1\r\nx\r\n", c.readReply());
            assertEquals("+PONG\r\n", c.readReply());
        }
    }

    @Test
    void clientUnblockEndsTheWaitAsTimeoutOrError() {
        try (RespClient c = server.client(); RespClient admin = server.client()) {
            String id = c.call("CLIENT", "ID").substring(1).trim();
            c.send("TBPOP", "uq", "0");
            await("blocked", () -> blockedClients(admin) == 1);
            assertEquals(":1\r\n", admin.call("CLIENT", "UNBLOCK", id));
            assertEquals("*-1\r\n", c.readReply());
            c.send("TBPOP", "uq", "0");
            await("blocked again", () -> blockedClients(admin) == 1);
            assertEquals(":1\r\n", admin.call("CLIENT", "UNBLOCK", id, "ERROR"));
            assertEquals("-UNBLOCKED client unblocked via CLIENT UNBLOCK\r\n", c.readReply());
            assertEquals(0, blockedClients(admin));
        }
    }

    @Test
    void insideMultiABlockingCommandAnswersAtOnce() {
        try (RespClient c = server.client()) {
            c.call("MULTI");
            assertEquals("+QUEUED\r\n", c.call("TBPOP", "mq", "0"));
            assertEquals("*1\r\n*-1\r\n", c.call("EXEC"));
        }
    }

    @Test
    void onlyAWriteToTheKeyWakesTheClient() {
        try (RespClient c = server.client(); RespClient admin = server.client()) {
            c.send("TBPOP", "tq", "0");
            await("blocked", () -> blockedClients(admin) == 1);
            admin.call("DEBUG", "SLEEP", "0"); // any command runs the ready-key pass
            assertEquals(1, blockedClients(admin));
            admin.call("TPUSH", "tq", "v");
            assertEquals("*2\r\n$2\r\ntq\r\n$1\r\nv\r\n", c.readReply());
        }
    }

    @Test
    void aDisconnectedBlockedClientIsForgotten() {
        try (RespClient admin = server.client()) {
            RespClient c = server.client();
            c.send("TBPOP", "dq", "0");
            await("blocked", () -> blockedClients(admin) == 1);
            c.close();
            await("forgotten", () -> blockedClients(admin) == 0);
            assertEquals(":1\r\n", admin.call("TPUSH", "dq", "v"));
            admin.call("DEL", "dq");
        }
    }

    @Test
    void negativeAndMalformedTimeoutsAreRejected() {
        try (RespClient c = server.client()) {
            assertEquals("-ERR timeout is negative\r\n", c.call("TBPOP", "k", "-1"));
            assertEquals("-ERR timeout is not a float or out of range\r\n", c.call("TBPOP", "k", "abc"));
            assertEquals("-ERR timeout is out of range\r\n", c.call("TBPOP", "k", "1e300"));
        }
    }
}
