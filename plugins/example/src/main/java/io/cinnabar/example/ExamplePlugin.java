package io.cinnabar.example;

import org.pf4j.Plugin;

/** Placeholder replaced by the example plugin. */
public final class ExamplePlugin extends Plugin {
}
