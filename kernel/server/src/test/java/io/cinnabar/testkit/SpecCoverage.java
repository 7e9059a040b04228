package io.cinnabar.testkit;

import static org.junit.jupiter.api.Assertions.fail;

import io.cinnabar.api.CommandFamily;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The meta-test's helper: every registered command (and every subcommand, as "container sub") must be
 * exercised by some test. A command counts as exercised when a test source (comments aside, the testkit
 * itself aside) has a string literal whose first word is the command ({@code "GET"}, {@code "get k"}, a
 * differential script line {@code "SET k v"}, or a line of a text block), or, for a subcommand, a literal
 * starting with both words ({@code "OBJECT ENCODING k"}) or the container's literal directly followed by one
 * starting with the subcommand ({@code "CONFIG", "GET", "maxmemory"}).
 */
public final class SpecCoverage {
    private SpecCoverage() {
    }

    /** "get", "config get": the command words of the families' specs. */
    public static List<String> commandWords(CommandFamily... families) {
        return CommandInfoConformance.namesOf(families).stream().map(n -> n.replace('|', ' ')).toList();
    }

    /** The command words of everything registered in the server. */
    public static List<String> commandWords(TestServer server) {
        return CommandInfoConformance.namesOf(server).stream().map(n -> n.replace('|', ' ')).toList();
    }

    /** Fails listing the command words no test under the roots exercises. */
    public static void assertCovered(Collection<String> words, Path... testRoots) {
        List<String> missing = uncovered(words, List.of(testRoots));
        if (!missing.isEmpty()) {
            fail(missing.size() + " of " + words.size() + " commands are not exercised by any test under "
                    + List.of(testRoots) + ":\n  " + String.join("\n  ", missing));
        }
    }

    public static List<String> uncovered(Collection<String> words, List<Path> testRoots) {
        List<List<String>> literals = new ArrayList<>();
        for (Path root : testRoots) {
            for (Path file : javaFiles(root)) {
                literals.add(null); // files never chain into each other
                literals.addAll(literalRuns(read(file)));
            }
        }
        List<String> missing = new ArrayList<>();
        for (String word : words) {
            if (!covered(word, literals)) {
                missing.add(word);
            }
        }
        return missing;
    }

    private static boolean covered(String word, List<List<String>> runs) {
        String[] w = word.toLowerCase(Locale.ROOT).split(" ");
        for (List<String> run : runs) {
            if (run == null) {
                continue;
            }
            for (int i = 0; i < run.size(); i++) {
                String[] tokens = tokens(run.get(i));
                if (tokens.length == 0 || !tokens[0].equals(w[0])) {
                    continue;
                }
                if (w.length == 1) {
                    return true;
                }
                if (tokens.length > 1 ? tokens[1].equals(w[1])
                        : i + 1 < run.size() && startsWithWord(run.get(i + 1), w[1])) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean startsWithWord(String literal, String word) {
        String[] t = tokens(literal);
        return t.length > 0 && t[0].equals(word);
    }

    private static String[] tokens(String literal) {
        String s = literal.trim().toLowerCase(Locale.ROOT);
        return s.isEmpty() ? new String[0] : s.split("\\s+");
    }

    private static List<Path> javaFiles(Path root) {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(p -> p.toString().endsWith(".java"))
                    .filter(p -> !p.toString().replace('\\', '/').contains("/testkit/"))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path p) {
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The string literals of a source, grouped in runs of literals separated only by commas and blanks (an
     * argument list such as {@code "CONFIG", "GET"}); each line of a text block is a run of its own.
     */
    static List<List<String>> literalRuns(String src) {
        List<List<String>> runs = new ArrayList<>();
        List<String> run = new ArrayList<>();
        int i = 0;
        int n = src.length();
        while (i < n) {
            char c = src.charAt(i);
            if (c == '/' && i + 1 < n && src.charAt(i + 1) == '/') {
                i = src.indexOf('\n', i);
                i = i < 0 ? n : i;
            } else if (c == '/' && i + 1 < n && src.charAt(i + 1) == '*') {
                int end = src.indexOf("*/", i + 2);
                i = end < 0 ? n : end + 2;
            } else if (src.startsWith("\"\"\"", i)) {
                int end = src.indexOf("\"\"\"", i + 3);
                end = end < 0 ? n : end;
                for (String line : src.substring(i + 3, end).split("\n")) {
                    runs.add(List.of(line));
                }
                i = end + 3;
            } else if (c == '\'') {
                int j = i + 1;
                while (j < n && src.charAt(j) != '\'') {
                    j += src.charAt(j) == '\\' ? 2 : 1;
                }
                i = j + 1;
            } else if (c == '"') {
                StringBuilder lit = new StringBuilder();
                int j = i + 1;
                while (j < n && src.charAt(j) != '"') {
                    if (src.charAt(j) == '\\' && j + 1 < n) {
                        lit.append(src.charAt(j + 1));
                        j += 2;
                    } else {
                        lit.append(src.charAt(j++));
                    }
                }
                run.add(lit.toString());
                i = j + 1;
            } else {
                if (c != ',' && !Character.isWhitespace(c) && !run.isEmpty()) {
                    runs.add(run);
                    run = new ArrayList<>();
                }
                i++;
            }
        }
        if (!run.isEmpty()) {
            runs.add(run);
        }
        return runs;
    }
}
