package io.cinnabar.datatypes.zset;

import io.cinnabar.api.Args;
import io.cinnabar.api.CommandContext;
import io.cinnabar.api.CommandException;
import io.cinnabar.api.Db;
import io.cinnabar.api.Errors;
import io.cinnabar.api.KeyspaceEvents;
import io.cinnabar.api.Reply;

/** GEOADD, GEODIST, GEOHASH and GEOPOS (Redis's geo.c): geo indexes are sorted sets of 52-bit geohash scores. */
final class GeoCommands {
    private GeoCommands() {
    }

    /** GEOADD key [NX|XX] [CH] lon lat member ...: validated, then added the way ZADD adds (events "zadd"). */
    static void geoadd(CommandContext ctx, Args args, Reply reply) {
        int argc = args.size();
        int idx = 2;
        boolean nx = false;
        boolean xx = false;
        boolean ch = false;
        while (idx < argc) {
            if (args.is(idx, "nx")) {
                nx = true;
            } else if (args.is(idx, "xx")) {
                xx = true;
            } else if (args.is(idx, "ch")) {
                ch = true;
            } else {
                break;
            }
            idx++;
        }
        if ((argc - idx) % 3 != 0 || (xx && nx) || argc == idx) {
            throw new CommandException(Errors.SYNTAX);
        }
        int elements = (argc - idx) / 3;
        double[] scores = new double[elements];
        long maxLen = 0;
        for (int j = 0; j < elements; j++) {
            int i = idx + j * 3;
            double lon = args.doubleAt(i);
            double lat = args.doubleAt(i + 1);
            if (!GeoHash.validPair(lon, lat)) {
                throw new CommandException(Errors.geoInvalidPair(GeoHash.formatF(lon), GeoHash.formatF(lat)));
            }
            scores[j] = (double) GeoHash.encodeWgs84(lon, lat);
            maxLen = Math.max(maxLen, args.get(i + 2).length);
        }
        Db db = ctx.db();
        byte[] key = args.get(1);
        ZSet z = db.get(key, ZSet.class);
        ZSet.Limits limits = ZSets.limits(ctx);
        if (z == null) {
            if (xx) {
                reply.integer(0);
                return;
            }
            z = ZSet.create(elements, maxLen, limits);
            db.add(key, z);
        } else if (z.isListpack() && elements > limits.entries()) {
            z.maybeConvert(elements, 0, limits);
        }
        int added = 0;
        int updated = 0;
        for (int j = 0; j < elements; j++) {
            byte[] member = args.get(idx + j * 3 + 2);
            double score = scores[j];
            double cur = z.score(member);
            if (!Double.isNaN(cur)) {
                if (nx) {
                    continue;
                }
                if (score != cur) {
                    z.updateScore(member, score, limits);
                    updated++;
                }
            } else if (!xx) {
                z.insert(member, score, limits);
                added++;
            }
        }
        reply.integer(ch ? added + updated : added);
        ctx.addDirty(added + updated);
        if (added + updated > 0) {
            ctx.signalModifiedKey(key);
            ctx.notifyKeyspaceEvent(KeyspaceEvents.ZSET, "zadd", key);
        }
    }

    static void geodist(CommandContext ctx, Args args, Reply reply) {
        double toMeter = 1;
        if (args.size() == 5) {
            toMeter = GeoHash.unit(args.get(4));
            if (toMeter < 0) {
                throw new CommandException(Errors.GEO_UNSUPPORTED_UNIT);
            }
        } else if (args.size() > 5) {
            throw new CommandException(Errors.SYNTAX);
        }
        ZSet z = ctx.db().get(args.get(1), ZSet.class);
        if (z == null) {
            reply.nullBulk();
            return;
        }
        double s1 = z.score(args.get(2));
        double s2 = z.score(args.get(3));
        if (Double.isNaN(s1) || Double.isNaN(s2)) {
            reply.nullBulk();
            return;
        }
        double[] a = GeoHash.decode(s1);
        double[] b = GeoHash.decode(s2);
        reply.bulk(GeoHash.formatDistance(GeoHash.distance(a[0], a[1], b[0], b[1]) / toMeter));
    }

    static void geohash(CommandContext ctx, Args args, Reply reply) {
        ZSet z = ctx.db().get(args.get(1), ZSet.class);
        reply.array(args.size() - 2);
        for (int j = 2; j < args.size(); j++) {
            double s = z == null ? Double.NaN : z.score(args.get(j));
            if (Double.isNaN(s)) {
                reply.nullBulk();
            } else {
                reply.bulk(GeoHash.hashString(s));
            }
        }
    }

    static void geopos(CommandContext ctx, Args args, Reply reply) {
        ZSet z = ctx.db().get(args.get(1), ZSet.class);
        reply.array(args.size() - 2);
        for (int j = 2; j < args.size(); j++) {
            double s = z == null ? Double.NaN : z.score(args.get(j));
            if (Double.isNaN(s)) {
                reply.nullArray();
            } else {
                double[] xy = GeoHash.decode(s);
                reply.array(2);
                reply.doubleText(GeoHash.formatHuman(xy[0]));
                reply.doubleText(GeoHash.formatHuman(xy[1]));
            }
        }
    }
}
