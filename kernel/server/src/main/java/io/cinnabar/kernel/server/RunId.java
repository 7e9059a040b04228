package io.cinnabar.kernel.server;

import java.security.SecureRandom;

/** A 40-hex-character run id, as Redis's run_id and replication ids. */
public final class RunId {
    private static final SecureRandom RANDOM = new SecureRandom();

    private RunId() {
    }

    public static String random() {
        byte[] b = new byte[20];
        RANDOM.nextBytes(b);
        StringBuilder sb = new StringBuilder(40);
        for (byte x : b) {
            sb.append(Character.forDigit((x >> 4) & 0xf, 16)).append(Character.forDigit(x & 0xf, 16));
        }
        return sb.toString();
    }
}
