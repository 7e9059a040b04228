package io.cinnabar.api;

import java.util.function.Consumer;

/**
 * A value holding distinct members that another type's commands may read: Redis's ZUNION, ZINTER, ZDIFF and
 * their STORE forms accept plain sets as inputs (each member with score 1), so a set value implements this
 * for the sorted-set plugin to read it without depending on the sets plugin.
 */
public interface MemberSet {
    long memberCount();

    boolean containsMember(byte[] member);

    /** Visits each member once, in the value's own order. */
    void forEachMember(Consumer<byte[]> visitor);
}
