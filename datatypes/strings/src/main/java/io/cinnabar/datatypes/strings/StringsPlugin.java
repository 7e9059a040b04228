package io.cinnabar.datatypes.strings;

import org.pf4j.Plugin;

/** The strings and bitmaps plugin: its command families are its {@code @Extension}s. */
public final class StringsPlugin extends Plugin {
}
