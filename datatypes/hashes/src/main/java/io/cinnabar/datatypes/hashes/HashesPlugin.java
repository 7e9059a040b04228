package io.cinnabar.datatypes.hashes;

import org.pf4j.Plugin;

/** The hashes plugin: its command family is its {@code @Extension}. */
public final class HashesPlugin extends Plugin {
}
