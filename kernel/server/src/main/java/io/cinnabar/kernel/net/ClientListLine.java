package io.cinnabar.kernel.net;

import io.cinnabar.api.Args;
import io.cinnabar.kernel.server.Transaction;

/**
 * One client described as CLIENT LIST / CLIENT INFO print it (Redis 7.2's catClientInfoString): the same
 * fields in the same order. Memory figures follow Redis's accounting where the JVM has a counterpart
 * (query buffer, argument bytes, queued transaction, emulated reply buffer, pending socket output).
 */
public final class ClientListLine {
    /** What Redis's client struct weighs (zmalloc_size(client)), part of tot-mem. */
    private static final int CLIENT_STRUCT_BYTES = 896;
    private static final int POINTER = 8;

    private ClientListLine() {
    }

    /**
     * Appends the line of {@code c} (without newline). {@code executing} are the arguments of the command
     * {@code c} is running now (the CLIENT LIST/INFO caller), or null for another client.
     */
    public static void append(StringBuilder sb, ClientConnection c, Args executing, long nowMillis) {
        Args argv = executing != null ? executing : c.postponedArgs();
        long argvBytes = 0;
        int argc = 0;
        if (argv != null) {
            argc = argv.size();
            for (int i = 0; i < argc; i++) {
                argvBytes += argv.get(i).length;
            }
        }
        Transaction tx = c.transaction();
        long omem = c.outputBufferBytes();
        long totMem = omem + c.queryBufferCapacity() + CLIENT_STRUCT_BYTES + c.replyBufferSize()
                + argvBytes + (long) POINTER * argc + (tx == null ? 0 : tx.memoryOverhead());
        String name = c.name();
        sb.append("id=").append(c.id())
                .append(" addr=").append(c.remoteAddress())
                .append(" laddr=").append(c.localAddress())
                .append(" fd=").append(c.fd())
                .append(" name=").append(name == null ? "" : name)
                .append(" age=").append(nowMillis / 1000 - c.createdMillis() / 1000)
                .append(" idle=").append(Math.max(0, nowMillis / 1000 - c.lastInteractionMillis() / 1000))
                .append(" flags=");
        appendFlags(sb, c);
        sb.append(" db=").append(c.dbIndex())
                .append(" sub=").append(c.channelSubscriptions())
                .append(" psub=").append(c.patternSubscriptions())
                .append(" ssub=").append(c.shardSubscriptions())
                .append(" multi=").append(tx == null ? -1 : tx.size())
                .append(" qbuf=").append(c.queryBufferBytes())
                .append(" qbuf-free=").append(c.queryBufferFree())
                .append(" argv-mem=").append(argvBytes)
                .append(" multi-mem=").append(tx == null ? 0 : tx.argvMemory())
                .append(" rbs=").append(c.replyBufferSize())
                .append(" rbp=").append(c.replyBufferPeak())
                .append(" obl=").append(c.pendingReplyBytes())
                .append(" oll=").append(omem > 0 ? 1 : 0)
                .append(" omem=").append(omem)
                .append(" tot-mem=").append(totMem)
                .append(" events=").append(c.events())
                .append(" cmd=").append(c.lastCommand())
                .append(" user=").append(c.user())
                .append(" redir=").append(c.trackingRedirect())
                .append(" resp=").append(c.protocol())
                .append(" lib-name=").append(c.libName())
                .append(" lib-ver=").append(c.libVersion());
    }

    /** The flag letters in Redis's order; N when none applies. */
    private static void appendFlags(StringBuilder sb, ClientConnection c) {
        int start = sb.length();
        if (c.isMonitor()) {
            sb.append('O');
        } else if (c.isReplica()) {
            sb.append('S');
        }
        if (c.isMaster()) {
            sb.append('M');
        }
        if (c.isPubSub()) {
            sb.append('P');
        }
        if (c.transaction() != null) {
            sb.append('x');
        }
        if (c.blocked() != null || c.isPostponed()) {
            sb.append('b');
        }
        sb.append(c.trackingFlags());
        if (c.watchDirty()) {
            sb.append('d');
        }
        if (c.isClosing()) {
            sb.append('c');
        }
        if (c.clusterReadonly()) {
            sb.append('r');
        }
        if (c.noEvict()) {
            sb.append('e');
        }
        if (c.noTouch()) {
            sb.append('T');
        }
        if (sb.length() == start) {
            sb.append('N');
        }
    }
}
