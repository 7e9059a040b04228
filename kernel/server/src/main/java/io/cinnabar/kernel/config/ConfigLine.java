package io.cinnabar.kernel.config;

import java.util.ArrayList;
import java.util.List;

/** Splits one redis.conf line into words, honouring "double" and 'single' quotes like sdssplitargs. */
final class ConfigLine {
    private ConfigLine() {
    }

    static List<String> split(String line) {
        List<String> out = new ArrayList<>();
        int i = 0;
        int n = line.length();
        while (i < n) {
            while (i < n && Character.isWhitespace(line.charAt(i))) {
                i++;
            }
            if (i >= n) {
                break;
            }
            StringBuilder w = new StringBuilder();
            char q = line.charAt(i);
            if (q == '"' || q == '\'') {
                i++;
                boolean closed = false;
                while (i < n) {
                    char c = line.charAt(i++);
                    if (c == '\\' && i < n) {
                        char e = line.charAt(i++);
                        w.append(q == '\'' ? (e == '\'' ? "'" : "\\" + e) : switch (e) {
                            case 'n' -> "\n";
                            case 'r' -> "\r";
                            case 't' -> "\t";
                            default -> String.valueOf(e);
                        });
                    } else if (c == q) {
                        closed = true;
                        break;
                    } else {
                        w.append(c);
                    }
                }
                if (!closed || (i < n && !Character.isWhitespace(line.charAt(i)))) {
                    return null;
                }
            } else {
                while (i < n && !Character.isWhitespace(line.charAt(i))) {
                    w.append(line.charAt(i++));
                }
            }
            out.add(w.toString());
        }
        return out;
    }
}
