package io.cinnabar.kernel.command;

import io.cinnabar.api.KeySpec;
import java.util.ArrayList;
import java.util.List;

/** Key-spec flag names in the order and spelling Redis prints them ({@code addReplyFlagsForKeyArgs}). */
public final class KeySpecFlags {
    public static final String NOT_KEY = "not_key";
    public static final String INCOMPLETE = "incomplete";
    public static final String VARIABLE_FLAGS = "variable_flags";
    private static final List<String> ORDER = List.of("RO", "RW", "OW", "RM", "access", "update", "insert",
            "delete", NOT_KEY, INCOMPLETE, VARIABLE_FLAGS);

    private KeySpecFlags() {
    }

    /** True when the spec carries {@code flag} (spelled in any case). */
    public static boolean has(KeySpec spec, String flag) {
        List<String> flags = spec.flags();
        for (int i = 0; i < flags.size(); i++) {
            if (sameIgnoringCase(flags.get(i), flag)) {
                return true;
            }
        }
        return false;
    }

    /** Flag names are ASCII: cluster routing asks on every command, so no Unicode case folding. */
    private static boolean sameIgnoringCase(String a, String b) {
        if (a == b) {
            return true;
        }
        int n = a.length();
        if (n != b.length()) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            char x = a.charAt(i);
            char y = b.charAt(i);
            if (x != y && ((x | 0x20) != (y | 0x20) || (x | 0x20) < 'a' || (x | 0x20) > 'z')) {
                return false;
            }
        }
        return true;
    }

    /** The flags in Redis's order and spelling; flags Redis does not know are kept at the end as given. */
    public static List<String> canonical(List<String> flags) {
        List<String> out = new ArrayList<>(flags.size());
        for (String known : ORDER) {
            for (String f : flags) {
                if (f.equalsIgnoreCase(known)) {
                    out.add(known);
                    break;
                }
            }
        }
        for (String f : flags) {
            if (ORDER.stream().noneMatch(f::equalsIgnoreCase)) {
                out.add(f);
            }
        }
        return out;
    }
}
