package io.cinnabar.kernel.storage;

/**
 * What the dict holds for a string value kept in a Chronicle Map: only which size class holds it, as one shared
 * instance per class, so the handle costs the dict no memory beyond its reference.
 */
final class OffHeapValue {
    static final OffHeapValue[] CLASSES = {new OffHeapValue(0), new OffHeapValue(1), new OffHeapValue(2)};

    final int sizeClass;

    private OffHeapValue(int sizeClass) {
        this.sizeClass = sizeClass;
    }
}
