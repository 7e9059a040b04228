package io.cinnabar.kernel.net;

import io.cinnabar.api.Args;
import io.cinnabar.api.ClientInfo;
import io.cinnabar.kernel.command.Command;
import io.cinnabar.kernel.server.CinnabarServer;
import io.cinnabar.kernel.server.Transaction;
import io.cinnabar.kernel.server.WatchRegistry;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.unix.UnixChannel;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelFutureListener;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * One client connection: its protocol state, its selected db, its transaction, and the read loop.
 * Reads are decoded and executed inline on the event loop (the execution thread); all replies of a read
 * batch go into one buffer, flushed once after the event loop turn that read it ({@link #channelReadComplete}).
 */
public final class ClientConnection extends ChannelInboundHandlerAdapter implements ClientInfo,
        io.cinnabar.api.ClientHandle {
    private final CinnabarServer server;
    private final long id;
    private final long createdMillis;
    private ChannelHandlerContext ctx;
    private ByteBuf in;
    private ByteBuf current; // the buffer being decoded: `in`, or a socket read decoded in place
    private final RespDecoder decoder = new RespDecoder();
    private RespWriter reply;
    private final ExecutionContext exec;

    // connection state (CLIENT LIST fields)
    private String name;
    private int dbIndex;
    private boolean authenticated;
    private String user = "default";
    private String libName = "";
    private String libVersion = "";
    private long lastInteractionMillis;
    private Command lastCommand;     // null until a known command is looked up ("NULL" in CLIENT LIST)
    private Command currentCommand;  // the command executing now (also each command of an EXEC)
    private boolean closing;
    private boolean noEvict;
    private boolean noTouch;
    private boolean monitor;
    private boolean replica;     // a replica's link to this master (never paused, not killable by TYPE normal)
    private boolean master;      // this node's link to its master
    private String trackingFlags = "";  // CLIENT LIST flags t, R, B (client-side caching)
    private long trackingRedirect = -1;
    private long streamBytes;    // bytes of the command being decoded (the master's stream counts them)
    private long writeOffset;    // the replication offset after this client's last command (WAIT)
    private ByteBuf pendingStream; // replication stream bytes not yet handed to the channel
    private static final int STREAM_CHUNK = 16 * 1024;
    /** A command longer than this reads the clock at its start itself (see {@link #processFrom}). */
    private static final int CLOCK_HANDOFF_BYTES = 64 * 1024;
    private static final int LOOK_AHEAD_SKIP_MIN = 16;
    private static final int LOOK_AHEAD_SKIP_MAX = 256;
    private int lookAheadSkip;    // commands to run before the next look-ahead (see lookAheadInOwnInput)
    private int lookAheadBackoff; // how many the last useless look-ahead skipped, 0 after a useful one
    private int channels;        // pub/sub subscriptions: channels, patterns, shard channels
    private int patterns;
    private int shardChannels;
    private boolean paused;      // processing suspended (CLIENT PAUSE, blocking); resumed by the server
    private Args postponed;      // the command to run first when resumed (it was held, not rejected)
    private Args currentArgs;
    private Blocked blocked;     // what a blocking command waits for, or null
    // CLIENT REPLY state, as Redis's CLIENT_REPLY_OFF / CLIENT_REPLY_SKIP_NEXT / CLIENT_REPLY_SKIP flags
    private boolean replyOff;
    private boolean replySkipNext;
    private boolean replySkip;
    private Transaction transaction;  // non-null between MULTI and EXEC/DISCARD
    private final java.util.Map<WatchRegistry.WatchedKey, WatchRegistry.Watch> watched = new java.util.HashMap<>();
    private boolean watchDirty;
    private boolean clusterAsking;   // ASKING: the next command may touch an importing slot
    private boolean clusterReadonly; // READONLY: reads served by a replica of the slot's master
    private int clusterSlot = -1;    // the slot the cluster router sent the current command to, else -1
    // reply buffer emulation for CLIENT LIST rbs/rbp (Redis resizes its static reply buffer in clientsCron)
    private int replyBufferSize = REPLY_CHUNK_BYTES;
    private int replyBufferPeak;
    private long replyPeakResetMillis;
    private int batchStart = -1;      // reader index where the read batch being executed started
    private boolean inputQueued;      // read input waits for the end of the turn (Clients#inputAfterTurn)
    // replies and messages pushed by other clients' commands (pub/sub, invalidations): flushed once per loop turn
    private boolean flushScheduled;
    private boolean mutedBeforePush;
    private RespWriter deferredPushes;    // pushes caused by this client's own running command
    private boolean pushingDeferred;
    private long softLimitSinceSeconds;   // when the soft output buffer limit was first exceeded, 0 if not
    private final Runnable scheduledFlush = this::flushAfterTurn;

    static final int REPLY_CHUNK_BYTES = 16 * 1024;
    static final int REPLY_MIN_BYTES = 1024;

    /** CLIENT REPLY modes. */
    public enum ReplyMode { ON, OFF, SKIP }

    /**
     * A blocking command waiting on behalf of this client (BLPOP, XREAD, WAIT...), as seen by CLIENT UNBLOCK
     * and CLIENT LIST. The blocking machinery installs it with {@link #block} and clears it with
     * {@link #unblock}.
     */
    public interface Blocked {
        /** False for waits CLIENT UNBLOCK must not end (Redis: module commands without a timeout callback). */
        default boolean unblockable() {
            return true;
        }

        /** Ends the wait as if its timeout had passed (the command's timeout reply). */
        void timeout();

        /** Ends the wait with the given error reply (without the leading '-'). */
        void error(String line);
    }

    public ClientConnection(CinnabarServer server, long id) {
        this.server = server;
        this.id = id;
        this.createdMillis = System.currentTimeMillis();
        this.lastInteractionMillis = createdMillis;
        this.replyPeakResetMillis = createdMillis;
        this.exec = new ExecutionContext(server, this);
        this.authenticated = !server.authRequired();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.reply = new RespWriter(ctx.alloc(), server.errorListener(this));
        this.in = ctx.alloc().buffer(1024);
        decoder.setMaxBulkLen(server.config().getLong("proto-max-bulk-len"));
        decoder.setAuthenticated(authenticated);
        if (!server.clients().admit(this)) {
            reply.error("ERR max number of clients reached");
            flush();
            close();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        processQueuedInput(0); // what arrived before the connection closed still runs, as in Redis
        closing = true;
        server.clients().remove(this);
        if (in != null) {
            in.release();
            in = null;
        }
        ByteBuf pending = reply == null ? null : reply.take();
        if (pending != null) {
            pending.release();
        }
        if (pendingStream != null) {
            pendingStream.release();
            pendingStream = null;
        }
        ByteBuf held = deferredPushes == null ? null : deferredPushes.take();
        if (held != null) {
            held.release();
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf data = (ByteBuf) msg;
        try {
            if (closing || in == null) {
                return;
            }
            // count what arrived in this read (the buffer may still hold the unparsed rest of earlier reads)
            if (master) {
                server.stats().netReplInputBytes += data.readableBytes();
            } else {
                server.stats().netInputBytes += data.readableBytes();
            }
            server.stats().readsProcessed++;
            in.writeBytes(data);
            if (!inputQueued) {
                // normally the input runs after this turn's reads (see Clients#inputAfterTurn), else right now
                inputQueued = server.clients().inputAfterTurn(this, ctx.executor());
                if (!inputQueued) {
                    processFrom(in, 0);
                }
            }
        } finally {
            data.release();
        }
    }

    /** Adds this client's first command's key to a cross-client look-ahead (its input is queued to run). */
    public void lookAhead(KeyPrefetcher ahead) {
        if (in != null && !paused && postponed == null) {
            ahead.add(in, 1);
        }
    }

    /**
     * Runs the input {@link #channelRead} queued for the end of the turn. {@code clock}: a clock reading made
     * just before (0: none), which the first command takes as its start; returns the one that ended the last
     * command (0: none), for the next client's.
     */
    public long processQueuedInput(long clock) {
        if (!inputQueued) {
            return clock;
        }
        inputQueued = false;
        long end = in == null ? 0 : processFrom(in, clock);
        scheduleFlush(); // the turn's write pass may have run already (it was queued before this input)
        return end;
    }

    /**
     * Decodes and executes as many complete commands as the input holds (until suspended or closed); a
     * command held back while suspended runs first.
     */
    public void processInput() {
        if (in != null) {
            processFrom(in, 0);
        }
    }

    /**
     * Runs the commands {@code source} holds; {@code clock} and the result as for {@link #processQueuedInput}.
     * Within the run, each command starts at the clock reading that ended the one before (a command longer
     * than {@value #CLOCK_HANDOFF_BYTES} bytes reads its own: its parsing is not part of its time).
     */
    private long processFrom(ByteBuf source, long clock) {
        current = source;
        batchStart = source.readerIndex();
        int prefetched = 0; // commands ahead whose keys the last look-ahead covered
        try {
            while (!closing && !paused) {
                Args args;
                if (postponed != null) {
                    args = postponed;
                    postponed = null;
                } else {
                    if (prefetched > 0) {
                        prefetched--;
                    } else if (lookAheadSkip > 0) {
                        lookAheadSkip--;
                    } else {
                        prefetched = lookAheadInOwnInput(source) - 1;
                    }
                    int before = source.readerIndex();
                    boolean complete = decoder.decode(source);
                    streamBytes += source.readerIndex() - before;
                    if (!complete) {
                        break;
                    }
                    if (source.readerIndex() - before > CLOCK_HANDOFF_BYTES) {
                        clock = 0;
                    }
                    args = new Args(decoder.argv(), decoder.argc());
                }
                lastInteractionMillis = server.now();
                execute(args, clock);
                clock = server.dispatcher().takeEndClock();
                if (master) {
                    // the master's stream: what was applied moves the replication offset (Redis's reploff)
                    server.replication().appliedFromMaster(this, args.tail(0), streamBytes);
                }
                streamBytes = 0;
            }
        } catch (ProtocolException e) {
            reply.setMuted(false);
            reply.error(e.getMessage());
            server.log().info("Protocol error ({}) from client: id={} addr={}", e.getMessage(), id, remoteAddress());
            closeAfterReply();
        }
        batchStart = -1;
        current = null;
        if (in != null && source == in) {
            in.discardSomeReadBytes();
        }
        return clock;
    }

    /**
     * Prefetches the keys of the commands at the start of {@code source}; returns how many it looked at (at least
     * 1). One over several commands that could not have saved a miss (one key, nothing to look up in it: a
     * pipeline of pops on one list) makes the next ones rarer: {@value #LOOK_AHEAD_SKIP_MIN} commands go
     * without, then twice as many after each useless one up to {@value #LOOK_AHEAD_SKIP_MAX}, until one helps
     * again.
     */
    private int lookAheadInOwnInput(ByteBuf source) {
        KeyPrefetcher ahead = server.keyPrefetcher();
        int commands = ahead.prefetch(source, server.db(dbIndex));
        if (ahead.lastUseless()) {
            lookAheadBackoff = Math.min(LOOK_AHEAD_SKIP_MAX, Math.max(LOOK_AHEAD_SKIP_MIN, lookAheadBackoff * 2));
            lookAheadSkip = lookAheadBackoff;
        } else if (commands > 1) {
            lookAheadBackoff = 0;
        }
        return commands;
    }

    private void execute(Args args, long clock) {
        int replyBefore = reply.pendingBytes();
        server.dispatcher().dispatch(this, args, clock);
        if (postponed != null) {
            return; // held (CLIENT PAUSE): it has not run yet, so the reply mode does not advance
        }
        if (clusterSlot >= 0) {
            server.cluster().slotStats().commandProcessed(this, args, streamBytes, reply.pendingBytes() - replyBefore);
            if (blocked == null) {
                clusterSlot = -1; // a blocked command keeps it: its CPU time counts when it runs again
            }
        }
        server.dispatcher().commandEnded(this);
        // Redis's resetClient: SKIP covered exactly this command; CLIENT REPLY SKIP arms it for the next
        replySkip = replySkipNext;
        replySkipNext = false;
        reply.setMuted(replyOff || replySkip);
    }

    /**
     * The batch's replies are written once this turn of the event loop has read every ready client, as Redis's
     * handleClientsWithPendingWrites before it sleeps: a pipelining client then finds the replies of many
     * batches per wakeup. Flushing each batch as it completed woke redis-benchmark (-P 16, 50 clients) 25
     * times more often than Redis did, and every wakeup of a sleeping reader costs the writer's send in
     * system time: twice Redis's system time per ZADD. The order of the writes is {@link
     * io.cinnabar.kernel.server.Clients#writeAfterTurn}'s.
     */
    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        scheduleFlush();
    }

    /** Flushes after the current turn of the event loop (its reads and commands), once however often asked. */
    private void scheduleFlush() {
        if (!flushScheduled && ctx != null) {
            flushScheduled = true;
            if (!server.clients().writeAfterTurn(this, ctx.executor())) {
                ctx.executor().execute(scheduledFlush);
            }
        }
    }

    /** The flush {@link #scheduleFlush} asked for. */
    public void flushAfterTurn() {
        flushScheduled = false;
        flush();
    }

    /** Writes and flushes pending replies (one flush per batch). */
    public void flush() {
        if (reply == null || ctx == null) {
            return;
        }
        if (server.deferReplyFlush(this, true)) {
            return; // the AOF's group commit flushes these replies once it has fsynced what they acknowledge
        }
        ByteBuf out = reply.take();
        if (out != null) {
            if (out.isReadable()) {
                int n = out.readableBytes();
                replyBufferPeak = Math.max(replyBufferPeak, Math.min(n, replyBufferSize));
                server.stats().netOutputBytes += n;
                server.stats().writesProcessed++;
                ctx.writeAndFlush(out, ctx.voidPromise());
                outboundEstimate += n;
                checkOutputBufferLimits();
            } else {
                out.release();
            }
        }
    }

    @Override
    public boolean isClosed() {
        return closing || ctx == null;
    }

    @Override
    public io.cinnabar.api.Reply beginPush() {
        if (currentCommand != null && ctx != null) {
            // as Redis 7.2: a push caused by the client's own command (PUBLISH to itself, a keyspace event of
            // its write) follows that command's reply (the whole EXEC's), so it is held until the call ends
            if (deferredPushes == null) {
                deferredPushes = new RespWriter(ctx.alloc(), line -> { });
            }
            deferredPushes.setProtocol(reply.protocol());
            pushingDeferred = true;
            return deferredPushes;
        }
        mutedBeforePush = reply.muted();
        reply.setMuted(false);
        return reply;
    }

    @Override
    public void endPush() {
        if (pushingDeferred) {
            pushingDeferred = false;
            return;
        }
        reply.setMuted(mutedBeforePush);
        scheduleFlush();
        checkOutputBufferLimits();
    }

    /** Appends the pushes held while this client's command ran (the dispatcher calls it when the call ends). */
    public void appendDeferredPushes() {
        if (deferredPushes != null && deferredPushes.hasPending()) {
            boolean muted = reply.muted();
            reply.setMuted(false);
            reply.rawBytes(deferredPushes.take());
            reply.setMuted(muted);
            checkOutputBufferLimits();
        }
    }

    /**
     * At least the bytes queued on the socket: the last exact reading plus every flush since (the socket only
     * drains in between). A replica's stream is written past it, so a replica is always measured exactly.
     */
    private long outboundEstimate;

    /**
     * Redis's closeClientOnOutputBufferLimitReached: a client whose pending output passes its class's hard
     * limit, or stays over the soft limit longer than the soft seconds, is closed (its output dropped).
     */
    private void checkOutputBufferLimits() {
        if (closing || ctx == null) {
            return;
        }
        long[] limit = server.outputBufferLimits().of(io.cinnabar.kernel.server.Clients.typeOf(this));
        if (limit[0] == 0 && limit[1] == 0) {
            return;
        }
        long pending = reply.pendingBytes();
        if (!isReplica() && softLimitSinceSeconds == 0 && !reaches(pending + outboundEstimate, limit[0])
                && !reaches(pending + outboundEstimate, limit[1])) {
            return; // even the over-estimate is under both limits: the socket (one per subscriber) is not asked
        }
        outboundEstimate = outputBufferBytes();
        long used = pending + outboundEstimate;
        boolean hard = reaches(used, limit[0]);
        boolean soft = reaches(used, limit[1]);
        if (soft) {
            long now = System.currentTimeMillis() / 1000;
            if (softLimitSinceSeconds == 0) {
                softLimitSinceSeconds = now;
                soft = false; // first time over the soft limit
            } else if (now - softLimitSinceSeconds <= limit[2]) {
                soft = false;
            }
        } else {
            softLimitSinceSeconds = 0;
        }
        if (hard || soft) {
            server.log().warn("Client id={} addr={} scheduled to be closed ASAP for overcoming of output buffer limits.",
                    id, remoteAddress());
            ByteBuf dropped = reply.take();
            if (dropped != null) {
                dropped.release();
            }
            // as Redis's freeClientAsync: closed in a later loop task, never while a publisher walks its
            // subscribers; from now on it is closing, so nothing more is written to it
            closing = true;
            ctx.executor().execute(this::close);
        }
    }

    /** {@code used} is at or over {@code limit} (0: no limit). */
    private static boolean reaches(long used, long limit) {
        return limit > 0 && used >= limit;
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        // a client that does not read its replies stops being read from, so its output cannot grow unbounded
        ctx.channel().config().setAutoRead(ctx.channel().isWritable());
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        server.log().debug("client {} error: {}", id, cause.toString());
        close();
    }

    /** Flushes what is pending, then closes (QUIT, protocol errors, CLIENT KILL of self). */
    public void closeAfterReply() {
        closing = true;
        if (ctx == null) {
            return;
        }
        server.deferReplyFlush(this, false);
        ByteBuf out = reply.take();
        if (out == null) {
            ctx.close();
        } else {
            ctx.writeAndFlush(out).addListener(ChannelFutureListener.CLOSE);
        }
    }

    /** Closes now (CLIENT KILL of another client, errors); the client leaves CLIENT LIST at once. */
    public void close() {
        closing = true;
        paused = false;
        postponed = null;
        if (ctx == null || ctx.executor().inEventLoop()) {
            server.clients().remove(this);
        }
        if (ctx != null) {
            ctx.close();
        }
    }

    /** Stops executing this client's input until {@link #resume()} (CLIENT PAUSE, blocking commands). */
    public void suspend() {
        paused = true;
    }

    /** Holds {@code args} to run first when resumed (the dispatcher calls this for a suspended client). */
    public void postpone(Args args) {
        postponed = args.copy();
    }

    /** Resumes a suspended client: its held command and buffered input run in a later loop task, in order. */
    public void resume() {
        if (!paused) {
            return;
        }
        paused = false;
        if (ctx != null) {
            ctx.executor().execute(() -> {
                processInput();
                flush();
            });
        }
    }

    public boolean isSuspended() {
        return paused;
    }

    /** Applies a new proto-max-bulk-len to this connection's request decoder (CONFIG SET). */
    public void setMaxBulkLen(long max) {
        decoder.setMaxBulkLen(max);
    }

    /** The command held for a pause, or null. */
    public Args postponedArgs() {
        return postponed;
    }

    /** True while a command is held for a pause (Redis's BLOCKED_POSTPONE). */
    public boolean isPostponed() {
        return postponed != null;
    }

    /** Marks the client blocked by a blocking command (see {@link Blocked}). */
    public void block(Blocked b) {
        this.blocked = b;
    }

    public void unblock() {
        this.blocked = null;
    }

    /** The blocking command's wait, or null when the client is not blocked. */
    public Blocked blocked() {
        return blocked;
    }

    // ---- accessors used by the dispatcher and the command families ----

    public RespWriter reply() {
        return reply;
    }

    public ExecutionContext exec() {
        return exec;
    }

    public CinnabarServer server() {
        return server;
    }

    @Override
    public long id() {
        return id;
    }

    @Override
    public String name() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    @Override
    public int protocol() {
        return reply.protocol();
    }

    public void setProtocol(int p) {
        reply.setProtocol(p);
    }

    @Override
    public int dbIndex() {
        return dbIndex;
    }

    public void selectDb(int index) {
        this.dbIndex = index;
    }

    @Override
    public boolean inTransaction() {
        return exec.executingTransaction();
    }

    public boolean authenticated() {
        return authenticated;
    }

    public void setAuthenticated(boolean a, String user) {
        this.authenticated = a;
        this.user = user;
        decoder.setAuthenticated(a);
    }

    public String user() {
        return user;
    }

    public Transaction transaction() {
        return transaction;
    }

    public void setTransaction(Transaction t) {
        this.transaction = t;
    }

    /** The keys this client WATCHes (maintained by {@link WatchRegistry}). */
    public java.util.Map<WatchRegistry.WatchedKey, WatchRegistry.Watch> watched() {
        return watched;
    }

    /** ASKING was sent (Redis's CLIENT_ASKING): cleared after the next command unless inside MULTI. */
    public boolean clusterAsking() {
        return clusterAsking;
    }

    public void setClusterAsking(boolean v) {
        clusterAsking = v;
    }

    /** The slot the cluster router sent the current command to (Valkey's c->slot), or -1. */
    public int clusterSlot() {
        return clusterSlot;
    }

    public void setClusterSlot(int slot) {
        clusterSlot = slot;
    }

    /** READONLY is on (Redis's CLIENT_READONLY). */
    public boolean clusterReadonly() {
        return clusterReadonly;
    }

    public void setClusterReadonly(boolean v) {
        clusterReadonly = v;
    }

    public boolean watchDirty() {
        return watchDirty;
    }

    public void setWatchDirty(boolean d) {
        this.watchDirty = d;
    }

    public ReplyMode replyMode() {
        return replyOff ? ReplyMode.OFF : replySkip || replySkipNext ? ReplyMode.SKIP : ReplyMode.ON;
    }

    /** CLIENT REPLY ON|OFF|SKIP, with Redis's flag semantics (SKIP is ignored while OFF). */
    public void setReplyMode(ReplyMode m) {
        switch (m) {
            case ON -> {
                replyOff = false;
                replySkip = false;
                reply.setMuted(false);
            }
            case OFF -> {
                replyOff = true;
                reply.setMuted(true);
            }
            case SKIP -> {
                if (!replyOff) {
                    replySkipNext = true;
                }
            }
        }
    }

    /** RESET: replies back on (Redis clears CLIENT_REPLY_OFF and CLIENT_REPLY_SKIP_NEXT). */
    public void resetReplyMode() {
        replyOff = false;
        replySkipNext = false;
        reply.setMuted(replySkip);
    }

    public String libName() {
        return libName;
    }

    public String libVersion() {
        return libVersion;
    }

    public void setLib(String name, String version) {
        if (name != null) {
            this.libName = name;
        }
        if (version != null) {
            this.libVersion = version;
        }
    }

    public long createdMillis() {
        return createdMillis;
    }

    public long lastInteractionMillis() {
        return lastInteractionMillis;
    }

    public String lastCommand() {
        return lastCommand == null ? "NULL" : lastCommand.fullName();
    }

    /** The command looked up last for this client (null when unknown). */
    public Command lastCommandLookedUp() {
        return lastCommand;
    }

    /** The last command looked up for this client (null when unknown), as CLIENT LIST cmd= shows it. */
    public void setLastCommand(Command c) {
        this.lastCommand = c;
    }

    /** The command executing now for this client, or null between commands. */
    public Command currentCommand() {
        return currentCommand;
    }

    public void setCurrentCommand(Command c) {
        this.currentCommand = c;
    }

    /** The arguments of {@link #currentCommand()} (a blocking command keeps them to run again). */
    public Args currentArgs() {
        return currentArgs;
    }

    public void setCurrentArgs(Args a) {
        this.currentArgs = a;
    }

    public boolean noEvict() {
        return noEvict;
    }

    public void setNoEvict(boolean v) {
        noEvict = v;
    }

    public boolean noTouch() {
        return noTouch;
    }

    public void setNoTouch(boolean v) {
        noTouch = v;
    }

    public boolean isMonitor() {
        return monitor;
    }

    public void setMonitor(boolean v) {
        monitor = v;
    }

    public boolean isClosing() {
        return closing;
    }

    public boolean isReplica() {
        return replica;
    }

    public void setReplica(boolean v) {
        replica = v;
    }

    public boolean isMaster() {
        return master;
    }

    public void setMaster(boolean v) {
        master = v;
    }

    /** Pub/sub subscription counts (CLIENT LIST sub/psub/ssub, RESP2 subscribed-mode rules). */
    public void setSubscriptions(int channels, int patterns, int shardChannels) {
        this.channels = channels;
        this.patterns = patterns;
        this.shardChannels = shardChannels;
    }

    @Override
    public void setTrackingState(boolean tracking, boolean brokenRedirect, boolean broadcast, long redirect) {
        trackingFlags = (tracking ? "t" : "") + (brokenRedirect ? "R" : "") + (broadcast ? "B" : "");
        trackingRedirect = tracking ? redirect : -1;
    }

    /** The CLIENT LIST flag letters of client-side caching (t, R, B), in Redis's order. */
    public String trackingFlags() {
        return trackingFlags;
    }

    /** CLIENT LIST redir=: the tracking redirection id, -1 when not tracking. */
    public long trackingRedirect() {
        return trackingRedirect;
    }

    public int channelSubscriptions() {
        return channels;
    }

    public int patternSubscriptions() {
        return patterns;
    }

    public int shardSubscriptions() {
        return shardChannels;
    }

    /** True while subscribed to anything (Redis's CLIENT_PUBSUB). */
    public boolean isPubSub() {
        return channels + patterns + shardChannels > 0;
    }

    /** Bytes in the query buffer, including the read batch being executed (CLIENT LIST qbuf). */
    public int queryBufferBytes() {
        if (in == null) {
            return 0;
        }
        ByteBuf b = current != null ? current : in;
        return batchStart >= 0 ? b.writerIndex() - batchStart : b.readableBytes();
    }

    /** Free room in the query buffer (CLIENT LIST qbuf-free). */
    public int queryBufferFree() {
        return in == null ? 0 : in.capacity() - in.writerIndex();
    }

    public int queryBufferCapacity() {
        return in == null ? 0 : in.capacity();
    }

    /** Reply bytes not yet handed to the socket (CLIENT LIST obl). */
    public int pendingReplyBytes() {
        return reply == null ? 0 : Math.min(reply.pendingBytes(), replyBufferSize);
    }

    /** Bytes written to the socket but not yet sent (CLIENT LIST omem; output buffer limits). */
    public long outputBufferBytes() {
        if (ctx == null) {
            return 0;
        }
        ChannelOutboundBuffer ob = ctx.channel().unsafe().outboundBuffer();
        return ob == null ? 0 : ob.totalPendingWriteBytes();
    }

    /** CLIENT LIST events: r while reading, w while output waits for the socket. */
    public String events() {
        if (ctx == null) {
            return "";
        }
        boolean r = ctx.channel().config().isAutoRead();
        boolean w = outputBufferBytes() > 0;
        return r ? (w ? "rw" : "r") : (w ? "w" : "");
    }

    /** The socket's file descriptor with the native transport, else -1. */
    public int fd() {
        if (ctx != null && ctx.channel() instanceof UnixChannel u) {
            return u.fd().intValue();
        }
        return -1;
    }

    public int replyBufferSize() {
        return replyBufferSize;
    }

    public int replyBufferPeak() {
        return replyBufferPeak;
    }

    /**
     * Redis's clientsCronResizeOutputBuffer, run about once a second: shrinks the (emulated) reply buffer
     * towards the recent peak, grows it when the peak filled it, and resets the peak every 5 seconds.
     */
    public void resizeReplyBuffer(long nowMillis) {
        int size = replyBufferSize;
        if (size / 2 >= REPLY_MIN_BYTES && replyBufferPeak < size / 2) {
            size = Math.max(REPLY_MIN_BYTES, replyBufferPeak + 1);
        } else if (size * 2 < REPLY_CHUNK_BYTES * 2 && replyBufferPeak == size) {
            size = Math.min(REPLY_CHUNK_BYTES, size * 2);
        }
        if (nowMillis - replyPeakResetMillis >= 5000) {
            replyBufferPeak = pendingReplyBytes();
            replyPeakResetMillis = nowMillis;
        }
        replyBufferSize = size;
    }

    public String remoteAddress() {
        return format(ctx == null ? null : ctx.channel().remoteAddress());
    }

    public String localAddress() {
        return format(ctx == null ? null : ctx.channel().localAddress());
    }

    /** ip:port, IPv6 in brackets, as Redis's anetFormatAddr. */
    private static String format(SocketAddress a) {
        if (a instanceof InetSocketAddress i) {
            String host = i.getAddress() == null ? i.getHostString() : i.getAddress().getHostAddress();
            int pct = host.indexOf('%');
            if (pct >= 0) {
                host = host.substring(0, pct);
            }
            return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + i.getPort();
        }
        return a == null ? "" : a.toString();
    }

    /** Runs a task on this client's event loop (the execution thread). */
    public void runOnLoop(Runnable r) {
        if (ctx != null) {
            ctx.executor().execute(r);
        }
    }

    /**
     * Appends replication stream bytes (no reply framing) to one pending buffer per loop turn, sent by
     * {@link #flushStream}: a replica gets one write per batch of commands, not one per command.
     */
    public void writeStream(byte[] b, int off, int len) {
        if (ctx == null || closing) {
            return;
        }
        if (pendingStream == null) {
            pendingStream = ctx.alloc().buffer(Math.max(len, STREAM_CHUNK));
        }
        pendingStream.writeBytes(b, off, len);
        server.stats().netReplOutputBytes += len;
    }

    /** Writes (and takes ownership of) stream bytes, after what is pending. */
    public void writeStream(ByteBuf buf) {
        if (ctx == null || closing) {
            buf.release();
            return;
        }
        writePendingStream();
        server.stats().netReplOutputBytes += buf.readableBytes();
        ctx.write(buf, ctx.voidPromise());
    }

    public void flushStream() {
        if (ctx != null) {
            writePendingStream();
            ctx.flush();
        }
    }

    private void writePendingStream() {
        if (pendingStream != null) {
            ByteBuf b = pendingStream;
            pendingStream = null;
            if (closing) {
                b.release();
            } else {
                ctx.write(b, ctx.voidPromise());
            }
        }
    }

    /**
     * Writes and flushes a full sync's payload bytes from any thread (the snapshot's writer, a file sender);
     * the future completes once they were written to the socket, or failed. Null when the client is gone.
     */
    public io.netty.channel.ChannelFuture writePayload(ByteBuf buf) {
        ChannelHandlerContext c = ctx;
        if (c == null || closing) {
            buf.release();
            return null;
        }
        return c.writeAndFlush(buf);
    }

    /** A replica link (or this node's master link) gets no replies, as Redis never answers them. */
    public void muteReplies() {
        replyOff = true;
        reply.setMuted(true);
    }

    /** The peer's IP address without the port. */
    public String remoteIp() {
        SocketAddress a = ctx == null ? null : ctx.channel().remoteAddress();
        if (a instanceof InetSocketAddress i && i.getAddress() != null) {
            return i.getAddress().getHostAddress();
        }
        return "?";
    }

    /** The replication offset once this client's last command was propagated (Redis's c->woff). */
    public long writeOffset() {
        return writeOffset;
    }

    public void setWriteOffset(long offset) {
        writeOffset = offset;
    }
}
