package io.cinnabar.kernel.cluster;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.util.AttributeKey;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The cluster bus transport: a listener on the bus port and outbound connections, each with its own small
 * pipeline (frame decoder, then a handler that hands whole messages to {@link Cluster}). Channels live on
 * the execution thread's event loop, so the cluster state needs no locks; the work per message is small.
 */
final class ClusterBus {
    /** Frames are at most the largest PUBLISH a client may send; anything bigger is a broken peer. */
    private static final int MAX_FRAME = 512 * 1024 * 1024 + BusMessage.HEADER + 8;
    private final Cluster cluster;
    private final EventLoop loop;
    private final boolean epoll;
    private static final AttributeKey<ClusterLink> LINK = AttributeKey.valueOf("cinnabar.cluster.link");
    private final List<Channel> listeners = new ArrayList<>();

    ClusterBus(Cluster cluster, EventLoop loop, boolean epoll) {
        this.cluster = cluster;
        this.loop = loop;
        this.epoll = epoll;
    }

    void listen(List<String> addresses, int port) {
        ServerBootstrap b = new ServerBootstrap().group(loop)
                .channel(epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ClusterLink link = new ClusterLink(ch, true, null, System.currentTimeMillis());
                        link.connected = true;
                        ch.attr(LINK).set(link);
                        pipeline(ch);
                    }
                });
        for (String addr : addresses) {
            boolean optional = addr.startsWith("-");
            String host = optional ? addr.substring(1) : addr;
            try {
                InetSocketAddress sa = host.equals("*") ? new InetSocketAddress(port)
                        : host.equals("::*") ? new InetSocketAddress("::", port) : new InetSocketAddress(host, port);
                listeners.add(b.bind(sa).sync().channel());
            } catch (Exception e) {
                if (!optional) {
                    close();
                    throw new IllegalStateException("Failed listening on port " + port
                            + " (cluster), aborting: " + e.getMessage(), e);
                }
            }
        }
    }

    /** Opens an outbound link to the node's bus port; the link reports to the cluster when connected. */
    ClusterLink connect(ClusterNode node, int timeoutMillis) {
        Bootstrap b = new Bootstrap().group(loop)
                .channel(epoll ? EpollSocketChannel.class : NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, Math.max(1000, timeoutMillis));
        b.handler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                pipeline(ch);
            }
        });
        // registration may run inline on this loop, so the link is attached before any byte can arrive
        Channel ch = b.register().channel();
        ClusterLink link = new ClusterLink(ch, false, node, System.currentTimeMillis());
        ch.attr(LINK).set(link);
        ChannelFuture f = ch.connect(new InetSocketAddress(node.ip, node.cport));
        f.addListener(done -> {
            if (done.isSuccess()) {
                link.connected = true;
                cluster.onConnected(link);
            } else {
                cluster.onDisconnected(link); // a channel that never connected reports no inactive event
                ch.close();
            }
        });
        return link;
    }

    private void pipeline(Channel ch) {
        ch.pipeline().addLast(new LengthFieldBasedFrameDecoder(MAX_FRAME, BusMessage.OFF_TOTLEN, 4, -8, 0));
        ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                ByteBuf buf = (ByteBuf) msg;
                byte[] frame = new byte[buf.readableBytes()];
                buf.readBytes(frame);
                buf.release();
                cluster.onMessage(ctx.channel().attr(LINK).get(), frame);
            }

            @Override
            public void channelInactive(ChannelHandlerContext ctx) {
                cluster.onDisconnected(ctx.channel().attr(LINK).get());
            }

            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                if (!(cause instanceof java.io.IOException)) {
                    cluster.server.log().warn("cluster bus link failed: {}", cause.toString(), cause);
                }
                ctx.close();
            }
        });
    }

    void close() {
        for (Channel c : listeners) {
            c.close();
        }
        listeners.clear();
    }
}
