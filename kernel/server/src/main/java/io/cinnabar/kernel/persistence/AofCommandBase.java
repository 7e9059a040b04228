package io.cinnabar.kernel.persistence;

import io.cinnabar.api.RedisNumbers;
import io.cinnabar.kernel.propagation.CommandEncoder;
import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * An AOF base written as commands ({@code aof-use-rdb-preamble no}), as rewriteAppendOnlyFileRio writes it:
 * per database a SELECT, per key SET, or RPUSH/SADD/ZADD/HMSET with at most 64 items a command
 * (AOF_REWRITE_ITEMS_PER_CMD), then PEXPIREAT for a key with a TTL. The dataset comes from the forkless
 * snapshot's RDB file, converted on a background thread: each value is read back in its RDB form, which is
 * Redis's for every type, so the kernel needs no knowledge of the plugins' classes. A type without a command
 * form here (streams, plugin types) is written as {@code RESTORE key 0 <DUMP payload>}, which Redis loads too.
 */
final class AofCommandBase {
    private static final int ITEMS_PER_CMD = 64;
    private static final byte[] SET = bytes("SET");
    private static final byte[] RPUSH = bytes("RPUSH");
    private static final byte[] SADD = bytes("SADD");
    private static final byte[] ZADD = bytes("ZADD");
    private static final byte[] HMSET = bytes("HMSET");
    private static final byte[] PEXPIREAT = bytes("PEXPIREAT");
    private static final byte[] RESTORE = bytes("RESTORE");
    private static final byte[] ZERO = bytes("0");

    private final ValueCodec codec;
    private final int databases;
    private final Consumer<String> warnings;

    /** {@code codec}: an instance of its own (this runs off the execution thread). */
    AofCommandBase(ValueCodec codec, int databases, Consumer<String> warnings) {
        this.codec = codec;
        this.databases = databases;
        this.warnings = warnings;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** Converts the RDB file {@code rdb} into the command file {@code out} (fsynced). */
    void convert(Path rdb, Path out, String timestampAnnotation) throws IOException, RdbLoadException {
        try (FileOutputStream fos = new FileOutputStream(out.toFile());
             OutputStream os = new BufferedOutputStream(fos, 1 << 16);
             InputStream in = Files.newInputStream(rdb)) {
            if (timestampAnnotation != null) {
                os.write(timestampAnnotation.getBytes(StandardCharsets.US_ASCII));
            }
            IOException[] failure = new IOException[1];
            CommandEncoder encoder = new CommandEncoder((b, off, len) -> {
                try {
                    os.write(b, off, len);
                } catch (IOException e) {
                    failure[0] = e;
                }
            });
            new RdbLoader(codec, databases, true, warnings).load(in, new RdbLoader.Sink() {
                @Override
                public void aux(String key, byte[] value) {
                }

                @Override
                public void function(byte[] code) {
                    warnings.accept("AOF rewrite: a function library is not written to a command base");
                }

                @Override
                public void entry(int db, byte[] key, Object value, long expireAt, long idle, int freq)
                        throws IOException {
                    for (byte[][] argv : commands(key, value)) {
                        encoder.feed(db, argv);
                    }
                    if (expireAt != -1) {
                        encoder.feed(db, new byte[][] {PEXPIREAT, key, bytes(Long.toString(expireAt))});
                    }
                    if (failure[0] != null) {
                        throw failure[0];
                    }
                }
            });
            os.flush();
            fos.getFD().sync();
        }
    }

    /** The commands that recreate one key (without its TTL). */
    List<byte[][]> commands(byte[] key, Object value) throws IOException {
        ValueItems v = ValueItems.of(value, codec);
        if (v == null) {
            List<byte[][]> one = new ArrayList<>();
            one.add(new byte[][] {RESTORE, key, ZERO, DumpPayload.create(value, codec, false)});
            return one;
        }
        return switch (v.kind()) {
            case STRING -> {
                List<byte[][]> one = new ArrayList<>();
                one.add(new byte[][] {SET, key, v.elements().get(0)});
                yield one;
            }
            case LIST -> batches(RPUSH, key, v.elements(), 1);
            case SET -> batches(SADD, key, v.elements(), 1);
            case HASH -> batches(HMSET, key, v.elements(), 2);
            case ZSET -> {
                List<byte[]> items = new ArrayList<>(2 * v.elements().size());
                for (int i = 0; i < v.elements().size(); i++) {
                    items.add(bytes(RedisNumbers.formatDouble(v.scores()[i]))); // score first, as ZADD takes it
                    items.add(v.elements().get(i));
                }
                yield batches(ZADD, key, items, 2);
            }
        };
    }

    /** rioWrite*Object: a command every ITEMS_PER_CMD items (pairs for hashes and sorted sets). */
    private static List<byte[][]> batches(byte[] verb, byte[] key, List<byte[]> items, int stride) {
        List<byte[][]> out = new ArrayList<>();
        int per = ITEMS_PER_CMD * stride;
        for (int i = 0; i < items.size(); i += per) {
            int n = Math.min(per, items.size() - i);
            byte[][] argv = new byte[2 + n][];
            argv[0] = verb;
            argv[1] = key;
            for (int j = 0; j < n; j++) {
                argv[2 + j] = items.get(i + j);
            }
            out.add(argv);
        }
        return out;
    }
}
