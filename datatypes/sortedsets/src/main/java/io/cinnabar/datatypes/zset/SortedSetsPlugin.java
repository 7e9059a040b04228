package io.cinnabar.datatypes.zset;

import org.pf4j.Plugin;

/** The sorted sets plugin: its command family is its {@code @Extension}. */
public final class SortedSetsPlugin extends Plugin {
}
