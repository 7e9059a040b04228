package io.cinnabar.kernel.replication;

import io.cinnabar.testkit.RespClient;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A master played by the test: answers a replica's handshake as Redis does (PING, REPLCONF, then PSYNC with
 * {@code +FULLRESYNC <id> <offset>}), then sends the snapshot in whatever pieces and pauses the test wants, so
 * what a replica does in the middle of a transfer can be observed, and a transfer can break off.
 */
final class ScriptedMaster implements AutoCloseable {
    private final ServerSocket listener;
    private Socket socket;
    private InputStream in;
    private OutputStream out;

    ScriptedMaster() throws IOException {
        listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        listener.setSoTimeout(20_000);
    }

    int port() {
        return listener.getLocalPort();
    }

    /** Waits for a replica and answers its handshake up to PSYNC, which gets a full resync to {@code id}. */
    void acceptFullResync(String id, long offset) throws IOException {
        socket = listener.accept();
        socket.setSoTimeout(20_000);
        in = new BufferedInputStream(socket.getInputStream());
        out = socket.getOutputStream();
        while (true) {
            List<String> cmd = readCommand();
            String name = cmd.get(0).toUpperCase();
            if (name.equals("PING")) {
                reply("+PONG\r\n");
            } else if (name.equals("PSYNC") || name.equals("SYNC")) {
                reply("+FULLRESYNC " + id + " " + offset + "\r\n");
                return;
            } else {
                reply("+OK\r\n");
            }
        }
    }

    /** Raw bytes to the replica: a payload header, a piece of the snapshot, a command of the stream. */
    void send(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
        out.flush();
    }

    void reply(String text) throws IOException {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        send(b, 0, b.length);
    }

    /** A command of the stream, as a master propagates it. */
    void command(String... args) throws IOException {
        byte[][] b = new byte[args.length][];
        for (int i = 0; i < args.length; i++) {
            b[i] = args[i].getBytes(StandardCharsets.UTF_8);
        }
        byte[] enc = RespClient.encode(b);
        send(enc, 0, enc.length);
    }

    /** The connection breaks off (the replica's read ends). */
    void drop() throws IOException {
        socket.close();
    }

    private List<String> readCommand() throws IOException {
        String head = line();
        List<String> args = new ArrayList<>();
        if (!head.startsWith("*")) {
            args.add(head.trim()); // an inline command
            return args;
        }
        int n = Integer.parseInt(head.substring(1));
        for (int i = 0; i < n; i++) {
            int len = Integer.parseInt(line().substring(1));
            args.add(new String(in.readNBytes(len), StandardCharsets.UTF_8));
            in.readNBytes(2);
        }
        return args;
    }

    private String line() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != '\n') {
            if (c < 0) {
                throw new IOException("the replica closed the link");
            }
            b.write(c);
        }
        String s = b.toString(StandardCharsets.UTF_8);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }

    @Override
    public void close() throws IOException {
        if (socket != null) {
            socket.close();
        }
        listener.close();
    }
}
