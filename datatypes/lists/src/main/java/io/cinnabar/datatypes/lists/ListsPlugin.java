package io.cinnabar.datatypes.lists;

import org.pf4j.Plugin;

/** The lists plugin: its command family is its {@code @Extension}. */
public final class ListsPlugin extends Plugin {
}
