package io.cinnabar.kernel.commands;

import static io.cinnabar.api.CommandFlag.DENYOOM;
import static io.cinnabar.api.CommandFlag.FAST;
import static io.cinnabar.api.CommandFlag.READONLY;
import static io.cinnabar.api.CommandFlag.WRITE;
import static io.cinnabar.kernel.keyspace.Database.LOOKUP_NOTOUCH;
import static io.cinnabar.kernel.keyspace.Database.LOOKUP_WRITE;

import io.cinnabar.api.AclCategory;
import io.cinnabar.api.Args;
import io.cinnabar.api.CommandContext;
import io.cinnabar.api.CommandException;
import io.cinnabar.api.CommandFamily;
import io.cinnabar.api.CommandSpec;
import io.cinnabar.api.Errors;
import io.cinnabar.api.Glob;
import io.cinnabar.api.KeySpec;
import io.cinnabar.api.KeyspaceEvents;
import io.cinnabar.api.Reply;
import io.cinnabar.api.ScanOptions;
import io.cinnabar.api.Values;
import io.cinnabar.kernel.keyspace.Database;
import io.cinnabar.kernel.server.CinnabarServer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The generic keyspace commands of Redis's db.c: DEL, UNLINK, EXISTS, TYPE, RENAME, RENAMENX, MOVE, COPY,
 * TOUCH, KEYS, SCAN, RANDOMKEY, DBSIZE, FLUSHDB, FLUSHALL, SWAPDB. Expiry commands are in
 * {@link ExpireCommands}, OBJECT in {@link ObjectCommand}; all of them are registered in the block at the end.
 */
final class GenericFamily implements CommandFamily {
    private final CinnabarServer server;
    private final ExpireCommands expire;
    private final ObjectCommand object;

    GenericFamily(CinnabarServer server) {
        this.server = server;
        this.expire = new ExpireCommands(server);
        this.object = new ObjectCommand(server);
    }

    private static Database db(CommandContext ctx) {
        return (Database) ctx.db();
    }

    // ---- DEL, UNLINK, EXISTS, TYPE, TOUCH ----

    /** DEL and UNLINK: values are freed by the collector either way, so both delete synchronously. */
    private void del(CommandContext ctx, Args args, Reply reply) {
        Database db = db(ctx);
        long deleted = 0;
        for (int i = 1; i < args.size(); i++) {
            byte[] key = args.get(i);
            db.expireIfNeeded(key); // an expired key is reported "expired", not "del"
            if (db.delete(key)) {
                ctx.signalModifiedKey(key);
                ctx.notifyKeyspaceEvent(KeyspaceEvents.GENERIC, "del", key);
                ctx.addDirty(1);
                deleted++;
            }
        }
        reply.integer(deleted);
    }

    /** Counts every argument that exists, duplicates included. */
    private void exists(CommandContext ctx, Args args, Reply reply) {
        Database db = db(ctx);
        long n = 0;
        for (int i = 1; i < args.size(); i++) {
            if (db.lookup(args.get(i), LOOKUP_NOTOUCH) != null) {
                n++;
            }
        }
        reply.integer(n);
    }

    private void type(CommandContext ctx, Args args, Reply reply) {
        Object v = db(ctx).lookup(args.get(1), LOOKUP_NOTOUCH);
        reply.simple(v == null ? "none" : Values.typeName(v));
    }

    private void touch(CommandContext ctx, Args args, Reply reply) {
        Database db = db(ctx);
        long n = 0;
        for (int i = 1; i < args.size(); i++) {
            if (db.lookup(args.get(i), 0) != null) {
                n++;
            }
        }
        reply.integer(n);
    }

    // ---- RENAME, RENAMENX, MOVE, COPY ----

    private void rename(CommandContext ctx, Args args, Reply reply) {
        renameGeneric(ctx, args, reply, false);
    }

    private void renamenx(CommandContext ctx, Args args, Reply reply) {
        renameGeneric(ctx, args, reply, true);
    }

    /**
     * The value moves with its TTL; like every dbAdd in Redis 7.2 the new key starts a fresh access stamp
     * (LFU counter 5). Renaming a key to itself only checks that it exists.
     */
    private void renameGeneric(CommandContext ctx, Args args, Reply reply, boolean nx) {
        Database db = db(ctx);
        byte[] src = args.get(1);
        byte[] dst = args.get(2);
        Object value = db.lookup(src, LOOKUP_WRITE);
        if (value == null) {
            throw new CommandException(Errors.NO_SUCH_KEY);
        }
        if (Arrays.equals(src, dst)) {
            if (nx) {
                reply.integer(0);
            } else {
                reply.ok();
            }
            return;
        }
        long when = db.getExpire(src);
        if (db.lookup(dst, LOOKUP_WRITE) != null) {
            if (nx) {
                reply.integer(0);
                return;
            }
            db.delete(dst);
        }
        db.add(dst, value);
        if (when != -1) {
            db.setExpire(dst, when);
        }
        db.delete(src);
        ctx.signalModifiedKey(src);
        ctx.signalModifiedKey(dst);
        ctx.notifyKeyspaceEvent(KeyspaceEvents.GENERIC, "rename_from", src);
        ctx.notifyKeyspaceEvent(KeyspaceEvents.GENERIC, "rename_to", dst);
        ctx.addDirty(1);
        if (nx) {
            reply.integer(1);
        } else {
            reply.ok();
        }
    }

    private void move(CommandContext ctx, Args args, Reply reply) {
        if (server.config().getBoolean("cluster-enabled")) {
            throw new CommandException(Errors.MOVE_IN_CLUSTER);
        }
        Database src = db(ctx);
        Database dst = targetDb(intArg(args, 2, null));
        if (src == dst) {
            throw new CommandException(Errors.SAME_OBJECT);
        }
        byte[] key = args.get(1);
        Object value = src.lookup(key, LOOKUP_WRITE);
        if (value == null || dst.lookup(key, LOOKUP_WRITE) != null) {
            reply.integer(0);
            return;
        }
        long when = src.getExpire(key);
        dst.add(key, value);
        if (when != -1) {
            dst.setExpire(key, when);
        }
        src.delete(key);
        ctx.signalModifiedKey(src, key);
        ctx.signalModifiedKey(dst, key);
        server.notifyKeyspaceEvent(KeyspaceEvents.GENERIC, "move_from", key, src.id());
        server.notifyKeyspaceEvent(KeyspaceEvents.GENERIC, "move_to", key, dst.id());
        ctx.addDirty(1);
        reply.integer(1);
    }

    private Database targetDb(int index) {
        if (index < 0 || index >= server.databaseCount()) {
            throw new CommandException(Errors.DB_INDEX_OUT_OF_RANGE);
        }
        return server.db(index);
    }

    /** COPY source destination [DB index] [REPLACE]: a deep copy keeping the TTL. */
    private void copy(CommandContext ctx, Args args, Reply reply) {
        Database src = db(ctx);
        int dstId = src.id();
        boolean replace = false;
        for (int i = 3; i < args.size(); i++) {
            if (args.is(i, "replace")) {
                replace = true;
            } else if (args.is(i, "db") && i + 1 < args.size()) {
                dstId = intArg(args, i + 1, null);
                // cluster mode has db 0 only: redis-server 7.2 calls any other index out of range
                if (dstId < 0 || dstId >= server.databaseCount()) {
                    throw new CommandException(Errors.DB_INDEX_OUT_OF_RANGE);
                }
                i++;
            } else {
                throw new CommandException(Errors.SYNTAX);
            }
        }
        Database dst = server.db(dstId);
        byte[] key = args.get(1);
        byte[] newKey = args.get(2);
        if (src == dst && Arrays.equals(key, newKey)) {
            throw new CommandException(Errors.SAME_OBJECT);
        }
        Object value = src.lookup(key, 0);
        if (value == null) {
            reply.integer(0);
            return;
        }
        long when = src.getExpire(key);
        boolean exists = dst.lookup(newKey, LOOKUP_WRITE) != null;
        if (exists && !replace) {
            reply.integer(0);
            return;
        }
        if (exists) {
            dst.delete(newKey);
        }
        dst.add(newKey, Values.copy(value));
        if (when != -1) {
            dst.setExpire(newKey, when);
        }
        ctx.signalModifiedKey(dst, newKey);
        server.notifyKeyspaceEvent(KeyspaceEvents.GENERIC, "copy_to", newKey, dst.id());
        ctx.addDirty(1);
        reply.integer(1);
    }

    // ---- KEYS, SCAN, RANDOMKEY, DBSIZE ----

    /** Logically expired keys are skipped but not deleted, as Redis's keysCommand. */
    private void keys(CommandContext ctx, Args args, Reply reply) {
        byte[] pattern = args.get(1);
        boolean all = Glob.matchesEverything(pattern);
        Reply.Deferred len = reply.deferredArray();
        int[] n = new int[1];
        db(ctx).forEachKey(k -> {
            if (all || Glob.matches(pattern, k)) {
                reply.bulk(k);
                n[0]++;
            }
        });
        len.finish(n[0]);
    }

    /** SCAN cursor [MATCH pattern] [COUNT count] [TYPE type]: Redis's scanGenericCommand for the keyspace. */
    private void scan(CommandContext ctx, Args args, Reply reply) {
        ScanOptions opts = ScanOptions.parse(args, 2, true);
        long cursor = opts.cursor();
        Database db = db(ctx);
        List<byte[]> found = new ArrayList<>();
        // at most 10*COUNT steps, so a sparse table costs little per call (possibly returning nothing)
        long maxSteps = opts.count() * 10;
        do {
            cursor = db.scan(cursor, found::add);
        } while (cursor != 0 && maxSteps-- != 0 && found.size() < opts.count());

        List<byte[]> keys = new ArrayList<>(found.size());
        for (byte[] k : found) {
            if (!opts.matches(k)) {
                continue;
            }
            if (opts.type() != null) {
                Object v = db.lookup(k, LOOKUP_NOTOUCH);
                if (!opts.type().equalsIgnoreCase(v == null ? "none" : Values.typeName(v))) {
                    continue;
                }
            }
            if (db.expireIfNeeded(k)) {
                continue;
            }
            keys.add(k);
        }
        reply.array(2);
        reply.bulk(cursor);
        reply.array(keys.size());
        for (byte[] k : keys) {
            reply.bulk(k);
        }
    }

    private void randomkey(CommandContext ctx, Args args, Reply reply) {
        byte[] key = db(ctx).randomKey();
        if (key == null) {
            reply.nullBulk();
        } else {
            reply.bulk(key);
        }
    }

    private void dbsize(CommandContext ctx, Args args, Reply reply) {
        reply.integer(ctx.db().size());
    }

    // ---- FLUSHDB, FLUSHALL, SWAPDB ----

    /** The SYNC/ASYNC argument; both free synchronously here (the collector reclaims the values). */
    private static void checkFlushMode(Args args) {
        if (args.size() > 2 || (args.size() == 2 && !args.is(1, "sync") && !args.is(1, "async"))) {
            throw new CommandException(Errors.SYNTAX);
        }
    }

    private void flushdb(CommandContext ctx, Args args, Reply reply) {
        checkFlushMode(args);
        ctx.addDirty(emptyDb(db(ctx)));
        server.signalFlushedDb(ctx.client().dbIndex());
        reply.ok();
    }

    private void flushall(CommandContext ctx, Args args, Reply reply) {
        checkFlushMode(args);
        long removed = 0;
        for (Database db : server.databases()) {
            removed += emptyDb(db);
        }
        server.signalFlushedDb(-1);
        ctx.addDirty(removed);
        // Redis's flushAllDataAndResetRDB: a background save is killed and, with save points configured, the
        // (now empty) snapshot is written right away, which resets the changes counted since the last save
        // (7.2 no longer adds one for FLUSHALL itself: it forces propagation instead)
        server.persistence().afterFlushAll();
        reply.ok();
    }

    /** Marks WATCHers of keys present in {@code db} dirty, then empties it; returns the keys removed. */
    private long emptyDb(Database db) {
        server.watches().touchDb(db, null, server.now());
        long removed = db.size();
        db.clear();
        return removed;
    }

    private void swapdb(CommandContext ctx, Args args, Reply reply) {
        if (server.config().getBoolean("cluster-enabled")) {
            throw new CommandException(Errors.SWAPDB_IN_CLUSTER);
        }
        int id1 = intArg(args, 1, Errors.INVALID_FIRST_DB_INDEX);
        int id2 = intArg(args, 2, Errors.INVALID_SECOND_DB_INDEX);
        Database db1 = targetDb(id1);
        Database db2 = targetDb(id2);
        if (db1 != db2) {
            // watchers stay with their db index: a watched key present on either side changes
            server.watches().touchDb(db1, db2, server.now());
            server.watches().touchDb(db2, db1, server.now());
            db1.swapWith(db2);
            // clients blocked on keys stay with their db index too: keys now there may serve them
            server.blocking().signalDb(id1);
            server.blocking().signalDb(id2);
        }
        ctx.addDirty(1);
        reply.ok();
    }

    /** Redis's getIntFromObjectOrReply: {@code error} for both failures, or Redis's two default messages. */
    private static int intArg(Args args, int i, String error) {
        long v = args.longAt(i, error == null ? Errors.NOT_INTEGER : error);
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw new CommandException(error == null ? Errors.valueOutOfRange(Integer.MIN_VALUE, Integer.MAX_VALUE)
                    : error);
        }
        return (int) v;
    }

    // ---- the family, as Redis 7.2's COMMAND INFO / COMMAND DOCS report it ----

    private static CommandSpec.Builder keyspace(String name, int arity, String since, String summary,
                                                String complexity) {
        return CommandSpec.command(name).arity(arity).acl(AclCategory.KEYSPACE).group("generic").since(since)
                .summary(summary).complexity(complexity);
    }

    private static final String MULTI_SHARD = "request_policy:multi_shard";
    private static final String ALL_SHARDS = "request_policy:all_shards";
    private static final String AGG_SUM = "response_policy:agg_sum";
    private static final String ALL_SUCCEEDED = "response_policy:all_succeeded";
    private static final String NONDETERMINISTIC = "nondeterministic_output";

    @Override
    public List<CommandSpec> commands() {
        List<CommandSpec> specs = new ArrayList<>(List.of(
                keyspace("del", -2, "1.0.0", "Deletes one or more keys.", "O(N) where N is the number of keys that "
                        + "will be removed. When a key to remove holds a value other than a string, the individual "
                        + "complexity for this key is O(M) where M is the number of elements in the list, set, sorted "
                        + "set or hash. Removing a single key that holds a string value is O(1).")
                        .flags(WRITE).key(KeySpec.range(1, -1, 1, "RM", "DELETE")).tips(MULTI_SHARD, AGG_SUM)
                        .handler(this::del).build(),
                keyspace("unlink", -2, "4.0.0", "Asynchronously deletes one or more keys.", "O(1) for each key "
                        + "removed regardless of its size. Then the command does O(N) work in a different thread in "
                        + "order to reclaim memory, where N is the number of allocations the deleted objects where "
                        + "composed of.")
                        .flags(WRITE, FAST).key(KeySpec.range(1, -1, 1, "RM", "DELETE")).tips(MULTI_SHARD, AGG_SUM)
                        .handler(this::del).build(),
                keyspace("exists", -2, "1.0.0", "Determines whether one or more keys exist.",
                        "O(N) where N is the number of keys to check.")
                        .flags(READONLY, FAST).key(KeySpec.range(1, -1, 1, "RO")).tips(MULTI_SHARD, AGG_SUM)
                        .handler(this::exists).build(),
                keyspace("type", 2, "1.0.0", "Determines the type of value stored at a key.", "O(1)")
                        .flags(READONLY, FAST).key(KeySpec.range(1, 0, 1, "RO")).handler(this::type).build(),
                keyspace("rename", 3, "1.0.0", "Renames a key and overwrites the destination.", "O(1)")
                        .flags(WRITE).key(KeySpec.range(1, 0, 1, "RW", "ACCESS", "DELETE"))
                        .key(KeySpec.range(2, 0, 1, "OW", "UPDATE")).handler(this::rename).build(),
                keyspace("renamenx", 3, "1.0.0", "Renames a key only when the target key name doesn't exist.", "O(1)")
                        .flags(WRITE, FAST).key(KeySpec.range(1, 0, 1, "RW", "ACCESS", "DELETE"))
                        .key(KeySpec.range(2, 0, 1, "OW", "INSERT")).handler(this::renamenx).build(),
                keyspace("move", 3, "1.0.0", "Moves a key to another database.", "O(1)")
                        .flags(WRITE, FAST).key(KeySpec.range(1, 0, 1, "RW", "ACCESS", "UPDATE"))
                        .handler(this::move).build(),
                keyspace("copy", -3, "6.2.0", "Copies the value of a key to a new key.", "O(N) worst case for "
                        + "collections, where N is the number of nested items. O(1) for string values.")
                        .flags(WRITE, DENYOOM).key(KeySpec.range(1, 0, 1, "RO", "ACCESS"))
                        .key(KeySpec.range(2, 0, 1, "OW", "UPDATE")).handler(this::copy).build(),
                keyspace("touch", -2, "3.2.1", "Returns the number of existing keys out of those specified after "
                        + "updating the time they were last accessed.", "O(N) where N is the number of keys that will "
                        + "be touched.")
                        .flags(READONLY, FAST).key(KeySpec.range(1, -1, 1, "RO")).tips(MULTI_SHARD, AGG_SUM)
                        .handler(this::touch).build(),
                keyspace("keys", 2, "1.0.0", "Returns all key names that match a pattern.", "O(N) with N being the "
                        + "number of keys in the database, under the assumption that the key names in the database and "
                        + "the given pattern have limited length.")
                        .flags(READONLY).acl(AclCategory.DANGEROUS).tips(ALL_SHARDS, "nondeterministic_output_order")
                        .handler(this::keys).build(),
                keyspace("scan", -2, "2.8.0", "Iterates over the key names in the database.", "O(1) for every call. "
                        + "O(N) for a complete iteration, including enough command calls for the cursor to return back "
                        + "to 0. N is the number of elements inside the collection.")
                        .flags(READONLY).tips(NONDETERMINISTIC, "request_policy:special", "response_policy:special")
                        .handler(this::scan).build(),
                keyspace("randomkey", 1, "1.0.0", "Returns a random key name from the database.", "O(1)")
                        .flags(READONLY).tips(ALL_SHARDS, "response_policy:special", NONDETERMINISTIC)
                        .handler(this::randomkey).build(),
                keyspace("dbsize", 1, "1.0.0", "Returns the number of keys in the database.", "O(1)")
                        .flags(READONLY, FAST).group("server").tips(ALL_SHARDS, AGG_SUM).handler(this::dbsize).build(),
                keyspace("flushdb", -1, "1.0.0", "Remove all keys from the current database.",
                        "O(N) where N is the number of keys in the selected database")
                        .flags(WRITE).acl(AclCategory.DANGEROUS).group("server").tips(ALL_SHARDS, ALL_SUCCEEDED)
                        .handler(this::flushdb).build(),
                keyspace("flushall", -1, "1.0.0", "Removes all keys from all databases.",
                        "O(N) where N is the total number of keys in all databases")
                        .flags(WRITE).acl(AclCategory.DANGEROUS).group("server").tips(ALL_SHARDS, ALL_SUCCEEDED)
                        .handler(this::flushall).build(),
                keyspace("swapdb", 3, "4.0.0", "Swaps two Redis databases.", "O(N) where N is the count of clients "
                        + "watching or blocking on keys from both databases.")
                        .flags(WRITE, FAST).acl(AclCategory.DANGEROUS).group("server").handler(this::swapdb).build()));
        specs.addAll(expire.commands());
        specs.add(object.spec());
        return specs;
    }
}
