package io.cinnabar.kernel.commands;

import static io.cinnabar.api.CommandFlag.BLOCKING;
import static io.cinnabar.api.CommandFlag.DENYOOM;
import static io.cinnabar.api.CommandFlag.FAST;
import static io.cinnabar.api.CommandFlag.LOADING;
import static io.cinnabar.api.CommandFlag.NOSCRIPT;
import static io.cinnabar.api.CommandFlag.NO_MANDATORY_KEYS;
import static io.cinnabar.api.CommandFlag.PUBSUB;
import static io.cinnabar.api.CommandFlag.READONLY;
import static io.cinnabar.api.CommandFlag.SKIP_MONITOR;
import static io.cinnabar.api.CommandFlag.STALE;
import static io.cinnabar.api.CommandFlag.WRITE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cinnabar.api.AclCategory;
import io.cinnabar.api.Args;
import io.cinnabar.api.CommandFamily;
import io.cinnabar.api.CommandSpec;
import io.cinnabar.api.Glob;
import io.cinnabar.api.KeySpec;
import io.cinnabar.kernel.command.KeyExtractor;
import io.cinnabar.testkit.CommandInfoConformance;
import io.cinnabar.testkit.Differential;
import io.cinnabar.testkit.Loop;
import io.cinnabar.testkit.ReferenceRedis;
import io.cinnabar.testkit.Resp;
import io.cinnabar.testkit.RespClient;
import io.cinnabar.testkit.TestServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class CommandDocsFamilyTest {
    private static ReferenceRedis redis;
    private static TestServer server;

    /**
     * Specs of real Redis commands with every key-spec shape (copied from Redis 7.2's COMMAND INFO), registered
     * with handlers that are never called: COMMAND GETKEYS and COMMAND INFO only read specs.
     */
    static final class KeyShapes implements CommandFamily {
        private static CommandSpec.Builder cmd(String name, int arity) {
            return CommandSpec.command(name).arity(arity).handler((ctx, args, reply) -> reply.ok());
        }

        @Override
        public List<CommandSpec> commands() {
            return List.of(
                    cmd("mset", -3).flags(WRITE, DENYOOM).acl(AclCategory.STRING)
                            .tips("request_policy:multi_shard", "response_policy:all_succeeded")
                            .key(KeySpec.range(1, -1, 2, "OW", "update")).build(),
                    cmd("mget", -2).flags(READONLY, FAST).acl(AclCategory.STRING).tips("request_policy:multi_shard")
                            .key(KeySpec.range(1, -1, 1, "RO", "access")).build(),
                    cmd("lcs", -3).flags(READONLY).acl(AclCategory.STRING).key(KeySpec.range(1, 1, 1, "RO", "access"))
                            .build(),
                    cmd("zunionstore", -4).flags(WRITE, DENYOOM).acl(AclCategory.SORTEDSET)
                            .key(KeySpec.range(1, 0, 1, "OW", "update"))
                            .key(KeySpec.keynum(2, 0, 1, 1, "RO", "access")).build(),
                    cmd("xread", -4).flags(READONLY, BLOCKING).acl(AclCategory.STREAM)
                            .key(new KeySpec(List.of("RO", "access"), 0, "STREAMS", 1, -1, 1, 2, -1, 0)).build(),
                    cmd("georadius", -6).flags(WRITE, DENYOOM).acl(AclCategory.GEO)
                            .key(KeySpec.range(1, 0, 1, "RO", "access"))
                            .key(KeySpec.keyword("STORE", 6, 0, 1, "OW", "update"))
                            .key(KeySpec.keyword("STOREDIST", 6, 0, 1, "OW", "update")).build(),
                    cmd("blpop", -3).flags(WRITE, BLOCKING).acl(AclCategory.LIST)
                            .key(KeySpec.range(1, -2, 1, "RW", "access", "delete")).build(),
                    cmd("lmove", 5).flags(WRITE, DENYOOM).acl(AclCategory.LIST)
                            .key(KeySpec.range(1, 0, 1, "RW", "access", "delete"))
                            .key(KeySpec.range(2, 0, 1, "RW", "insert")).build(),
                    cmd("eval", -3).flags(NOSCRIPT, STALE, SKIP_MONITOR, NO_MANDATORY_KEYS)
                            .acl(AclCategory.SCRIPTING).key(KeySpec.keynum(2, 0, 1, 1, "RW", "access", "update"))
                            .keyFinder(CommandDocsFamilyTest::evalKeys).build(),
                    cmd("spublish", 3).flags(PUBSUB, LOADING, STALE, FAST)
                            .key(KeySpec.range(1, 0, 1, "not_key")).build(),
                    cmd("sort", -2).flags(WRITE, DENYOOM)
                            .acl(AclCategory.SET, AclCategory.SORTEDSET, AclCategory.LIST, AclCategory.DANGEROUS)
                            .key(KeySpec.range(1, 0, 1, "RO", "access")).key(KeySpec.unknown("RO", "access"))
                            .key(KeySpec.unknown("OW", "update")).keyFinder(CommandDocsFamilyTest::sortKeys).build(),
                    cmd("set", -3).flags(WRITE, DENYOOM).acl(AclCategory.STRING)
                            .key(KeySpec.range(1, 0, 1, "RW", "access", "update", "variable_flags"))
                            .keyFinder(CommandDocsFamilyTest::setKeys).build());
        }
    }

    /** SET's key flags depend on GET, as Redis's setGetKeys. */
    private static void setKeys(Args args, io.cinnabar.api.KeyFinder.Sink out) {
        for (int i = 3; i < args.size(); i++) {
            if (args.is(i, "get")) {
                out.key(1, List.of("RW", "access", "update"));
                return;
            }
        }
        out.key(1, List.of("OW", "update"));
    }

    /** SORT's key and its STORE destination, skipping option arguments as Redis's sortGetKeys. */
    private static void sortKeys(Args args, io.cinnabar.api.KeyFinder.Sink out) {
        out.key(1, List.of("RO", "access"));
        int store = -1;
        for (int i = 2; i < args.size(); i++) {
            if (args.is(i, "limit")) {
                i += 2;
            } else if (args.is(i, "get") || args.is(i, "by")) {
                i += 1;
            } else if (args.is(i, "store") && i + 1 < args.size()) {
                store = ++i;
            }
        }
        if (store > 0) {
            out.key(store, List.of("OW", "update"));
        }
    }

    /** EVAL's numkeys keys when the count is valid, as Redis's evalGetKeys. */
    private static void evalKeys(Args args, io.cinnabar.api.KeyFinder.Sink out) {
        long n;
        try {
            n = args.longAt(2);
        } catch (io.cinnabar.api.CommandException e) {
            return;
        }
        if (n <= 0 || n > args.size() - 3) {
            return;
        }
        for (int i = 3; i < 3 + n; i++) {
            out.key(i, List.of("RW", "access", "update"));
        }
    }

    @BeforeAll
    static void start() {
        redis = ReferenceRedis.start();
        server = TestServer.builder().family(new KeyShapes()).pluginId("shapes").start();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void commandInfoOfOurSpecsMatchesRedis() {
        List<String> names = new ArrayList<>(CommandInfoConformance.namesOf(new KeyShapes()));
        for (String n : CommandInfoConformance.namesOf(server)) {
            if (n.startsWith("command") || n.startsWith("info") || n.startsWith("time") || n.startsWith("module")
                    || n.startsWith("memory") || n.startsWith("shutdown")) {
                names.add(n);
            }
        }
        CommandInfoConformance.assertConforms(server, names);
    }

    @Test
    void getkeysMatchesRedisForEveryKeySpecShape() {
        try (RespClient r = redis.client(); RespClient c = server.client()) {
            Differential d = new Differential(r, c);
            d.run("COMMAND GETKEYS mset a 1 b 2", "COMMAND GETKEYS mset a 1 b", "COMMAND GETKEYS mget a b c",
                    "COMMAND GETKEYS lcs a b", "COMMAND GETKEYS lcs a b LEN",
                    "COMMAND GETKEYS zunionstore d 2 a b", "COMMAND GETKEYS zunionstore d 2 a b WEIGHTS 1 2",
                    "COMMAND GETKEYS zunionstore d 3 a b", "COMMAND GETKEYS zunionstore d -1 a b",
                    "COMMAND GETKEYS zunionstore d x a b", "COMMAND GETKEYS zunionstore d 0 a",
                    "COMMAND GETKEYS xread STREAMS a b 1 2", "COMMAND GETKEYS xread COUNT 2 STREAMS a b c 1 2 3",
                    "COMMAND GETKEYS xread STREAMS a b 1", "COMMAND GETKEYS xread COUNT 2 BLOCK 0",
                    "COMMAND GETKEYS georadius g 1 2 3 km", "COMMAND GETKEYS georadius g 1 2 3 km STORE s",
                    "COMMAND GETKEYS georadius g 1 2 3 km STOREDIST s2 STORE s",
                    "COMMAND GETKEYS blpop a b c 0", "COMMAND GETKEYS lmove a b LEFT RIGHT",
                    "COMMAND GETKEYS eval s 2 a b x", "COMMAND GETKEYS eval s 0", "COMMAND GETKEYS eval s 5 a",
                    "COMMAND GETKEYS spublish ch msg", "COMMAND GETKEYS migrate h 1 k 0 5000",
                    "COMMAND GETKEYS migrate h 1  0 5000 KEYS a b", "COMMAND GETKEYS sort a",
                    "COMMAND GETKEYS sort a LIMIT 0 1 GET # STORE d", "COMMAND GETKEYS set a b",
                    "COMMAND GETKEYS set a b GET", "COMMAND GETKEYS MSET A 1",
                    "COMMAND GETKEYSANDFLAGS mset a 1 b 2", "COMMAND GETKEYSANDFLAGS lmove a b LEFT RIGHT",
                    "COMMAND GETKEYSANDFLAGS set a b", "COMMAND GETKEYSANDFLAGS set a b GET",
                    "COMMAND GETKEYSANDFLAGS sort a STORE d", "COMMAND GETKEYSANDFLAGS migrate h 1  0 5000 KEYS a b",
                    "COMMAND GETKEYSANDFLAGS memory usage k", "COMMAND GETKEYS memory usage k SAMPLES 5");
            d.assertSame();
        }
    }

    @Test
    void getkeysErrorsMatchRedis() {
        try (RespClient r = redis.client(); RespClient c = server.client()) {
            Differential d = new Differential(r, c);
            d.run("COMMAND GETKEYS", "COMMAND GETKEYS nosuchcommand a", "COMMAND GETKEYS time",
                    "COMMAND GETKEYS mget", "COMMAND GETKEYS lmove a b", "COMMAND GETKEYS spublish a b",
                    "COMMAND GETKEYS memory", "COMMAND GETKEYS memory nosuch k", "COMMAND GETKEYS memory usage",
                    "COMMAND GETKEYSANDFLAGS", "COMMAND GETKEYSANDFLAGS info", "COMMAND GETKEYS command info get");
            d.assertSame();
        }
    }

    @Test
    void commandInfoRepliesMatchRedisByteForByte() {
        try (RespClient r = redis.client(); RespClient c = server.client()) {
            Differential d = new Differential(r, c);
            d.run("COMMAND INFO mset", "COMMAND INFO MGET zunionstore nosuch xread", "COMMAND INFO nosuch",
                    "COMMAND INFO memory|usage", "COMMAND INFO MEMORY|USAGE", "COMMAND INFO memory|", "COMMAND INFO |x",
                    "COMMAND INFO get|x", "COMMAND INFO memory|usage|x", "COMMAND INFO blpop lmove spublish",
                    "COMMAND INFO migrate georadius", "COMMAND INFO time info shutdown");
            d.assertSame();
        }
    }

    @Test
    void commandInfoShapesInResp3MatchRedis() {
        try (RespClient r = redis.client(); RespClient c = server.client()) {
            r.call("HELLO", "3");
            c.call("PING");
            Loop.useResp3(server);
            Differential d = new Differential(r, c);
            d.run("COMMAND INFO mset zunionstore nosuch", "COMMAND INFO xread georadius", "COMMAND INFO time",
                    "COMMAND DOCS time command|count memory|stats nosuch", "COMMAND DOCS module|list",
                    "COMMAND LIST FILTERBY PATTERN memory|stat*");
            d.assertSame();
        }
    }

    @Test
    void commandCountIsTheTableSize() {
        try (RespClient c = server.client()) {
            long count = (Long) Resp.parse(c.call("COMMAND", "COUNT"));
            assertEquals(server.server().commands().size(), count);
            assertEquals(count, ((List<?>) Resp.parse(c.call("COMMAND"))).size());
            assertEquals(count, ((List<?>) Resp.parse(c.call("COMMAND", "INFO"))).size());
            assertEquals(count, Resp.pairs(Resp.parse(c.call("COMMAND", "DOCS"))).size());
            List<?> list = (List<?>) Resp.parse(c.call("COMMAND", "LIST"));
            assertEquals(count, list.stream().filter(n -> !((String) n).contains("|")).count());
            assertTrue(list.contains("memory|usage") && list.contains("command|getkeysandflags"), list.toString());
        }
    }

    @Test
    void commandDocsMatchesRedisExceptArguments() {
        try (RespClient r = redis.client(); RespClient c = server.client()) {
            Differential d = new Differential(r, c);
            d.run("COMMAND DOCS time", "COMMAND DOCS command|count command|help memory|stats",
                    "COMMAND DOCS module|list memory|doctor nosuch", "COMMAND DOCS nosuch");
            d.assertSame();
            for (String name : List.of("info", "shutdown", "command", "memory", "module", "command|info", "slaveof")) {
                Map<Object, Object> want = withoutArguments(Resp.pairs(Resp.parse(r.call("COMMAND", "DOCS", name))));
                Map<Object, Object> got = withoutArguments(Resp.pairs(Resp.parse(c.call("COMMAND", "DOCS", name))));
                assertEquals(want.toString(), got.toString(), "COMMAND DOCS " + name);
            }
        }
    }

    /** Drops "arguments" (our specs do not describe arguments) and sorts subcommands (Redis prints dict order). */
    private static Map<Object, Object> withoutArguments(Map<Object, Object> docs) {
        Map<Object, Object> out = new java.util.TreeMap<>();
        for (Map.Entry<Object, Object> e : docs.entrySet()) {
            Map<Object, Object> doc = new java.util.TreeMap<>(Resp.pairs(e.getValue()));
            doc.remove("arguments");
            if (doc.containsKey("subcommands")) {
                doc.put("subcommands", withoutArguments(Resp.pairs(doc.get("subcommands"))));
            }
            out.put(e.getKey(), doc);
        }
        return out;
    }

    @Test
    void commandListFiltersMatchRedis() {
        try (RespClient r = redis.client(); RespClient c = server.client()) {
            for (String pattern : List.of("memory|*", "MEMORY|U*", "command|get*", "mod?le|*", "memory|[a-m]*",
                    "memory|[^a-m]*", "command|*keys*", "m[e]mory|us\\age", "nosuch*")) {
                assertEquals(sorted(r.call("COMMAND", "LIST", "FILTERBY", "PATTERN", pattern)),
                        sorted(c.call("COMMAND", "LIST", "FILTERBY", "PATTERN", pattern)), pattern);
            }
            Differential d = new Differential(r, c);
            d.run("COMMAND LIST FILTERBY", "COMMAND LIST FILTERBY PATTERN", "COMMAND LIST FILTERBY nosuch x",
                    "COMMAND LIST x", "COMMAND LIST FILTERBY PATTERN a b", "COMMAND LIST FILTERBY ACLCAT nosuch",
                    "COMMAND LIST FILTERBY ACLCAT @read", "COMMAND LIST FILTERBY MODULE nosuch",
                    "COMMAND LIST FILTERBY PATTERN x FILTERBY PATTERN y");
            d.assertSame();
            List<String> scripting = sorted(c.call("COMMAND", "LIST", "FILTERBY", "ACLCAT", "scripting"));
            assertEquals(List.of("eval"), scripting);
            List<String> admin = sorted(c.call("COMMAND", "LIST", "FILTERBY", "aclcat", "ADMIN"));
            assertTrue(admin.contains("shutdown") && admin.contains("module|list") && !admin.contains("time"), admin
                    .toString());
            List<String> plugin = sorted(c.call("COMMAND", "LIST", "FILTERBY", "MODULE", "shapes"));
            assertEquals(new TreeSet<>(List.of("mset", "mget", "lcs", "zunionstore", "xread", "georadius", "blpop",
                    "lmove", "eval", "spublish", "sort", "set")), new TreeSet<>(plugin));
            assertEquals(List.of(), sorted(c.call("COMMAND", "LIST", "FILTERBY", "MODULE", "kernel")));
        }
    }

    private static List<String> sorted(String raw) {
        List<String> out = new ArrayList<>();
        for (Object o : (List<?>) Resp.parse(raw)) {
            out.add((String) o);
        }
        out.sort(null);
        return out;
    }

    @Test
    void commandHelpAndErrorsMatchRedis() {
        try (RespClient r = redis.client(); RespClient c = server.client()) {
            Differential d = new Differential(r, c);
            d.run("COMMAND HELP", "command help", "COMMAND HELP x", "COMMAND COUNT x", "COMMAND nosuch",
                    "COMMAND DOCS nosuch other");
            d.assertSame();
        }
    }

    @Test
    void legacyRangeAndMovableKeysFollowRedisRules() {
        Map<String, CommandSpec> specs = new java.util.HashMap<>();
        for (CommandSpec s : new KeyShapes().commands()) {
            specs.put(s.name(), s);
        }
        assertEquals(new KeyExtractor.LegacyRange(1, -1, 2, false), KeyExtractor.legacyRange(specs.get("mset")));
        assertEquals(new KeyExtractor.LegacyRange(1, 2, 1, false), KeyExtractor.legacyRange(specs.get("lmove")));
        assertEquals(new KeyExtractor.LegacyRange(1, 1, 1, true), KeyExtractor.legacyRange(specs.get("zunionstore")));
        assertEquals(new KeyExtractor.LegacyRange(0, 0, 0, true), KeyExtractor.legacyRange(specs.get("xread")));
        CommandSpec migrate = new MigrateFamily(server.server()).commands().get(0);
        assertEquals(new KeyExtractor.LegacyRange(3, 3, 1, true), KeyExtractor.legacyRange(migrate));
        assertFalse(KeyExtractor.hasKeys(specs.get("spublish")));
        assertTrue(KeyExtractor.hasKeys(specs.get("sort")));
    }

    @Test
    void globMatchesAsRedisStringmatch() {
        assertTrue(Glob.matches("h?llo", "hello", false));
        assertTrue(Glob.matches("h*llo", "heeeello", false));
        assertTrue(Glob.matches("h[ae]llo", "hallo", false));
        assertFalse(Glob.matches("h[^e]llo", "hello", false));
        assertTrue(Glob.matches("h[a-b]llo", "hbllo", false));
        assertTrue(Glob.matches("h[b-a]llo", "hallo", false));
        assertTrue(Glob.matches("HE*", "hello", true));
        assertFalse(Glob.matches("HE*", "hello", false));
        assertTrue(Glob.matches("a\\*b", "a*b", false));
        assertFalse(Glob.matches("a\\*b", "axb", false));
        assertFalse(Glob.matches("*", "", false), "stringmatchlen needs a character for a star");
        assertTrue(Glob.matches("a**", "a", false));
        assertFalse(Glob.matches("a[", "ab", false));
        assertTrue(Glob.matches("a[b", "ab", false));
        assertFalse(Glob.matches("a*a*a*a*a*a*a*a*a*a*b", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", false));
    }
}
