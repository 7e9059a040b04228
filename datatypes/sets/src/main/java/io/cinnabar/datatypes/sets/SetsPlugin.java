package io.cinnabar.datatypes.sets;

import org.pf4j.Plugin;

/** The sets plugin: its command family is its {@code @Extension}. */
public final class SetsPlugin extends Plugin {
}
