package io.cinnabar.datatypes.strings;

import io.cinnabar.api.Args;
import io.cinnabar.api.CommandContext;
import io.cinnabar.api.CommandException;
import io.cinnabar.api.Errors;
import io.cinnabar.api.Handler;
import io.cinnabar.api.KeyspaceEvents;
import io.cinnabar.api.RawString;
import io.cinnabar.api.RedisNumbers;
import io.cinnabar.api.Reply;

/**
 * BITFIELD key [GET type offset] [SET type offset value] [INCRBY type offset increment]
 * [OVERFLOW WRAP|SAT|FAIL] ..., and BITFIELD_RO (GET only). As bitops.c: every operation is parsed
 * (and every argument error reported) before the key is touched; a command with any write makes the
 * string raw and long enough for its farthest write up front, even if every write then fails.
 */
final class BitfieldCommand implements Handler {
    private static final int GET = 0;
    private static final int SET = 1;
    private static final int INCRBY = 2;

    /** One parsed operation; {@code bits} is negative for an unsigned type. */
    private record Op(int opcode, int overflow, int bits, long offset, long value) {
        int width() {
            return Math.abs(bits);
        }

        boolean signed() {
            return bits > 0;
        }
    }

    private final boolean readOnlyCommand;

    /** @param readOnlyCommand true for BITFIELD_RO */
    BitfieldCommand(boolean readOnlyCommand) {
        this.readOnlyCommand = readOnlyCommand;
    }

    @Override
    public void execute(CommandContext ctx, Args args, Reply reply) {
        int argc = args.size();
        Op[] ops = new Op[(argc - 2) / 3];
        int n = 0;
        int overflow = BitfieldOps.WRAP;
        boolean writes = false;
        long highestWrite = 0;
        for (int j = 2; j < argc; j++) {
            int remaining = argc - j - 1;
            int opcode;
            if (args.is(j, "get") && remaining >= 2) {
                opcode = GET;
            } else if (args.is(j, "set") && remaining >= 3) {
                opcode = SET;
            } else if (args.is(j, "incrby") && remaining >= 3) {
                opcode = INCRBY;
            } else if (args.is(j, "overflow") && remaining >= 1) {
                overflow = overflowType(args, ++j);
                continue;
            } else {
                throw new CommandException(Errors.SYNTAX);
            }
            int bits = type(args.get(j + 1));
            int width = Math.abs(bits);
            long offset = Bitmaps.bitOffset(ctx, args.get(j + 2), width);
            long value = 0;
            if (opcode != GET) {
                writes = true;
                highestWrite = Math.max(highestWrite, offset + width - 1);
                value = args.longAt(j + 3);
            }
            ops[n++] = new Op(opcode, overflow, bits, offset, value);
            j += opcode == GET ? 2 : 3;
        }

        byte[] key = args.get(1);
        if (writes && readOnlyCommand) {
            throw new CommandException(Errors.BITFIELD_RO_GET_ONLY);
        }
        Object current = Bitmaps.lookup(ctx.db(), key);
        boolean grew = false;
        if (writes) {
            int oldLength = current == null ? -1 : Bitmaps.length(current);
            RawString target = Bitmaps.writable(ctx, key, current, highestWrite);
            grew = target.length() != oldLength;
            current = target;
        }
        byte[] p = current == null ? null : Bitmaps.bytes(current);
        int len = current == null ? 0 : Bitmaps.length(current);

        reply.array(n);
        long changes = 0;
        for (int i = 0; i < n; i++) {
            Op op = ops[i];
            if (op.opcode() == GET) {
                reply.integer(BitfieldOps.get(p, len, op.offset(), op.width(), op.signed()));
            } else if (write(op, p, len, reply, grew)) {
                changes++;
            }
        }
        if (changes > 0) {
            ctx.signalModifiedKey(key);
            ctx.notifyKeyspaceEvent(KeyspaceEvents.STRING, "setbit", key);
            ctx.addDirty(changes);
        }
    }

    /**
     * Runs a SET or INCRBY: SET replies with the old value, INCRBY with the new one, an overflow under FAIL
     * with a null and no write. Returns whether it counts as a change (a new or grown string counts).
     */
    private static boolean write(Op op, byte[] p, int len, Reply reply, boolean grew) {
        int bits = op.width();
        boolean incr = op.opcode() == INCRBY;
        long old = BitfieldOps.get(p, len, op.offset(), bits, op.signed());
        // SET checks its value as an increment of 0 on top of it, as bitops.c does
        long base = incr ? old : op.value();
        long delta = incr ? op.value() : 0;
        int overflow = BitfieldOps.overflow(base, delta, bits, op.signed());
        if (overflow != 0 && op.overflow() == BitfieldOps.FAIL) {
            reply.nullBulk();
            return false;
        }
        long next = overflow == 0 ? base + delta
                : BitfieldOps.limit(base, delta, bits, op.signed(), op.overflow(), overflow);
        reply.integer(incr ? next : old);
        BitfieldOps.set(p, op.offset(), bits, next);
        return grew || old != next;
    }

    private static int overflowType(Args args, int i) {
        if (args.is(i, "wrap")) {
            return BitfieldOps.WRAP;
        }
        if (args.is(i, "sat")) {
            return BitfieldOps.SAT;
        }
        if (args.is(i, "fail")) {
            return BitfieldOps.FAIL;
        }
        throw new CommandException(Errors.BITFIELD_OVERFLOW_TYPE);
    }

    /**
     * A type i1..i64 or u1..u63: the width, negative when unsigned. Like Redis, the width is read up to a
     * NUL byte (C's strlen), and the sign letter is lower case only.
     */
    private static int type(byte[] a) {
        boolean signed;
        if (a.length > 0 && a[0] == 'i') {
            signed = true;
        } else if (a.length > 0 && a[0] == 'u') {
            signed = false;
        } else {
            throw new CommandException(Errors.BITFIELD_TYPE);
        }
        int end = 1;
        while (end < a.length && a[end] != 0) {
            end++;
        }
        long bits = RedisNumbers.parseLong(a, 1, end - 1, Errors.BITFIELD_TYPE);
        if (bits < 1 || bits > (signed ? 64 : 63)) {
            throw new CommandException(Errors.BITFIELD_TYPE);
        }
        return signed ? (int) bits : -(int) bits;
    }
}
