package io.cinnabar.testkit;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads what a server sends its replicas: attaches to a real server as a replica with the old {@code SYNC}
 * handshake, skips the RDB payload and keeps the command stream, one line per command ({@code "SET k v"},
 * arguments joined by spaces). The same parser reads any RESP command stream (an AOF, an encoder's bytes).
 */
public final class ReplicationSniffer implements AutoCloseable {
    private final Socket socket;
    private final List<String> commands = new ArrayList<>();
    private final Thread reader;

    private ReplicationSniffer(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.getOutputStream().write("SYNC\r\n".getBytes(StandardCharsets.US_ASCII));
        InputStream in = new BufferedInputStream(socket.getInputStream());
        skipSnapshot(in);
        reader = new Thread(() -> readStream(in), "replication-sniffer");
        reader.setDaemon(true);
        reader.start();
    }

    /** Attaches to the server on {@code port}; returns once the snapshot has been received. */
    public static ReplicationSniffer attach(int port) {
        try {
            return new ReplicationSniffer(port);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every command received so far, replication PINGs left out. */
    public List<String> commands() {
        synchronized (commands) {
            return new ArrayList<>(commands);
        }
    }

    /** Waits until at least {@code n} commands arrived (or the deadline passed) and returns them all. */
    public List<String> awaitCommands(int n, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (commands) {
            while (commands.size() < n && System.nanoTime() < deadline) {
                try {
                    commands.wait(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            return new ArrayList<>(commands);
        }
    }

    /** The commands in a RESP command stream such as an AOF or an encoder's output. */
    public static List<String> parse(byte[] stream) {
        List<String> out = new ArrayList<>();
        try {
            InputStream in = new java.io.ByteArrayInputStream(stream);
            String cmd;
            while ((cmd = readCommand(in)) != null) {
                out.add(cmd);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    private static void skipSnapshot(InputStream in) throws IOException {
        int b;
        while ((b = in.read()) == '\n') {
            // keepalive newlines while the master prepares the snapshot
        }
        if (b != '$') {
            throw new IOException("expected a bulk snapshot, got " + (char) b + line(in));
        }
        long len = Long.parseLong(line(in));
        while (len > 0) {
            long skipped = in.skip(len);
            if (skipped <= 0) {
                if (in.read() < 0) {
                    throw new IOException("snapshot cut short");
                }
                skipped = 1;
            }
            len -= skipped;
        }
    }

    private void readStream(InputStream in) {
        try {
            String cmd;
            while ((cmd = readCommand(in)) != null) {
                if (cmd.equalsIgnoreCase("PING")) {
                    continue;
                }
                synchronized (commands) {
                    commands.add(cmd);
                    commands.notifyAll();
                }
            }
        } catch (IOException e) {
            // closed
        }
    }

    private static String readCommand(InputStream in) throws IOException {
        int b;
        while ((b = in.read()) == '\n') {
            // keepalive
        }
        if (b < 0) {
            return null;
        }
        if (b != '*') {
            throw new IOException("expected a multibulk, got " + (char) b);
        }
        int n = Integer.parseInt(line(in));
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            if (in.read() != '$') {
                throw new IOException("expected a bulk argument");
            }
            int len = Integer.parseInt(line(in));
            byte[] arg = in.readNBytes(len);
            in.readNBytes(2);
            if (i > 0) {
                sb.append(' ');
            }
            sb.append(new String(arg, StandardCharsets.ISO_8859_1));
        }
        return sb.toString();
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        int b;
        while ((b = in.read()) >= 0 && b != '\r') {
            sb.append((char) b);
        }
        in.read(); // '\n'
        return sb.toString();
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // closing anyway
        }
    }
}
