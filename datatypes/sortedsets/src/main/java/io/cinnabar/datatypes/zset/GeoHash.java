package io.cinnabar.datatypes.zset;

import io.cinnabar.api.RedisNumbers;
import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Redis 7.2's geohash.c / geohash_helper.c arithmetic: 52-bit interleaved hashes (step 26) over the WGS84 ranges
 * Redis indexes (longitude ±180, latitude ±85.05112878), the haversine distance with Redis's earth radius, and the
 * number formats its geo replies use.
 */
final class GeoHash {
    static final int STEP_MAX = 26;
    static final double LAT_MIN = -85.05112878;
    static final double LAT_MAX = 85.05112878;
    static final double LONG_MIN = -180;
    static final double LONG_MAX = 180;
    static final double EARTH_RADIUS_IN_METERS = 6372797.560856;
    private static final double D_R = Math.PI / 180.0;
    private static final byte[] ALPHABET = "0123456789bcdefghjkmnpqrstuvwxyz".getBytes();

    private GeoHash() {
    }

    /** True when Redis accepts the pair for indexing (extractLongLatOrReply's check). */
    static boolean validPair(double lon, double lat) {
        return !(lon < LONG_MIN || lon > LONG_MAX || lat < LAT_MIN || lat > LAT_MAX);
    }

    /** geohashEncode: the interleaved bits, or -1 when the point is outside the ranges (Redis returns 0). */
    static long encode(double longMin, double longMax, double latMin, double latMax, double lon, double lat,
            int step) {
        if (lon > LONG_MAX || lon < LONG_MIN || lat > LAT_MAX || lat < LAT_MIN) {
            return -1;
        }
        if (lat < latMin || lat > latMax || lon < longMin || lon > longMax) {
            return -1;
        }
        double latOffset = (lat - latMin) / (latMax - latMin);
        double longOffset = (lon - longMin) / (longMax - longMin);
        latOffset *= (double) (1L << step);
        longOffset *= (double) (1L << step);
        return interleave64(((long) latOffset) & 0xffffffffL, ((long) longOffset) & 0xffffffffL);
    }

    /** geohashEncodeWGS84 at step 26: the score GEOADD stores. */
    static long encodeWgs84(double lon, double lat) {
        return encode(LONG_MIN, LONG_MAX, LAT_MIN, LAT_MAX, lon, lat, STEP_MAX);
    }

    /** The 11-character GEOHASH string of a stored score (re-encoded over the standard ±90 latitude range). */
    static byte[] hashString(double score) {
        double[] xy = decode(score);
        long bits = encode(-180, 180, -90, 90, xy[0], xy[1], STEP_MAX);
        byte[] out = new byte[11];
        for (int i = 0; i < 11; i++) {
            int idx = i == 10 ? 0 : (int) ((bits >>> (52 - ((i + 1) * 5))) & 0x1f);
            out[i] = ALPHABET[idx];
        }
        return out;
    }

    /** decodeGeohash: the centre {longitude, latitude} of the cell of a stored score, clamped to the ranges. */
    static double[] decode(double score) {
        long bits = toUint64(score);
        long sep = deinterleave64(bits);
        long ilato = sep & 0xffffffffL;
        long ilono = (sep >>> 32) & 0xffffffffL;
        double cells = (double) (1L << STEP_MAX);
        double latScale = LAT_MAX - LAT_MIN;
        double longScale = LONG_MAX - LONG_MIN;
        double latMin = LAT_MIN + (ilato * 1.0 / cells) * latScale;
        double latMax = LAT_MIN + (((ilato + 1) & 0xffffffffL) * 1.0 / cells) * latScale;
        double longMin = LONG_MIN + (ilono * 1.0 / cells) * longScale;
        double longMax = LONG_MIN + (((ilono + 1) & 0xffffffffL) * 1.0 / cells) * longScale;
        double x = (longMin + longMax) / 2;
        x = Math.max(LONG_MIN, Math.min(LONG_MAX, x));
        double y = (latMin + latMax) / 2;
        y = Math.max(LAT_MIN, Math.min(LAT_MAX, y));
        return new double[] {x, y};
    }

    /** C's {@code (uint64_t)d} as gcc emits it on x86-64 (cvttsd2si, with the 2^63 adjustment). */
    static long toUint64(double d) {
        double two63 = 9.223372036854775808E18;
        return d < two63 ? cvtt(d) : cvtt(d - two63) ^ Long.MIN_VALUE;
    }

    private static long cvtt(double d) {
        if (Double.isNaN(d) || d >= 9.223372036854775808E18 || d < -9.223372036854775808E18) {
            return Long.MIN_VALUE;
        }
        return (long) d;
    }

    static long interleave64(long xlo, long ylo) {
        long r = 0;
        for (int i = 0; i < 32; i++) {
            r |= ((xlo >>> i) & 1L) << (2 * i);
            r |= ((ylo >>> i) & 1L) << (2 * i + 1);
        }
        return r;
    }

    /** Even bits to the low 32 bits, odd bits to the high 32 bits. */
    static long deinterleave64(long interleaved) {
        long x = 0;
        long y = 0;
        for (int i = 0; i < 32; i++) {
            x |= ((interleaved >>> (2 * i)) & 1L) << i;
            y |= ((interleaved >>> (2 * i + 1)) & 1L) << i;
        }
        return x | (y << 32);
    }

    static double latDistance(double lat1d, double lat2d) {
        return EARTH_RADIUS_IN_METERS * Math.abs(lat2d * D_R - lat1d * D_R);
    }

    /** geohashGetDistance: haversine in meters. */
    static double distance(double lon1d, double lat1d, double lon2d, double lat2d) {
        double lon1r = lon1d * D_R;
        double lon2r = lon2d * D_R;
        double v = Math.sin((lon2r - lon1r) / 2);
        if (v == 0.0) {
            return latDistance(lat1d, lat2d);
        }
        double lat1r = lat1d * D_R;
        double lat2r = lat2d * D_R;
        double u = Math.sin((lat2r - lat1r) / 2);
        double a = u * u + Math.cos(lat1r) * Math.cos(lat2r) * v * v;
        return 2.0 * EARTH_RADIUS_IN_METERS * Math.asin(Math.sqrt(a));
    }

    /** Meters per unit for m/km/ft/mi, or -1 for anything else (extractUnitOrReply). */
    static double unit(byte[] u) {
        if (RedisNumbers.equalsIgnoreCase(u, "m")) {
            return 1;
        } else if (RedisNumbers.equalsIgnoreCase(u, "km")) {
            return 1000;
        } else if (RedisNumbers.equalsIgnoreCase(u, "ft")) {
            return 0.3048;
        } else if (RedisNumbers.equalsIgnoreCase(u, "mi")) {
            return 1609.34;
        }
        return -1;
    }

    /** fixedpoint_d2string(d, 4): llrint(d * 10^4) printed with four decimals (addReplyDoubleDistance). */
    static String formatDistance(double d) {
        if (d == 0) {
            return "0.0000";
        }
        long v = (long) Math.rint(d * 10000.0);
        boolean neg = v < 0;
        v = Math.abs(v);
        String frac = Long.toString(v % 10000);
        return (neg ? "-" : "") + (v / 10000) + "." + "0000".substring(frac.length()) + frac;
    }

    /** C's {@code %f}: six decimals, exact binary value rounded half-even, "inf"/"-inf". */
    static String formatF(double d) {
        if (Double.isInfinite(d)) {
            return d > 0 ? "inf" : "-inf";
        }
        if (Double.isNaN(d)) {
            return "nan";
        }
        String s = new BigDecimal(d).setScale(6, RoundingMode.HALF_EVEN).toPlainString();
        boolean negative = d < 0 || (d == 0 && 1 / d < 0);
        return negative && s.charAt(0) != '-' ? "-" + s : s;
    }

    /** ld2string(LD_STR_HUMAN) of a double: "%.17Lf" with trailing zeros (and a bare '.') removed, "-0" as "0". */
    static String formatHuman(double d) {
        if (Double.isInfinite(d)) {
            return d > 0 ? "inf" : "-inf";
        }
        String s = new BigDecimal(d).setScale(17, RoundingMode.HALF_EVEN).toPlainString();
        int l = s.length();
        while (s.charAt(l - 1) == '0') {
            l--;
        }
        if (s.charAt(l - 1) == '.') {
            l--;
        }
        s = s.substring(0, l);
        return s.equals("-0") ? "0" : s;
    }
    static final double MERCATOR_MAX = 20037726.37;

    /** geohashDecode over the WGS84 ranges: {lonMin, lonMax, latMin, latMax} of the cell {@code bits} at step. */
    static double[] area(long bits, int step) {
        long sep = deinterleave64(bits);
        long ilato = sep & 0xffffffffL;
        long ilono = (sep >>> 32) & 0xffffffffL;
        double cells = (double) (1L << step);
        double latScale = LAT_MAX - LAT_MIN;
        double longScale = LONG_MAX - LONG_MIN;
        return new double[] {
            LONG_MIN + (ilono * 1.0 / cells) * longScale,
            LONG_MIN + (((ilono + 1) & 0xffffffffL) * 1.0 / cells) * longScale,
            LAT_MIN + (ilato * 1.0 / cells) * latScale,
            LAT_MIN + (((ilato + 1) & 0xffffffffL) * 1.0 / cells) * latScale};
    }

    /** geohashEstimateStepsByRadius. */
    static int estimateSteps(double rangeMeters, double lat) {
        if (rangeMeters == 0) {
            return 26;
        }
        int step = 1;
        while (rangeMeters < MERCATOR_MAX) {
            rangeMeters *= 2;
            step++;
        }
        step -= 2;
        if (lat > 66 || lat < -66) {
            step--;
            if (lat > 80 || lat < -80) {
                step--;
            }
        }
        return Math.max(1, Math.min(26, step));
    }

    private static long moveX(long bits, int step, int d) {
        if (d == 0) {
            return bits;
        }
        long x = bits & 0xaaaaaaaaaaaaaaaaL;
        long y = bits & 0x5555555555555555L;
        long zz = 0x5555555555555555L >>> (64 - step * 2);
        if (d > 0) {
            x = x + (zz + 1);
        } else {
            x = x | zz;
            x = x - (zz + 1);
        }
        x &= (0xaaaaaaaaaaaaaaaaL >>> (64 - step * 2));
        return x | y;
    }

    private static long moveY(long bits, int step, int d) {
        if (d == 0) {
            return bits;
        }
        long x = bits & 0xaaaaaaaaaaaaaaaaL;
        long y = bits & 0x5555555555555555L;
        long zz = 0xaaaaaaaaaaaaaaaaL >>> (64 - step * 2);
        if (d > 0) {
            y = y + (zz + 1);
        } else {
            y = y | zz;
            y = y - (zz + 1);
        }
        y &= (0x5555555555555555L >>> (64 - step * 2));
        return x | y;
    }

    /**
     * geohashCalculateAreasByShapeWGS84 + membersOfAllNeighbors' order: the cells to scan as {bits, step} pairs in
     * the order self, N, S, E, W, NE, NW, SE, SW; a zeroed (excluded) cell has step 0 and bits 0. {@code widthM}
     * and {@code heightM} are the half extents in meters (the radius for a circle), {@code radiusM} the radius used
     * to estimate the step.
     */
    static long[][] searchCells(double lon, double lat, double widthM, double heightM, double radiusM) {
        double latDelta = radDeg(heightM / EARTH_RADIUS_IN_METERS);
        double longDeltaTop = radDeg(widthM / EARTH_RADIUS_IN_METERS / Math.cos((lat + latDelta) * D_R));
        double longDeltaBottom = radDeg(widthM / EARTH_RADIUS_IN_METERS / Math.cos((lat - latDelta) * D_R));
        boolean south = lat < 0;
        double minLon = south ? lon - longDeltaBottom : lon - longDeltaTop;
        double maxLon = south ? lon + longDeltaBottom : lon + longDeltaTop;
        double minLat = lat - latDelta;
        double maxLat = lat + latDelta;

        int steps = estimateSteps(radiusM, lat);
        long hash = encode(LONG_MIN, LONG_MAX, LAT_MIN, LAT_MAX, lon, lat, steps);
        long[] nb = neighbors(hash, steps);
        boolean decrease = area(nb[0], steps)[3] < maxLat || area(nb[1], steps)[2] > minLat
                || area(nb[2], steps)[1] < maxLon || area(nb[3], steps)[0] > minLon;
        if (steps > 1 && decrease) {
            steps--;
            hash = encode(LONG_MIN, LONG_MAX, LAT_MIN, LAT_MAX, lon, lat, steps);
            nb = neighbors(hash, steps);
        }
        double[] a = area(hash, steps);
        // nb: 0 north, 1 south, 2 east, 3 west, 4 north_east, 5 north_west, 6 south_east, 7 south_west
        boolean[] zero = new boolean[8];
        if (steps >= 2) {
            if (a[2] < minLat) {
                zero[1] = zero[7] = zero[6] = true;
            }
            if (a[3] > maxLat) {
                zero[0] = zero[4] = zero[5] = true;
            }
            if (a[0] < minLon) {
                zero[3] = zero[7] = zero[5] = true;
            }
            if (a[1] > maxLon) {
                zero[2] = zero[6] = zero[4] = true;
            }
        }
        long[][] cells = new long[9][];
        cells[0] = new long[] {hash, steps};
        for (int i = 0; i < 8; i++) {
            cells[i + 1] = zero[i] ? new long[] {0, 0} : new long[] {nb[i], steps};
        }
        return cells;
    }

    /** {north, south, east, west, north_east, north_west, south_east, south_west} of a cell. */
    private static long[] neighbors(long h, int step) {
        return new long[] {
            moveY(h, step, 1), moveY(h, step, -1), moveX(h, step, 1), moveX(h, step, -1),
            moveY(moveX(h, step, 1), step, 1), moveY(moveX(h, step, -1), step, 1),
            moveY(moveX(h, step, 1), step, -1), moveY(moveX(h, step, -1), step, -1)};
    }

    private static double radDeg(double ang) {
        return ang / D_R;
    }

    /** geohashGetDistanceIfInRectangle: the distance, or -1 when outside the box. */
    static double distanceIfInRectangle(double widthM, double heightM, double x1, double y1, double x2, double y2) {
        double latDistance = latDistance(y2, y1);
        if (latDistance > heightM / 2) {
            return -1;
        }
        double lonDistance = distance(x2, y2, x1, y2);
        if (lonDistance > widthM / 2) {
            return -1;
        }
        return distance(x1, y1, x2, y2);
    }
}
