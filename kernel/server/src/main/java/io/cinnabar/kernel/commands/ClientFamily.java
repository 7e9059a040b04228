package io.cinnabar.kernel.commands;

import static io.cinnabar.api.CommandFlag.ADMIN;
import static io.cinnabar.api.CommandFlag.LOADING;
import static io.cinnabar.api.CommandFlag.NOSCRIPT;
import static io.cinnabar.api.CommandFlag.STALE;

import io.cinnabar.api.AclCategory;
import io.cinnabar.api.Args;
import io.cinnabar.api.CommandContext;
import io.cinnabar.api.CommandException;
import io.cinnabar.api.CommandFamily;
import io.cinnabar.api.CommandSpec;
import io.cinnabar.api.Errors;
import io.cinnabar.api.Handler;
import io.cinnabar.api.Reply;
import io.cinnabar.kernel.net.ClientConnection;
import io.cinnabar.kernel.net.ClientListLine;
import io.cinnabar.kernel.server.CinnabarServer;
import io.cinnabar.kernel.server.Clients;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The CLIENT container (Redis's clientCommand in networking.c): identity (ID, SETNAME, GETNAME, SETINFO),
 * inspection (LIST, INFO), control of other connections (KILL, PAUSE, UNPAUSE, UNBLOCK) and of this one
 * (REPLY, NO-EVICT, NO-TOUCH). The pub/sub plugin joins the client-side caching subcommands (TRACKING, CACHING,
 * GETREDIR, TRACKINGINFO) to this container.
 */
final class ClientFamily implements CommandFamily {
    private static final String[] HELP = {
        "CLIENT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "CACHING (YES|NO)",
        "    Enable/disable tracking of the keys for next command in OPTIN/OPTOUT modes.",
        "GETREDIR",
        "    Return the client ID we are redirecting to when tracking is enabled.",
        "GETNAME",
        "    Return the name of the current connection.",
        "ID",
        "    Return the ID of the current connection.",
        "INFO",
        "    Return information about the current client connection.",
        "KILL <ip:port>",
        "    Kill connection made from <ip:port>.",
        "KILL <option> <value> [<option> <value> [...]]",
        "    Kill connections. Options are:",
        "    * ADDR (<ip:port>|<unixsocket>:0)",
        "      Kill connections made from the specified address",
        "    * LADDR (<ip:port>|<unixsocket>:0)",
        "      Kill connections made to specified local address",
        "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
        "      Kill connections by type.",
        "    * USER <username>",
        "      Kill connections authenticated by <username>.",
        "    * SKIPME (YES|NO)",
        "      Skip killing current connection (default: yes).",
        "LIST [options ...]",
        "    Return information about client connections. Options:",
        "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
        "      Return clients of specified type.",
        "UNPAUSE",
        "    Stop the current client pause, resuming traffic.",
        "PAUSE <timeout> [WRITE|ALL]",
        "    Suspend all, or just write, clients for <timeout> milliseconds.",
        "REPLY (ON|OFF|SKIP)",
        "    Control the replies sent to the current connection.",
        "SETNAME <name>",
        "    Assign the name <name> to the current connection.",
        "SETINFO <option> <value>",
        "    Set client meta attr. Options are:",
        "    * LIB-NAME: the client lib name.",
        "    * LIB-VER: the client lib version.",
        "UNBLOCK <clientid> [TIMEOUT|ERROR]",
        "    Unblock the specified blocked client.",
        "TRACKING (ON|OFF) [REDIRECT <id>] [BCAST] [PREFIX <prefix> [...]]",
        "         [OPTIN] [OPTOUT] [NOLOOP]",
        "    Control server assisted client side caching.",
        "TRACKINGINFO",
        "    Report tracking status for the current connection.",
        "NO-EVICT (ON|OFF)",
        "    Protect current client connection from eviction.",
        "NO-TOUCH (ON|OFF)",
        "    Will not touch LRU/LFU stats when this mode is on.",
        "HELP",
        "    Print this help.",
    };

    private final CinnabarServer server;

    ClientFamily(CinnabarServer server) {
        this.server = server;
        server.clients().pause().install();
    }

    @Override
    public List<CommandSpec> commands() {
        return List.of(CommandSpec.command("client").arity(-2).group("connection").since("2.4.0")
                .summary("A container for client connection commands.").complexity("Depends on subcommand.")
                .subcommand(sub("list", -2, true, "2.4.0", "Lists open connections.",
                        "O(N) where N is the number of client connections", this::list, "nondeterministic_output"))
                .subcommand(sub("unpause", 2, true, "6.2.0", "Resumes processing commands from paused clients.",
                        "O(N) Where N is the number of paused clients", this::unpause))
                .subcommand(sub("getname", 2, false, "2.6.9", "Returns the name of the connection.", "O(1)",
                        this::getname))
                .subcommand(sub("id", 2, false, "5.0.0", "Returns the unique client ID of the connection.", "O(1)",
                        this::id))
                .subcommand(sub("kill", -3, true, "2.4.0", "Terminates open connections.",
                        "O(N) where N is the number of client connections", this::kill))
                .subcommand(sub("info", 2, false, "6.2.0", "Returns information about the connection.", "O(1)",
                        this::info, "nondeterministic_output"))
                .subcommand(CommandSpec.command("help").arity(2).flags(LOADING, STALE).acl(AclCategory.CONNECTION)
                        .group("connection").since("5.0.0")
                        .summary("Returns helpful text about the different subcommands.").complexity("O(1)")
                        .handler(this::help).build())
                .subcommand(sub("pause", -3, true, "3.0.0", "Suspends commands processing.", "O(1)", this::pause))
                .subcommand(sub("unblock", -3, true, "5.0.0",
                        "Unblocks a client blocked by a blocking command from a different connection.",
                        "O(log N) where N is the number of client connections", this::unblock))
                .subcommand(sub("setname", 3, false, "2.6.9", "Sets the connection name.", "O(1)", this::setname,
                        "request_policy:all_nodes", "response_policy:all_succeeded"))
                .subcommand(sub("setinfo", 4, false, "7.2.0", "Sets information specific to the client or connection.",
                        "O(1)", this::setinfo, "request_policy:all_nodes", "response_policy:all_succeeded"))
                .subcommand(sub("reply", 3, false, "3.2.0", "Instructs the server whether to reply to commands.",
                        "O(1)", this::reply))
                .subcommand(sub("no-evict", 3, true, "7.0.0", "Sets the client eviction mode of the connection.",
                        "O(1)", this::noEvict))
                .subcommand(sub("no-touch", 3, false, "7.2.0",
                        "Controls whether commands sent by the client affect the LRU/LFU of accessed keys.", "O(1)",
                        this::noTouch))
                .build());
    }

    /** A CLIENT subcommand: noscript, loading, stale (+ admin), @connection. */
    private static CommandSpec sub(String name, int arity, boolean admin, String since, String summary,
                                   String complexity, Handler handler, String... tips) {
        CommandSpec.Builder b = CommandSpec.command(name).arity(arity).flags(NOSCRIPT, LOADING, STALE)
                .acl(AclCategory.CONNECTION).group("connection").since(since).summary(summary)
                .complexity(complexity).tips(tips).handler(handler);
        if (admin) {
            b.flags(ADMIN);
        }
        return b.build();
    }

    /** Redis's validateClientAttr: printable ASCII without spaces ('!' to '~'); empty is allowed. */
    static boolean validAttribute(byte[] v) {
        for (byte b : v) {
            if (b < '!' || b > '~') {
                return false;
            }
        }
        return true;
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    private void id(CommandContext ctx, Args args, Reply reply) {
        reply.integer(Kernel.client(ctx).id());
    }

    private void getname(CommandContext ctx, Args args, Reply reply) {
        String name = Kernel.client(ctx).name();
        if (name == null) {
            reply.nullBulk();
        } else {
            reply.bulk(name);
        }
    }

    private void setname(CommandContext ctx, Args args, Reply reply) {
        byte[] name = args.get(2);
        if (!validAttribute(name)) {
            throw new CommandException(Errors.CLIENT_NAME_INVALID);
        }
        Kernel.client(ctx).setName(name.length == 0 ? null : text(name));
        reply.ok();
    }

    private void setinfo(CommandContext ctx, Args args, Reply reply) {
        boolean libName = args.is(2, "lib-name");
        if (!libName && !args.is(2, "lib-ver")) {
            throw new CommandException(Errors.unrecognizedOption(args.string(2)));
        }
        byte[] value = args.get(3);
        if (!validAttribute(value)) {
            throw new CommandException(Errors.clientInfoAttributeInvalid(args.string(2)));
        }
        ClientConnection c = Kernel.client(ctx);
        if (libName) {
            c.setLib(text(value), null);
        } else {
            c.setLib(null, text(value));
        }
        reply.ok();
    }

    private void info(CommandContext ctx, Args args, Reply reply) {
        StringBuilder sb = new StringBuilder(400);
        ClientListLine.append(sb, Kernel.client(ctx), args, server.now());
        sb.append('\n');
        reply.verbatim("txt", sb.toString());
    }

    private void list(CommandContext ctx, Args args, Reply reply) {
        ClientConnection self = Kernel.client(ctx);
        long now = server.now();
        StringBuilder sb = new StringBuilder(400);
        if (args.size() == 4 && args.is(2, "type")) {
            Clients.Type type = Clients.typeByName(args, 3);
            if (type == null) {
                throw new CommandException(Errors.unknownClientType(args.string(3)));
            }
            for (ClientConnection c : server.clients().all()) {
                if (Clients.typeOf(c) == type) {
                    ClientListLine.append(sb, c, c == self ? args : null, now);
                    sb.append('\n');
                }
            }
        } else if (args.size() > 3 && args.is(2, "id")) {
            for (int j = 3; j < args.size(); j++) {
                ClientConnection c = server.clients().get(args.longAt(j, Errors.INVALID_CLIENT_ID));
                if (c != null) {
                    ClientListLine.append(sb, c, c == self ? args : null, now);
                    sb.append('\n');
                }
            }
        } else if (args.size() != 2) {
            throw new CommandException(Errors.SYNTAX);
        } else {
            for (ClientConnection c : server.clients().all()) {
                ClientListLine.append(sb, c, c == self ? args : null, now);
                sb.append('\n');
            }
        }
        reply.verbatim("txt", sb.toString());
    }

    /** CLIENT KILL addr (old form, may kill the caller, replies OK) or filters (reply: how many were killed). */
    private void kill(CommandContext ctx, Args args, Reply reply) {
        ClientConnection self = Kernel.client(ctx);
        String addr = null;
        String laddr = null;
        String user = null;
        Clients.Type type = null;
        long id = 0;
        boolean skipMe = true;
        boolean oldForm = args.size() == 3;
        if (oldForm) {
            addr = args.string(2);
            skipMe = false;
        } else {
            for (int i = 2; i < args.size(); i += 2) {
                boolean more = args.size() > i + 1;
                if (args.is(i, "id") && more) {
                    id = args.longAt(i + 1, Errors.CLIENT_ID_NOT_POSITIVE);
                    if (id < 1) {
                        throw new CommandException(Errors.CLIENT_ID_NOT_POSITIVE);
                    }
                } else if (args.is(i, "type") && more) {
                    type = Clients.typeByName(args, i + 1);
                    if (type == null) {
                        throw new CommandException(Errors.unknownClientType(args.string(i + 1)));
                    }
                } else if (args.is(i, "addr") && more) {
                    addr = args.string(i + 1);
                } else if (args.is(i, "laddr") && more) {
                    laddr = args.string(i + 1);
                } else if (args.is(i, "user") && more) {
                    user = args.string(i + 1);
                    if (!user.equals(ConnectionFamily.DEFAULT_USER)) {
                        throw new CommandException(Errors.noSuchUser(user));
                    }
                } else if (args.is(i, "skipme") && more) {
                    if (args.is(i + 1, "yes")) {
                        skipMe = true;
                    } else if (args.is(i + 1, "no")) {
                        skipMe = false;
                    } else {
                        throw new CommandException(Errors.SYNTAX);
                    }
                } else {
                    throw new CommandException(Errors.SYNTAX);
                }
            }
        }
        int killed = 0;
        boolean closeSelf = false;
        for (ClientConnection c : server.clients().all()) {
            if ((addr != null && !c.remoteAddress().equals(addr))
                    || (laddr != null && !c.localAddress().equals(laddr))
                    || (type != null && Clients.typeOf(c) != type)
                    || (id != 0 && c.id() != id)
                    || (user != null && !c.user().equals(user))
                    || (c == self && skipMe)) {
                continue;
            }
            if (c == self) {
                closeSelf = true;
            } else {
                c.close();
            }
            killed++;
        }
        if (oldForm) {
            if (killed == 0) {
                throw new CommandException(Errors.NO_SUCH_CLIENT);
            }
            reply.ok();
        } else {
            reply.integer(killed);
        }
        if (closeSelf) {
            self.closeAfterReply();
        }
    }

    private void pause(CommandContext ctx, Args args, Reply reply) {
        if (args.size() > 4) {
            throw new CommandException(Errors.subcommandSyntax(args.string(1), "client"));
        }
        boolean all = true;
        if (args.size() == 4) {
            if (args.is(3, "write")) {
                all = false;
            } else if (!args.is(3, "all")) {
                throw new CommandException(Errors.CLIENT_PAUSE_MODE);
            }
        }
        long timeout = args.longAt(2, Errors.TIMEOUT_NOT_INTEGER);
        if (timeout < 0) {
            throw new CommandException(Errors.TIMEOUT_NEGATIVE);
        }
        long now = ctx.nowMillis();
        long end = 0;
        if (timeout > 0) {
            if (timeout > Long.MAX_VALUE - now) {
                throw new CommandException(Errors.TIMEOUT_OUT_OF_RANGE);
            }
            end = now + timeout;
        }
        server.clients().pause().pause(end, all);
        reply.ok();
    }

    private void unpause(CommandContext ctx, Args args, Reply reply) {
        server.clients().pause().unpause();
        reply.ok();
    }

    /** Ends another client's blocking command as a timeout or with an error; 0 when it is not blocked. */
    private void unblock(CommandContext ctx, Args args, Reply reply) {
        if (args.size() > 4) {
            throw new CommandException(Errors.subcommandSyntax(args.string(1), "client"));
        }
        boolean error = false;
        if (args.size() == 4) {
            if (args.is(3, "error")) {
                error = true;
            } else if (!args.is(3, "timeout")) {
                throw new CommandException(Errors.CLIENT_UNBLOCK_REASON);
            }
        }
        ClientConnection target = server.clients().get(args.longAt(2));
        // a client held by CLIENT PAUSE is not blocked by a command: there is nothing to end (Redis 7.2.6
        // crashes here; 0 is what the command means)
        ClientConnection.Blocked b = target == null ? null : target.blocked();
        if (b == null || !b.unblockable()) {
            reply.integer(0);
            return;
        }
        if (error) {
            b.error(Errors.UNBLOCKED);
        } else {
            b.timeout();
        }
        reply.integer(1);
    }

    private void reply(CommandContext ctx, Args args, Reply reply) {
        ClientConnection c = Kernel.client(ctx);
        if (args.is(2, "on")) {
            c.setReplyMode(ClientConnection.ReplyMode.ON);
            reply.ok();
        } else if (args.is(2, "off")) {
            c.setReplyMode(ClientConnection.ReplyMode.OFF);
        } else if (args.is(2, "skip")) {
            c.setReplyMode(ClientConnection.ReplyMode.SKIP);
        } else {
            throw new CommandException(Errors.SYNTAX);
        }
    }

    private void noEvict(CommandContext ctx, Args args, Reply reply) {
        Kernel.client(ctx).setNoEvict(onOff(args));
        reply.ok();
    }

    private void noTouch(CommandContext ctx, Args args, Reply reply) {
        Kernel.client(ctx).setNoTouch(onOff(args));
        reply.ok();
    }

    private static boolean onOff(Args args) {
        if (args.is(2, "on")) {
            return true;
        }
        if (args.is(2, "off")) {
            return false;
        }
        throw new CommandException(Errors.SYNTAX);
    }

    private void help(CommandContext ctx, Args args, Reply reply) {
        reply.array(HELP.length);
        for (String line : HELP) {
            reply.simple(line);
        }
    }
}
