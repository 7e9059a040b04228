package io.cinnabar.datatypes.hyperloglog;

import org.pf4j.Plugin;

/** The HyperLogLog plugin: its command family is its {@code @Extension}. HLLs are plain strings. */
public final class HyperLogLogPlugin extends Plugin {
}
