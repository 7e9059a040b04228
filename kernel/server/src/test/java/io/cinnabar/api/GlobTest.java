package io.cinnabar.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Redis's stringmatchlen, expectations taken from redis-server 7.2's KEYS on the same keys and patterns. */
class GlobTest {
    private static final List<String> KEYS = List.of("hello", "hallo", "hllo", "heeeello", "hillo", "h*llo", "a",
            "b", "]", "a\\", "A", "q", "[abc", "-", "^", "x-y", "\\", "ab", "aB");

    private static boolean m(String pattern, String s) {
        return Glob.matches(pattern.getBytes(StandardCharsets.UTF_8), s.getBytes(StandardCharsets.UTF_8));
    }

    /** The keys of {@link #KEYS} the pattern matches, sorted. */
    private static String matching(String pattern) {
        TreeSet<String> out = new TreeSet<>();
        for (String k : KEYS) {
            if (m(pattern, k)) {
                out.add(k);
            }
        }
        return String.join(" ", out);
    }

    @Test
    void starQuestionMarkAndLiterals() {
        assertEquals(KEYS.size(), matching("*").split(" ").length);
        assertFalse(m("*", ""), "Redis's matcher never matches an empty string (KEYS * lists \"\" by a shortcut)");
        assertFalse(m("**", ""));
        assertFalse(m("?", ""));
        assertEquals("h*llo hallo hello hillo", matching("h?llo"));
        assertEquals("h*llo hallo heeeello hello hillo hllo", matching("h*llo"));
        assertEquals("aB a\\ ab", matching("??"));
        assertTrue(m("a*b*c", "axxbyyc"));
        assertFalse(m("a*b*c", "axxbyy"));
        assertTrue(m("**a**", "xxaxx"));
    }

    @Test
    void classesRangesAndNegation() {
        assertEquals("hallo hello", matching("h[ae]llo"));
        assertEquals("h*llo hallo hillo", matching("h[^e]llo"));
        assertEquals("hallo", matching("h[a-b]llo"));
        assertEquals("hallo", matching("h[b-a]llo"), "a reversed range is swapped");
        assertEquals("- A \\ ] ^ b q", matching("[^a]"));
        assertEquals("-", matching("[-]"));
        assertEquals("x-y", matching("x[-]y"));
        assertEquals("", matching("[]]"), "an empty class matches nothing");
        assertEquals("]", matching("[\\]]"));
    }

    @Test
    void unterminatedClassesAndTrailingEscapesBehaveAsRedis() {
        assertEquals("a b", matching("[abc"));
        assertEquals("- a", matching("[a-"));
        assertEquals("] ^ a", matching("[a-]"), "a-] is the range ']'..'a'");
        assertEquals("- A \\ ] ^ a b q", matching("[^"));
        assertEquals("\\", matching("[\\"));
        assertEquals("\\", matching("\\"));
        assertEquals("a\\", matching("a\\"));
        assertEquals("\\ a\\", matching("*\\"));
    }

    @Test
    void escapesMakeMetacharactersLiteral() {
        assertEquals("h*llo", matching("h\\*llo"));
        assertTrue(m("\\?", "?"));
        assertFalse(m("\\?", "a"));
        assertTrue(m("\\[a]", "[a]"));
    }

    @Test
    void nocaseFoldsAsciiOnly() {
        assertEquals("A", matching("[A-Z]"));
        assertEquals("aB", matching("a[B]"));
        assertTrue(Glob.matches("HeLLo", "hello", true));
        assertTrue(Glob.matches("[A-Z]", "q", true));
        assertTrue(Glob.matches("[^A]", "b", true));
        assertFalse(Glob.matches("[^A]", "a", true));
        assertTrue(Glob.matches("maxmemory-*", "MAXMEMORY-policy", true));
        assertFalse(Glob.matches("HeLLo", "hello", false));
    }

    @Test
    void bytesOutsideAsciiCompareAsSignedChars() {
        byte[] hi = {(byte) 0xe9};
        assertTrue(Glob.matches(new byte[] {'[', (byte) 0x80, '-', (byte) 0xff, ']'}, hi));
        assertFalse(Glob.matches(new byte[] {'[', 'a', '-', (byte) 0xff, ']'}, new byte[] {'b'}),
                "0xff is -1 as a C char, so a-\\xff is the range -1..'a'");
        assertTrue(Glob.matches(new byte[] {'[', 'a', '-', (byte) 0xff, ']'}, new byte[] {'A'}));
        assertTrue(Glob.matches(new byte[] {'a', 0, '*'}, new byte[] {'a', 0, 'z'}), "NUL bytes are ordinary");
    }

    @Test
    void offsetsRestrictPatternAndString() {
        byte[] p = "xxh*oyy".getBytes(StandardCharsets.UTF_8);
        byte[] s = "__hello__".getBytes(StandardCharsets.UTF_8);
        assertTrue(Glob.matches(p, 2, 3, s, 2, 5, false));
        assertFalse(Glob.matches(p, 2, 4, s, 2, 4, false));
    }

    /** Redis's "very long nested loops" regression: stars nested deeper than 1000 never match. */
    @Test
    void nestingBeyondOneThousandStarsNeverMatches() {
        String s = "a".repeat(1100);
        assertTrue(m("*?".repeat(999), s));
        assertTrue(m("*?".repeat(1000), s));
        assertFalse(m("*?".repeat(1001), s));
        assertFalse(m("*a".repeat(1001), s));
        assertFalse(m("*?".repeat(50000), "a".repeat(50000)));
        assertTrue(m("*?".repeat(500), "a".repeat(50000)));
    }

    /** Redis's "long nested loops" regression: a failing tail stops every earlier star from retrying. */
    @Test
    void failingTailDoesNotBacktrackExponentially() {
        assertFalse(m("a*".repeat(40) + "b", "a".repeat(200)));
        assertFalse(m("a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b", "a".repeat(140)));
        assertTrue(m("a*".repeat(40) + "b", "a".repeat(200) + "b"));
    }

    @Test
    void matchesEverythingOnlyForALoneStar() {
        assertTrue(Glob.matchesEverything("*".getBytes(StandardCharsets.UTF_8)));
        assertFalse(Glob.matchesEverything("**".getBytes(StandardCharsets.UTF_8)));
        assertFalse(Glob.matchesEverything("a*".getBytes(StandardCharsets.UTF_8)));
    }
}
