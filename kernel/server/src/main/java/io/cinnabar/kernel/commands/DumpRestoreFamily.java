package io.cinnabar.kernel.commands;

import static io.cinnabar.api.CommandFlag.DENYOOM;
import static io.cinnabar.api.CommandFlag.READONLY;
import static io.cinnabar.api.CommandFlag.WRITE;

import io.cinnabar.api.AclCategory;
import io.cinnabar.api.Args;
import io.cinnabar.api.CommandContext;
import io.cinnabar.api.CommandException;
import io.cinnabar.api.CommandFamily;
import io.cinnabar.api.CommandSpec;
import io.cinnabar.api.Errors;
import io.cinnabar.api.KeySpec;
import io.cinnabar.api.KeyspaceEvents;
import io.cinnabar.api.Reply;
import io.cinnabar.kernel.keyspace.Database;
import io.cinnabar.kernel.persistence.DumpPayload;
import io.cinnabar.kernel.server.CinnabarServer;
import io.cinnabar.kernel.server.LruClock;
import java.io.IOException;
import java.util.List;

/** DUMP and RESTORE (cluster.c): a value as a self-checking RDB payload, and back. */
final class DumpRestoreFamily implements CommandFamily {
    private final CinnabarServer server;

    DumpRestoreFamily(CinnabarServer server) {
        this.server = server;
    }

    /** DUMP key: a read lookup (access stamp, hit/miss stats), then the payload, or a null reply. */
    private void dump(CommandContext ctx, Args args, Reply reply) {
        Object value = ctx.db().get(args.get(1));
        if (value == null) {
            reply.nullBulk();
            return;
        }
        try {
            reply.bulk(DumpPayload.create(value, server.persistence().codec(),
                    server.config().getBoolean("rdbcompression")));
        } catch (IOException e) {
            throw new CommandException(Errors.DUMP_UNSUPPORTED);
        }
    }

    /**
     * RESTORE key ttl payload [REPLACE] [ABSTTL] [IDLETIME s] [FREQ f], checking in Redis's order: options,
     * BUSYKEY, the TTL, the payload's version and checksum, then its content. A TTL already in the past
     * creates nothing (only deletes the replaced key).
     */
    private void restore(CommandContext ctx, Args args, Reply reply) {
        boolean replace = false;
        boolean absTtl = false;
        long idle = -1;
        long freq = -1;
        for (int j = 4; j < args.size(); j++) {
            boolean more = j + 1 < args.size();
            if (args.is(j, "replace")) {
                replace = true;
            } else if (args.is(j, "absttl")) {
                absTtl = true;
            } else if (args.is(j, "idletime") && more && freq == -1) {
                idle = args.longAt(++j);
                if (idle < 0) {
                    throw new CommandException(Errors.RESTORE_BAD_IDLETIME);
                }
            } else if (args.is(j, "freq") && more && idle == -1) {
                freq = args.longAt(++j);
                if (freq < 0 || freq > 255) {
                    throw new CommandException(Errors.RESTORE_BAD_FREQ);
                }
            } else {
                throw new CommandException(Errors.SYNTAX);
            }
        }
        Database db = (Database) ctx.db();
        byte[] key = args.get(1);
        if (!replace && db.lookup(key, Database.LOOKUP_WRITE) != null) {
            throw new CommandException(Errors.BUSYKEY);
        }
        long ttl = args.longAt(2);
        if (ttl < 0) {
            throw new CommandException(Errors.RESTORE_BAD_TTL);
        }
        byte[] payload = args.get(3);
        if (!DumpPayload.verify(payload, true)) {
            throw new CommandException(Errors.DUMP_PAYLOAD_WRONG);
        }
        Object value;
        try {
            value = DumpPayload.load(payload, server.persistence().codec());
        } catch (IOException e) {
            throw new CommandException(Errors.BAD_DATA_FORMAT);
        }
        boolean deleted = replace && db.delete(key);
        long now = ctx.nowMillis();
        if (ttl != 0 && !absTtl) {
            ttl += now;
        }
        if (ttl != 0 && ttl <= now) {
            if (deleted) {
                ctx.signalModifiedKey(key);
                ctx.notifyKeyspaceEvent(KeyspaceEvents.GENERIC, "del", key);
                ctx.addDirty(1);
            }
            reply.ok();
            return;
        }
        db.add(key, value);
        if (ttl != 0) {
            db.setExpire(key, ttl);
        }
        setAccessStamp(db, key, freq, idle, now);
        ctx.signalModifiedKey(key);
        ctx.notifyKeyspaceEvent(KeyspaceEvents.GENERIC, "restore", key);
        reply.ok();
        ctx.addDirty(1);
    }

    /** objectSetLRUOrLFU: FREQ applies under an LFU policy, IDLETIME under any other; the stamp is 24 bits. */
    private void setAccessStamp(Database db, byte[] key, long freq, long idle, long now) {
        if (server.lruClock().lfu()) {
            if (freq >= 0) {
                db.setAccessMeta(key, LruClock.lfuStamp((int) freq, now));
            }
        } else if (idle >= 0) {
            long abs = LruClock.clock(now) - idle;
            if (abs < 0) {
                abs += LruClock.LRU_CLOCK_MAX;
            }
            db.setAccessMeta(key, (int) (abs & LruClock.LRU_CLOCK_MAX));
        }
    }

    @Override
    public List<CommandSpec> commands() {
        return List.of(
                CommandSpec.command("dump").arity(2).flags(READONLY).acl(AclCategory.KEYSPACE).group("generic")
                        .since("2.6.0").summary("Returns a serialized representation of the value stored at a key.")
                        .complexity("O(1) to access the key and additional O(N*M) to serialize it, where N is the "
                                + "number of Redis objects composing the value and M their average size. For small "
                                + "string values the time complexity is thus O(1)+O(1*M) where M is small, so simply "
                                + "O(1).")
                        .tips("nondeterministic_output").key(KeySpec.range(1, 0, 1, "RO", "ACCESS"))
                        .handler(this::dump).build(),
                CommandSpec.command("restore").arity(-4).flags(WRITE, DENYOOM)
                        .acl(AclCategory.KEYSPACE, AclCategory.DANGEROUS).group("generic").since("2.6.0")
                        .summary("Creates a key from the serialized representation of a value.")
                        .complexity("O(1) to create the new key and additional O(N*M) to reconstruct the serialized "
                                + "value, where N is the number of Redis objects composing the value and M their "
                                + "average size. For small string values the time complexity is thus O(1)+O(1*M) "
                                + "where M is small, so simply O(1). However for sorted set values the complexity is "
                                + "O(N*M*log(N)) because inserting values into sorted sets is O(log(N)).")
                        .history("3.0.0", "Added the `REPLACE` modifier.")
                        .history("5.0.0", "Added the `ABSTTL` modifier.")
                        .history("5.0.0", "Added the `IDLETIME` and `FREQ` options.")
                        .key(KeySpec.range(1, 0, 1, "OW", "UPDATE")).handler(this::restore).build(),
                // what MIGRATE sends in cluster mode: RESTORE that an importing slot accepts without ASKING
                CommandSpec.command("restore-asking").arity(-4).flags(WRITE, DENYOOM, io.cinnabar.api.CommandFlag.ASKING)
                        .acl(AclCategory.KEYSPACE, AclCategory.DANGEROUS).group("server").since("3.0.0")
                        .summary("An internal command for migrating keys in a cluster.")
                        .complexity("O(1) to create the new key and additional O(N*M) to reconstruct the serialized "
                                + "value, where N is the number of Redis objects composing the value and M their "
                                + "average size. For small string values the time complexity is thus O(1)+O(1*M) "
                                + "where M is small, so simply O(1). However for sorted set values the complexity is "
                                + "O(N*M*log(N)) because inserting values into sorted sets is O(log(N)).")
                        .docFlags("syscmd")
                        .history("3.0.0", "Added the `REPLACE` modifier.")
                        .history("5.0.0", "Added the `ABSTTL` modifier.")
                        .history("5.0.0", "Added the `IDLETIME` and `FREQ` options.")
                        .key(KeySpec.range(1, 0, 1, "OW", "UPDATE")).handler(this::restore).build());
    }
}
