package io.cinnabar.kernel.replication;

import io.cinnabar.kernel.net.ClientConnection;
import io.cinnabar.kernel.server.CinnabarServer;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A replica's link to its master (the replica half of replication.c): connects, performs Redis's handshake
 * (PING, AUTH with masterauth/masteruser, REPLCONF listening-port / ip-address / capa eof psync2, PSYNC with
 * our history so a reconnect continues where it stopped), receives the RDB of a full resync (length-prefixed
 * or diskless EOF-marked) and loads it, then hands the connection to a {@link ClientConnection} flagged as the
 * master, which executes the command stream. Reconnects once a second while down; acknowledges its offset
 * every second.
 */
public final class MasterLink {
    /** What ROLE and INFO say about the link (Redis's repl_state names). */
    enum State { CONNECT, CONNECTING, HANDSHAKE, SYNC, CONNECTED }

    private static final int EOF_MARK_LENGTH = 40;

    private final Replication replication;
    private final CinnabarServer server;
    final String host;
    final int port;
    private State state = State.CONNECT;
    private Channel channel;
    private ClientConnection master;
    private boolean closed;
    private long lastAttemptMillis;
    private long lastIoMillis;
    private long downSinceMillis;
    private boolean everConnected;
    /** No history to continue: PSYNC ? -1 until a first sync gives us one. */
    private boolean fromScratch;
    /** The snapshot being received: its length (-1 until known or when EOF-marked) and the bytes so far. */
    private long transferSize;
    private long transferRead;
    private long transferStartNanos;
    /** Bytes of the snapshot are still to come (repl-timeout applies to them). */
    private boolean receiving;

    MasterLink(Replication replication, String host, int port) {
        this.replication = replication;
        this.server = replication.server();
        this.host = host;
        this.port = port;
        this.downSinceMillis = -1;
    }

    void setFromScratch(boolean v) {
        fromScratch = v;
    }

    State state() {
        return state;
    }

    public boolean up() {
        return state == State.CONNECTED;
    }

    /** The master's connection once the stream flows (CLIENT LIST flags=M), else null. */
    ClientConnection master() {
        return master;
    }

    long lastIoSecondsAgo() {
        return state == State.CONNECTED ? (server.now() - lastIoMillis) / 1000 : -1;
    }

    /** Seconds since the link went down; -1 when it was never up (as Redis reports before the first sync). */
    long downSinceSeconds() {
        return downSinceMillis < 0 ? -1 : (server.now() - downSinceMillis) / 1000;
    }

    boolean syncInProgress() {
        return state == State.SYNC;
    }

    /** INFO's master_sync_total_bytes: the snapshot's length, -1 until known or when EOF-marked. */
    long transferSize() {
        return transferSize;
    }

    long transferRead() {
        return transferRead;
    }

    /** A full sync begins: the snapshot is awaited (Redis's REPL_STATE_TRANSFER). */
    private void syncStarted() {
        state = State.SYNC;
        transferSize = -1;
        transferRead = 0;
        transferStartNanos = System.nanoTime();
        receiving = true;
    }

    /** Seconds since the master last sent a byte (INFO's master_sync_last_io_seconds_ago). */
    long transferLastIoSecondsAgo() {
        return (server.now() - lastIoMillis) / 1000;
    }

    void connect() {
        if (closed) {
            return;
        }
        state = State.CONNECTING;
        lastAttemptMillis = server.now();
        server.log().info("Connecting to MASTER {}:{}", host, port);
        ChannelFuture f = server.transport().clientBootstrap()
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new Handshake());
                    }
                })
                .connect(host, port);
        channel = f.channel();
        f.addListener(done -> {
            if (!done.isSuccess()) {
                server.log().warn("Error condition on socket for SYNC: {}", done.cause().getMessage());
                linkDown();
            }
        });
    }

    void close() {
        closed = true;
        if (master != null) {
            master.close();
        }
        if (channel != null) {
            channel.close();
        }
    }

    private void linkDown() {
        if (state == State.CONNECTED || everConnected && downSinceMillis < 0) {
            downSinceMillis = server.now();
        }
        state = State.CONNECT;
        master = null;
    }

    void clientClosed(ClientConnection c) {
        if (c == master) {
            replication.rememberMasterStreamDb(c.dbIndex());
            server.log().info("Connection with master lost.");
            linkDown();
        }
    }

    /** Once a second: reconnect while down, acknowledge the offset while up, drop a silent master. */
    void cron() {
        if (closed) {
            return;
        }
        if (state == State.CONNECT && server.now() - lastAttemptMillis >= 1000) {
            SnapshotSource loads = replication.snapshots();
            if (loads == null || !loads.loadInProgress()) { // a link broken just after its payload ended
                connect();
            }
        } else if (state == State.SYNC && receiving
                && server.now() - lastIoMillis > server.config().getLong("repl-timeout") * 1000) {
            server.log().warn("Timeout receiving bulk data from MASTER... If the problem persists try to set the "
                    + "'repl-timeout' parameter in redis.conf to a larger value.");
            channel.close();
        } else if (state == State.CONNECTED) {
            long timeout = server.config().getLong("repl-timeout") * 1000;
            if (server.now() - lastIoMillis > timeout) {
                server.log().warn("MASTER timeout: no data nor PING received...");
                master.close();
                return;
            }
            sendAck();
        }
    }

    /** REPLCONF ACK offset (also the reply to REPLCONF GETACK). */
    void sendAck() {
        if (master != null) {
            byte[] ack = command("REPLCONF", "ACK", Long.toString(replication.offset()), "FACK",
                    Long.toString(server.appendOnlyFile().fsyncedReplOffset()));
            master.writeStream(ack, 0, ack.length);
            master.flushStream();
        }
    }

    /** A command from the master was applied: the link is alive. */
    void applied() {
        lastIoMillis = server.now();
    }

    private static byte[] command(String... args) {
        byte[][] argv = new byte[args.length][];
        for (int i = 0; i < args.length; i++) {
            argv[i] = args[i].getBytes(StandardCharsets.UTF_8);
        }
        return io.cinnabar.kernel.propagation.CommandEncoder.encode(argv);
    }

    /** The handshake and the snapshot transfer, one reply line at a time, then the switch to the stream. */
    private final class Handshake extends ChannelInboundHandlerAdapter {
        private ByteBuf in;
        private final List<String> pending = new ArrayList<>();
        private String step;
        private String masterId;
        private long masterOffset;
        private long bulkLength = -2;   // -2: no header yet; -1: EOF-marked; else the payload length
        private byte[] eofMark;
        private SyncPayload payload;
        private boolean payloadEnded;

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            if (closed) {
                ctx.close();
                return;
            }
            in = ctx.alloc().buffer();
            state = State.HANDSHAKE;
            lastIoMillis = server.now();
            String user = server.config().get("masteruser");
            String pass = server.config().get("masterauth");
            pending.add("PING");
            if (pass != null && !pass.isEmpty()) {
                pending.add(user != null && !user.isEmpty() ? "AUTH\0" + user + "\0" + pass : "AUTH\0" + pass);
            }
            pending.add("REPLCONF\0listening-port\0" + announcedPort());
            String ip = server.config().get("replica-announce-ip");
            if (ip != null && !ip.isEmpty()) {
                pending.add("REPLCONF\0ip-address\0" + ip);
            }
            pending.add("REPLCONF\0capa\0eof\0capa\0psync2");
            pending.add("PSYNC\0" + (fromScratch ? "?\0-1" : replication.replId() + "\0" + (replication.offset() + 1))
                    + (replication.failover().inProgress() ? "\0FAILOVER" : ""));
            next(ctx);
        }

        private String announcedPort() {
            long p = server.config().getLong("replica-announce-port");
            return Long.toString(p != 0 ? p : server.port());
        }

        private void next(ChannelHandlerContext ctx) {
            step = pending.remove(0);
            ctx.writeAndFlush(ctx.alloc().buffer().writeBytes(command(step.split("\0"))));
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf data = (ByteBuf) msg;
            try {
                in.writeBytes(data);
            } finally {
                data.release();
            }
            lastIoMillis = server.now();
            try {
                while (ctx.channel().isActive() && process(ctx)) {
                    // keep going while complete replies are buffered
                }
            } catch (IOException e) {
                server.log().warn("Replication with master failed: {}", e.getMessage());
                ctx.close();
            }
        }

        /** Handles one complete reply line or the snapshot; false when more bytes are needed. */
        private boolean process(ChannelHandlerContext ctx) throws IOException {
            if (state == State.SYNC) {
                return transfer(ctx);
            }
            String line = readLine();
            if (line == null) {
                return false;
            }
            if (line.isEmpty()) {
                return true; // a keepalive newline
            }
            String cmd = step.substring(0, step.indexOf('\0') < 0 ? step.length() : step.indexOf('\0'));
            if (cmd.equals("PSYNC") || cmd.equals("SYNC")) {
                return psyncReply(ctx, cmd, line);
            }
            if (line.startsWith("-")) {
                boolean pingAuthError = cmd.equals("PING") && (line.startsWith("-NOAUTH")
                        || line.startsWith("-NOPERM") || line.startsWith("-ERR operation not permitted"));
                boolean replconfIgnorable = cmd.equals("REPLCONF") && step.contains("capa");
                if (!pingAuthError && !replconfIgnorable) {
                    server.log().warn("Error reply to {} from master: '{}'", cmd, line.substring(1));
                    ctx.close();
                    return false;
                }
            }
            next(ctx);
            return true;
        }

        private boolean psyncReply(ChannelHandlerContext ctx, String cmd, String line) {
            if (line.startsWith("+FULLRESYNC") || line.startsWith("+CONTINUE")) {
                replication.failover().succeeded();
            } else if (replication.failover().inProgress()) {
                server.log().warn("Failover target refused PSYNC FAILOVER: {}", line);
                replication.failover().abort("target refused the failover: " + line);
                return false;
            }
            if (line.startsWith("+FULLRESYNC")) {
                String[] parts = line.split(" ");
                masterId = parts.length > 1 ? parts[1] : Replication.NO_ID;
                masterOffset = parts.length > 2 ? Long.parseLong(parts[2]) : 0;
                syncStarted();
                server.log().info("Full resync from master: {}:{}", masterId, masterOffset);
                return true;
            }
            if (line.startsWith("+CONTINUE")) {
                String newId = line.length() > 10 ? line.substring(10).trim() : "";
                server.log().info("Successful partial resynchronization with master.");
                if (!newId.isEmpty() && !newId.equals(replication.replId())) {
                    replication.continueWithNewId(newId);
                }
                replication.ensureBacklog();
                startStream(ctx);
                return false;
            }
            if (cmd.equals("PSYNC") && line.startsWith("-ERR")) {
                step = "SYNC"; // a master without PSYNC: the old full sync, no id or offset in reply
                masterId = Replication.NO_ID;
                syncStarted();
                ctx.writeAndFlush(ctx.alloc().buffer().writeBytes(command("SYNC")));
                return true;
            }
            // -NOMASTERLINK, -LOADING, anything else: try again later
            server.log().warn("Unexpected reply to PSYNC from master: {}", line);
            ctx.close();
            return false;
        }

        /** Reads the snapshot's header, then passes its bytes on as they arrive; loads it once complete. */
        private boolean transfer(ChannelHandlerContext ctx) throws IOException {
            if (payload == null) {
                return payloadHeader(ctx);
            }
            if (payloadEnded) {
                return false; // the load is finishing; what the master sends meanwhile waits in the buffer
            }
            boolean complete;
            if (bulkLength >= 0) {
                int n = (int) Math.min(in.readableBytes(), bulkLength - transferRead);
                transferRead += n;
                payload.write(in.readSlice(n));
                complete = transferRead == bulkLength;
            } else {
                // the last 40 bytes stay behind until the end is known: they may be the EOF mark
                boolean marked = endsWithMark();
                int n = in.readableBytes() - EOF_MARK_LENGTH;
                if (n > 0) {
                    transferRead += n;
                    payload.write(in.readSlice(n));
                }
                if (marked) {
                    in.skipBytes(EOF_MARK_LENGTH);
                }
                complete = marked;
            }
            in.discardSomeReadBytes();
            if (complete) {
                payloadEnded = true;
                receiving = false;
                payload.end(error -> loaded(ctx, error));
            }
            return false;
        }

        private boolean payloadHeader(ChannelHandlerContext ctx) throws IOException {
            String header = readLine();
            if (header == null) {
                return false;
            }
            if (header.isEmpty()) {
                return true; // the master is still preparing the snapshot
            }
            if (header.startsWith("-")) {
                throw new IOException("MASTER aborted replication with an error: " + header.substring(1));
            }
            if (!header.startsWith("$")) {
                throw new IOException("Bad protocol from MASTER, the first byte is not '$': " + header);
            }
            if (header.startsWith("$EOF:")) {
                eofMark = header.substring(5).getBytes(StandardCharsets.US_ASCII);
                if (eofMark.length != EOF_MARK_LENGTH) {
                    throw new IOException("bad EOF mark from master");
                }
                bulkLength = -1;
            } else {
                try {
                    bulkLength = Long.parseLong(header.substring(1));
                } catch (NumberFormatException e) {
                    throw new IOException("Bad protocol from MASTER, the length is not a number: " + header);
                }
                if (bulkLength < 0) {
                    throw new IOException("Bad protocol from MASTER, negative length: " + header);
                }
            }
            transferSize = bulkLength;
            payload = SyncPayload.open(replication.snapshots(), server.config().get("repl-diskless-load"),
                    datasetEmpty(), masterId, replication.replId(), bulkLength, ctx.channel(), server.log());
            return true;
        }

        private boolean datasetEmpty() {
            for (io.cinnabar.kernel.keyspace.Database db : server.databases()) {
                if (db.size() > 0) {
                    return false;
                }
            }
            return true;
        }

        private boolean endsWithMark() {
            int from = in.readerIndex();
            int to = in.writerIndex();
            if (to - from < EOF_MARK_LENGTH) {
                return false;
            }
            int candidate = to - EOF_MARK_LENGTH;
            for (int i = 0; i < EOF_MARK_LENGTH; i++) {
                if (in.getByte(candidate + i) != eofMark[i]) {
                    return false;
                }
            }
            return true;
        }

        /** The snapshot replaced the dataset (or failed to): the history is the master's, the stream starts. */
        private void loaded(ChannelHandlerContext ctx, Throwable error) {
            payload = null;
            if (error != null) {
                server.log().warn("Failed trying to load the MASTER synchronization DB: {}", error.getMessage());
                ctx.close();
                return;
            }
            server.log().info("MASTER <-> REPLICA sync: Finished with success ({} bytes in {} ms)", transferRead,
                    (System.nanoTime() - transferStartNanos) / 1_000_000);
            if (closed) {
                return;
            }
            replication.disconnectReplicas(); // they resync with the history this snapshot starts
            replication.adoptHistory(masterId, masterOffset);
            fromScratch = false;
            if (ctx.channel().isActive()) {
                startStream(ctx);
            }
        }

        /** From now on the connection carries the command stream: a master client executes it. */
        private void startStream(ChannelHandlerContext ctx) {
            ClientConnection c = new ClientConnection(server, server.newClientId());
            c.setMaster(true);
            ctx.pipeline().addLast(c);
            ctx.pipeline().remove(this);
            c.channelActive(ctx.pipeline().context(c));
            c.setAuthenticated(true, "default");
            c.muteReplies();
            c.selectDb(replication.masterStreamDb()); // the stream continues in the database it had selected
            master = c;
            state = State.CONNECTED;
            everConnected = true;
            downSinceMillis = -1;
            lastIoMillis = server.now();
            server.log().info("MASTER <-> REPLICA sync: Master accepted a Partial Resynchronization or finished "
                    + "a full one; streaming");
            ByteBuf rest = in.isReadable() ? in.retainedSlice() : null;
            in.release();
            in = null;
            sendAck();
            if (rest != null) {
                ctx.pipeline().fireChannelRead(rest);
                ctx.pipeline().fireChannelReadComplete();
            }
        }

        private String readLine() {
            int from = in.readerIndex();
            int nl = in.indexOf(from, in.writerIndex(), (byte) '\n');
            if (nl < 0) {
                return null;
            }
            int end = nl > from && in.getByte(nl - 1) == '\r' ? nl - 1 : nl;
            String line = in.toString(from, end - from, StandardCharsets.UTF_8);
            in.readerIndex(nl + 1);
            return line;
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (payload != null) {
                payload.abort();
                payload = null;
            }
            if (in != null) {
                in.release();
                in = null;
            }
            if (state != State.CONNECTED) {
                linkDown();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            server.log().warn("Replication link error: {}", cause.toString());
            ctx.close();
        }
    }
}
