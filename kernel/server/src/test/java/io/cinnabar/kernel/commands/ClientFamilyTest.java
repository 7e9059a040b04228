package io.cinnabar.kernel.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.cinnabar.api.AclCategory;
import io.cinnabar.api.CommandFamily;
import io.cinnabar.api.CommandFlag;
import io.cinnabar.api.CommandSpec;
import io.cinnabar.api.KeySpec;
import io.cinnabar.kernel.keyspace.Database;
import io.cinnabar.kernel.net.ClientConnection;
import io.cinnabar.testkit.Differential;
import io.cinnabar.testkit.ReferenceRedis;
import io.cinnabar.testkit.RespClient;
import io.cinnabar.testkit.TestServer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * CLIENT subcommands: replies compared with redis-server where they are deterministic, and the behaviour
 * (kill filters, pause, reply modes, no-touch, unblock) driven over sockets. A small test family supplies a
 * write command (TSET), a read (TGET), TOUCH and a blocking command (TBLOCK) so the kernel can be tested
 * without the data-type plugins.
 */
class ClientFamilyTest {
    private static TestServer server;
    private static ReferenceRedis redis;

    /**
     * TSET key value (write), TGET key (read), TPUBLISH (may_replicate, like PUBLISH or EVAL), TOUCH key,
     * TBLOCK (waits until CLIENT UNBLOCK).
     */
    static final class TestFamily implements CommandFamily {
        @Override
        public List<CommandSpec> commands() {
            return List.of(
                    CommandSpec.command("tset").arity(3).flags(CommandFlag.WRITE).acl(AclCategory.STRING)
                            .key(KeySpec.range(1, 0, 1, "RW")).handler((ctx, args, reply) -> {
                                ctx.db().set(args.get(1), args.get(2));
                                ctx.signalModifiedKey(args.get(1));
                                reply.ok();
                            }).build(),
                    CommandSpec.command("tget").arity(2).flags(CommandFlag.READONLY).acl(AclCategory.STRING)
                            .key(KeySpec.range(1, 0, 1, "RO")).handler((ctx, args, reply) -> {
                                byte[] v = ctx.db().getString(args.get(1));
                                if (v == null) {
                                    reply.nullBulk();
                                } else {
                                    reply.bulk(v);
                                }
                            }).build(),
                    CommandSpec.command("tpublish").arity(1).flags(CommandFlag.MAY_REPLICATE)
                            .handler((ctx, args, reply) -> reply.integer(0)).build(),
                    CommandSpec.command("touch").arity(-2).flags(CommandFlag.READONLY, CommandFlag.FAST)
                            .acl(AclCategory.KEYSPACE).key(KeySpec.range(1, -1, 1, "RO")).handler((ctx, args, reply) -> {
                                int n = 0;
                                for (int i = 1; i < args.size(); i++) {
                                    n += ctx.db().get(args.get(i)) != null ? 1 : 0;
                                }
                                reply.integer(n);
                            }).build(),
                    CommandSpec.command("tblock").arity(1).flags(CommandFlag.BLOCKING).handler((ctx, args, reply) -> {
                        ClientConnection c = Kernel.client(ctx);
                        c.suspend();
                        c.block(new ClientConnection.Blocked() {
                            @Override
                            public void timeout() {
                                finish(() -> c.reply().nullArray());
                            }

                            @Override
                            public void error(String line) {
                                finish(() -> c.reply().error(line));
                            }

                            private void finish(Runnable replyWriter) {
                                c.unblock();
                                replyWriter.run();
                                c.flush();
                                c.resume();
                            }
                        });
                    }).build());
        }
    }

    @BeforeAll
    static void start() {
        server = TestServer.builder().family(new TestFamily()).start();
        redis = ReferenceRedis.start();
    }

    @AfterAll
    static void stop() {
        server.close();
        if (redis != null) {
            redis.close();
        }
    }

    @AfterEach
    void unpause() throws Exception {
        onLoop(() -> {
            server.server().clients().pause().unpause();
            return null;
        });
    }

    private static Differential diff() {
        return new Differential(redis.client(), server.client());
    }

    /** Runs {@code task} on the server's execution thread and returns its result. */
    private static <T> T onLoop(Callable<T> task) throws Exception {
        CompletableFuture<T> f = new CompletableFuture<>();
        server.server().execute(() -> {
            try {
                f.complete(task.call());
            } catch (Exception e) {
                f.completeExceptionally(e);
            }
        });
        return f.get(10, TimeUnit.SECONDS);
    }

    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out waiting until " + what);
            }
            Thread.onSpinWait();
        }
    }

    private static boolean isHeld(long clientId) {
        return clientState(clientId, ClientConnection::isPostponed);
    }

    private static boolean isBlocked(long clientId) {
        return clientState(clientId, c -> c.blocked() != null);
    }

    /** A condition on a client, read on the execution thread (false when the client is gone). */
    private static boolean clientState(long clientId, java.util.function.Predicate<ClientConnection> p) {
        try {
            return onLoop(() -> {
                ClientConnection c = server.server().clients().get(clientId);
                return c != null && p.test(c);
            });
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static long id(RespClient c) {
        String r = c.call("CLIENT", "ID");
        return Long.parseLong(r.substring(1, r.length() - 2));
    }

    /** The text of a bulk or verbatim reply. */
    private static String text(String raw) {
        int nl = raw.indexOf("\r\n");
        String body = raw.substring(nl + 2, raw.length() - 2);
        return raw.startsWith("=") ? body.substring(4) : body;
    }

    /** CLIENT INFO fields by name, in order. */
    private static Map<String, String> fields(String infoLine) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String f : infoLine.trim().split(" ")) {
            int eq = f.indexOf('=');
            m.put(f.substring(0, eq), f.substring(eq + 1));
        }
        return m;
    }

    @Test
    void subcommandErrorsMatchRedis() {
        Differential d = diff();
        d.run("CLIENT", "CLIENT foo", "CLIENT id x", "CLIENT getname x", "CLIENT info x", "CLIENT unpause x",
                "CLIENT help x", "CLIENT list foo", "CLIENT list type foo", "CLIENT list type normal x",
                "CLIENT list id abc", "CLIENT list id", "CLIENT reply foo", "CLIENT reply", "CLIENT no-evict foo",
                "CLIENT no-touch foo", "CLIENT setinfo foo bar", "CLIENT setinfo lib-name", "CLIENT pause",
                "CLIENT pause 100 foo", "CLIENT pause abc", "CLIENT pause -1", "CLIENT pause abc foo",
                "CLIENT pause 10 write x", "CLIENT pause 9223372036854775807", "CLIENT unblock",
                "CLIENT unblock abc foo", "CLIENT unblock abc", "CLIENT unblock 1 timeout x",
                "CLIENT setname", "CLIENT kill");
        d.cmd("CLIENT", "SETNAME", "a b");
        d.cmd("CLIENT", "SETNAME", "caf\u00e9");
        d.cmd("CLIENT", "SETINFO", "LIB-NAME", "a b");
        d.cmd("CLIENT", "SETINFO", "LiB-VeR", "x\ny");
        d.assertSame();
    }

    @Test
    void killErrorsAndCountsMatchRedis() {
        Differential d = diff();
        d.run("CLIENT kill 1.2.3.4:5", "CLIENT kill id", "CLIENT kill id abc", "CLIENT kill id 0",
                "CLIENT kill id -5", "CLIENT kill type foo", "CLIENT kill user nobody", "CLIENT kill skipme maybe",
                "CLIENT kill maxage 10", "CLIENT kill id 1 foo", "CLIENT kill addr 1.2.3.4:5",
                "CLIENT kill laddr x", "CLIENT kill id 999999", "CLIENT kill type master",
                "CLIENT kill type replica", "CLIENT kill type slave", "CLIENT kill type pubsub",
                "CLIENT kill user default id 999999", "CLIENT kill type normal id 999999 skipme no");
        d.assertSame();
    }

    @Test
    void helpIsRedisHelp() {
        diff().run("CLIENT HELP", "client help").assertSame();
    }

    @Test
    void setnameGetnameAndSetinfoMatchRedis() {
        Differential d = diff();
        d.run("CLIENT GETNAME", "CLIENT SETNAME app-1", "CLIENT GETNAME", "CLIENT SETINFO lib-name redis-py",
                "CLIENT SETINFO lib-ver 5.0.1", "CLIENT SETINFO LIB-NAME x(y)");
        d.cmd("CLIENT", "SETNAME", "");
        d.run("CLIENT GETNAME", "CLIENT SETNAME x", "CLIENT GETNAME");
        d.assertSame();
    }

    @Test
    void infoHasRedisFieldsInRedisOrder() {
        try (RespClient want = redis.client(); RespClient got = server.client()) {
            for (String[] cmd : List.of(new String[] {"CLIENT", "SETNAME", "fields"},
                    new String[] {"CLIENT", "SETINFO", "lib-name", "mylib"},
                    new String[] {"CLIENT", "SETINFO", "lib-ver", "1.2"}, new String[] {"SELECT", "3"},
                    new String[] {"CLIENT", "NO-EVICT", "on"}, new String[] {"CLIENT", "NO-TOUCH", "on"})) {
                assertEquals(want.call(cmd), got.call(cmd));
            }
            Map<String, String> w = fields(text(want.call("CLIENT", "INFO")));
            Map<String, String> g = fields(text(got.call("CLIENT", "INFO")));
            assertEquals(new ArrayList<>(w.keySet()), new ArrayList<>(g.keySet()));
            for (String f : List.of("name", "age", "idle", "flags", "db", "sub", "psub", "ssub", "multi",
                    "argv-mem", "multi-mem", "obl", "oll", "omem", "events", "cmd", "user", "redir", "resp",
                    "lib-name", "lib-ver")) {
                assertEquals(w.get(f), g.get(f), f);
            }
            assertEquals(got.call("CLIENT", "ID"), ":" + g.get("id") + "\r\n");
            assertTrue(Long.parseLong(g.get("tot-mem")) > 0);
        }
    }

    @Test
    void listShowsQueuedTransactionsAndLastCommands() {
        try (RespClient want = redis.client(); RespClient got = server.client();
             RespClient wantObserver = redis.client(); RespClient gotObserver = server.client()) {
            String wantId = String.valueOf(id(want));
            String gotId = String.valueOf(id(got));
            String[][] script = {{"MULTI"}, {"ECHO", "abc"}, {"PING"}};
            for (String[] cmd : script) {
                assertEquals(want.call(cmd), got.call(cmd));
            }
            Map<String, String> w = fields(text(wantObserver.call("CLIENT", "LIST", "ID", wantId)));
            Map<String, String> g = fields(text(gotObserver.call("CLIENT", "LIST", "ID", gotId)));
            for (String f : List.of("flags", "multi", "multi-mem", "argv-mem", "cmd")) {
                assertEquals(w.get(f), g.get(f), f);
            }
        }
        try (RespClient want = redis.client(); RespClient got = server.client();
             RespClient wantObserver = redis.client(); RespClient gotObserver = server.client()) {
            String wantId = String.valueOf(id(want));
            String gotId = String.valueOf(id(got));
            for (String[] cmd : List.of(new String[] {"nosuchcommand"}, new String[] {"CLIENT", "nosuch"},
                    new String[] {"CLIENT"}, new String[] {"ECHO"})) {
                assertEquals(want.call(cmd), got.call(cmd));
                String w = fields(text(wantObserver.call("CLIENT", "LIST", "ID", wantId))).get("cmd");
                String g = fields(text(gotObserver.call("CLIENT", "LIST", "ID", gotId))).get("cmd");
                assertEquals(w, g, String.join(" ", cmd));
            }
        }
    }

    @Test
    void listFiltersByTypeAndIdLikeRedis() {
        Differential d = diff();
        d.run("CLIENT LIST TYPE pubsub", "CLIENT LIST TYPE master", "CLIENT LIST TYPE replica",
                "CLIENT LIST TYPE slave", "CLIENT LIST ID 999999", "CLIENT LIST ID 999999 888888");
        d.assertSame();
        try (RespClient c = server.client(); RespClient other = server.client()) {
            long me = id(c);
            long them = id(other);
            String all = text(c.call("CLIENT", "LIST"));
            assertTrue(all.contains("id=" + me + " ") && all.contains("id=" + them + " "), all);
            assertTrue(all.endsWith("\n"));
            String normal = text(c.call("CLIENT", "LIST", "TYPE", "normal"));
            assertTrue(normal.contains("id=" + me + " ") && normal.contains("id=" + them + " "), normal);
            String byId = text(c.call("CLIENT", "LIST", "ID", String.valueOf(them), "999999", String.valueOf(me)));
            String[] lines = byId.split("\n");
            assertEquals(2, lines.length, byId);
            assertTrue(lines[0].startsWith("id=" + them + " ") && lines[1].startsWith("id=" + me + " "), byId);
            assertTrue(lines[1].contains(" cmd=client|list "), byId);
        }
    }

    @Test
    void infoAndListAreVerbatimInResp3() {
        try (RespClient c = server.client()) {
            c.call("HELLO", "3");
            String info = c.call("CLIENT", "INFO");
            assertTrue(info.startsWith("=") && info.contains("\r\ntxt:id="), info);
            assertTrue(info.contains(" resp=3 "), info);
            assertTrue(c.call("CLIENT", "LIST").contains("\r\ntxt:id="));
        }
    }

    @Test
    void killByIdClosesOnlyThatClient() {
        try (RespClient killer = server.client(); RespClient victim = server.client();
             RespClient bystander = server.client()) {
            String victimId = String.valueOf(id(victim));
            assertEquals(":1\r\n", killer.call("CLIENT", "KILL", "ID", victimId));
            assertTrue(victim.isClosedByServer());
            assertEquals("+PONG\r\n", bystander.call("PING"));
            assertEquals(":0\r\n", killer.call("CLIENT", "KILL", "ID", victimId));
        }
    }

    @Test
    void killByAddressOldAndNewForm() {
        try (RespClient killer = server.client(); RespClient a = server.client(); RespClient b = server.client()) {
            String addrA = fields(text(a.call("CLIENT", "INFO"))).get("addr");
            String addrB = fields(text(b.call("CLIENT", "INFO"))).get("addr");
            assertEquals("+OK\r\n", killer.call("CLIENT", "KILL", addrA));
            assertTrue(a.isClosedByServer());
            assertEquals("-ERR No such client\r\n", killer.call("CLIENT", "KILL", addrA));
            assertEquals(":1\r\n", killer.call("CLIENT", "KILL", "ADDR", addrB));
            assertTrue(b.isClosedByServer());
            assertEquals("+PONG\r\n", killer.call("PING"));
        }
    }

    @Test
    void killByLocalAddressTypeAndUserHonoursSkipme() throws Exception {
        try (RespClient killer = server.client(); RespClient a = server.client()) {
            String laddr = fields(text(a.call("CLIENT", "INFO"))).get("laddr");
            assertEquals(":0\r\n", killer.call("CLIENT", "KILL", "LADDR", "10.0.0.1:1", "SKIPME", "no"));
            long before = onLoop(() -> (long) server.server().clients().size());
            String reply = killer.call("CLIENT", "KILL", "LADDR", laddr, "ID", String.valueOf(id(a)));
            assertEquals(":1\r\n", reply);
            assertTrue(a.isClosedByServer());
            assertEquals(before - 1, (long) onLoop(() -> (long) server.server().clients().size()));
        }
        try (RespClient killer = server.client(); RespClient a = server.client(); RespClient b = server.client()) {
            a.call("PING");
            b.call("PING");
            String count = killer.call("CLIENT", "KILL", "TYPE", "normal", "USER", "default");
            assertTrue(Long.parseLong(count.substring(1, count.length() - 2)) >= 2, count);
            assertTrue(a.isClosedByServer());
            assertTrue(b.isClosedByServer());
            assertEquals("+PONG\r\n", killer.call("PING"), "SKIPME defaults to yes");
        }
        try (RespClient self = server.client()) {
            assertEquals(":1\r\n", self.call("CLIENT", "KILL", "ID", String.valueOf(id(self)), "SKIPME", "no"));
            assertTrue(self.isClosedByServer());
        }
        try (RespClient self = server.client()) {
            String addr = fields(text(self.call("CLIENT", "INFO"))).get("addr");
            assertEquals("+OK\r\n", self.call("CLIENT", "KILL", addr), "the old form may kill the caller");
            assertTrue(self.isClosedByServer());
        }
    }

    @Test
    void pauseWriteHoldsWritesUntilUnpauseButServesReads() throws Exception {
        try (RespClient admin = server.client(); RespClient writer = server.client();
             RespClient reader = server.client()) {
            writer.call("TSET", "pw:k", "old");
            long writerId = id(writer);
            assertEquals("+OK\r\n", admin.call("CLIENT", "PAUSE", "100000", "WRITE"));
            writer.send("TSET", "pw:k", "new");
            await("the write is held", () -> isHeld(writerId));
            assertEquals("$3\r\nold\r\n", reader.call("TGET", "pw:k"));
            assertEquals("+PONG\r\n", reader.call("PING"));
            String list = text(reader.call("CLIENT", "LIST", "ID", String.valueOf(writerId)));
            assertTrue(list.contains(" flags=b ") && list.contains(" cmd=tset "), list);
            assertEquals("+OK\r\n", admin.call("CLIENT", "UNPAUSE"));
            assertEquals("+OK\r\n", writer.readReply());
            assertEquals("$3\r\nnew\r\n", reader.call("TGET", "pw:k"));
            admin.call("CLIENT", "PAUSE", "100000", "WRITE");
            writer.send("TPUBLISH");
            await("a may-replicate command is held too", () -> isHeld(writerId));
            admin.call("CLIENT", "UNPAUSE");
            assertEquals(":0\r\n", writer.readReply());
        }
    }

    @Test
    void pauseAllHoldsEveryCommandIncludingTheCaller() throws Exception {
        try (RespClient admin = server.client(); RespClient other = server.client()) {
            long adminId = id(admin);
            long otherId = id(other);
            assertEquals("+OK\r\n", admin.call("CLIENT", "PAUSE", "100000"));
            other.send("PING");
            admin.send("ECHO", "mine");
            await("both are held", () -> isHeld(otherId) && isHeld(adminId));
            onLoop(() -> {
                server.server().clients().pause().unpause();
                return null;
            });
            assertEquals("+PONG\r\n", other.readReply());
            assertEquals("$4\r\nmine\r\n", admin.readReply());
        }
    }

    @Test
    void pauseEndsByItselfAtItsTimeout() throws Exception {
        try (RespClient admin = server.client(); RespClient writer = server.client()) {
            assertEquals("+OK\r\n", admin.call("CLIENT", "PAUSE", "300", "WRITE"));
            writer.send("TSET", "pt:k", "v");
            writer.setTimeoutMillis(20_000);
            assertEquals("+OK\r\n", writer.readReply());
            assertFalse(onLoop(() -> server.server().clients().pause().isPaused()));
        }
    }

    @Test
    void heldClientsResumeInTheOrderTheyWereHeld() throws Exception {
        try (RespClient admin = server.client(); RespClient first = server.client();
             RespClient second = server.client()) {
            long firstId = id(first);
            long secondId = id(second);
            admin.call("CLIENT", "PAUSE", "100000", "WRITE");
            first.send("TSET", "order:k", "first");
            await("the first write is held", () -> isHeld(firstId));
            second.send("TSET", "order:k", "second");
            await("the second write is held", () -> isHeld(secondId));
            admin.call("CLIENT", "UNPAUSE");
            assertEquals("+OK\r\n", first.readReply());
            assertEquals("+OK\r\n", second.readReply());
            assertEquals("$6\r\nsecond\r\n", admin.call("TGET", "order:k"));
        }
    }

    @Test
    void pauseWriteHoldsQueuedWritesAndTheirExec() throws Exception {
        try (RespClient admin = server.client(); RespClient tx = server.client()) {
            long txId = id(tx);
            assertEquals("+OK\r\n", tx.call("MULTI"));
            admin.call("CLIENT", "PAUSE", "100000", "WRITE");
            assertEquals("+QUEUED\r\n", tx.call("TGET", "px:k"), "reads are queued at once");
            tx.send("TSET", "px:k", "v");
            await("the queued write is held", () -> isHeld(txId));
            admin.call("CLIENT", "UNPAUSE");
            assertEquals("+QUEUED\r\n", tx.readReply());
            admin.call("CLIENT", "PAUSE", "100000", "WRITE");
            tx.send("EXEC");
            await("an EXEC that writes is held", () -> isHeld(txId));
            admin.call("CLIENT", "UNPAUSE");
            assertEquals("*2\r\n$-1\r\n+OK\r\n", tx.readReply());
            tx.call("MULTI");
            tx.call("TGET", "px:k");
            admin.call("CLIENT", "PAUSE", "100000", "WRITE");
            assertEquals("*1\r\n$1\r\nv\r\n", tx.call("EXEC"), "a read-only EXEC runs during a write pause");
        }
    }

    @Test
    void pauseKeepsTheLongerDeadlineAndTheStricterMode() throws Exception {
        try (RespClient admin = server.client(); RespClient other = server.client()) {
            long otherId = id(other);
            admin.call("CLIENT", "PAUSE", "100000", "ALL");
            // the admin itself is held now, so change the pause from the loop as a second admin would
            onLoop(() -> {
                server.server().clients().pause().pause(server.server().now() + 10, false);
                return null;
            });
            assertTrue(onLoop(() -> server.server().clients().pause().pausesAll()));
            other.send("PING");
            await("a read is still held", () -> isHeld(otherId));
        }
    }

    @Test
    void writePauseStopsExpiry() throws Exception {
        try (RespClient admin = server.client(); RespClient reader = server.client()) {
            reader.call("TSET", "exp:k", "v");
            onLoop(() -> {
                server.server().db(0).setExpire("exp:k".getBytes(StandardCharsets.UTF_8), 1);
                return null;
            });
            admin.call("CLIENT", "PAUSE", "100000", "WRITE");
            assertEquals("$-1\r\n", reader.call("TGET", "exp:k"));
            Database db0 = server.server().db(0);
            byte[] key = "exp:k".getBytes(StandardCharsets.UTF_8);
            assertTrue(onLoop(() -> db0.containsIncludingExpired(key)), "kept while paused");
            admin.call("CLIENT", "UNPAUSE");
            assertEquals("$-1\r\n", reader.call("TGET", "exp:k"));
            assertFalse(onLoop(() -> db0.containsIncludingExpired(key)), "deleted once writes resume");
        }
    }

    @Test
    void replyOffAndSkipMatchRedis() {
        String[][] script = {{"CLIENT", "REPLY", "SKIP"}, {"CLIENT", "REPLY", "SKIP"}, {"PING"}, {"ECHO", "a"},
            {"CLIENT", "REPLY", "OFF"}, {"CLIENT", "REPLY", "SKIP"}, {"PING"}, {"CLIENT", "REPLY", "ON"},
            {"PING"}, {"CLIENT", "REPLY", "SKIP"}, {"CLIENT", "REPLY", "ON"}, {"PING"}, {"CLIENT", "REPLY", "SKIP"},
            {"CLIENT", "REPLY", "OFF"}, {"ECHO", "b"}, {"CLIENT", "REPLY", "ON"}, {"CLIENT", "REPLY", "SKIP"},
            {"CLIENT", "REPLY", "bad"}, {"ECHO", "c"}, {"CLIENT", "REPLY", "SKIP"}, {"RESET"}, {"ECHO", "d"}};
        try (RespClient want = redis.client(); RespClient got = server.client()) {
            for (String[] cmd : script) {
                want.send(cmd);
                got.send(cmd);
            }
            // a marker command after the script: everything before it that was answered comes first
            want.send("ECHO", "end");
            got.send("ECHO", "end");
            StringBuilder w = new StringBuilder();
            StringBuilder g = new StringBuilder();
            for (String r = want.readReply(); ; r = want.readReply()) {
                w.append(r);
                if (r.equals("$3\r\nend\r\n")) {
                    break;
                }
            }
            for (String r = got.readReply(); ; r = got.readReply()) {
                g.append(r);
                if (r.equals("$3\r\nend\r\n")) {
                    break;
                }
            }
            assertEquals(w.toString(), g.toString());
            assertEquals("$1\r\na\r\n+OK\r\n+PONG\r\n+OK\r\n+PONG\r\n+OK\r\n$1\r\nc\r\n$1\r\nd\r\n$3\r\nend\r\n",
                    g.toString());
        }
    }

    @Test
    void noTouchKeepsAccessTimeExceptForTouch() throws Exception {
        byte[] key = "nt:k".getBytes(StandardCharsets.UTF_8);
        Database db0 = server.server().db(0);
        try (RespClient c = server.client()) {
            c.call("TSET", "nt:k", "v");
            onLoop(() -> {
                db0.setAccessMeta(key, 12345);
                return null;
            });
            assertEquals("+OK\r\n", c.call("CLIENT", "NO-TOUCH", "on"));
            assertEquals("$1\r\nv\r\n", c.call("TGET", "nt:k"));
            assertEquals(12345, (int) onLoop(() -> db0.accessMeta(key)), "a read keeps the stamp");
            assertEquals(":1\r\n", c.call("TOUCH", "nt:k"));
            assertNotEquals(12345, (int) onLoop(() -> db0.accessMeta(key)), "TOUCH still touches");
            onLoop(() -> {
                db0.setAccessMeta(key, 12345);
                return null;
            });
            assertEquals("+OK\r\n", c.call("CLIENT", "NO-TOUCH", "off"));
            c.call("TGET", "nt:k");
            assertNotEquals(12345, (int) onLoop(() -> db0.accessMeta(key)), "reads touch again");
        }
    }

    @Test
    void noEvictAndNoTouchShowInFlags() {
        try (RespClient c = server.client()) {
            c.call("CLIENT", "NO-EVICT", "ON");
            assertEquals("e", fields(text(c.call("CLIENT", "INFO"))).get("flags"));
            c.call("CLIENT", "NO-TOUCH", "ON");
            assertEquals("eT", fields(text(c.call("CLIENT", "INFO"))).get("flags"));
            c.call("CLIENT", "NO-EVICT", "off");
            c.call("CLIENT", "NO-TOUCH", "off");
            c.call("MULTI");
            c.call("PING");
            c.call("EXEC");
            assertEquals("N", fields(text(c.call("CLIENT", "INFO"))).get("flags"));
        }
    }

    @Test
    void unblockEndsABlockedCommandAsTimeoutOrError() throws Exception {
        try (RespClient admin = server.client(); RespClient blocked = server.client()) {
            long blockedId = id(blocked);
            assertEquals(":0\r\n", admin.call("CLIENT", "UNBLOCK", String.valueOf(blockedId)), "not blocked");
            assertEquals(":0\r\n", admin.call("CLIENT", "UNBLOCK", "999999"), "no such client");
            blocked.send("TBLOCK");
            await("the client is blocked", () -> isBlocked(blockedId));
            String list = text(admin.call("CLIENT", "LIST", "ID", String.valueOf(blockedId)));
            assertTrue(list.contains(" flags=b "), list);
            assertEquals(":1\r\n", admin.call("CLIENT", "UNBLOCK", String.valueOf(blockedId)));
            assertEquals("*-1\r\n", blocked.readReply());
            blocked.send("TBLOCK");
            await("the client is blocked again", () -> isBlocked(blockedId));
            assertEquals(":1\r\n", admin.call("CLIENT", "UNBLOCK", String.valueOf(blockedId), "ERROR"));
            assertEquals("-UNBLOCKED client unblocked via CLIENT UNBLOCK\r\n", blocked.readReply());
            assertEquals("+PONG\r\n", blocked.call("PING"));
        }
    }

    @Test
    void unblockLeavesClientsHeldByPauseAlone() throws Exception {
        try (RespClient admin = server.client(); RespClient writer = server.client()) {
            long writerId = id(writer);
            admin.call("CLIENT", "PAUSE", "100000", "WRITE");
            writer.send("TSET", "ub:k", "v");
            await("the write is held", () -> isHeld(writerId));
            assertEquals(":0\r\n", admin.call("CLIENT", "UNBLOCK", String.valueOf(writerId)));
            assertTrue(isHeld(writerId), "still held by the pause");
            admin.call("CLIENT", "UNPAUSE");
            assertEquals("+OK\r\n", writer.readReply());
        }
    }
}
