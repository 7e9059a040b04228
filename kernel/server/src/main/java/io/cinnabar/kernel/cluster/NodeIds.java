package io.cinnabar.kernel.cluster;

import java.security.SecureRandom;

/** Node and shard ids: 40 lower-case hex characters (Redis's getRandomHexChars, verifyClusterNodeId). */
final class NodeIds {
    static final int LENGTH = 40;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private NodeIds() {
    }

    static String random() {
        char[] c = new char[LENGTH];
        for (int i = 0; i < LENGTH; i++) {
            c[i] = HEX[RANDOM.nextInt(16)];
        }
        return new String(c);
    }

    /** Redis's verifyClusterNodeId: exactly 40 characters of 0-9 and a-f. */
    static boolean valid(String id) {
        if (id.length() != LENGTH) {
            return false;
        }
        for (int i = 0; i < LENGTH; i++) {
            char ch = id.charAt(i);
            if (!((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f'))) {
                return false;
            }
        }
        return true;
    }
}
