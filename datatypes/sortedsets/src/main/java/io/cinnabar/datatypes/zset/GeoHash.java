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
        long bits = (long) score;
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
}
