package io.cinnabar.kernel.persistence;

import io.cinnabar.kernel.config.ConfigLine;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The manifest of a Redis 7 multi-part AOF (aof.c's aofManifest): one BASE file, the HISTORY files waiting
 * to be deleted and the INCR files in replay order, written as lines {@code file <name> seq <n> type <b|h|i>}
 * (base first, then history, then incr) and replaced atomically through {@code temp-<appendfilename>.manifest}.
 */
final class AofManifest {
    static final char BASE = 'b';
    static final char HISTORY = 'h';
    static final char INCR = 'i';

    /** One file of the AOF (aofInfo). */
    record Entry(String name, long seq, char type) {
        Entry as(char newType) {
            return new Entry(name, seq, newType);
        }
    }

    /** A manifest Redis refuses to start with; the message is Redis's. */
    static final class ManifestException extends Exception {
        ManifestException(String message) {
            super(message);
        }
    }

    Entry base;
    final List<Entry> history = new ArrayList<>();
    final List<Entry> incr = new ArrayList<>();
    long currentBaseSeq;
    long currentIncrSeq;

    boolean isEmpty() {
        return base == null && incr.isEmpty();
    }

    /** aofLoadManifestFromFile: the same checks and messages, in the same order. */
    static AofManifest parse(String text) throws ManifestException {
        AofManifest am = new AofManifest();
        long maxSeq = 0;
        int lines = 0;
        String[] raw = text.split("\n", -1);
        int count = text.endsWith("\n") ? raw.length - 1 : raw.length;
        if (text.isEmpty()) {
            throw new ManifestException("Found an empty AOF manifest");
        }
        for (int i = 0; i < count; i++) {
            lines++;
            String buf = raw[i];
            if (buf.startsWith("#")) {
                continue;
            }
            String line = buf.strip();
            if (line.isEmpty()) {
                throw new ManifestException("Invalid AOF manifest file format");
            }
            List<String> argv = ConfigLine.split(line);
            if (argv == null || argv.size() < 6 || argv.size() % 2 != 0) {
                throw new ManifestException("Invalid AOF manifest file format");
            }
            String name = null;
            long seq = 0;
            char type = 0;
            for (int j = 0; j < argv.size(); j += 2) {
                String k = argv.get(j);
                String v = argv.get(j + 1);
                if (k.equalsIgnoreCase("file")) {
                    name = v;
                    if (name.contains("/")) {
                        throw new ManifestException("File can't be a path, just a filename");
                    }
                } else if (k.equalsIgnoreCase("seq")) {
                    seq = atoll(v);
                } else if (k.equalsIgnoreCase("type")) {
                    type = v.isEmpty() ? 0 : v.charAt(0);
                }
            }
            if (name == null || seq == 0 || type == 0) {
                throw new ManifestException("Invalid AOF manifest file format");
            }
            Entry e = new Entry(name, seq, type);
            switch (type) {
                case BASE -> {
                    if (am.base != null) {
                        throw new ManifestException("Found duplicate base file information");
                    }
                    am.base = e;
                    am.currentBaseSeq = seq;
                }
                case HISTORY -> am.history.add(e);
                case INCR -> {
                    if (seq <= maxSeq) {
                        throw new ManifestException("Found a non-monotonic sequence number");
                    }
                    am.incr.add(e);
                    am.currentIncrSeq = seq;
                    maxSeq = seq;
                }
                default -> throw new ManifestException("Unknown AOF file type");
            }
        }
        if (lines == 0) {
            throw new ManifestException("Found an empty AOF manifest");
        }
        return am;
    }

    /** C's atoll: leading digits with an optional sign, 0 when none. */
    private static long atoll(String s) {
        int i = 0;
        boolean neg = false;
        if (i < s.length() && (s.charAt(i) == '-' || s.charAt(i) == '+')) {
            neg = s.charAt(i) == '-';
            i++;
        }
        long v = 0;
        while (i < s.length() && Character.isDigit(s.charAt(i))) {
            v = v * 10 + (s.charAt(i) - '0');
            i++;
        }
        return neg ? -v : v;
    }

    /** getAofManifestAsString. */
    String format() {
        StringBuilder sb = new StringBuilder();
        if (base != null) {
            line(sb, base);
        }
        for (Entry e : history) {
            line(sb, e);
        }
        for (Entry e : incr) {
            line(sb, e);
        }
        return sb.toString();
    }

    /** aofInfoFormat: the name is quoted (sdscatrepr) only when it needs to be. */
    private static void line(StringBuilder sb, Entry e) {
        String name = e.name();
        boolean needsRepr = false;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c <= ' ' || c > '~' || c == '"' || c == '\'' || c == '\\') {
                needsRepr = true;
                break;
            }
        }
        sb.append("file ").append(needsRepr ? ConfigLine.repr(name) : name).append(" seq ").append(e.seq())
                .append(" type ").append(e.type()).append('\n');
    }

    /** getNewBaseFileNameAndMarkPreAsHistory: the old base becomes history, the new one gets the next seq. */
    String newBase(String prefix, boolean rdb) {
        if (base != null) {
            history.add(base.as(HISTORY));
        }
        currentBaseSeq++;
        String name = prefix + "." + currentBaseSeq + ".base" + (rdb ? ".rdb" : ".aof");
        base = new Entry(name, currentBaseSeq, BASE);
        return name;
    }

    /** getNewIncrAofName: appends a new incr file with the next seq. */
    String newIncr(String prefix) {
        currentIncrSeq++;
        String name = prefix + "." + currentIncrSeq + ".incr.aof";
        incr.add(new Entry(name, currentIncrSeq, INCR));
        return name;
    }

    /** The incr file being appended to, created when there is none yet (getLastIncrAofName). */
    String lastIncr(String prefix) {
        if (incr.isEmpty()) {
            return newIncr(prefix);
        }
        return incr.get(incr.size() - 1).name();
    }

    /** markRewrittenIncrAofAsHistory: every incr file but the one being written ({@code keepLast}) is history. */
    void markRewrittenIncrAsHistory(boolean keepLast) {
        int n = keepLast ? incr.size() - 1 : incr.size();
        for (int i = 0; i < n; i++) {
            history.add(incr.remove(0).as(HISTORY));
        }
    }

    AofManifest copy() {
        AofManifest m = new AofManifest();
        m.base = base;
        m.history.addAll(history);
        m.incr.addAll(incr);
        m.currentBaseSeq = currentBaseSeq;
        m.currentIncrSeq = currentIncrSeq;
        return m;
    }

    /** persistAofManifest: written to the temp file, fsynced, renamed over the manifest, directory fsynced. */
    void persist(Path dir, String appendFilename) throws IOException {
        Path temp = dir.resolve("temp-" + appendFilename + ".manifest");
        Path target = dir.resolve(appendFilename + ".manifest");
        try (FileOutputStream out = new FileOutputStream(temp.toFile())) {
            out.write(format().getBytes(StandardCharsets.UTF_8));
            out.getFD().sync();
        }
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        fsyncDir(dir);
    }

    static void fsyncDir(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException ignored) {
            // some file systems cannot fsync a directory; Redis ignores that too (fsyncFileDir)
        }
    }
}
