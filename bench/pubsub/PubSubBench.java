import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Pub/Sub fan-out benchmark, run as a single-file program (java PubSubBench.java port subscribers messages):
 * {@code subscribers} RESP2 connections SUBSCRIBE one channel; 4 publisher connections send {@code messages}
 * PUBLISH commands in total, pipelined 16 at a time. The clock runs from the first PUBLISH until every
 * subscriber has read every message (counted in bytes: each message has the same size). Prints one line:
 * "delivered_per_sec publish_per_sec".
 */
public final class PubSubBench {
    private static final String CHANNEL = "bench:channel";
    private static final int PUBLISHERS = 4;
    private static final int PIPELINE = 16;

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        int subscribers = Integer.parseInt(args[1]);
        int messages = Integer.parseInt(args[2]);
        byte[] payload = "x".repeat(args.length > 3 ? Integer.parseInt(args[3]) : 16).getBytes(StandardCharsets.US_ASCII);
        byte[] publish = resp("PUBLISH".getBytes(StandardCharsets.US_ASCII), CHANNEL.getBytes(StandardCharsets.US_ASCII), payload);
        long messageBytes = ("*3\r\n$7\r\nmessage\r\n$" + CHANNEL.length() + "\r\n" + CHANNEL + "\r\n$" + payload.length
                + "\r\n").length() + payload.length + 2;
        long subscribeReplyBytes = ("*3\r\n$9\r\nsubscribe\r\n$" + CHANNEL.length() + "\r\n" + CHANNEL + "\r\n:1\r\n").length();

        Selector selector = Selector.open();
        List<SocketChannel> subs = new ArrayList<>();
        byte[] subscribe = resp("SUBSCRIBE".getBytes(StandardCharsets.US_ASCII), CHANNEL.getBytes(StandardCharsets.US_ASCII));
        for (int i = 0; i < subscribers; i++) {
            SocketChannel ch = SocketChannel.open(new InetSocketAddress("127.0.0.1", port));
            ch.socket().setTcpNoDelay(true);
            ch.write(ByteBuffer.wrap(subscribe));
            subs.add(ch);
        }
        // wait until the server counts every subscriber (each read its subscribe reply below)
        ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20);
        for (SocketChannel ch : subs) {
            long got = 0;
            while (got < subscribeReplyBytes) {
                buf.clear();
                buf.limit((int) (subscribeReplyBytes - got));
                got += ch.read(buf);
            }
            ch.configureBlocking(false);
            ch.register(selector, SelectionKey.OP_READ);
        }
        long expected = messageBytes * messages * subscribers;
        AtomicLong received = new AtomicLong();
        Thread reader = new Thread(() -> {
            try {
                while (received.get() < expected) {
                    selector.select(1000);
                    for (SelectionKey k : selector.selectedKeys()) {
                        buf.clear();
                        int n = ((SocketChannel) k.channel()).read(buf);
                        if (n < 0) {
                            throw new IOException("subscriber disconnected");
                        }
                        received.addAndGet(n);
                    }
                    selector.selectedKeys().clear();
                }
            } catch (IOException e) {
                System.err.println("PubSubBench: " + e.getMessage());
                System.exit(2);
            }
        });
        reader.start();

        long start = System.nanoTime();
        List<Thread> publishers = new ArrayList<>();
        for (int p = 0; p < PUBLISHERS; p++) {
            int count = messages / PUBLISHERS + (p < messages % PUBLISHERS ? 1 : 0);
            Thread t = new Thread(() -> publish(port, publish, count));
            t.start();
            publishers.add(t);
        }
        for (Thread t : publishers) {
            t.join();
        }
        long published = System.nanoTime();
        reader.join();
        long done = System.nanoTime();
        double delivered = (double) messages * subscribers / ((done - start) / 1e9);
        double publishRate = messages / ((published - start) / 1e9);
        System.out.printf("%.0f %.0f%n", delivered, publishRate);
        for (SocketChannel ch : subs) {
            ch.close();
        }
    }

    /** Sends {@code count} PUBLISH commands, PIPELINE at a time, and reads each reply (":n\r\n"). */
    private static void publish(int port, byte[] command, int count) {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setTcpNoDelay(true);
            OutputStream out = s.getOutputStream();
            InputStream in = new BufferedInputStream(s.getInputStream(), 1 << 16);
            byte[] batch = new byte[command.length * PIPELINE];
            for (int i = 0; i < PIPELINE; i++) {
                System.arraycopy(command, 0, batch, i * command.length, command.length);
            }
            int sent = 0;
            while (sent < count) {
                int n = Math.min(PIPELINE, count - sent);
                out.write(batch, 0, n * command.length);
                out.flush();
                for (int i = 0; i < n; i++) {
                    int c;
                    while ((c = in.read()) != '\n') {
                        if (c < 0) {
                            throw new IOException("publisher disconnected");
                        }
                    }
                }
                sent += n;
            }
        } catch (IOException e) {
            System.err.println("PubSubBench: " + e.getMessage());
            System.exit(2);
        }
    }

    private static byte[] resp(byte[]... args) {
        StringBuilder sb = new StringBuilder("*" + args.length + "\r\n");
        java.io.ByteArrayOutputStream bo = new java.io.ByteArrayOutputStream();
        bo.writeBytes(sb.toString().getBytes(StandardCharsets.US_ASCII));
        for (byte[] a : args) {
            bo.writeBytes(("$" + a.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
            bo.writeBytes(a);
            bo.writeBytes(new byte[] {'\r', '\n'});
        }
        return bo.toByteArray();
    }
}
