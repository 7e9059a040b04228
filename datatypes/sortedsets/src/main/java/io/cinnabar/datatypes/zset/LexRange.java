package io.cinnabar.datatypes.zset;

import io.cinnabar.api.CommandException;
import io.cinnabar.api.Errors;
import java.util.Arrays;

/**
 * A member interval as Redis's zslParseLexRange reads it: {@code [x} inclusive, {@code (x} exclusive, and
 * {@code -} / {@code +} for the smallest and greatest string. Members compare as unsigned bytes; the bound
 * only makes sense when all scores are equal, as Redis documents.
 */
record LexRange(byte[] min, int minKind, boolean minExclusive, byte[] max, int maxKind, boolean maxExclusive) {
    private static final int VALUE = 0;
    private static final int NEG_INF = -1;
    private static final int POS_INF = 1;

    static LexRange parse(byte[] min, byte[] max) {
        int minKind = kind(min);
        int maxKind = kind(max);
        return new LexRange(value(min, minKind), minKind, min[0] == '(', value(max, maxKind), maxKind, max[0] == '(');
    }

    private static int kind(byte[] item) {
        if (item.length == 0) {
            throw new CommandException(Errors.MIN_MAX_NOT_STRING_RANGE);
        }
        switch (item[0]) {
            case '+':
            case '-':
                if (item.length != 1) {
                    throw new CommandException(Errors.MIN_MAX_NOT_STRING_RANGE);
                }
                return item[0] == '+' ? POS_INF : NEG_INF;
            case '(':
            case '[':
                return VALUE;
            default:
                throw new CommandException(Errors.MIN_MAX_NOT_STRING_RANGE);
        }
    }

    private static byte[] value(byte[] item, int kind) {
        return kind == VALUE ? Arrays.copyOfRange(item, 1, item.length) : null;
    }

    /** sdscmplex: the member against a bound of the given kind. */
    private static int compare(byte[] member, byte[] bound, int kind) {
        if (kind != VALUE) {
            return -kind;
        }
        return Arrays.compareUnsigned(member, bound);
    }

    boolean aboveMin(byte[] m) {
        int c = compare(m, min, minKind);
        return minExclusive ? c > 0 : c >= 0;
    }

    boolean belowMax(byte[] m) {
        int c = compare(m, max, maxKind);
        return maxExclusive ? c < 0 : c <= 0;
    }

    /**
     * Redis first checks the range against the first and last elements (zslIsInLexRange); with mixed scores
     * the members are not in order, and this check decides what such a query returns.
     */
    private boolean mayOverlap(ZSet z) {
        int n = z.size();
        return n > 0 && aboveMin(z.memberAt(n - 1)) && belowMax(z.memberAt(0));
    }

    int start(ZSet z) {
        return mayOverlap(z) ? z.countBefore((s, m) -> !aboveMin(m)) : 0;
    }

    int end(ZSet z) {
        return mayOverlap(z) ? z.countBefore((s, m) -> belowMax(m)) : 0;
    }
}
