package io.cinnabar.kernel.storage;

/**
 * What the dict holds for a string value kept in a Chronicle Map: only which map holds it (size class and
 * generation), as one shared instance per map, so the handle costs the dict no memory beyond its reference.
 */
final class OffHeapValue {
    /** Generations per size class: each doubles the previous one's capacity, so 24 is far more than a JVM holds. */
    static final int GENERATIONS = 24;
    private static final OffHeapValue[][] HANDLES = new OffHeapValue[MappedStore.CLASS_LIMIT.length][GENERATIONS];

    static {
        for (int c = 0; c < HANDLES.length; c++) {
            for (int g = 0; g < GENERATIONS; g++) {
                HANDLES[c][g] = new OffHeapValue(c, g);
            }
        }
    }

    final int sizeClass;
    final int generation;

    private OffHeapValue(int sizeClass, int generation) {
        this.sizeClass = sizeClass;
        this.generation = generation;
    }

    static OffHeapValue of(int sizeClass, int generation) {
        return HANDLES[sizeClass][generation];
    }
}
