package io.cinnabar.kernel.commands;

import static io.cinnabar.api.CommandFlag.ADMIN;
import static io.cinnabar.api.CommandFlag.LOADING;
import static io.cinnabar.api.CommandFlag.NOSCRIPT;
import static io.cinnabar.api.CommandFlag.PROTECTED;
import static io.cinnabar.api.CommandFlag.STALE;

import io.cinnabar.api.Args;
import io.cinnabar.api.CommandContext;
import io.cinnabar.api.CommandException;
import io.cinnabar.api.CommandFamily;
import io.cinnabar.api.CommandSpec;
import io.cinnabar.api.Errors;
import io.cinnabar.api.Handler;
import io.cinnabar.api.Reply;
import io.cinnabar.kernel.command.Command;
import io.cinnabar.kernel.diagnostics.Diagnostics;
import io.cinnabar.kernel.info.LatencyHistogram;
import io.cinnabar.kernel.info.ServerMetrics;
import io.cinnabar.kernel.diagnostics.LatencyMonitor;
import io.cinnabar.kernel.diagnostics.SlowLog;
import io.cinnabar.kernel.net.ClientConnection;
import io.cinnabar.kernel.server.CinnabarServer;
import java.util.ArrayList;
import java.util.List;

/** SLOWLOG, LATENCY, MONITOR and DEBUG: the server's diagnostics commands. */
final class DiagnosticsFamily implements CommandFamily {
    private static final String[] SLOWLOG_HELP = {
        "GET [<count>]",
        "    Return top <count> entries from the slowlog (default: 10, -1 mean all).",
        "    Entries are made of:",
        "    id, timestamp, time in microseconds, arguments array, client IP and port,",
        "    client name",
        "LEN",
        "    Return the length of the slowlog.",
        "RESET",
        "    Reset the slowlog.",
    };

    private static final String[] LATENCY_HELP = {
        "DOCTOR",
        "    Return a human readable latency analysis report.",
        "GRAPH <event>",
        "    Return an ASCII latency graph for the <event> class.",
        "HISTORY <event>",
        "    Return time-latency samples for the <event> class.",
        "LATEST",
        "    Return the latest latency samples for all events.",
        "RESET [<event> ...]",
        "    Reset latency data of one or more <event> classes.",
        "    (default: reset all data for all event classes)",
        "HISTOGRAM [COMMAND ...]",
        "    Return a cumulative distribution of latencies in the format of a histogram for the specified command names.",
        "    If no commands are specified then all histograms are replied.",
    };

    private final CinnabarServer server;
    private final DebugCommand debug;
    private final CommandSpec debugSpec;

    DiagnosticsFamily(CinnabarServer server) {
        this.server = server;
        this.debug = new DebugCommand(server);
        this.debugSpec = CommandSpec.command("debug").arity(-2).flags(ADMIN, NOSCRIPT, LOADING, STALE, PROTECTED)
                .group("server").since("1.0.0").summary("A container for debugging commands.")
                .complexity("Depends on subcommand.").docFlags("syscmd")
                .handler(debug::execute).build();
        // Redis rejects DEBUG before it runs (processCommand), so it counts as a rejected call and aborts MULTI
        server.dispatcher().addGate((client, command, args, reply) -> {
            if (command.spec() != debugSpec
                    || ProtectedAction.allowed(server.config().get("enable-debug-command"), client)) {
                return false;
            }
            reply.error(Errors.NO_PERMISSION_DEBUG);
            return true;
        });
    }

    @Override
    public List<CommandSpec> commands() {
        return List.of(slowlog(), latency(), monitor(), debugSpec);
    }

    private static CommandSpec.Builder admin(String name, int arity, String since, String summary, String complexity,
                                             Handler h) {
        return CommandSpec.command(name).arity(arity).flags(ADMIN, LOADING, STALE).group("server").since(since)
                .summary(summary).complexity(complexity).handler(h);
    }

    private static CommandSpec help(String since, String summary, String[] lines) {
        return CommandSpec.command("help").arity(2).flags(LOADING, STALE).group("server").since(since)
                .summary(summary).complexity("O(1)").handler((ctx, args, reply) -> HelpReply.write(reply, args.string(0), lines))
                .build();
    }

    // ---- SLOWLOG ----

    private CommandSpec slowlog() {
        SlowLog replies = server.diagnostics().slowLog();
        return CommandSpec.command("slowlog").arity(-2).group("server").since("2.2.12")
                .summary("A container for slow log commands.").complexity("Depends on subcommand.")
                .subcommand(admin("get", -2, "2.2.12", "Returns the slow log's entries.",
                        "O(N) where N is the number of entries returned", (ctx, args, reply) -> slowlogGet(replies, args, reply))
                        .history("4.0.0", "Added client IP address, port and name to the reply.")
                        .tips("request_policy:all_nodes", "nondeterministic_output").build())
                .subcommand(admin("len", 2, "2.2.12", "Returns the number of entries in the slow log.", "O(1)",
                        (ctx, args, reply) -> reply.integer(replies.size()))
                        .tips("request_policy:all_nodes", "response_policy:agg_sum", "nondeterministic_output").build())
                .subcommand(admin("reset", 2, "2.2.12", "Clears all entries from the slow log.",
                        "O(N) where N is the number of entries in the slowlog", (ctx, args, reply) -> {
                            replies.reset();
                            reply.ok();
                        }).tips("request_policy:all_nodes", "response_policy:all_succeeded").build())
                .subcommand(help("6.2.0", "Show helpful text about the different subcommands", SLOWLOG_HELP))
                .build();
    }

    private static void slowlogGet(SlowLog replies, Args args, Reply reply) {
        if (args.size() > 3) {
            throw new CommandException(Errors.subcommandSyntax(args.string(1), args.string(0)));
        }
        long count = 10;
        if (args.size() == 3) {
            count = args.longAt(2, Errors.SLOWLOG_COUNT);
            if (count < -1) {
                throw new CommandException(Errors.SLOWLOG_COUNT);
            }
            if (count == -1) {
                count = replies.size();
            }
        }
        replies.reply(reply, count);
    }

    // ---- LATENCY ----

    private CommandSpec latency() {
        Diagnostics d = server.diagnostics();
        LatencyMonitor replies = d.latency();
        return CommandSpec.command("latency").arity(-2).group("server").since("2.8.13")
                .summary("A container for latency diagnostics commands.").complexity("Depends on subcommand.")
                .subcommand(latencySub("doctor", 2, "Returns a human-readable latency analysis report.", "O(1)",
                        (ctx, args, reply) -> reply.verbatim("txt", replies.doctor()))
                        .tips("nondeterministic_output", "request_policy:all_nodes", "response_policy:special").build())
                .subcommand(latencySub("graph", 3, "Returns a latency graph for an event.", "O(1)",
                        (ctx, args, reply) -> {
                            String g = replies.graph(args.string(2));
                            if (g == null) {
                                throw new CommandException(Errors.latencyNoSamples(args.string(2)));
                            }
                            reply.verbatim("txt", g);
                        }).tips("nondeterministic_output", "request_policy:all_nodes", "response_policy:special").build())
                .subcommand(latencySub("histogram", -2,
                        "Returns the cumulative distribution of latencies of a subset or all commands.",
                        "O(N) where N is the number of commands with latency information being retrieved.",
                        this::latencyHistogram).since("7.0.0")
                        .tips("nondeterministic_output", "request_policy:all_nodes", "response_policy:special").build())
                .subcommand(latencySub("history", 3, "Returns timestamp-latency samples for an event.", "O(1)",
                        (ctx, args, reply) -> replies.history(reply, args.string(2)))
                        .tips("nondeterministic_output", "request_policy:all_nodes", "response_policy:special").build())
                .subcommand(latencySub("latest", 2, "Returns the latest latency samples for all events.", "O(1)",
                        (ctx, args, reply) -> replies.latest(reply))
                        .tips("nondeterministic_output", "request_policy:all_nodes", "response_policy:special").build())
                .subcommand(latencySub("reset", -2, "Resets the latency data for one or more events.", "O(1)",
                        (ctx, args, reply) -> {
                            List<String> events = new ArrayList<>();
                            for (int i = 2; i < args.size(); i++) {
                                events.add(args.string(i));
                            }
                            reply.integer(replies.reset(events));
                        }).tips("request_policy:all_nodes", "response_policy:agg_sum").build())
                .subcommand(help("2.8.13", "Returns helpful text about the different subcommands.", LATENCY_HELP))
                .build();
    }

    private static CommandSpec.Builder latencySub(String name, int arity, String summary, String complexity, Handler h) {
        return CommandSpec.command(name).arity(arity).flags(ADMIN, NOSCRIPT, LOADING, STALE).group("server")
                .since("2.8.13").summary(summary).complexity(complexity).handler(h);
    }

    /** LATENCY HISTOGRAM [command ...]: every command with samples, or the named ones (a container adds its subcommands). */
    private void latencyHistogram(CommandContext ctx, Args args, Reply reply) {
        ServerMetrics d = server.metrics();
        List<Command> picked = new ArrayList<>();
        if (args.size() == 2) {
            for (Command c : server.commands().all()) {
                addWithSubcommands(picked, c, d);
            }
        } else {
            for (int i = 2; i < args.size(); i++) {
                Command c = server.commands().lookupFullName(args.string(i));
                if (c != null) {
                    addWithSubcommands(picked, c, d);
                }
            }
        }
        reply.map(picked.size());
        for (Command c : picked) {
            LatencyHistogram h = d.latency(c);
            reply.bulk(c.fullName());
            reply.map(2);
            reply.bulk("calls");
            reply.integer(h.totalCount());
            reply.bulk("histogram_usec");
            long[][] buckets = h.cumulativeBuckets();
            reply.map(buckets.length);
            for (long[] b : buckets) {
                reply.integer(b[0]);
                reply.integer(b[1]);
            }
        }
    }

    private static void addWithSubcommands(List<Command> out, Command c, ServerMetrics d) {
        if (d.latency(c) != null) {
            out.add(c);
        }
        c.subcommands().values().stream().sorted((a, b) -> a.fullName().compareTo(b.fullName()))
                .filter(s -> d.latency(s) != null).forEach(out::add);
    }

    // ---- MONITOR ----

    private CommandSpec monitor() {
        return CommandSpec.command("monitor").arity(1).flags(ADMIN, NOSCRIPT, LOADING, STALE).group("server")
                .since("1.0.0").summary("Listens for all requests received by the server in real-time.")
                .handler(this::monitorCommand).build();
    }

    private void monitorCommand(CommandContext ctx, Args args, Reply reply) {
        if (ctx.client().inTransaction()) {
            // a client inside EXEC expects one reply per command, so it can't become a monitor
            throw new CommandException(Errors.MONITOR_DENY_BLOCKING);
        }
        ClientConnection c = Kernel.client(ctx);
        if (c.isMonitor()) {
            return; // already monitoring: Redis ignores the command without replying
        }
        server.diagnostics().addMonitor(c);
        reply.ok();
    }
}
