package io.cinnabar.api;

import java.nio.charset.StandardCharsets;

/**
 * The arguments of one command, argument 0 being the command name. Arguments are byte arrays owned by
 * this command: a handler may keep one (as a key or a value) without copying it.
 * Parsing helpers throw {@link CommandException} with Redis's wording.
 */
public final class Args {
    private final byte[][] argv;
    private final int argc;

    public Args(byte[][] argv, int argc) {
        this.argv = argv;
        this.argc = argc;
    }

    public static Args of(String... words) {
        byte[][] a = new byte[words.length][];
        for (int i = 0; i < words.length; i++) {
            a[i] = words[i].getBytes(StandardCharsets.UTF_8);
        }
        return new Args(a, a.length);
    }

    public int size() {
        return argc;
    }

    public byte[] get(int i) {
        if (i >= argc) {
            throw new IndexOutOfBoundsException(i);
        }
        return argv[i];
    }

    /** The argument decoded as UTF-8 (for names and options, never for keys or values). */
    public String string(int i) {
        return new String(get(i), StandardCharsets.UTF_8);
    }

    /** True when argument {@code i} equals {@code word} ignoring ASCII case; {@code word} is given in lower case. */
    public boolean is(int i, String word) {
        return i < argc && RedisNumbers.equalsIgnoreCase(argv[i], word);
    }

    /** Argument {@code i} as a long, exactly as Redis's {@code string2ll}; else {@link Errors#NOT_INTEGER}. */
    public long longAt(int i) {
        return RedisNumbers.parseLong(get(i), Errors.NOT_INTEGER);
    }

    /** Argument {@code i} as a long, or the given error when it is not one. */
    public long longAt(int i, String error) {
        return RedisNumbers.parseLong(get(i), error);
    }

    /** Argument {@code i} as an int in range, else {@link Errors#NOT_INTEGER}. */
    public int intAt(int i) {
        long v = longAt(i);
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw new CommandException(Errors.NOT_INTEGER);
        }
        return (int) v;
    }

    /** Argument {@code i} as a double, as Redis's {@code getDoubleFromObject} (no NaN); else {@link Errors#NOT_FLOAT}. */
    public double doubleAt(int i) {
        return RedisNumbers.parseDouble(get(i), Errors.NOT_FLOAT);
    }

    /** The arguments from {@code from} on, as a new array. */
    public byte[][] tail(int from) {
        byte[][] out = new byte[Math.max(0, argc - from)][];
        System.arraycopy(argv, from, out, 0, out.length);
        return out;
    }

    /** A copy that does not share the argument array (the byte arrays themselves are immutable by contract). */
    public Args copy() {
        byte[][] a = new byte[argc][];
        System.arraycopy(argv, 0, a, 0, argc);
        return new Args(a, argc);
    }

    /** A view without the first {@code n} arguments (used to run a subcommand or a wrapped command). */
    public Args shift(int n) {
        return new Args(tail(n), argc - n);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < argc; i++) {
            if (i > 0) {
                sb.append(' ');
            }
            sb.append(string(i));
        }
        return sb.toString();
    }
}
