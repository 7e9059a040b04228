package io.cinnabar.kernel.replication;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cinnabar.testkit.RespClient;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** A replica speaking the protocol by hand, reading the payload byte for byte. */
final class RawReplica implements AutoCloseable {
    final Socket socket;
    final DataInputStream in;
    final OutputStream out;

    RawReplica(int port) throws IOException {
        this(port, 0);
    }

    /** {@code receiveBuffer} > 0: a small socket receive buffer, so a replica that stops reading fills up fast. */
    RawReplica(int port, int receiveBuffer) throws IOException {
        socket = new Socket();
        if (receiveBuffer > 0) {
            socket.setReceiveBufferSize(receiveBuffer);
        }
        socket.connect(new InetSocketAddress("127.0.0.1", port));
        socket.setSoTimeout(20_000);
        in = new DataInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    void send(String... args) throws IOException {
        byte[][] b = new byte[args.length][];
        for (int i = 0; i < args.length; i++) {
            b[i] = args[i].getBytes(StandardCharsets.UTF_8);
        }
        out.write(RespClient.encode(b));
        out.flush();
    }

    /** The next line, skipping the bare newlines a master sends while the replica waits. */
    String line() throws IOException {
        while (true) {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            int c;
            while ((c = in.read()) != '\n') {
                if (c < 0) {
                    throw new IOException("closed");
                }
                b.write(c);
            }
            String s = b.toString(StandardCharsets.ISO_8859_1);
            if (s.endsWith("\r")) {
                s = s.substring(0, s.length() - 1);
            }
            if (!s.isEmpty()) {
                return s;
            }
        }
    }

    /** Bytes until (without) {@code mark}, which ends the payload. */
    byte[] untilMark(byte[] mark) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        while (true) {
            b.write(in.readUnsignedByte());
            byte[] sofar = b.toByteArray();
            int n = sofar.length;
            if (n >= mark.length && Arrays.equals(sofar, n - mark.length, n, mark, 0, mark.length)) {
                return Arrays.copyOf(sofar, n - mark.length);
            }
        }
    }

    /** The next command of the stream but the master's periodic PING, as its arguments joined by spaces. */
    String command() throws IOException {
        String c;
        do {
            c = anyCommand();
        } while (c.equals("PING"));
        return c;
    }

    private String anyCommand() throws IOException {
        String head = line();
        assertTrue(head.startsWith("*"), head);
        int n = Integer.parseInt(head.substring(1));
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            int len = Integer.parseInt(line().substring(1));
            byte[] arg = in.readNBytes(len);
            in.readNBytes(2);
            sb.append(i == 0 ? "" : " ").append(new String(arg, StandardCharsets.UTF_8));
        }
        return sb.toString();
    }

    /** REPLCONF capa eof capa psync2, then PSYNC ? -1: returns the +FULLRESYNC line. */
    String fullSync() throws IOException {
        send("REPLCONF", "capa", "eof", "capa", "psync2");
        String ok = line();
        assertTrue(ok.equals("+OK"), ok);
        send("PSYNC", "?", "-1");
        return line();
    }

    /** True once the master closed the link (reading and dropping whatever it still sent). */
    boolean closedByMaster() {
        try {
            byte[] b = new byte[65536];
            while (in.read(b) >= 0) {
                // drain
            }
            return true;
        } catch (IOException e) {
            return e.getMessage() != null && e.getMessage().contains("reset");
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
