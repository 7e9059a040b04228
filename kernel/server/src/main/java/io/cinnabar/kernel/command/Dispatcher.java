package io.cinnabar.kernel.command;

import io.cinnabar.api.Args;
import io.cinnabar.api.CommandException;
import io.cinnabar.api.CommandFlag;
import io.cinnabar.api.CommandSpec;
import io.cinnabar.api.Errors;
import io.cinnabar.kernel.net.ClientConnection;
import io.cinnabar.kernel.net.RespWriter;
import io.cinnabar.kernel.propagation.Propagator;
import io.cinnabar.kernel.server.CinnabarServer;
import io.cinnabar.kernel.server.Transaction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Runs one command through the checks every command needs, in one fixed order (DESIGN §2):
 * lookup -> arity -> auth -> (cluster slot, replica, OOM: later issues) -> MULTI queueing -> pause -> execute,
 * then the bookkeeping: stats, observers (slowlog, latency, monitor).
 */
public final class Dispatcher {
    private final CinnabarServer server;
    private final CommandTable table;
    private final List<CommandObserver> observers = new CopyOnWriteArrayList<>();
    /** Commands that run immediately even inside MULTI. */
    private static final java.util.Set<String> MULTI_IMMEDIATE = java.util.Set.of("exec", "discard", "multi",
            "watch", "quit", "reset");
    /** What a RESP2 client in subscribed state may run (Redis's processCommand; RESP3 has no such limit). */
    private static final java.util.Set<String> SUBSCRIBED_ALLOWED = java.util.Set.of("ping", "subscribe",
            "ssubscribe", "unsubscribe", "sunsubscribe", "psubscribe", "punsubscribe", "quit", "reset");

    /** Told about every executed command (slowlog, latency monitor, MONITOR, commandstats extensions). */
    public interface CommandObserver {
        /**
         * Returns true when it did work that takes time of its own (a slowlog entry, a MONITOR feed): the next
         * command then reads its start from the clock (see {@link #takeEndClock}).
         */
        boolean onCommand(ClientConnection client, Command command, Args args, long durationMicros);
    }

    /** A check that may reject a command before it runs (cluster redirection, pause, OOM...). Returns true to stop. */
    public interface Gate {
        boolean reject(ClientConnection client, Command command, Args args, RespWriter reply);
    }

    private final List<Gate> gates = new CopyOnWriteArrayList<>();

    /** Told just before a command that passed the checks runs (also each command of an EXEC). */
    public interface CallListener {
        void beforeCall(ClientConnection client, Command command, Args args);
    }

    /** An array, not a list: walked on every call without allocating an iterator. */
    private volatile CallListener[] callListeners = new CallListener[0];

    public synchronized void addCallListener(CallListener l) {
        CallListener[] a = java.util.Arrays.copyOf(callListeners, callListeners.length + 1);
        a[a.length - 1] = l;
        callListeners = a;
    }

    public Dispatcher(CinnabarServer server, CommandTable table) {
        this.server = server;
        this.table = table;
    }

    /** See {@link #takeEndClock}. */
    private long endClock;

    public void addObserver(CommandObserver o) {
        observers.add(o);
    }

    public void addGate(Gate g) {
        gates.add(g);
    }

    /** A gate that must run before the others: cluster redirection comes first in Redis's processCommand. */
    public void addFirstGate(Gate g) {
        gates.add(0, g);
    }

    public void dispatch(ClientConnection client, Args args) {
        dispatch(client, args, 0);
    }

    /**
     * {@link #dispatch(ClientConnection, Args)} with the clock read by the caller just before ({@link
     * System#nanoTime}; 0: none): {@link #takeEndClock} of the command before it in the same run of input.
     */
    public void dispatch(ClientConnection client, Args args, long clock) {
        RespWriter reply = client.reply();
        endClock = 0;
        long started = server.tickClock(clock);
        Command cmd = table.lookup(args.get(0));
        if (cmd == null) {
            client.setLastCommand(null);
            rejectUnknown(client, args, reply);
            return;
        }
        // a container with a handler of its own (COMMAND) runs it when called without a subcommand
        if (!cmd.subcommands().isEmpty() && (args.size() >= 2 || cmd.spec().handler() == null)) {
            if (args.size() < 2) {
                client.setLastCommand(cmd);
                reject(client, cmd, reply, Errors.wrongArity(cmd.fullName()));
                return;
            }
            Command sub = CommandTable.subcommand(cmd, args.get(1));
            if (sub == null) {
                client.setLastCommand(null);
                // Redis found no command here, so no command's rejected_calls counts it
                if (client.transaction() != null) {
                    client.transaction().abort();
                }
                reply.error(Errors.unknownSubcommand(args.string(1), args.string(0)));
                return;
            }
            cmd = sub;
        }
        // CLIENT LIST cmd= shows the command looked up last, even one rejected below (Redis's c->lastcmd)
        client.setLastCommand(cmd);
        CommandSpec spec = cmd.spec();
        // Redis 7.2 checks arity before authentication (processCommand), so the order here follows it
        if (!spec.arityAccepts(args.size())) {
            reject(client, cmd, reply, Errors.wrongArity(cmd.fullName()));
            return;
        }
        if (!client.authenticated() && !spec.has(CommandFlag.NO_AUTH)) {
            reject(client, cmd, reply, Errors.NOAUTH);
            return;
        }
        if (client.isPubSub() && client.protocol() == 2
                && !(spec.parentName() == null && SUBSCRIBED_ALLOWED.contains(spec.name()))) {
            reject(client, cmd, reply, Errors.notAllowedWhileSubscribed(cmd.fullName()));
            return;
        }
        for (Gate g : gates) {
            if (g.reject(client, cmd, args, reply)) {
                if (client.isSuspended()) {
                    // held, not rejected (CLIENT PAUSE): it goes through every check again when resumed
                    client.postpone(args);
                    return;
                }
                cmd.stats().rejectedCalls++;
                if (client.transaction() != null) {
                    client.transaction().abort();
                }
                return;
            }
        }
        Transaction tx = client.transaction();
        if (tx != null && !MULTI_IMMEDIATE.contains(spec.parentName() == null ? spec.name() : spec.parentName())) {
            if (spec.has(CommandFlag.NO_MULTI)) {
                reject(client, cmd, reply, Errors.COMMAND_NOT_ALLOWED_IN_MULTI);
                return;
            }
            tx.add(cmd, args);
            reply.simple("QUEUED");
            return;
        }
        call(client, cmd, args, started);
    }

    /** Executes a command that passed the checks (also used by EXEC for queued commands). */
    public void call(ClientConnection client, Command cmd, Args args) {
        call(client, cmd, args, System.nanoTime());
    }

    /** {@link #call(ClientConnection, Command, Args)} with the command's start already read from the clock. */
    private void call(ClientConnection client, Command cmd, Args args, long start) {
        RespWriter reply = client.reply();
        long errorsBefore = server.stats().totalErrorReplies;
        Command outer = client.currentCommand();
        Args outerArgs = client.currentArgs();
        client.setCurrentCommand(cmd);
        client.setCurrentArgs(args);
        server.setCurrentClient(client);
        Propagator propagator = server.propagator();
        long dirtyBefore = server.stats().dirty;
        propagator.beginCall();
        try {
            CallListener[] listeners = callListeners;
            for (int i = 0; i < listeners.length; i++) {
                listeners[i].beforeCall(client, cmd, args);
            }
            if (cmd.severalKeys() != null) {
                server.keyPrefetcher().prefetch(args, cmd.severalKeys(), server.db(client.dbIndex()));
            }
            cmd.spec().handler().execute(client.exec(), args, reply);
        } catch (CommandException e) {
            reply.error(e.getMessage());
        } catch (RuntimeException e) {
            server.log().warn("command '{}' failed: {}", cmd.fullName(), e.toString(), e);
            reply.error("ERR " + e.getClass().getSimpleName() + " while executing '" + cmd.fullName() + "'");
        } catch (OutOfMemoryError e) {
            // a client asked for more than the heap holds (e.g. a huge SETRANGE): refuse it, keep serving
            server.log().warn("command '{}' ran out of memory", cmd.fullName());
            reply.error(Errors.OOM);
        } finally {
            propagator.endCall(client.dbIndex(), args, server.stats().dirty - dirtyBefore);
            client.setCurrentCommand(outer);
            client.setCurrentArgs(outerArgs);
            if (outer == null) {
                server.setCurrentClient(null);
            }
        }
        List<io.cinnabar.api.KeyspaceSignals> signals = server.keyspaceSignals();
        if (!signals.isEmpty()) {
            reportKeysRead(signals, client, cmd, args);
        }
        if (outer == null) {
            client.appendDeferredPushes(); // pushes this call caused to its own client follow its reply
        }
        long end = System.nanoTime();
        long micros = (end - start) / 1000;
        CommandStats st = cmd.stats();
        if (!server.blocking().leftBlocked(client)) { // a blocked call counts when it ends (BlockingRegistry)
            st.calls++;
            st.micros += micros;
            if (server.stats().totalErrorReplies != errorsBefore) {
                st.failedCalls++;
            }
            server.stats().commandsProcessed++;
        }
        boolean observed = false;
        for (CommandObserver o : observers) {
            observed |= o.onCommand(client, cmd, args, micros);
        }
        if (outer == null) {
            client.setWriteOffset(server.replication().offset());
            // the next command's start, unless serving blocked clients below takes its own time
            boolean serving = server.blocking().hasReadyKeys();
            endClock = observed || serving ? 0 : end;
            // as Redis's handleClientsBlockedOnKeys: keys this command (or transaction) made ready are served now
            server.blocking().serveReadyKeys();
            if (serving) {
                endClock = 0; // the calls it made set their own
            }
        }
    }

    /**
     * The clock reading that ended the last command {@link #dispatch} ran to its end, once (0: none since):
     * a run of pipelined commands reads the clock once per command, not twice, as each one's end is the
     * next one's start.
     */
    public long takeEndClock() {
        long c = endClock;
        endClock = 0;
        return c;
    }

    private final KeyExtractor.Keys trackedKeys = new KeyExtractor.Keys();
    private static final java.util.Set<String> SCRIPTS_RO = java.util.Set.of("eval_ro", "evalsha_ro", "fcall_ro");

    /**
     * Client-side caching: the keys a read-only command read go to the signals of the client that sent it (the
     * caller of EXEC or of a script), as Redis's call() remembers them.
     */
    private void reportKeysRead(List<io.cinnabar.api.KeyspaceSignals> signals, ClientConnection client, Command cmd,
                                Args args) {
        CommandSpec spec = cmd.spec();
        ClientConnection origin = server.currentClient() != null ? server.currentClient() : client;
        if (spec.has(CommandFlag.READONLY)) {
            List<byte[]> keys = null;
            for (io.cinnabar.api.KeyspaceSignals s : signals) {
                if (s.wantsReads(origin)) { // mostly false (no tracking client): asked before the name check
                    if (SCRIPTS_RO.contains(spec.name())) {
                        return;
                    }
                    if (keys == null) {
                        KeyExtractor.find(spec, args, trackedKeys);
                        keys = new java.util.ArrayList<>(trackedKeys.size());
                        for (int i = 0; i < trackedKeys.size(); i++) {
                            keys.add(args.get(trackedKeys.position(i)));
                        }
                    }
                    s.keysRead(origin, keys);
                }
            }
        }
    }

    /**
     * A client's command was processed (run, rejected or unknown), outside MULTI queueing: client-side caching
     * ends CLIENT CACHING's one-command scope here, as Redis's resetClient does.
     */
    public void commandEnded(ClientConnection client) {
        List<io.cinnabar.api.KeyspaceSignals> signals = server.keyspaceSignals();
        if (signals.isEmpty() || client.transaction() != null) {
            return;
        }
        Command last = client.lastCommandLookedUp();
        CommandSpec spec = last == null ? null : last.spec();
        String name = spec == null ? "" : spec.parentName() == null ? spec.name() : spec.parentName();
        for (io.cinnabar.api.KeyspaceSignals s : signals) {
            s.commandDone(client, name);
        }
    }

    /**
     * A blocked command's wait ended without a re-run (timeout, CLIENT UNBLOCK): the observers (slow log,
     * latency) see it now, as Redis's updateStatsOnUnblock; MONITOR showed it when it first ran.
     */
    public void observeUnblocked(ClientConnection client, Command cmd, Args args) {
        for (CommandObserver o : observers) {
            o.onCommand(client, cmd, args, 0);
        }
    }

    private void reject(ClientConnection client, Command cmd, RespWriter reply, String error) {
        cmd.stats().rejectedCalls++;
        if (client.transaction() != null) {
            client.transaction().abort();
        }
        if (cmd.spec().parentName() == null && cmd.spec().name().equals("exec")) {
            // Redis's execCommandAbort: a rejected EXEC discards the transaction and says why
            client.setTransaction(null);
            server.watches().unwatchAll(client);
            reply.error(Errors.EXECABORT_BECAUSE + error.substring(error.startsWith("ERR ") ? 4 : 0));
            return;
        }
        reply.error(error);
    }

    private void rejectUnknown(ClientConnection client, Args args, RespWriter reply) {
        if (client.transaction() != null) {
            client.transaction().abort();
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 1; i < args.size() && sb.length() < 128; i++) {
            String a = new String(args.get(i), StandardCharsets.UTF_8);
            int room = 128 - sb.length();
            sb.append('\'').append(a.length() > room ? a.substring(0, room) : a).append("' ");
        }
        String name = args.string(0);
        reply.error("ERR unknown command '" + (name.length() > 128 ? name.substring(0, 128) : name)
                + "', with args beginning with: " + sb);
    }
}
