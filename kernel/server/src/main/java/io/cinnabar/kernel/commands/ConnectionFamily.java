package io.cinnabar.kernel.commands;

import static io.cinnabar.api.CommandFlag.ALLOW_BUSY;
import static io.cinnabar.api.CommandFlag.FAST;
import static io.cinnabar.api.CommandFlag.LOADING;
import static io.cinnabar.api.CommandFlag.NOSCRIPT;
import static io.cinnabar.api.CommandFlag.NO_AUTH;
import static io.cinnabar.api.CommandFlag.STALE;

import io.cinnabar.api.AclCategory;
import io.cinnabar.api.Args;
import io.cinnabar.api.CommandContext;
import io.cinnabar.api.CommandException;
import io.cinnabar.api.CommandFamily;
import io.cinnabar.api.CommandSpec;
import io.cinnabar.api.Errors;
import io.cinnabar.api.Reply;
import io.cinnabar.kernel.net.ClientConnection;
import io.cinnabar.kernel.server.CinnabarServer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;

/** Connection commands (Redis's connection group): PING, ECHO, QUIT, RESET, SELECT, HELLO, AUTH. */
final class ConnectionFamily implements CommandFamily {
    /** The only user until ACLs arrive; its password is {@code requirepass} (none: any password works). */
    static final String DEFAULT_USER = "default";

    private final CinnabarServer server;

    ConnectionFamily(CinnabarServer server) {
        this.server = server;
    }

    @Override
    public List<CommandSpec> commands() {
        return List.of(
                CommandSpec.command("ping").arity(-1).flags(FAST).acl(AclCategory.CONNECTION).group("connection")
                        .summary("Returns the server's liveliness response.").complexity("O(1)")
                        .tips("request_policy:all_shards", "response_policy:all_succeeded").handler(this::ping).build(),
                CommandSpec.command("echo").arity(2).flags(LOADING, STALE, FAST).acl(AclCategory.CONNECTION)
                        .group("connection").summary("Returns the given string.").complexity("O(1)")
                        .handler(this::echo).build(),
                CommandSpec.command("quit").arity(-1).flags(NOSCRIPT, LOADING, STALE, FAST, NO_AUTH, ALLOW_BUSY)
                        .acl(AclCategory.CONNECTION).group("connection")
                        .summary("Closes the connection.").complexity("O(1)").handler(this::quit).build(),
                CommandSpec.command("reset").arity(1).flags(NOSCRIPT, LOADING, STALE, FAST, NO_AUTH, ALLOW_BUSY)
                        .acl(AclCategory.CONNECTION).group("connection").since("6.2.0")
                        .summary("Resets the connection.").complexity("O(1)").handler(this::reset).build(),
                CommandSpec.command("select").arity(2).flags(LOADING, STALE, FAST).acl(AclCategory.CONNECTION)
                        .group("connection").summary("Changes the selected database.").complexity("O(1)")
                        .handler(this::select).build(),
                CommandSpec.command("hello").arity(-1).flags(NOSCRIPT, LOADING, STALE, FAST, NO_AUTH, ALLOW_BUSY)
                        .acl(AclCategory.CONNECTION).group("connection").since("6.0.0")
                        .summary("Handshakes with the Redis server.").complexity("O(1)")
                        .handler(this::hello).build(),
                CommandSpec.command("auth").arity(-2).flags(NOSCRIPT, LOADING, STALE, FAST, NO_AUTH, ALLOW_BUSY)
                        .acl(AclCategory.CONNECTION).group("connection")
                        .summary("Authenticates the connection.")
                        .complexity("O(N) where N is the number of passwords defined for the user")
                        .handler(this::auth).build());
    }

    private void ping(CommandContext ctx, Args args, Reply reply) {
        if (args.size() > 2) {
            throw new CommandException(Errors.wrongArity("ping"));
        }
        // a RESP2 subscriber can only receive arrays, so PING answers in the shape of a message
        if (reply.protocol() == 2 && Kernel.client(ctx).isPubSub()) {
            reply.array(2);
            reply.bulk("pong");
            if (args.size() == 1) {
                reply.bulk("");
            } else {
                reply.bulk(args.get(1));
            }
            return;
        }
        if (args.size() == 1) {
            reply.simple("PONG");
        } else {
            reply.bulk(args.get(1));
        }
    }

    private void echo(CommandContext ctx, Args args, Reply reply) {
        reply.bulk(args.get(1));
    }

    private void quit(CommandContext ctx, Args args, Reply reply) {
        reply.ok();
        Kernel.client(ctx).closeAfterReply();
    }

    private void select(CommandContext ctx, Args args, Reply reply) {
        long parsed = args.longAt(1);
        if (parsed < Integer.MIN_VALUE || parsed > Integer.MAX_VALUE) {
            throw new CommandException(Errors.valueOutOfRange(Integer.MIN_VALUE, Integer.MAX_VALUE));
        }
        int idx = (int) parsed;
        if (server.config().getBoolean("cluster-enabled") && idx != 0) {
            throw new CommandException(Errors.SELECT_IN_CLUSTER);
        }
        server.dbChecked(idx);
        Kernel.client(ctx).selectDb(idx);
        reply.ok();
    }

    /** Redis's clearClientConnectionState: the connection as it was when it connected (name, db, protocol...). */
    private void reset(CommandContext ctx, Args args, Reply reply) {
        ClientConnection c = Kernel.client(ctx);
        if (c.isReplica() || c.isMaster()) {
            throw new CommandException(Errors.RESET_NOT_NORMAL);
        }
        server.clients().fireReset(c); // pub/sub, tracking, MONITOR drop their per-client state
        c.setMonitor(false);
        c.setSubscriptions(0, 0, 0);
        c.selectDb(0);
        c.setProtocol(2);
        c.setAuthenticated(!server.authRequired(), DEFAULT_USER);
        TransactionFamily.discard(server, c);
        c.setName(null);
        // lib-name and lib-ver stay: they still describe the library behind the connection
        c.resetReplyMode();
        c.setNoTouch(false);
        c.setNoEvict(false);
        reply.simple("RESET");
    }

    private void hello(CommandContext ctx, Args args, Reply reply) {
        ClientConnection c = Kernel.client(ctx);
        long version = 0;
        int next = 1;
        if (args.size() >= 2) {
            version = args.longAt(1, Errors.PROTOCOL_VERSION_NOT_INTEGER);
            next = 2;
            if (version < 2 || version > 3) {
                throw new CommandException(Errors.NOPROTO);
            }
        }
        byte[] user = null;
        byte[] password = null;
        byte[] name = null;
        for (int j = next; j < args.size(); j++) {
            int more = args.size() - 1 - j;
            if (args.is(j, "auth") && more >= 2) {
                // credentials never reach the slow log or MONITOR
                server.diagnostics().redactArgument(j + 1);
                server.diagnostics().redactArgument(j + 2);
                user = args.get(j + 1);
                password = args.get(j + 2);
                j += 2;
            } else if (args.is(j, "setname") && more >= 1) {
                name = args.get(j + 1);
                if (!ClientFamily.validAttribute(name)) {
                    throw new CommandException(Errors.CLIENT_NAME_INVALID);
                }
                j++;
            } else {
                throw new CommandException(Errors.helloOptionSyntax(args.string(j)));
            }
        }
        if (user != null && !authenticate(c, user, password)) {
            throw new CommandException(Errors.WRONGPASS);
        }
        if (!c.authenticated()) {
            throw new CommandException(Errors.HELLO_NOAUTH);
        }
        if (name != null) {
            c.setName(name.length == 0 ? null : new String(name, StandardCharsets.UTF_8));
        }
        if (version != 0) {
            c.setProtocol((int) version);
        }
        reply.map(7);
        reply.bulk("server");
        reply.bulk("redis");
        reply.bulk("version");
        reply.bulk(CinnabarServer.VERSION);
        reply.bulk("proto");
        reply.integer(c.protocol());
        reply.bulk("id");
        reply.integer(c.id());
        reply.bulk("mode");
        reply.bulk(server.config().getBoolean("cluster-enabled") ? "cluster" : "standalone");
        reply.bulk("role");
        reply.bulk("master");
        reply.bulk("modules");
        reply.array(0);
    }

    private void auth(CommandContext ctx, Args args, Reply reply) {
        if (args.size() > 3) {
            throw new CommandException(Errors.SYNTAX);
        }
        // credentials never reach the slow log or MONITOR
        for (int i = 1; i < args.size(); i++) {
            server.diagnostics().redactArgument(i);
        }
        byte[] user;
        byte[] password;
        if (args.size() == 2) {
            // the one-argument form is an error when the default user needs no password, as in Redis
            if (!server.authRequired()) {
                throw new CommandException(Errors.AUTH_WITHOUT_PASSWORD);
            }
            user = DEFAULT_USER.getBytes(StandardCharsets.US_ASCII);
            password = args.get(1);
        } else {
            user = args.get(1);
            password = args.get(2);
        }
        if (!authenticate(Kernel.client(ctx), user, password)) {
            throw new CommandException(Errors.WRONGPASS);
        }
        reply.ok();
    }

    /**
     * Checks a user/password pair and authenticates the client on success; a failure leaves the client's
     * state as it was (an authenticated client stays authenticated, as in Redis).
     */
    private boolean authenticate(ClientConnection c, byte[] user, byte[] password) {
        if (!new String(user, StandardCharsets.UTF_8).equals(DEFAULT_USER)) {
            return false;
        }
        if (server.authRequired()) {
            byte[] expected = server.config().get("requirepass").getBytes(StandardCharsets.UTF_8);
            // constant-time comparison, as Redis compares password hashes
            if (!MessageDigest.isEqual(sha256(expected), sha256(password))) {
                return false;
            }
        }
        c.setAuthenticated(true, DEFAULT_USER);
        return true;
    }

    private static byte[] sha256(byte[] b) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(b);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
