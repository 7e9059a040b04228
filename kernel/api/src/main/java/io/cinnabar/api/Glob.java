package io.cinnabar.api;

import java.nio.charset.StandardCharsets;

/**
 * Glob-style matching exactly as Redis's {@code stringmatchlen} (KEYS, SCAN MATCH, CONFIG GET, COMMAND LIST
 * PATTERN, PSUBSCRIBE): {@code *}, {@code ?}, {@code [abc]}, {@code [^a-z]}, {@code \} escapes. Bytes compare as
 * signed chars and case folding is ASCII-only, as in C; a pattern nesting more than 1000 stars never matches.
 */
public final class Glob {
    private Glob() {
    }

    public static boolean matches(String pattern, String string, boolean nocase) {
        return matches(pattern.getBytes(StandardCharsets.UTF_8), string.getBytes(StandardCharsets.UTF_8), nocase);
    }

    public static boolean matches(byte[] pattern, byte[] string, boolean nocase) {
        return match(pattern, 0, string, 0, nocase, new boolean[1], 0);
    }

    private static int at(byte[] b, int i) {
        return i < b.length ? b[i] : 0;
    }

    private static int lower(int c) {
        return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
    }

    /** The position-indexed port of {@code stringmatchlen_impl}; {@code skipLonger} is its early-exit flag. */
    private static boolean match(byte[] p, int pi, byte[] s, int si, boolean nocase, boolean[] skipLonger,
                                 int nesting) {
        if (nesting > 1000) {
            return false;
        }
        int pEnd = p.length;
        int sEnd = s.length;
        while (pi < pEnd && si < sEnd) {
            switch (p[pi]) {
                case '*' -> {
                    while (pi + 1 < pEnd && p[pi + 1] == '*') {
                        pi++;
                    }
                    if (pEnd - pi == 1) {
                        return true;
                    }
                    while (si < sEnd) {
                        if (match(p, pi + 1, s, si, nocase, skipLonger, nesting + 1)) {
                            return true;
                        }
                        if (skipLonger[0]) {
                            return false;
                        }
                        si++;
                    }
                    // the rest of the pattern matches nowhere in the rest of the string: no earlier star can help
                    skipLonger[0] = true;
                    return false;
                }
                case '?' -> si++;
                case '[' -> {
                    pi++;
                    boolean not = at(p, pi) == '^';
                    if (not) {
                        pi++;
                    }
                    boolean match = false;
                    while (true) {
                        if (at(p, pi) == '\\' && pEnd - pi >= 2) {
                            pi++;
                            if (p[pi] == s[si]) {
                                match = true;
                            }
                        } else if (at(p, pi) == ']') {
                            break;
                        } else if (pi >= pEnd) {
                            pi--;
                            break;
                        } else if (pEnd - pi >= 3 && p[pi + 1] == '-') {
                            int start = p[pi];
                            int end = p[pi + 2];
                            int c = s[si];
                            if (start > end) {
                                int t = start;
                                start = end;
                                end = t;
                            }
                            if (nocase) {
                                start = lower(start);
                                end = lower(end);
                                c = lower(c);
                            }
                            pi += 2;
                            if (c >= start && c <= end) {
                                match = true;
                            }
                        } else if (nocase ? lower(p[pi]) == lower(s[si]) : p[pi] == s[si]) {
                            match = true;
                        }
                        pi++;
                    }
                    if (not) {
                        match = !match;
                    }
                    if (!match) {
                        return false;
                    }
                    si++;
                }
                default -> {
                    if (p[pi] == '\\' && pEnd - pi >= 2) {
                        pi++;
                    }
                    if (nocase ? lower(p[pi]) != lower(s[si]) : p[pi] != s[si]) {
                        return false;
                    }
                    si++;
                }
            }
            pi++;
            if (si == sEnd) {
                while (pi < pEnd && p[pi] == '*') {
                    pi++;
                }
                break;
            }
        }
        return pi == pEnd && si == sEnd;
    }
}
