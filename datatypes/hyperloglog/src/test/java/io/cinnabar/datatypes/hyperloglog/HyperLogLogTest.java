package io.cinnabar.datatypes.hyperloglog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.Test;

/**
 * The paths of hyperloglog.c that no element found in reasonable time reaches (a run of more than 32 zeros
 * needs about 2^32 tries), checked on the representation directly.
 */
class HyperLogLogTest {
    @Test
    void aValueTooLargeForAVALOpcodePromotesTheSparseStringToDense() {
        HllString h = HllString.empty();
        assertEquals(1, HyperLogLog.sparseSet(h, 5, 3, 3000));
        assertEquals(1, HyperLogLog.sparseSet(h, 100, 33, 3000));
        assertEquals(HllString.DENSE, h.encoding());
        assertEquals(HllString.DENSE_SIZE, h.len);
        assertEquals(3, HyperLogLog.denseGet(h.b, 5));
        assertEquals(33, HyperLogLog.denseGet(h.b, 100));
        assertEquals(0, HyperLogLog.denseGet(h.b, 101));
        assertEquals(0, HyperLogLog.denseSet(h.b, 100, 20));
    }

    @Test
    void theLastRegisterLivesInTheLastByteAlone() {
        HllString h = HllString.empty();
        HyperLogLog.sparseSet(h, HyperLogLog.REGISTERS - 1, 51, 3000);
        assertEquals(51, HyperLogLog.denseGet(h.b, HyperLogLog.REGISTERS - 1));
        assertEquals(0, HyperLogLog.denseGet(h.b, HyperLogLog.REGISTERS - 2));
        assertEquals((byte) (51 << 2), h.b[HllString.DENSE_SIZE - 1]);
    }

    @Test
    void aCorruptedSparseStringIsNotPromoted() {
        HllString h = HllString.empty();
        h.b[HllString.HDR_SIZE + 1] = 0; // XZERO of 16129 registers, not 16384
        assertFalse(HyperLogLog.sparseToDense(h));
        assertEquals(-1, HyperLogLog.sparseSet(h, 16200, 40, 3000));
        assertEquals(HllString.SPARSE, h.encoding());
    }
}
