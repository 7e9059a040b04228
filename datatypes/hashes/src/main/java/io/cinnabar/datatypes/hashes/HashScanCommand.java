package io.cinnabar.datatypes.hashes;

import io.cinnabar.api.Args;
import io.cinnabar.api.CommandContext;
import io.cinnabar.api.Reply;
import io.cinnabar.api.ScanCursor;
import io.cinnabar.api.ScanOptions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * HSCAN key cursor [MATCH pattern] [COUNT count], as Redis 7.2's scanGenericCommand: a listpack hash is
 * returned whole with cursor 0; a hashtable is walked bucket by bucket with the reverse-binary cursor for
 * at most {@code count * 10} buckets or until {@code count} fields and values were collected; MATCH filters
 * by field afterwards. NOVALUES (7.4) is a syntax error, as in 7.2.
 */
final class HashScanCommand {
    private static final byte[] ZERO = {'0'};

    private HashScanCommand() {
    }

    static void hscan(CommandContext ctx, Args args, Reply reply) {
        ScanCursor.parse(args.get(2)); // Redis checks the cursor before looking the key up
        HashValue h = HashCommands.lookup(ctx, args.get(1));
        if (h == null) {
            reply.array(2);
            reply.bulk(ZERO);
            reply.array(0);
            return;
        }
        ScanOptions opts = ScanOptions.parse(args, 3, false);
        long cursor = opts.cursor();
        long count = opts.count();
        List<byte[]> items = new ArrayList<>();
        HashValue.Visitor collect = (b, fo, fl, vo, vl) -> {
            items.add(Arrays.copyOfRange(b, fo, fo + fl));
            items.add(Arrays.copyOfRange(b, vo, vo + vl));
        };
        if (h.isListpack()) {
            h.forEach(collect);
            cursor = 0;
        } else {
            long maxIterations = count > Long.MAX_VALUE / 10 ? Long.MAX_VALUE : count * 10;
            do {
                cursor = h.scan(cursor, collect);
            } while (cursor != 0 && maxIterations-- > 0 && items.size() < count);
        }
        if (opts.pattern() != null) {
            List<byte[]> kept = new ArrayList<>(items.size());
            for (int i = 0; i < items.size(); i += 2) {
                if (opts.matches(items.get(i))) {
                    kept.add(items.get(i));
                    kept.add(items.get(i + 1));
                }
            }
            items.clear();
            items.addAll(kept);
        }
        reply.array(2);
        reply.bulk(Long.toUnsignedString(cursor));
        reply.array(items.size());
        for (byte[] b : items) {
            reply.bulk(b);
        }
    }
}
