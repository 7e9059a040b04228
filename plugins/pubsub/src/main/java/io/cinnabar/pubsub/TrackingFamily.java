package io.cinnabar.pubsub;

import static io.cinnabar.api.CommandFlag.LOADING;
import static io.cinnabar.api.CommandFlag.NOSCRIPT;
import static io.cinnabar.api.CommandFlag.STALE;

import io.cinnabar.api.AclCategory;
import io.cinnabar.api.Args;
import io.cinnabar.api.ClientHandle;
import io.cinnabar.api.CommandContext;
import io.cinnabar.api.CommandException;
import io.cinnabar.api.CommandFamily;
import io.cinnabar.api.CommandSpec;
import io.cinnabar.api.Errors;
import io.cinnabar.api.Handler;
import io.cinnabar.api.Reply;
import java.util.ArrayList;
import java.util.List;
import org.pf4j.Extension;

/**
 * CLIENT TRACKING, CACHING, GETREDIR and TRACKINGINFO (Redis's clientCommand branches for client-side
 * caching), joined to the kernel's CLIENT container; the tracking itself is {@link ClientTracking}.
 */
@Extension
public final class TrackingFamily implements CommandFamily {
    private final PubSub pubsub;

    /** Used by PF4J: the plugin's shared registry. */
    public TrackingFamily() {
        this(PubSub.shared());
    }

    public TrackingFamily(PubSub pubsub) {
        this.pubsub = pubsub;
    }

    @Override
    public List<CommandSpec> commands() {
        return List.of(CommandSpec.command("client").joinsContainer()
                .subcommand(sub("tracking", -3, "6.0.0",
                        "Controls server-assisted client-side caching for the connection.",
                        "O(1). Some options may introduce additional complexity.", this::tracking))
                .subcommand(sub("caching", 3, "6.0.0",
                        "Instructs the server whether to track the keys in the next request.", "O(1)", this::caching))
                .subcommand(sub("getredir", 2, "6.0.0",
                        "Returns the client ID to which the connection's tracking notifications are redirected.",
                        "O(1)", this::getredir))
                .subcommand(sub("trackinginfo", 2, "6.2.0",
                        "Returns information about server-assisted client-side caching for the connection.", "O(1)",
                        this::trackinginfo))
                .build());
    }

    private static CommandSpec sub(String name, int arity, String since, String summary, String complexity,
                                   Handler handler) {
        return CommandSpec.command(name).arity(arity).flags(NOSCRIPT, LOADING, STALE).acl(AclCategory.CONNECTION)
                .group("connection").since(since).summary(summary).complexity(complexity).handler(handler).build();
    }

    private ClientTracking tracking() {
        return pubsub.tracking();
    }

    /** CLIENT TRACKING (ON|OFF) [REDIRECT id] [BCAST] [PREFIX p ...] [OPTIN] [OPTOUT] [NOLOOP]. */
    private void tracking(CommandContext ctx, Args args, Reply reply) {
        long redirect = 0;
        boolean bcast = false;
        boolean optin = false;
        boolean optout = false;
        boolean noloop = false;
        List<byte[]> prefixes = new ArrayList<>();
        for (int j = 3; j < args.size(); j++) {
            boolean more = j < args.size() - 1;
            if (args.is(j, "redirect") && more) {
                j++;
                if (redirect != 0) {
                    throw new CommandException(Errors.TRACKING_SINGLE_REDIRECT);
                }
                redirect = args.longAt(j);
                // the target must exist now, though it may leave later
                if (pubsub.server().client(redirect) == null) {
                    throw new CommandException(Errors.TRACKING_NO_SUCH_REDIRECT);
                }
            } else if (args.is(j, "bcast")) {
                bcast = true;
            } else if (args.is(j, "optin")) {
                optin = true;
            } else if (args.is(j, "optout")) {
                optout = true;
            } else if (args.is(j, "noloop")) {
                noloop = true;
            } else if (args.is(j, "prefix") && more) {
                prefixes.add(args.get(++j));
            } else {
                throw new CommandException(Errors.SYNTAX);
            }
        }
        ClientHandle c = ctx.clientHandle();
        if (args.is(2, "on")) {
            TrackingClient current = tracking().state(c);
            if (!bcast && !prefixes.isEmpty()) {
                throw new CommandException(Errors.TRACKING_PREFIX_NEEDS_BCAST);
            }
            if (current != null && current.bcast != bcast) {
                throw new CommandException(Errors.TRACKING_BCAST_SWITCH);
            }
            if (bcast && (optin || optout)) {
                throw new CommandException(Errors.TRACKING_OPTIN_OPTOUT_WITH_BCAST);
            }
            if (optin && optout) {
                throw new CommandException(Errors.TRACKING_OPTIN_AND_OPTOUT);
            }
            if (current != null && ((optin && current.optout) || (optout && current.optin))) {
                throw new CommandException(Errors.TRACKING_OPT_SWITCH);
            }
            if (bcast) {
                String collision = tracking().prefixCollision(c, prefixes);
                if (collision != null) {
                    throw new CommandException(collision);
                }
            }
            tracking().enable(c, redirect, bcast, optin, optout, noloop, prefixes);
        } else if (args.is(2, "off")) {
            tracking().disable(c);
        } else {
            throw new CommandException(Errors.SYNTAX);
        }
        reply.ok();
    }

    /** CLIENT CACHING YES|NO: whether the next command's reads are tracked (OPTIN) or not (OPTOUT). */
    private void caching(CommandContext ctx, Args args, Reply reply) {
        TrackingClient t = tracking().state(ctx.clientHandle());
        if (t == null) {
            throw new CommandException(Errors.CACHING_WITHOUT_TRACKING);
        }
        if (args.is(2, "yes")) {
            if (!t.optin) {
                throw new CommandException(Errors.CACHING_YES_WITHOUT_OPTIN);
            }
        } else if (args.is(2, "no")) {
            if (!t.optout) {
                throw new CommandException(Errors.CACHING_NO_WITHOUT_OPTOUT);
            }
        } else {
            throw new CommandException(Errors.SYNTAX);
        }
        t.caching = true;
        reply.ok();
    }

    private void getredir(CommandContext ctx, Args args, Reply reply) {
        TrackingClient t = tracking().state(ctx.clientHandle());
        reply.integer(t == null ? -1 : t.redirect);
    }

    private void trackinginfo(CommandContext ctx, Args args, Reply reply) {
        TrackingClient t = tracking().state(ctx.clientHandle());
        reply.map(3);
        reply.bulk("flags");
        List<String> flags = new ArrayList<>();
        flags.add(t == null ? "off" : "on");
        if (t != null) {
            if (t.bcast) {
                flags.add("bcast");
            }
            if (t.optin) {
                flags.add("optin");
                if (t.caching) {
                    flags.add("caching-yes");
                }
            }
            if (t.optout) {
                flags.add("optout");
                if (t.caching) {
                    flags.add("caching-no");
                }
            }
            if (t.noloop) {
                flags.add("noloop");
            }
            if (t.brokenRedirect) {
                flags.add("broken_redirect");
            }
        }
        reply.set(flags.size());
        for (String f : flags) {
            reply.bulk(f);
        }
        reply.bulk("redirect");
        reply.integer(t == null ? -1 : t.redirect);
        reply.bulk("prefixes");
        if (t == null) {
            reply.array(0);
            return;
        }
        reply.array(t.prefixes.size());
        for (byte[] p : t.prefixes) {
            reply.bulk(p);
        }
    }
}
