import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;

/**
 * A writer's latency during BGSAVE, run as a single-file program (java BgsaveLatency.java port saves): one
 * connection does SET on random keys of the populated keyspace (key:0 .. key:999999), one request at a time.
 * It first measures 50000 SETs without a save, then starts BGSAVE {@code saves} times and measures the SETs
 * it completes while each save runs. Prints one line per phase: "quiet|save p50 p99 p999 max ops save_ms"
 * (latencies in microseconds).
 */
public final class BgsaveLatency {
    private static final int KEYS = 1_000_000;

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        int saves = Integer.parseInt(args[1]);
        try (Conn writer = new Conn(port); Conn control = new Conn(port)) {
            Random random = new Random(7);
            measure(writer, control, random, 30_000, false); // warm-up
            print("quiet", measure(writer, control, random, 50_000, false), 0);
            for (int i = 0; i < saves; i++) {
                long start = System.nanoTime();
                call(control, "BGSAVE");
                long[] during = measure(writer, control, random, Integer.MAX_VALUE, true);
                print("save", during, (System.nanoTime() - start) / 1_000_000);
            }
        }
    }

    /** A connection with a buffered reader (one read call per reply, as a client library does). */
    private static final class Conn implements AutoCloseable {
        final Socket socket;
        final InputStream in;
        final OutputStream out;

        Conn(int port) throws IOException {
            socket = new Socket("127.0.0.1", port);
            socket.setTcpNoDelay(true);
            in = new BufferedInputStream(socket.getInputStream(), 1 << 16);
            out = socket.getOutputStream();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    /** {@code n} SETs, or until the save ends (checked every 200 SETs): p50, p99, p99.9, max, count. */
    private static long[] measure(Conn writer, Conn control, Random random, int n, boolean untilSaved)
            throws IOException {
        long[] latency = new long[1 << 16];
        int count = 0;
        for (int i = 0; i < n; i++) {
            String key = "key:" + random.nextInt(KEYS);
            long t = System.nanoTime();
            call(writer, "SET", key, "v" + i);
            if (count == latency.length) {
                latency = Arrays.copyOf(latency, count * 2);
            }
            latency[count++] = (System.nanoTime() - t) / 1000;
            if (untilSaved && i % 200 == 0 && call(control, "INFO", "persistence").contains("rdb_bgsave_in_progress:0")) {
                break;
            }
        }
        long[] sorted = Arrays.copyOf(latency, count);
        Arrays.sort(sorted);
        return new long[] {sorted[count / 2], sorted[(int) (count * 0.99)], sorted[(int) (count * 0.999)],
                sorted[count - 1], count};
    }

    private static void print(String phase, long[] m, long saveMillis) {
        System.out.println(phase + " " + m[0] + " " + m[1] + " " + m[2] + " " + m[3] + " " + m[4] + " " + saveMillis);
    }

    /** Sends a command and returns its reply (a simple or bulk string) as text. */
    private static String call(Conn c, String... argv) throws IOException {
        StringBuilder b = new StringBuilder("*").append(argv.length).append("\r\n");
        for (String a : argv) {
            b.append('$').append(a.length()).append("\r\n").append(a).append("\r\n");
        }
        c.out.write(b.toString().getBytes(StandardCharsets.US_ASCII));
        InputStream in = c.in;
        String line = line(in);
        if (line.charAt(0) == '-') {
            throw new IOException(line);
        }
        if (line.charAt(0) != '$') {
            return line;
        }
        int n = Integer.parseInt(line.substring(1));
        return n < 0 ? "" : new String(in.readNBytes(n + 2), 0, n, StandardCharsets.US_ASCII);
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        for (int c = in.read(); c != '\r'; c = in.read()) {
            if (c < 0) {
                throw new IOException("connection closed");
            }
            b.append((char) c);
        }
        in.read();
        return b.toString();
    }
}
