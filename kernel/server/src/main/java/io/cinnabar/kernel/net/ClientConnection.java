package io.cinnabar.kernel.net;

import io.cinnabar.api.Args;
import io.cinnabar.api.ClientInfo;
import io.cinnabar.kernel.server.CinnabarServer;
import io.cinnabar.kernel.server.Transaction;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelFutureListener;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * One client connection: its protocol state, its selected db, its transaction, and the read loop.
 * Reads are decoded and executed inline on the event loop (the execution thread); all replies of a read
 * batch go into one buffer that is flushed once in {@link #channelReadComplete}.
 */
public final class ClientConnection extends ChannelInboundHandlerAdapter implements ClientInfo {
    private final CinnabarServer server;
    private final long id;
    private final long createdMillis;
    private ChannelHandlerContext ctx;
    private ByteBuf in;
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
    private String lastCommand = "NULL";
    private boolean closing;
    private boolean noEvict;
    private boolean noTouch;
    private boolean monitor;
    private boolean paused;      // processing suspended (CLIENT PAUSE); resumed by the server
    /** CLIENT REPLY: ON, OFF, or SKIP (the next command only). */
    private ReplyMode replyMode = ReplyMode.ON;
    private Transaction transaction;  // non-null between MULTI and EXEC/DISCARD
    private final java.util.Set<WatchedKey> watched = new java.util.HashSet<>();
    private boolean watchDirty;

    public enum ReplyMode { ON, OFF, SKIP }

    public ClientConnection(CinnabarServer server, long id) {
        this.server = server;
        this.id = id;
        this.createdMillis = System.currentTimeMillis();
        this.lastInteractionMillis = createdMillis;
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
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf data = (ByteBuf) msg;
        try {
            if (closing || in == null) {
                return;
            }
            in.writeBytes(data);
        } finally {
            data.release();
        }
        server.stats().netInputBytes += in.readableBytes();
        processInput();
    }

    /** Decodes and executes as many complete commands as the input holds (until paused or closed). */
    public void processInput() {
        if (in == null) {
            return;
        }
        try {
            while (!closing && !paused && decoder.decode(in)) {
                lastInteractionMillis = server.cachedMillis();
                execute(new Args(decoder.argv(), decoder.argc()));
            }
        } catch (ProtocolException e) {
            reply.setMuted(false);
            reply.error(e.getMessage());
            server.log().info("Protocol error ({}) from client: id={} addr={}", e.getMessage(), id, remoteAddress());
            closeAfterReply();
        }
        if (in != null) {
            in.discardSomeReadBytes();
        }
    }

    private void execute(Args args) {
        boolean skip = replyMode == ReplyMode.SKIP;
        server.dispatcher().dispatch(this, args);
        if (skip && replyMode == ReplyMode.SKIP) {
            // SKIP covered exactly the command after CLIENT REPLY SKIP
            replyMode = ReplyMode.ON;
        }
        reply.setMuted(replyMode != ReplyMode.ON);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        flush();
    }

    /** Writes and flushes pending replies (one flush per batch). */
    public void flush() {
        if (reply == null || ctx == null) {
            return;
        }
        ByteBuf out = reply.take();
        if (out != null) {
            if (out.isReadable()) {
                server.stats().netOutputBytes += out.readableBytes();
                ctx.writeAndFlush(out, ctx.voidPromise());
            } else {
                out.release();
            }
        }
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
        ByteBuf out = reply.take();
        if (out == null) {
            ctx.close();
        } else {
            ctx.writeAndFlush(out).addListener(ChannelFutureListener.CLOSE);
        }
    }

    public void close() {
        closing = true;
        if (ctx != null) {
            ctx.close();
        }
    }

    /** Stops executing this client's input until {@link #resume()} (CLIENT PAUSE, blocking commands). */
    public void suspend() {
        paused = true;
    }

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

    public java.util.Set<WatchedKey> watched() {
        return watched;
    }

    public boolean watchDirty() {
        return watchDirty;
    }

    public void setWatchDirty(boolean d) {
        this.watchDirty = d;
    }

    public ReplyMode replyMode() {
        return replyMode;
    }

    public void setReplyMode(ReplyMode m) {
        this.replyMode = m;
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
        return lastCommand;
    }

    public void setLastCommand(String fullName) {
        this.lastCommand = fullName;
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

    /** Bytes waiting in the query buffer (CLIENT LIST qbuf). */
    public int queryBufferBytes() {
        return in == null ? 0 : in.readableBytes();
    }

    public int queryBufferCapacity() {
        return in == null ? 0 : in.capacity();
    }

    public String remoteAddress() {
        return format(ctx == null ? null : ctx.channel().remoteAddress());
    }

    public String localAddress() {
        return format(ctx == null ? null : ctx.channel().localAddress());
    }

    private static String format(SocketAddress a) {
        if (a instanceof InetSocketAddress i) {
            String host = i.getAddress() == null ? i.getHostString() : i.getAddress().getHostAddress();
            return host + ":" + i.getPort();
        }
        return a == null ? "" : a.toString();
    }

    /** Runs a task on this client's event loop (the execution thread). */
    public void runOnLoop(Runnable r) {
        if (ctx != null) {
            ctx.executor().execute(r);
        }
    }

    /** A key watched by this client (db + key bytes). */
    public record WatchedKey(int db, io.cinnabar.kernel.server.ByteKey key) {
    }
}
