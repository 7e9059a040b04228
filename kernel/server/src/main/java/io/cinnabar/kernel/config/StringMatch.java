package io.cinnabar.kernel.config;

/**
 * Redis's glob matcher (util.c stringmatchlen) for CONFIG GET patterns: *, ?, [set], [^set], [a-z] and
 * backslash escapes, optionally ignoring case, with Redis's nesting limit and its early exit for '*'.
 * Private to the config package until the shared {@code io.cinnabar.api.Glob} is available here.
 */
final class StringMatch {
    private StringMatch() {
    }

    static boolean matches(String pattern, String string, boolean nocase) {
        boolean[] skipLongerMatches = new boolean[1];
        return match(pattern, 0, string, 0, nocase, skipLongerMatches, 0);
    }

    private static boolean match(String pat, int p, String str, int s, boolean nocase, boolean[] skip, int nesting) {
        if (nesting > 1000) {
            return false;
        }
        int plen = pat.length();
        int slen = str.length();
        while (p < plen && s < slen) {
            char pc = pat.charAt(p);
            switch (pc) {
                case '*' -> {
                    while (p + 1 < plen && pat.charAt(p + 1) == '*') {
                        p++;
                    }
                    if (p + 1 == plen) {
                        return true;
                    }
                    while (s < slen) {
                        if (match(pat, p + 1, str, s, nocase, skip, nesting + 1)) {
                            return true;
                        }
                        if (skip[0]) {
                            return false;
                        }
                        s++;
                    }
                    // no match for the rest of the pattern from anywhere: longer matches of an earlier '*' can't help
                    skip[0] = true;
                    return false;
                }
                case '?' -> s++;
                case '[' -> {
                    p++;
                    boolean not = p < plen && pat.charAt(p) == '^';
                    if (not) {
                        p++;
                    }
                    boolean matched = false;
                    char c = str.charAt(s);
                    while (true) {
                        if (p < plen && pat.charAt(p) == '\\' && plen - p >= 2) {
                            p++;
                            if (pat.charAt(p) == c) {
                                matched = true;
                            }
                        } else if (p < plen && pat.charAt(p) == ']') {
                            break;
                        } else if (p >= plen) {
                            p--;
                            break;
                        } else if (plen - p >= 3 && pat.charAt(p + 1) == '-') {
                            int start = pat.charAt(p);
                            int end = pat.charAt(p + 2);
                            int cc = c;
                            if (start > end) {
                                int t = start;
                                start = end;
                                end = t;
                            }
                            if (nocase) {
                                start = lower(start);
                                end = lower(end);
                                cc = lower(cc);
                            }
                            p += 2;
                            if (cc >= start && cc <= end) {
                                matched = true;
                            }
                        } else if (same(pat.charAt(p), c, nocase)) {
                            matched = true;
                        }
                        p++;
                    }
                    if (not) {
                        matched = !matched;
                    }
                    if (!matched) {
                        return false;
                    }
                    s++;
                }
                case '\\' -> {
                    if (plen - p >= 2) {
                        p++;
                    }
                    if (!same(pat.charAt(p), str.charAt(s), nocase)) {
                        return false;
                    }
                    s++;
                }
                default -> {
                    if (!same(pc, str.charAt(s), nocase)) {
                        return false;
                    }
                    s++;
                }
            }
            p++;
            if (s == slen) {
                while (p < plen && pat.charAt(p) == '*') {
                    p++;
                }
                break;
            }
        }
        return p == plen && s == slen;
    }

    private static boolean same(char a, char b, boolean nocase) {
        return nocase ? lower(a) == lower(b) : a == b;
    }

    private static int lower(int c) {
        return c >= 'A' && c <= 'Z' ? c + 32 : c;
    }
}
