package io.cinnabar.kernel.persistence;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * What the append-only files on disk are, in one line: the manifest's text and the size of every file it
 * lists (or of a Redis 6 single-file AOF). A storage engine that keeps the keyspace across restarts records it
 * at a clean shutdown; at the next start an equal fingerprint proves the AOF holds nothing the engine's files
 * lack, so the AOF need not be replayed over them. Any difference means the AOF is the source, as in Redis.
 */
public final class AofFingerprint {
    private AofFingerprint() {
    }

    /**
     * The fingerprint of the AOF under {@code dir} ({@code appenddirname} and {@code appendfilename} as
     * configured), or null when there is no AOF at all. An unreadable AOF gets a fingerprint no shutdown writes.
     */
    public static String of(Path dir, String appendDirName, String appendFileName) {
        Path aofDir = dir.resolve(appendDirName);
        StringBuilder sb = new StringBuilder();
        try {
            Path oldStyle = dir.resolve(appendFileName);
            if (Files.exists(oldStyle)) {
                sb.append("single ").append(Files.size(oldStyle)).append(';');
            }
            String text;
            try {
                text = Files.readString(aofDir.resolve(appendFileName + ".manifest"), StandardCharsets.UTF_8);
            } catch (NoSuchFileException e) {
                return sb.length() == 0 ? null : sb.toString();
            }
            AofManifest m = AofManifest.parse(text);
            if (m.base != null) {
                sb.append(entry(aofDir, m.base));
            }
            for (AofManifest.Entry e : m.incr) {
                sb.append(entry(aofDir, e));
            }
            return sb.toString();
        } catch (IOException | AofManifest.ManifestException e) {
            return "unreadable";
        }
    }

    private static String entry(Path aofDir, AofManifest.Entry e) throws IOException {
        return e.type() + " " + e.name() + " " + Files.size(aofDir.resolve(e.name())) + ";";
    }
}
