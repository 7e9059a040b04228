package io.cinnabar.kernel.command;

import io.cinnabar.api.Args;
import io.cinnabar.api.CommandFlag;
import io.cinnabar.api.CommandSpec;
import io.cinnabar.api.KeySpec;
import io.cinnabar.api.RedisNumbers;
import java.util.List;

/**
 * Where a command's keys are, derived from its {@link KeySpec}s as Redis 7.2 derives them (db.c's
 * {@code getKeysUsingKeySpecs} and {@code getKeysFromCommandWithSpecs}, server.c's
 * {@code populateCommandLegacyRangeSpec}). COMMAND GETKEYS, COMMAND INFO and cluster slot checks read this.
 */
public final class KeyExtractor {
    private KeyExtractor() {
    }

    /** COMMAND INFO's legacy first/last/step triple; {@code movable} when keys cannot be given by it. */
    public record LegacyRange(int first, int last, int step, boolean movable) {
    }

    /** The keys found in one command: argument indexes and their key-spec flags. Reusable via {@link #clear()}. */
    public static final class Keys {
        private int[] positions = new int[8];
        private Object[] flags = new Object[8];
        private int size;

        public void clear() {
            size = 0;
        }

        void add(int position, List<String> keyFlags) {
            if (size == positions.length) {
                positions = java.util.Arrays.copyOf(positions, size * 2);
                flags = java.util.Arrays.copyOf(flags, size * 2);
            }
            positions[size] = position;
            flags[size] = keyFlags;
            size++;
        }

        public int size() {
            return size;
        }

        /** Argument index of key {@code i}. */
        public int position(int i) {
            return positions[i];
        }

        @SuppressWarnings("unchecked")
        public List<String> flags(int i) {
            return (List<String>) flags[i];
        }
    }

    /**
     * Redis's {@code getKeysFromCommandWithSpecs}: the key specs when they are reliable (some spec names real
     * keys and none has {@code variable_flags}); otherwise, or when they do not apply to these arguments, the
     * spec's {@link io.cinnabar.api.KeyFinder}. A command without a key finder always gets what its specs say
     * (Redis has a getkeys function for every command whose specs are unreliable; a plugin may not).
     * Returns the number of keys; 0 also when the arguments are invalid.
     */
    public static int find(CommandSpec spec, Args args, Keys out) {
        out.clear();
        boolean reliable = hasRealKeySpec(spec) && !anySpecHas(spec, KeySpecFlags.VARIABLE_FLAGS);
        if (reliable || spec.keyFinder() == null) {
            int n = fromKeySpecs(spec, args, false, false, out);
            if (n >= 0) {
                return n;
            }
        }
        out.clear();
        if (spec.keyFinder() != null) {
            spec.keyFinder().find(args, out::add);
        }
        return out.size();
    }

    /**
     * Redis's {@code getKeysUsingKeySpecs}: every key the specs locate. Returns -1 (and no keys) when a spec is
     * unknown or does not fit the arguments, unless {@code partial} asks to skip such specs.
     */
    public static int fromKeySpecs(CommandSpec spec, Args args, boolean includeNotKeys, boolean partial, Keys out) {
        int argc = args.size();
        for (KeySpec ks : spec.keySpecs()) {
            if (!includeNotKeys && KeySpecFlags.has(ks, KeySpecFlags.NOT_KEY)) {
                continue;
            }
            int first = begin(ks, args);
            if (first == 0) {
                continue; // keyword not found: this spec has no keys here
            }
            int last;
            int step;
            if (first < 0 || (ks.keyStep() <= 0 && !ks.isKeynum())) {
                if (partial) {
                    continue;
                }
                out.clear();
                return -1;
            }
            if (ks.isKeynum()) {
                step = ks.keyStep();
                if (ks.keynumIndex() >= argc - first) {
                    continue; // too few arguments: the command reports arity or syntax itself
                }
                long numkeys = parseCount(args.get(first + ks.keynumIndex()));
                if (numkeys < 0) {
                    if (partial) {
                        continue;
                    }
                    out.clear();
                    return -1;
                }
                first += ks.firstKey();
                last = (int) Math.min(Integer.MAX_VALUE, first + numkeys - 1);
            } else {
                step = ks.keyStep();
                if (ks.lastKey() >= 0) {
                    last = first + ks.lastKey();
                } else if (ks.limit() == 0) {
                    last = argc + ks.lastKey();
                } else {
                    last = first + ((argc - first) / ks.limit() + ks.lastKey());
                }
            }
            if (last >= argc || last < first || first >= argc) {
                if (partial) {
                    continue;
                }
                out.clear();
                return -1;
            }
            for (int i = first; i <= last; i += step) {
                out.add(i, ks.flags());
            }
            // an incomplete spec's keys count only as a partial answer; otherwise the key finder decides
            if (!partial && KeySpecFlags.has(ks, KeySpecFlags.INCOMPLETE)) {
                out.clear();
                return -1;
            }
        }
        return out.size();
    }

    /** A key count as Redis's {@code string2ll}, or -1 when it is not one. */
    private static long parseCount(byte[] b) {
        try {
            return RedisNumbers.parseLong(b, "");
        } catch (io.cinnabar.api.CommandException e) {
            return -1;
        }
    }

    /** The begin-search position: an index, the argument after a keyword, 0 when the keyword is absent, -1 if unknown. */
    private static int begin(KeySpec ks, Args args) {
        if (ks.isKeyword()) {
            int argc = args.size();
            int start = ks.keywordStart() > 0 ? ks.keywordStart() : argc + ks.keywordStart();
            int end = ks.keywordStart() > 0 ? argc - 1 : 1;
            for (int i = start; i != end; i = start <= end ? i + 1 : i - 1) {
                if (i >= argc || i < 1) {
                    break;
                }
                if (args.is(i, ks.keyword().toLowerCase(java.util.Locale.ROOT))) {
                    return i + 1;
                }
            }
            return 0;
        }
        return ks.isUnknown() ? -1 : ks.beginIndex();
    }

    /** Redis's {@code doesCommandHaveKeys}: a key finder, or a spec not marked {@code not_key}. */
    public static boolean hasKeys(CommandSpec spec) {
        return spec.keyFinder() != null || hasRealKeySpec(spec);
    }

    private static boolean hasRealKeySpec(CommandSpec spec) {
        for (KeySpec ks : spec.keySpecs()) {
            if (!KeySpecFlags.has(ks, KeySpecFlags.NOT_KEY)) {
                return true;
            }
        }
        return false;
    }

    private static boolean anySpecHas(CommandSpec spec, String flag) {
        for (KeySpec ks : spec.keySpecs()) {
            if (KeySpecFlags.has(ks, flag)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isPlainRange(KeySpec ks) {
        return !ks.isKeyword() && !ks.isUnknown() && !ks.isKeynum() && ks.keyStep() > 0;
    }

    /**
     * Redis's {@code populateCommandLegacyRangeSpec}: the first/last/step COMMAND INFO shows, from the index/range
     * specs that form one consecutive run with step 1; anything else (keyword, keynum, unknown, incomplete specs,
     * other steps) makes the keys movable.
     */
    public static LegacyRange legacyRange(CommandSpec spec) {
        List<KeySpec> specs = spec.keySpecs();
        boolean movable = spec.has(CommandFlag.MOVABLEKEYS);
        if (specs.isEmpty()) {
            return new LegacyRange(0, 0, 0, movable);
        }
        if (specs.size() == 1 && isPlainRange(specs.get(0))) {
            KeySpec ks = specs.get(0);
            movable |= KeySpecFlags.has(ks, KeySpecFlags.INCOMPLETE);
            return triple(ks.beginIndex(), ks.lastKey(), ks.keyStep(), movable);
        }
        int firstKey = Integer.MAX_VALUE;
        int lastKey = 0;
        int prevLastKey = 0;
        for (KeySpec ks : specs) {
            if (!isPlainRange(ks)) {
                movable = true;
                continue;
            }
            if (ks.keyStep() != 1 || (prevLastKey != 0 && prevLastKey != ks.beginIndex() - 1)) {
                movable = true;
                continue;
            }
            if (KeySpecFlags.has(ks, KeySpecFlags.INCOMPLETE)) {
                movable = true;
            }
            firstKey = Math.min(firstKey, ks.beginIndex());
            int lastAbs = ks.lastKey() >= 0 ? ks.lastKey() + ks.beginIndex() : ks.lastKey();
            // Redis compares as unsigned, so a negative (count-from-the-end) last key wins
            if (Integer.compareUnsigned(lastAbs, lastKey) > 0) {
                lastKey = lastAbs;
            }
            prevLastKey = lastKey;
        }
        if (firstKey == Integer.MAX_VALUE) {
            return new LegacyRange(0, 0, 0, true);
        }
        return triple(firstKey, lastKey < 0 ? lastKey : lastKey - firstKey, 1, movable);
    }

    /** From a range spec (last relative to first) to COMMAND INFO's absolute last key. */
    private static LegacyRange triple(int first, int relativeLast, int step, boolean movable) {
        return new LegacyRange(first, relativeLast >= 0 ? relativeLast + first : relativeLast, step, movable);
    }
}
