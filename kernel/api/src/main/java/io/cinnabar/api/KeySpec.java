package io.cinnabar.api;

import java.util.List;

/**
 * Where a command's keys are, in Redis 7's key-spec model: a begin-search step (a fixed index, or the
 * position after a keyword) and a find-keys step (a range, or a count read from the arguments).
 * The dispatcher (cluster slots), {@code COMMAND GETKEYS} and {@code COMMAND INFO} all read these.
 *
 * @param flags     Redis key-spec flags, e.g. {@code RO}, {@code RW}, {@code OW}, {@code ACCESS}, {@code UPDATE}
 * @param beginIndex    begin search by index: the argument index, or 0 when {@link #keyword} is used
 * @param keyword       begin search by keyword (null when by index)
 * @param keywordStart  where the keyword search starts (negative counts from the end)
 * @param lastKey       range: last key relative to the first (-1 = up to the last argument), or keynum: unused
 * @param keyStep       distance between keys
 * @param limit         range: 0 = no limit, else 1/limit of the remaining arguments are keys
 * @param keynumIndex   keynum: index of the count relative to the begin position; -1 when range is used
 * @param firstKey      keynum: first key relative to the begin position
 */
public record KeySpec(List<String> flags, int beginIndex, String keyword, int keywordStart,
                      int lastKey, int keyStep, int limit, int keynumIndex, int firstKey) {

    /** Keys in a range starting at a fixed index: {@code range(1, 0, 1)} is the one key of GET. */
    public static KeySpec range(int index, int lastKey, int step, String... flags) {
        return new KeySpec(List.of(flags), index, null, 0, lastKey, step, 0, -1, 0);
    }

    /** Like {@link #range} with Redis's {@code limit} (e.g. 2 for "half of the remaining arguments"). */
    public static KeySpec rangeLimit(int index, int lastKey, int step, int limit, String... flags) {
        return new KeySpec(List.of(flags), index, null, 0, lastKey, step, limit, -1, 0);
    }

    /** A key count at {@code index}, keys following it (e.g. ZUNIONSTORE's numkeys). */
    public static KeySpec keynum(int index, int keynumIndex, int firstKey, int step, String... flags) {
        return new KeySpec(List.of(flags), index, null, 0, 0, step, 0, keynumIndex, firstKey);
    }

    /** Keys after a keyword (e.g. the STORE of SORT, or STREAMS of XREAD). */
    public static KeySpec keyword(String keyword, int startFrom, int lastKey, int step, String... flags) {
        return new KeySpec(List.of(flags), 0, keyword, startFrom, lastKey, step, 0, -1, 0);
    }

    /**
     * A spec whose keys cannot be found from the arguments' positions (Redis's {@code unknown} begin search and
     * find keys, e.g. SORT's STORE); the command's {@link KeyFinder} finds them.
     */
    public static KeySpec unknown(String... flags) {
        return new KeySpec(List.of(flags), 0, null, 0, 0, 0, 0, -1, 0);
    }

    /** True for {@link #unknown}: neither an index nor a keyword to begin the search from. */
    public boolean isUnknown() {
        return keyword == null && beginIndex <= 0;
    }

    public boolean isKeynum() {
        return keynumIndex >= 0;
    }

    public boolean isKeyword() {
        return keyword != null;
    }
}
