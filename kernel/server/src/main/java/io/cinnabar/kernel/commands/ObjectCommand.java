package io.cinnabar.kernel.commands;

import static io.cinnabar.api.CommandFlag.LOADING;
import static io.cinnabar.api.CommandFlag.READONLY;
import static io.cinnabar.api.CommandFlag.STALE;

import io.cinnabar.api.AclCategory;
import io.cinnabar.api.Args;
import io.cinnabar.api.CommandContext;
import io.cinnabar.api.CommandException;
import io.cinnabar.api.CommandSpec;
import io.cinnabar.api.Errors;
import io.cinnabar.api.Handler;
import io.cinnabar.api.KeySpec;
import io.cinnabar.api.RedisNumbers;
import io.cinnabar.api.Reply;
import io.cinnabar.api.Values;
import io.cinnabar.kernel.keyspace.Database;
import io.cinnabar.kernel.server.CinnabarServer;
import io.cinnabar.kernel.server.LruClock;

/** OBJECT ENCODING | FREQ | IDLETIME | REFCOUNT | HELP, as Redis's object.c. */
final class ObjectCommand {
    /** Redis shares the integer objects 0..9999 (OBJ_SHARED_INTEGERS) and reports them with this refcount. */
    private static final int SHARED_INTEGERS = 10000;
    private static final long SHARED_REFCOUNT = Integer.MAX_VALUE;

    private static final String[] HELP = {
        "OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "ENCODING <key>",
        "    Return the kind of internal representation used in order to store the value",
        "    associated with a <key>.",
        "FREQ <key>",
        "    Return the access frequency index of the <key>. The returned integer is",
        "    proportional to the logarithm of the recent access frequency of the key.",
        "IDLETIME <key>",
        "    Return the idle time of the <key>, that is the approximated number of",
        "    seconds elapsed since the last access to the key.",
        "REFCOUNT <key>",
        "    Return the number of references of the value associated with the specified",
        "    <key>.",
        "HELP",
        "    Print this help.",
    };

    private final CinnabarServer server;

    ObjectCommand(CinnabarServer server) {
        this.server = server;
    }

    /** What the subcommand reports about a key that exists. */
    private interface Inspection {
        void reply(Database db, byte[] key, Object value, CommandContext ctx, Reply reply);
    }

    /** Redis's objectCommandLookupOrReply: no access-stamp update, no "keymiss" event, a null reply when absent. */
    private static Handler inspect(Inspection inspection) {
        return (ctx, args, reply) -> {
            Database db = (Database) ctx.db();
            byte[] key = args.get(2);
            Object value = db.lookup(key, Database.LOOKUP_NOTOUCH | Database.LOOKUP_NONOTIFY);
            if (value == null) {
                reply.nullBulk();
            } else {
                inspection.reply(db, key, value, ctx, reply);
            }
        };
    }

    private static void encoding(Database db, byte[] key, Object value, CommandContext ctx, Reply reply) {
        reply.bulk(Values.encoding(value));
    }

    private void refcount(Database db, byte[] key, Object value, CommandContext ctx, Reply reply) {
        reply.integer(isSharedInteger(value) ? SHARED_REFCOUNT : 1);
    }

    /** Small integers are shared objects unless maxmemory with an LRU/LFU policy needs per-key access stamps. */
    private boolean isSharedInteger(Object value) {
        if (!(value instanceof byte[] b) || b.length > 4 || !RedisNumbers.isCanonicalLong(b)) {
            return false;
        }
        long n = RedisNumbers.parseLong(b, Errors.NOT_INTEGER);
        if (n < 0 || n >= SHARED_INTEGERS) {
            return false;
        }
        String policy = server.config().get("maxmemory-policy");
        boolean stampsNeeded = policy.endsWith("-lru") || policy.endsWith("-lfu");
        return server.config().getLong("maxmemory") == 0 || !stampsNeeded;
    }

    private void idletime(Database db, byte[] key, Object value, CommandContext ctx, Reply reply) {
        if (server.lruClock().lfu()) {
            throw new CommandException(Errors.LFU_IDLETIME_NOT_TRACKED);
        }
        reply.integer(LruClock.idleSeconds(db.accessMeta(key), ctx.nowMillis()));
    }

    /** The decayed counter: a key not accessed for a while is reported lower than its stored counter. */
    private void freq(Database db, byte[] key, Object value, CommandContext ctx, Reply reply) {
        if (!server.lruClock().lfu()) {
            throw new CommandException(Errors.LFU_NOT_SELECTED);
        }
        reply.integer(server.lruClock().frequency(db.accessMeta(key), ctx.nowMillis()));
    }

    private static void help(CommandContext ctx, Args args, Reply reply) {
        reply.array(HELP.length);
        for (String line : HELP) {
            reply.simple(line);
        }
    }

    private static CommandSpec.Builder inspector(String name, String since, String summary) {
        return CommandSpec.command(name).arity(3).flags(READONLY).acl(AclCategory.KEYSPACE).group("generic")
                .since(since).summary(summary).complexity("O(1)").key(KeySpec.range(2, 0, 1, "RO"))
                .tips("nondeterministic_output");
    }

    CommandSpec spec() {
        return CommandSpec.command("object").arity(-2).group("generic").since("2.2.3")
                .summary("A container for object introspection commands.").complexity("Depends on subcommand.")
                .subcommand(inspector("encoding", "2.2.3", "Returns the internal encoding of a Redis object.")
                        .handler(inspect(ObjectCommand::encoding)).build())
                .subcommand(inspector("freq", "4.0.0",
                        "Returns the logarithmic access frequency counter of a Redis object.")
                        .handler(inspect(this::freq)).build())
                .subcommand(inspector("idletime", "2.2.3", "Returns the time since the last access to a Redis object.")
                        .handler(inspect(this::idletime)).build())
                .subcommand(inspector("refcount", "2.2.3", "Returns the reference count of a value of a key.")
                        .handler(inspect(this::refcount)).build())
                .subcommand(CommandSpec.command("help").arity(2).flags(LOADING, STALE).acl(AclCategory.KEYSPACE)
                        .group("generic").since("6.2.0").summary("Returns helpful text about the different subcommands.")
                        .complexity("O(1)").handler(ObjectCommand::help).build())
                .build();
    }
}
