package io.cinnabar.datatypes.zset;

import io.cinnabar.api.Args;
import io.cinnabar.api.CommandContext;
import io.cinnabar.api.CommandException;
import io.cinnabar.api.Errors;
import io.cinnabar.api.KeyspaceEvents;
import io.cinnabar.api.RedisNumbers;
import io.cinnabar.api.Reply;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * GEOSEARCH, GEOSEARCHSTORE, GEORADIUS, GEORADIUS_RO, GEORADIUSBYMEMBER and GEORADIUSBYMEMBER_RO: Redis 7.2's
 * georadiusGeneric, scanning the score ranges of the 9 geohash cells around the center.
 */
final class GeoSearch {
    private static final int COORDS = 1;
    private static final int MEMBER = 1 << 1;
    private static final int NOSTORE = 1 << 2;
    private static final int SEARCH = 1 << 3;
    private static final int SEARCHSTORE = 1 << 4;

    private static final int SORT_NONE = 0;
    private static final int SORT_ASC = 1;
    private static final int SORT_DESC = 2;

    private GeoSearch() {
    }

    static void georadius(CommandContext ctx, Args args, Reply reply) {
        generic(ctx, args, reply, 1, COORDS);
    }

    static void georadiusRo(CommandContext ctx, Args args, Reply reply) {
        generic(ctx, args, reply, 1, COORDS | NOSTORE);
    }

    static void georadiusbymember(CommandContext ctx, Args args, Reply reply) {
        generic(ctx, args, reply, 1, MEMBER);
    }

    static void georadiusbymemberRo(CommandContext ctx, Args args, Reply reply) {
        generic(ctx, args, reply, 1, MEMBER | NOSTORE);
    }

    static void geosearch(CommandContext ctx, Args args, Reply reply) {
        generic(ctx, args, reply, 1, SEARCH);
    }

    static void geosearchstore(CommandContext ctx, Args args, Reply reply) {
        generic(ctx, args, reply, 2, SEARCH | SEARCHSTORE);
    }

    /** The search shape: center, circle radius or box extents (in the unit), and the unit's meters. */
    private static final class Shape {
        double lon;
        double lat;
        boolean box;
        double radius;
        double width;
        double height;
        double conversion = 1;
    }

    private record Point(byte[] member, double score, double lon, double lat, double dist) {
    }

    private static void extractLonLat(Args args, int i, Shape shape) {
        double lon = args.doubleAt(i);
        double lat = args.doubleAt(i + 1);
        if (!GeoHash.validPair(lon, lat)) {
            throw new CommandException(Errors.geoInvalidPair(GeoHash.formatF(lon), GeoHash.formatF(lat)));
        }
        shape.lon = lon;
        shape.lat = lat;
    }

    private static void fromMember(ZSet z, byte[] member, Shape shape) {
        double s = z.score(member);
        if (Double.isNaN(s)) {
            throw new CommandException(Errors.GEO_COULD_NOT_DECODE);
        }
        double[] xy = GeoHash.decode(s);
        shape.lon = xy[0];
        shape.lat = xy[1];
    }

    private static double unit(byte[] u) {
        double m = GeoHash.unit(u);
        if (m < 0) {
            throw new CommandException(Errors.GEO_UNSUPPORTED_UNIT);
        }
        return m;
    }

    private static void extractDistance(Args args, int i, Shape shape) {
        double d = RedisNumbers.parseDouble(args.get(i), Errors.GEO_NEED_NUMERIC_RADIUS);
        if (d < 0) {
            throw new CommandException(Errors.GEO_RADIUS_NEGATIVE);
        }
        shape.radius = d;
        shape.conversion = unit(args.get(i + 1));
        shape.box = false;
    }

    private static void extractBox(Args args, int i, Shape shape) {
        double w = RedisNumbers.parseDouble(args.get(i), Errors.GEO_NEED_NUMERIC_WIDTH);
        double h = RedisNumbers.parseDouble(args.get(i + 1), Errors.GEO_NEED_NUMERIC_HEIGHT);
        if (h < 0 || w < 0) {
            throw new CommandException(Errors.GEO_BOX_NEGATIVE);
        }
        shape.width = w;
        shape.height = h;
        shape.conversion = unit(args.get(i + 2));
        shape.box = true;
    }

    private static void generic(CommandContext ctx, Args args, Reply reply, int srcKeyIndex, int flags) {
        byte[] storeKey = null;
        boolean storeDist = false;
        ZSet z = ctx.db().get(args.get(srcKeyIndex), ZSet.class);
        Shape shape = new Shape();
        int base;
        if ((flags & COORDS) != 0) {
            base = 6;
            extractLonLat(args, 2, shape);
            extractDistance(args, 4, shape);
        } else if ((flags & MEMBER) != 0 && z == null) {
            base = 5;
        } else if ((flags & MEMBER) != 0) {
            base = 5;
            fromMember(z, args.get(2), shape);
            extractDistance(args, 3, shape);
        } else {
            base = 2;
            if ((flags & SEARCHSTORE) != 0) {
                base = 3;
                storeKey = args.get(1);
            }
        }
        boolean withDist = false;
        boolean withHash = false;
        boolean withCoords = false;
        boolean fromMember = false;
        boolean fromLoc = false;
        boolean byRadius = false;
        boolean byBox = false;
        boolean any = false;
        int sort = SORT_NONE;
        long count = 0;
        boolean search = (flags & SEARCH) != 0;
        int remaining = args.size() - base;
        for (int i = 0; i < remaining; i++) {
            int a = base + i;
            if (args.is(a, "withdist")) {
                withDist = true;
            } else if (args.is(a, "withhash")) {
                withHash = true;
            } else if (args.is(a, "withcoord")) {
                withCoords = true;
            } else if (args.is(a, "any")) {
                any = true;
            } else if (args.is(a, "asc")) {
                sort = SORT_ASC;
            } else if (args.is(a, "desc")) {
                sort = SORT_DESC;
            } else if (args.is(a, "count") && i + 1 < remaining) {
                count = args.longAt(a + 1);
                if (count <= 0) {
                    throw new CommandException(Errors.GEO_COUNT_NOT_POSITIVE);
                }
                i++;
            } else if (args.is(a, "store") && i + 1 < remaining && (flags & NOSTORE) == 0 && !search) {
                storeKey = args.get(a + 1);
                storeDist = false;
                i++;
            } else if (args.is(a, "storedist") && i + 1 < remaining && (flags & NOSTORE) == 0 && !search) {
                storeKey = args.get(a + 1);
                storeDist = true;
                i++;
            } else if (args.is(a, "storedist") && search && (flags & SEARCHSTORE) != 0) {
                storeDist = true;
            } else if (args.is(a, "frommember") && i + 1 < remaining && search && !fromLoc) {
                if (z != null) {
                    fromMember(z, args.get(a + 1), shape);
                }
                fromMember = true;
                i++;
            } else if (args.is(a, "fromlonlat") && i + 2 < remaining && search && !fromMember) {
                extractLonLat(args, a + 1, shape);
                fromLoc = true;
                i += 2;
            } else if (args.is(a, "byradius") && i + 2 < remaining && search && !byBox) {
                extractDistance(args, a + 1, shape);
                byRadius = true;
                i += 2;
            } else if (args.is(a, "bybox") && i + 3 < remaining && search && !byRadius) {
                extractBox(args, a + 1, shape);
                byBox = true;
                i += 3;
            } else {
                throw new CommandException(Errors.SYNTAX);
            }
        }
        if (storeKey != null && (withDist || withHash || withCoords)) {
            throw new CommandException(Errors.geoStoreIncompatible(
                    (flags & SEARCHSTORE) != 0 ? "GEOSEARCHSTORE" : "STORE option in GEORADIUS"));
        }
        String name = new String(args.get(0), StandardCharsets.UTF_8);
        if (search && !(fromMember || fromLoc)) {
            throw new CommandException(Errors.geoExactlyOneFrom(name));
        }
        if (search && !(byRadius || byBox)) {
            throw new CommandException(Errors.geoExactlyOneBy(name));
        }
        if (any && count == 0) {
            throw new CommandException(Errors.GEO_ANY_WITHOUT_COUNT);
        }
        if (z == null) {
            if (storeKey != null) {
                deleteStore(ctx, storeKey);
                reply.integer(0);
            } else {
                reply.array(0);
            }
            return;
        }
        if (count != 0 && sort == SORT_NONE && !any) {
            sort = SORT_ASC;
        }
        List<Point> found = collect(z, shape, any ? count : 0);
        if (found.isEmpty() && storeKey == null) {
            reply.array(0);
            return;
        }
        int returned = (int) (count == 0 || found.size() < count ? found.size() : count);
        if (sort != SORT_NONE) {
            Comparator<Point> asc = (p, q) -> p.dist() > q.dist() ? 1 : p.dist() == q.dist() ? 0 : -1;
            Comparator<Point> cmp = sort == SORT_ASC ? asc : (p, q) -> -asc.compare(p, q);
            if (returned == found.size()) {
                // glibc's qsort is a stable merge sort here, as List.sort is
                found.sort(cmp);
            } else {
                Point[] arr = found.toArray(new Point[0]);
                GeoSort.pqsort(arr, arr.length, cmp, 0, returned - 1);
                found = Arrays.asList(arr);
            }
        }
        if (storeKey == null) {
            int options = (withDist ? 1 : 0) + (withHash ? 1 : 0) + (withCoords ? 1 : 0);
            reply.array(returned);
            for (int i = 0; i < returned; i++) {
                Point p = found.get(i);
                if (options > 0) {
                    reply.array(options + 1);
                }
                reply.bulk(p.member());
                if (withDist) {
                    reply.bulk(GeoHash.formatDistance(p.dist() / shape.conversion));
                }
                if (withHash) {
                    reply.integer((long) p.score());
                }
                if (withCoords) {
                    reply.array(2);
                    reply.doubleText(GeoHash.formatHuman(p.lon()));
                    reply.doubleText(GeoHash.formatHuman(p.lat()));
                }
            }
            return;
        }
        if (returned > 0) {
            long maxLen = 0;
            for (int i = 0; i < returned; i++) {
                maxLen = Math.max(maxLen, found.get(i).member().length);
            }
            ZSet.Limits limits = ZSets.limits(ctx);
            ZSet out = ZSet.create(returned, maxLen, limits);
            for (int i = 0; i < returned; i++) {
                Point p = found.get(i);
                out.insert(p.member(), storeDist ? p.dist() / shape.conversion : p.score(), limits);
            }
            ctx.db().set(storeKey, out);
            ctx.signalModifiedKey(storeKey);
            ctx.notifyKeyspaceEvent(KeyspaceEvents.ZSET, search ? "geosearchstore" : "georadiusstore", storeKey);
            ctx.addDirty(returned);
        } else {
            deleteStore(ctx, storeKey);
        }
        reply.integer(returned);
    }

    private static void deleteStore(CommandContext ctx, byte[] storeKey) {
        if (ctx.db().delete(storeKey)) {
            ctx.signalModifiedKey(storeKey);
            ctx.notifyKeyspaceEvent(KeyspaceEvents.GENERIC, "del", storeKey);
            ctx.addDirty(1);
        }
    }

    /** membersOfAllNeighbors: the points inside the shape, cell by cell, stopping at {@code limit} (0: none). */
    private static List<Point> collect(ZSet z, Shape shape, long limit) {
        double halfW;
        double halfH;
        double radiusM;
        if (shape.box) {
            halfW = shape.conversion * (shape.width / 2);
            halfH = shape.conversion * (shape.height / 2);
            radiusM = Math.sqrt((shape.width / 2) * (shape.width / 2) + (shape.height / 2) * (shape.height / 2));
        } else {
            halfW = shape.conversion * shape.radius;
            halfH = halfW;
            radiusM = shape.radius;
        }
        radiusM *= shape.conversion;
        long[][] cells = GeoHash.searchCells(shape.lon, shape.lat, halfW, halfH, radiusM);
        List<Point> out = new ArrayList<>();
        int last = 0;
        for (int i = 0; i < cells.length; i++) {
            long bits = cells[i][0];
            int step = (int) cells[i][1];
            if (bits == 0 && step == 0) {
                continue;
            }
            if (last != 0 && bits == cells[last][0] && step == cells[last][1]) {
                continue;
            }
            if (!out.isEmpty() && limit != 0 && out.size() >= limit) {
                break;
            }
            double min = (double) (bits << (52 - step * 2));
            double max = (double) ((bits + 1) << (52 - step * 2));
            inRange(z, min, max, shape, out, limit);
            last = i;
        }
        return out;
    }

    /** geoGetPointsInRange: members with min <= score < max that fall inside the shape. */
    private static void inRange(ZSet z, double min, double max, Shape shape, List<Point> out, long limit) {
        int n = z.size();
        for (int r = z.countBefore((s, m) -> s < min); r < n; r++) {
            double score = z.scoreAt(r);
            if (!(score < max)) {
                break;
            }
            double[] xy = GeoHash.decode(score);
            double dist;
            if (shape.box) {
                dist = GeoHash.distanceIfInRectangle(shape.width * shape.conversion,
                        shape.height * shape.conversion, shape.lon, shape.lat, xy[0], xy[1]);
                if (dist < 0) {
                    continue;
                }
            } else {
                dist = GeoHash.distance(shape.lon, shape.lat, xy[0], xy[1]);
                if (dist > shape.radius * shape.conversion) {
                    continue;
                }
            }
            out.add(new Point(z.memberAt(r), score, xy[0], xy[1], dist));
            if (limit != 0 && out.size() >= limit) {
                break;
            }
        }
    }
}
