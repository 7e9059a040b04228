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
        for (String f : spec.flags()) {
            if (f.equalsIgnoreCase(flag)) {
                return true;
            }
        }
        return false;
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
