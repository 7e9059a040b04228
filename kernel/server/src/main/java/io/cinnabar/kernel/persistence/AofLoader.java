package io.cinnabar.kernel.persistence;

import io.cinnabar.api.Args;
import io.cinnabar.kernel.net.ClientConnection;
import io.cinnabar.kernel.server.CinnabarServer;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Replays one file of an AOF (aof.c's loadSingleAppendOnlyFile): an RDB base (or the RDB preamble of an
 * old single-file AOF) through the RDB loader, then commands in RESP form executed by a fake client through
 * the dispatcher, {@code #} annotation lines skipped. A file cut short (a torn last write) is truncated to its
 * last complete command when {@code aof-load-truncated} is yes, an unfinished MULTI is dropped; anything
 * malformed is fatal. Runs on the execution thread. Log texts are Redis's.
 */
final class AofLoader {
    /** AOF_ANNOTATION_LINE_MAX_LEN: the fgets buffer size, so the longest line read at once is one less. */
    private static final int LINE_MAX = 1024;

    enum Result { OK, NOT_EXIST, EMPTY, OPEN_ERR, FAILED, TRUNCATED }

    private final CinnabarServer server;
    private final Persistence persistence;
    private final boolean loadTruncated;
    private ClientConnection client;

    AofLoader(CinnabarServer server, Persistence persistence, boolean loadTruncated) {
        this.server = server;
        this.persistence = persistence;
        this.loadTruncated = loadTruncated;
    }

    /** The AOF's fake client (createAOFClient): authenticated, replies discarded, not in CLIENT LIST. */
    private ClientConnection client() {
        if (client == null) {
            ClientConnection c = new ClientConnection(server, server.newClientId());
            new EmbeddedChannel(c);
            c.setAuthenticated(true, "default");
            c.setMaster(true); // replays writes even on a replica (no READONLY), as Redis's fake client
            c.muteReplies();
            server.clients().remove(c);
            client = c;
        }
        return client;
    }

    /** Offset-counting reader with fgets/fread semantics. */
    private static final class Reader {
        private final InputStream in;
        long offset;
        boolean eof;

        Reader(InputStream in) {
            this.in = in;
        }

        /** fgets: up to LINE_MAX-1 bytes or through '\n'; null at end of file with nothing read. */
        byte[] line() throws IOException {
            byte[] buf = new byte[64];
            int n = 0;
            while (n < LINE_MAX - 1) {
                int b = in.read();
                if (b < 0) {
                    eof = true;
                    break;
                }
                offset++;
                if (n == buf.length) {
                    buf = java.util.Arrays.copyOf(buf, buf.length * 2);
                }
                buf[n++] = (byte) b;
                if (b == '\n') {
                    break;
                }
            }
            return n == 0 ? null : java.util.Arrays.copyOf(buf, n);
        }

        /** fread of exactly n bytes; false (eof set) when the file ends first. */
        boolean read(byte[] dst) throws IOException {
            int got = 0;
            while (got < dst.length) {
                int r = in.read(dst, got, dst.length - got);
                if (r < 0) {
                    eof = true;
                    offset += got;
                    return false;
                }
                got += r;
            }
            offset += got;
            return true;
        }
    }

    /** C's atoi/strtol on the line after its first byte: leading digits only. */
    private static long number(byte[] line) {
        int i = 1;
        boolean neg = false;
        while (i < line.length && (line[i] == ' ' || line[i] == '\t')) {
            i++;
        }
        if (i < line.length && (line[i] == '-' || line[i] == '+')) {
            neg = line[i] == '-';
            i++;
        }
        long v = 0;
        while (i < line.length && line[i] >= '0' && line[i] <= '9' && v < Integer.MAX_VALUE * 4L) {
            v = v * 10 + (line[i] - '0');
            i++;
        }
        return neg ? -v : v;
    }

    private enum Stop { EOF_OK, READ_ERR, FORMAT_ERR }

    /** The fake client replaying commands (exempt from -LOADING), or null before the first command file. */
    ClientConnection fakeClient() {
        return client;
    }

    /**
     * Opens {@code dir/name} and loads its RDB part at once; the commands follow through
     * {@link FileLoad#step}. {@code oldStyle}: the file is appendfilename itself (a Redis 6 AOF).
     */
    FileLoad open(Path dir, String name, boolean oldStyle) {
        Path file = dir.resolve(name);
        long size;
        try {
            size = Files.size(file);
        } catch (NoSuchFileException e) {
            server.log().warn("The append log file {} doesn't exist: No such file or directory", name);
            return new FileLoad(Result.NOT_EXIST);
        } catch (IOException e) {
            server.log().warn("Fatal error: can't open the append log file {} for reading: {}", name, e.getMessage());
            return new FileLoad(Result.OPEN_ERR);
        }
        if (size == 0) {
            return new FileLoad(Result.EMPTY);
        }
        long commandsFrom = 0;
        try (InputStream raw = Files.newInputStream(file)) {
            byte[] sig = raw.readNBytes(5);
            if (sig.length == 5 && new String(sig, StandardCharsets.US_ASCII).equals("REDIS")) {
                server.log().info(oldStyle ? "Reading RDB preamble from AOF file..."
                        : "Reading RDB base file on AOF loading...");
                try (InputStream rdb = Files.newInputStream(file)) {
                    commandsFrom = persistence.loadRdbInline(rdb);
                } catch (RdbLoadException | IOException e) {
                    server.log().warn("{}", e.getMessage());
                    server.log().warn(oldStyle
                            ? "Error reading the RDB preamble of the AOF file " + name + ", AOF loading aborted"
                            : "Error reading the RDB base file " + name + ", AOF loading aborted");
                    return new FileLoad(Result.FAILED);
                }
                if (oldStyle) {
                    server.log().info("Reading the remaining AOF tail...");
                }
            }
        } catch (IOException e) {
            server.log().warn("Fatal error: can't open the append log file {} for reading: {}", name, e.getMessage());
            return new FileLoad(Result.OPEN_ERR);
        }
        try {
            InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
            try {
                raw.skipNBytes(commandsFrom);
            } catch (EOFException e) {
                raw.close();
                return new FileLoad(Result.OK); // the RDB was the whole file
            }
            return new FileLoad(raw, commandsFrom, file, name);
        } catch (IOException e) {
            server.log().warn("Unrecoverable error reading the append only file {}: {}", name, e.getMessage());
            return new FileLoad(Result.FAILED);
        }
    }

    /** One file's commands, replayed slice by slice so the event loop can answer -LOADING meanwhile. */
    final class FileLoad {
        private final InputStream in;
        private final Reader r;
        private final Path file;
        private final String name;
        private long validUpTo;
        private long validBeforeMulti;
        private Result result;

        private FileLoad(Result finished) {
            this.in = null;
            this.r = null;
            this.file = null;
            this.name = null;
            this.result = finished;
        }

        private FileLoad(InputStream in, long start, Path file, String name) {
            this.in = in;
            this.r = new Reader(in);
            r.offset = start;
            this.file = file;
            this.name = name;
            this.validUpTo = start;
            this.validBeforeMulti = start;
        }

        /** Bytes of the file read so far. */
        long offset() {
            return r == null ? 0 : r.offset;
        }

        /** Replays until the file ends or {@code deadlineNanos} passes: the result once finished, else null. */
        Result step(long deadlineNanos) {
            if (result == null) {
                try {
                    result = replay(deadlineNanos);
                } catch (IOException e) {
                    server.log().warn("Unrecoverable error reading the append only file {}: {}", name, e.getMessage());
                    result = Result.FAILED;
                }
                if (result != null) {
                    try {
                        in.close();
                    } catch (IOException ignored) {
                        // the file was read; closing it changes nothing
                    }
                }
            }
            return result;
        }

        private Result replay(long deadlineNanos) throws IOException {
            ClientConnection c = client();
            Stop stop = Stop.EOF_OK;
            int n = 0;
            loop:
            while (true) {
                if ((++n & 63) == 0 && System.nanoTime() > deadlineNanos) {
                    return null;
                }
                byte[] line = r.line();
                if (line == null) {
                    break;
                }
                if (line[0] == '#') {
                    continue; // annotations (#TS:...); a longer one's rest comes back as a "line", as with fgets
                }
                if (line[0] != '*') {
                    stop = Stop.FORMAT_ERR;
                    break;
                }
                if (line.length == 1) {
                    stop = Stop.READ_ERR;
                    break;
                }
                long argc = number(line);
                if (argc < 1 || argc > 1 << 20) {
                    stop = Stop.FORMAT_ERR;
                    break;
                }
                byte[][] argv = new byte[(int) argc][];
                for (int j = 0; j < argc; j++) {
                    byte[] h = r.line();
                    if (h == null || h[0] != '$') {
                        stop = h == null ? Stop.READ_ERR : Stop.FORMAT_ERR;
                        break loop;
                    }
                    long len = number(h);
                    if (len < 0 || len > Integer.MAX_VALUE - 8) {
                        stop = Stop.FORMAT_ERR;
                        break loop;
                    }
                    byte[] arg = new byte[(int) len];
                    if (!r.read(arg)) {
                        stop = Stop.READ_ERR;
                        break loop;
                    }
                    argv[j] = arg;
                    if (!r.read(new byte[2])) {
                        stop = Stop.READ_ERR;
                        break loop;
                    }
                }
                if (server.commands().lookup(argv[0]) == null) {
                    server.log().warn("Unknown command '{}' reading the append only file {}",
                            new String(argv[0], StandardCharsets.UTF_8), name);
                    return Result.FAILED;
                }
                if (isMulti(argv[0])) {
                    validBeforeMulti = validUpTo;
                }
                server.dispatcher().dispatch(c, new Args(argv, argv.length));
                io.netty.buffer.ByteBuf discarded = c.reply().take();
                if (discarded != null) {
                    discarded.release();
                }
                validUpTo = r.offset;
            }
            return finish(c, stop);
        }

        private Result finish(ClientConnection c, Stop stop) {
            if (stop == Stop.FORMAT_ERR) {
                server.log().warn("Bad file format reading the append only file {}: make a backup of your AOF file, "
                        + "then use ./redis-check-aof --fix <filename.manifest>", name);
                return Result.FAILED;
            }
            if (stop == Stop.EOF_OK && c.transaction() != null) {
                server.log().warn("Revert incomplete MULTI/EXEC transaction in AOF file {}", name);
                validUpTo = validBeforeMulti;
                stop = Stop.READ_ERR;
            }
            if (c.transaction() != null) {
                c.setTransaction(null);
            }
            if (stop == Stop.EOF_OK) {
                return Result.OK;
            }
            // an unexpected end of file (uxeof)
            if (loadTruncated) {
                server.log().warn("!!! Warning: short read while loading the AOF file {}!!!", name);
                server.log().warn("!!! Truncating the AOF {} at offset {} !!!", name, validUpTo);
                try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
                    f.setLength(validUpTo);
                    server.log().warn("AOF {} loaded anyway because aof-load-truncated is enabled", name);
                    return Result.TRUNCATED;
                } catch (IOException e) {
                    server.log().warn("Error truncating the AOF file {}: {}", name, e.getMessage());
                }
            }
            server.log().warn("Unexpected end of file reading the append only file {}. You can: 1) Make a backup of "
                    + "your AOF file, then use ./redis-check-aof --fix <filename.manifest>. 2) Alternatively you can "
                    + "set the 'aof-load-truncated' configuration option to yes and restart the server.", name);
            return Result.FAILED;
        }
    }

    private static boolean isMulti(byte[] name) {
        return name.length == 5 && new String(name, StandardCharsets.US_ASCII).equalsIgnoreCase("multi");
    }
}
