package io.cinnabar.testkit;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * A raw RESP client for byte-exact checks: sends commands as multibulk (or any raw bytes) and returns
 * each reply exactly as the server wrote it, e.g. {@code "$3\r\nbar\r\n"}. Understands RESP2 and RESP3
 * framing so it can tell where one reply ends.
 */
public final class RespClient implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    public RespClient(String host, int port) {
        try {
            socket = new Socket(host, port);
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(10_000);
            in = new BufferedInputStream(socket.getInputStream());
            out = socket.getOutputStream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sends one command and returns its raw reply. */
    public String call(String... args) {
        send(args);
        return readReply();
    }

    /** Sends one command whose arguments are raw bytes and returns its raw reply. */
    public String callBytes(byte[]... args) {
        writeRaw(encode(args));
        return readReply();
    }

    public void send(String... args) {
        byte[][] b = new byte[args.length][];
        for (int i = 0; i < args.length; i++) {
            b[i] = args[i].getBytes(StandardCharsets.UTF_8);
        }
        writeRaw(encode(b));
    }

    public static byte[] encode(byte[]... args) {
        ByteArrayOutputStream bo = new ByteArrayOutputStream();
        bo.writeBytes(("*" + args.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
        for (byte[] a : args) {
            bo.writeBytes(("$" + a.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
            bo.writeBytes(a);
            bo.writeBytes(new byte[] {'\r', '\n'});
        }
        return bo.toByteArray();
    }

    public void writeRaw(byte[] bytes) {
        try {
            out.write(bytes);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void writeRaw(String s) {
        writeRaw(s.getBytes(StandardCharsets.UTF_8));
    }

    /** Reads exactly one reply (with nested elements) and returns its raw text (ISO-8859-1 for bytes). */
    public String readReply() {
        ByteArrayOutputStream bo = new ByteArrayOutputStream();
        try {
            readOne(bo);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bo.toString(StandardCharsets.ISO_8859_1);
    }

    /** One protocol line without its CRLF (replication handshakes, where a bulk has no trailing CRLF). */
    public String readLine() {
        try {
            return readLine(new ByteArrayOutputStream());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** True when the server closed the connection (reads EOF within the timeout). */
    public boolean isClosedByServer() {
        try {
            socket.setSoTimeout(5000);
            return in.read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    public void setTimeoutMillis(int ms) {
        try {
            socket.setSoTimeout(ms);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void readOne(ByteArrayOutputStream bo) throws IOException {
        String line = readLine(bo);
        char type = line.charAt(0);
        switch (type) {
            case '+', '-', ':', ',', '#', '(', '_' -> {
            }
            case '$', '=', '!' -> {
                int n = Integer.parseInt(line.substring(1));
                if (n >= 0) {
                    byte[] b = in.readNBytes(n + 2);
                    if (b.length < n + 2) {
                        throw new IOException("connection closed in a bulk");
                    }
                    bo.writeBytes(b);
                }
            }
            case '*', '~', '>' -> {
                int n = Integer.parseInt(line.substring(1));
                for (int i = 0; i < n; i++) {
                    readOne(bo);
                }
            }
            case '%', '|' -> {
                int n = Integer.parseInt(line.substring(1));
                for (int i = 0; i < 2 * n; i++) {
                    readOne(bo);
                }
            }
            default -> throw new IOException("unexpected reply type: " + line);
        }
    }

    private String readLine(ByteArrayOutputStream bo) throws IOException {
        StringBuilder sb = new StringBuilder();
        int prev = -1;
        while (true) {
            int c = in.read();
            if (c < 0) {
                throw new IOException("connection closed by server");
            }
            bo.write(c);
            if (prev == '\r' && c == '\n') {
                sb.setLength(sb.length() - 1);
                return sb.toString();
            }
            sb.append((char) c);
            prev = c;
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing a test socket
        }
    }
}
