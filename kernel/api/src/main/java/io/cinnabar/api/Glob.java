package io.cinnabar.api;

import java.nio.charset.StandardCharsets;

/**
 * Redis's glob-style matcher ({@code stringmatchlen} of util.c), shared by KEYS, SCAN MATCH, PSUBSCRIBE,
 * CONFIG GET and COMMAND LIST FILTERBY PATTERN: {@code *}, {@code ?}, {@code [abc]}, {@code [^abc]}, ranges {@code [a-z]}
 * (reversed ranges allowed), {@code \} escapes, and an ASCII-only case-insensitive mode.
 *
 * <p>The quirks are Redis's on purpose: an unterminated {@code [} class still matches, a trailing
 * {@code \} matches itself, bytes compare as signed chars in ranges. Two protections keep hostile
 * patterns cheap: recursion deeper than 1000 stars gives up (no match), and once the rest of a pattern
 * failed to match anywhere in the rest of the string, earlier stars do not retry longer matches.
 */
public final class Glob {
    /** Deeper nesting of {@code *} than this never matches (Redis's protection against abusive patterns). */
    public static final int MAX_NESTING = 1000;

    private static final int MATCH = 1;
    private static final int NO_MATCH = 0;
    /** No match, and no earlier star can match either ({@code skipLongerMatches} in Redis). */
    private static final int NO_MATCH_ANYWHERE = -1;

    private Glob() {
    }

    /** Case-sensitive match of the whole {@code string} (KEYS, SCAN MATCH, PSUBSCRIBE). */
    public static boolean matches(byte[] pattern, byte[] string) {
        return matches(pattern, 0, pattern.length, string, 0, string.length, false);
    }

    public static boolean matches(byte[] pattern, byte[] string, boolean nocase) {
        return matches(pattern, 0, pattern.length, string, 0, string.length, nocase);
    }

    /** For ASCII names (CONFIG GET parameters, COMMAND LIST patterns). */
    public static boolean matches(String pattern, String string, boolean nocase) {
        return matches(pattern.getBytes(StandardCharsets.UTF_8), string.getBytes(StandardCharsets.UTF_8), nocase);
    }

    public static boolean matches(byte[] pattern, int poff, int plen, byte[] string, int soff, int slen,
                                  boolean nocase) {
        return run(pattern, poff + plen, string, nocase, poff, plen, soff, slen, 0) == MATCH;
    }

    /** True for the pattern {@code *} alone, which KEYS and SCAN skip matching for. */
    public static boolean matchesEverything(byte[] pattern) {
        return pattern.length == 1 && pattern[0] == '*';
    }

    private static int lower(int c) {
        return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
    }

    /** The pattern byte at {@code i}, or 0 at or past the end, like the C string terminator the original reads. */
    private static int at(byte[] pat, int pend, int i) {
        return i < pend ? pat[i] : 0;
    }

    private static boolean same(int a, int b, boolean nocase) {
        return nocase ? lower(a) == lower(b) : a == b;
    }

    /** Pattern positions move with their remaining length: {@code p + plen} is always {@code pend}. */
    private static int run(byte[] pat, int pend, byte[] str, boolean nocase, int p, int plen, int s, int slen,
                           int nesting) {
        if (nesting > MAX_NESTING) {
            return NO_MATCH;
        }
        while (plen > 0 && slen > 0) {
            switch (at(pat, pend, p)) {
                case '*': {
                    while (at(pat, pend, p + 1) == '*') {
                        p++;
                        plen--;
                    }
                    if (plen == 1) {
                        return MATCH;
                    }
                    while (slen > 0) {
                        int r = run(pat, pend, str, nocase, p + 1, plen - 1, s, slen, nesting + 1);
                        if (r != NO_MATCH) {
                            return r;
                        }
                        s++;
                        slen--;
                    }
                    // the rest of the pattern matches nowhere in the rest of the string: a longer match
                    // for an earlier star would need it to match even later, so every caller stops
                    return NO_MATCH_ANYWHERE;
                }
                case '?':
                    s++;
                    slen--;
                    break;
                case '[': {
                    p++;
                    plen--;
                    boolean not = at(pat, pend, p) == '^';
                    if (not) {
                        p++;
                        plen--;
                    }
                    boolean match = false;
                    int c = str[s];
                    while (true) {
                        if (at(pat, pend, p) == '\\' && plen >= 2) {
                            p++;
                            plen--;
                            if (at(pat, pend, p) == c) {
                                match = true;
                            }
                        } else if (at(pat, pend, p) == ']') {
                            break;
                        } else if (plen == 0) {
                            p--; // an unterminated class ends at the pattern's end
                            plen++;
                            break;
                        } else if (plen >= 3 && at(pat, pend, p + 1) == '-') {
                            int start = at(pat, pend, p);
                            int end = at(pat, pend, p + 2);
                            if (start > end) {
                                int t = start;
                                start = end;
                                end = t;
                            }
                            int cc = c;
                            if (nocase) {
                                start = lower(start);
                                end = lower(end);
                                cc = lower(c);
                            }
                            p += 2;
                            plen -= 2;
                            if (cc >= start && cc <= end) {
                                match = true;
                            }
                        } else if (same(at(pat, pend, p), c, nocase)) {
                            match = true;
                        }
                        p++;
                        plen--;
                    }
                    if (not) {
                        match = !match;
                    }
                    if (!match) {
                        return NO_MATCH;
                    }
                    s++;
                    slen--;
                    break;
                }
                case '\\':
                    if (plen >= 2) {
                        p++;
                        plen--;
                    }
                    if (!same(at(pat, pend, p), str[s], nocase)) {
                        return NO_MATCH;
                    }
                    s++;
                    slen--;
                    break;
                default:
                    if (!same(at(pat, pend, p), str[s], nocase)) {
                        return NO_MATCH;
                    }
                    s++;
                    slen--;
                    break;
            }
            p++;
            plen--;
            if (slen == 0) {
                while (at(pat, pend, p) == '*') {
                    p++;
                    plen--;
                }
                break;
            }
        }
        return plen == 0 && slen == 0 ? MATCH : NO_MATCH;
    }
}
