package io.cinnabar.kernel.net;

import io.cinnabar.kernel.server.CinnabarServer;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * Netty transport: one event loop thread accepts, reads, executes and writes (the execution thread),
 * with native epoll where it loads and NIO otherwise (measured: within noise of each other).
 */
public final class Transport {
    /**
     * A read asks the socket for at least this much. Netty's default guess shrinks, 16 bytes at a time below
     * 512, to what the last reads brought, and a read that fills its buffer is followed by one more: a client
     * pipelining the same 400-byte batch (16 SPOPs) over and over had every ninth read come back empty (EAGAIN),
     * 12% more read calls than Redis (strace). From 512 up the guesses are powers of two, so only a batch of
     * exactly 2, 4, 8... KB could still do that. Not more: with a 16 KB floor (Redis's query buffer) the read
     * buffer's allocation was 1.5% of the event loop's samples of LPUSH at pipeline 1 (50-byte requests), against
     * 0.6% with Netty's default floor of 64 and 1.0% with this one.
     */
    private static final int READ_MIN = 2048;
    /** Reads grow up to this while the socket keeps filling them (large values, long pipelines). */
    private static final int READ_MAX = 64 * 1024;
    private final CinnabarServer server;
    private EventLoopGroup group;
    private final List<Channel> listeners = new ArrayList<>();
    private int boundPort;
    private boolean epoll;

    public Transport(CinnabarServer server) {
        this.server = server;
    }

    public void start() throws InterruptedException {
        epoll = Epoll.isAvailable();
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        group = new MultiThreadIoEventLoopGroup(1, r -> {
            Thread t = new Thread(r, "cinnabar-main");
            t.setDaemon(false);
            return t;
        }, io);
        Class<? extends ServerChannel> channelType = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        ServerBootstrap b = new ServerBootstrap()
                .group(group)
                .channel(channelType)
                .option(ChannelOption.SO_BACKLOG, server.config().getInt("tcp-backlog"))
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, server.config().getLong("tcp-keepalive") > 0)
                .childOption(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(1 << 20, 8 << 20))
                .childOption(ChannelOption.RCVBUF_ALLOCATOR,
                        new AdaptiveRecvByteBufAllocator(READ_MIN, READ_MIN, READ_MAX))
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new ClientConnection(server, server.newClientId()));
                    }
                });
        int port = server.config().getInt("port");
        for (String addr : bindAddresses()) {
            boolean optional = addr.startsWith("-");
            String host = optional ? addr.substring(1) : addr;
            try {
                InetSocketAddress sa = host.equals("*") ? new InetSocketAddress(port)
                        : host.equals("::*") ? new InetSocketAddress("::", port) : new InetSocketAddress(host, port);
                Channel ch = b.bind(sa).sync().channel();
                listeners.add(ch);
                if (boundPort == 0) {
                    boundPort = ((InetSocketAddress) ch.localAddress()).getPort();
                    port = boundPort; // port 0: every address shares the first one chosen
                }
            } catch (Exception e) {
                if (!optional) {
                    group.shutdownGracefully();
                    throw new IllegalStateException("Failed listening on port " + port + " (tcp), aborting: "
                            + e.getMessage(), e);
                }
            }
        }
        server.log().info("Server initialized on port {} ({} transport)", boundPort, epoll ? "epoll" : "nio");
    }

    private List<String> bindAddresses() {
        String bind = server.config().get("bind").trim();
        List<String> out = new ArrayList<>();
        for (String a : bind.split("\\s+")) {
            if (!a.isEmpty()) {
                out.add(a);
            }
        }
        // "*" already covers IPv6 on a dual-stack socket; binding "::*" too would collide
        if (out.contains("*")) {
            out.removeIf(a -> a.equals("-::*") || a.equals("::*"));
        }
        return out;
    }

    /** A bootstrap for outgoing connections (a replica's link to its master) on the execution thread's loop. */
    public io.netty.bootstrap.Bootstrap clientBootstrap() {
        return new io.netty.bootstrap.Bootstrap().group(group)
                .channel(epoll ? io.netty.channel.epoll.EpollSocketChannel.class
                        : io.netty.channel.socket.nio.NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 5000);
    }

    public EventLoop loop() {
        return group.next();
    }

    public int port() {
        return boundPort;
    }

    public boolean isEpoll() {
        return epoll;
    }

    public void stop() {
        for (Channel c : listeners) {
            c.close();
        }
        for (ClientConnection c : server.clients().all()) {
            c.flush();
            c.close();
        }
        group.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS);
    }

    public void awaitTermination() throws InterruptedException {
        group.terminationFuture().sync();
    }
}
