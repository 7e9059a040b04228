package io.cinnabar.kernel.commands;

import static io.cinnabar.api.CommandFlag.ADMIN;
import static io.cinnabar.api.CommandFlag.ALLOW_BUSY;
import static io.cinnabar.api.CommandFlag.FAST;
import static io.cinnabar.api.CommandFlag.LOADING;
import static io.cinnabar.api.CommandFlag.NOSCRIPT;
import static io.cinnabar.api.CommandFlag.NO_ASYNC_LOADING;
import static io.cinnabar.api.CommandFlag.NO_MULTI;
import static io.cinnabar.api.CommandFlag.PROTECTED;
import static io.cinnabar.api.CommandFlag.READONLY;
import static io.cinnabar.api.CommandFlag.SENTINEL;
import static io.cinnabar.api.CommandFlag.STALE;

import io.cinnabar.api.AclCategory;
import io.cinnabar.api.Args;
import io.cinnabar.api.CommandContext;
import io.cinnabar.api.CommandException;
import io.cinnabar.api.CommandFamily;
import io.cinnabar.api.CommandSpec;
import io.cinnabar.api.Errors;
import io.cinnabar.api.Handler;
import io.cinnabar.api.KeySpec;
import io.cinnabar.api.Reply;
import io.cinnabar.api.Values;
import io.cinnabar.kernel.info.MemoryDiagnostics;
import io.cinnabar.kernel.info.MemoryReport;
import io.cinnabar.kernel.info.ServerInfo;
import io.cinnabar.kernel.net.ClientConnection;
import io.cinnabar.kernel.plugin.PluginHost;
import io.cinnabar.kernel.server.CinnabarServer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Server introspection: INFO, TIME, MODULE (plugins are our modules), MEMORY and SHUTDOWN. */
final class ServerFamily implements CommandFamily {
    private final CinnabarServer server;

    ServerFamily(CinnabarServer server) {
        this.server = server;
    }

    @Override
    public List<CommandSpec> commands() {
        return List.of(
                CommandSpec.command("info").arity(-1).flags(LOADING, STALE, SENTINEL).acl(AclCategory.DANGEROUS)
                        .group("server").since("1.0.0").summary("Returns information and statistics about the server.")
                        .complexity("O(1)")
                        .tips("nondeterministic_output", "request_policy:all_shards", "response_policy:special")
                        .history("7.0.0", "Added support for taking multiple section arguments.")
                        .handler(this::info).build(),
                CommandSpec.command("time").arity(1).flags(LOADING, STALE, FAST).group("server").since("2.6.0")
                        .summary("Returns the server time.").complexity("O(1)").tips("nondeterministic_output")
                        .handler(this::time).build(),
                module(),
                memory(),
                CommandSpec.command("shutdown").arity(-1)
                        .flags(ADMIN, NOSCRIPT, LOADING, STALE, NO_MULTI, SENTINEL, ALLOW_BUSY).group("server")
                        .since("1.0.0")
                        .summary("Synchronously saves the database(s) to disk and shuts down the Redis server.")
                        .complexity("O(N) when saving, where N is the total number of keys in all databases when "
                                + "saving data, otherwise O(1)")
                        .history("7.0.0", "Added the `NOW`, `FORCE` and `ABORT` modifiers.")
                        .handler(this::shutdown).build());
    }

    private static CommandSpec.Builder sub(String name, int arity, String since, String summary, String complexity,
                                           Handler handler) {
        return CommandSpec.command(name).arity(arity).group("server").since(since).summary(summary)
                .complexity(complexity).handler(handler);
    }

    private CommandSpec module() {
        return CommandSpec.command("module").arity(-2).group("server").since("4.0.0")
                .summary("A container for module commands.").complexity("Depends on subcommand.")
                .subcommand(sub("load", -3, "4.0.0", "Loads a module.", "O(1)", this::moduleLoad)
                        .flags(ADMIN, NOSCRIPT, NO_ASYNC_LOADING, PROTECTED).build())
                .subcommand(sub("help", 2, "5.0.0", "Returns helpful text about the different subcommands.", "O(1)",
                        this::moduleHelp).flags(LOADING, STALE).build())
                .subcommand(sub("list", 2, "4.0.0", "Returns all loaded modules.",
                        "O(N) where N is the number of loaded modules.", this::moduleList).flags(ADMIN, NOSCRIPT)
                        .tips("nondeterministic_output_order").build())
                .subcommand(sub("loadex", -3, "7.0.0", "Loads a module using extended parameters.", "O(1)",
                        this::moduleLoad).flags(ADMIN, NOSCRIPT, NO_ASYNC_LOADING, PROTECTED).build())
                .subcommand(sub("unload", 3, "4.0.0", "Unloads a module.", "O(1)", this::moduleLoad)
                        .flags(ADMIN, NOSCRIPT, NO_ASYNC_LOADING, PROTECTED).build())
                .build();
    }

    private CommandSpec memory() {
        String[] special = {"nondeterministic_output", "request_policy:all_shards", "response_policy:special"};
        return CommandSpec.command("memory").arity(-2).group("server").since("4.0.0")
                .summary("A container for memory diagnostics commands.").complexity("Depends on subcommand.")
                .subcommand(sub("malloc-stats", 2, "4.0.0", "Returns the allocator statistics.",
                        "Depends on how much memory is allocated, could be slow", this::mallocStats).tips(special)
                        .build())
                .subcommand(sub("stats", 2, "4.0.0", "Returns details about memory usage.", "O(1)",
                        this::memoryStats).tips(special).build())
                .subcommand(sub("purge", 2, "4.0.0", "Asks the allocator to release memory.",
                        "Depends on how much memory is allocated, could be slow", this::purge)
                        .tips("request_policy:all_shards", "response_policy:all_succeeded").build())
                .subcommand(sub("doctor", 2, "4.0.0", "Outputs a memory problems report.", "O(1)", this::doctor)
                        .tips(special).build())
                .subcommand(sub("usage", -3, "4.0.0", "Estimates the memory usage of a key.",
                        "O(N) where N is the number of samples.", this::usage).flags(READONLY)
                        .key(KeySpec.range(2, 0, 1, "RO")).build())
                .subcommand(sub("help", 2, "4.0.0", "Returns helpful text about the different subcommands.", "O(1)",
                        this::memoryHelp).flags(LOADING, STALE).build())
                .build();
    }

    // ---- INFO, TIME ----

    private void info(CommandContext ctx, Args args, Reply reply) {
        List<String> sections = new ArrayList<>(args.size() - 1);
        for (int i = 1; i < args.size(); i++) {
            sections.add(args.string(i));
        }
        reply.verbatim("txt", server.info().generate(sections));
    }

    private void time(CommandContext ctx, Args args, Reply reply) {
        Instant now = Instant.now();
        reply.array(2);
        reply.bulk(now.getEpochSecond());
        reply.bulk(now.getNano() / 1000);
    }

    // ---- MODULE ----

    private void moduleList(CommandContext ctx, Args args, Reply reply) {
        List<PluginHost.LoadedPlugin> plugins = server.plugins().loaded();
        reply.array(plugins.size());
        for (PluginHost.LoadedPlugin p : plugins) {
            reply.map(4);
            reply.bulk("name");
            reply.bulk(p.id());
            reply.bulk("ver");
            reply.integer(ServerInfo.moduleVersion(p.version()));
            reply.bulk("path");
            reply.bulk(p.path());
            reply.bulk("args");
            reply.array(0);
        }
    }

    /** LOAD, LOADEX, UNLOAD: gated by enable-module-command as in Redis; when allowed, plugins still load at startup. */
    private void moduleLoad(CommandContext ctx, Args args, Reply reply) {
        String mode = server.config().get("enable-module-command");
        boolean allowed = ProtectedAction.allowed(mode, Kernel.client(ctx));
        throw new CommandException(allowed ? Errors.MODULES_ARE_PLUGINS : Errors.NO_PERMISSION_MODULE);
    }

    private void moduleHelp(CommandContext ctx, Args args, Reply reply) {
        HelpReply.write(reply, "module",
                "LIST",
                "    Return a list of loaded modules.",
                "LOAD <path> [<arg> ...]",
                "    Load a module library from <path>, passing to it any optional arguments.",
                "LOADEX <path> [[CONFIG NAME VALUE] [CONFIG NAME VALUE]] [ARGS ...]",
                "    Load a module library from <path>, while passing it module configurations and optional arguments.",
                "UNLOAD <name>",
                "    Unload a module.");
    }

    // ---- MEMORY ----

    /** Hash-table entry and key object of one key, added to the value's own estimate (Redis adds dictEntry + key sds). */
    private static long keyOverhead(byte[] key) {
        return 24 + 16 + ((key.length + 7) & ~7);
    }

    private void usage(CommandContext ctx, Args args, Reply reply) {
        for (int j = 3; j < args.size(); j++) {
            if (args.is(j, "samples") && j + 1 < args.size()) {
                // values estimate their size whole, so the sample count is validated but not needed
                if (args.longAt(j + 1) < 0) {
                    throw new CommandException(Errors.SYNTAX);
                }
                j++;
            } else {
                throw new CommandException(Errors.SYNTAX);
            }
        }
        byte[] key = args.get(2);
        Object value = ctx.db().peek(key);
        if (value == null) {
            reply.nullBulk();
            return;
        }
        reply.integer(Values.memoryUsage(value) + keyOverhead(key));
    }

    private void memoryStats(CommandContext ctx, Args args, Reply reply) {
        MemoryReport m = MemoryReport.measure(server);
        reply.map(27 + m.dbs().size());
        field(reply, "peak.allocated", m.peak());
        field(reply, "total.allocated", m.used());
        field(reply, "startup.allocated", m.startup());
        field(reply, "replication.backlog", 0);
        field(reply, "clients.slaves", 0);
        field(reply, "clients.normal", m.clientsNormal());
        field(reply, "cluster.links", 0);
        field(reply, "aof.buffer", 0);
        field(reply, "lua.caches", 0);
        field(reply, "functions.caches", 0);
        for (MemoryReport.DbOverhead db : m.dbs()) {
            reply.bulk("db." + db.id());
            reply.map(3);
            field(reply, "overhead.hashtable.main", db.main());
            field(reply, "overhead.hashtable.expires", db.expires());
            field(reply, "overhead.hashtable.slot-to-keys", 0);
        }
        field(reply, "overhead.total", m.overhead());
        field(reply, "keys.count", m.totalKeys());
        field(reply, "keys.bytes-per-key", m.bytesPerKey());
        field(reply, "dataset.bytes", m.dataset());
        ratio(reply, "dataset.percentage", m.datasetPercent());
        ratio(reply, "peak.percentage", m.peakPercent());
        field(reply, "allocator.allocated", m.used());
        field(reply, "allocator.active", m.allocatorActive());
        field(reply, "allocator.resident", m.allocatorResident());
        ratio(reply, "allocator-fragmentation.ratio", m.allocatorFragRatio());
        field(reply, "allocator-fragmentation.bytes", m.allocatorFragBytes());
        ratio(reply, "allocator-rss.ratio", m.allocatorRssRatio());
        field(reply, "allocator-rss.bytes", m.allocatorRssBytes());
        ratio(reply, "rss-overhead.ratio", m.rssOverheadRatio());
        field(reply, "rss-overhead.bytes", m.rssOverheadBytes());
        ratio(reply, "fragmentation", m.fragmentationRatio());
        field(reply, "fragmentation.bytes", m.fragmentationBytes());
    }

    private static void field(Reply reply, String name, long value) {
        reply.bulk(name);
        reply.integer(value);
    }

    /** Redis keeps these ratios as C floats; printing them from a float gives the same digits Redis prints. */
    private static void ratio(Reply reply, String name, double value) {
        reply.bulk(name);
        reply.doubleValue((float) value);
    }

    private void doctor(CommandContext ctx, Args args, Reply reply) {
        String allocator = "jvm-" + System.getProperty("java.vm.version", "");
        reply.verbatim("txt", MemoryDiagnostics.doctor(MemoryReport.measure(server), allocator));
    }

    private void mallocStats(CommandContext ctx, Args args, Reply reply) {
        reply.verbatim("txt", MemoryDiagnostics.jvmStats());
    }

    /** The JVM's way of handing memory back: a full collection, after which the heap may shrink. */
    private void purge(CommandContext ctx, Args args, Reply reply) {
        System.gc();
        reply.ok();
    }

    private void memoryHelp(CommandContext ctx, Args args, Reply reply) {
        HelpReply.write(reply, "memory",
                "DOCTOR",
                "    Return memory problems reports.",
                "MALLOC-STATS",
                "    Return internal statistics report from the memory allocator.",
                "PURGE",
                "    Attempt to purge dirty pages for reclamation by the allocator.",
                "STATS",
                "    Return information about the memory usage of the server.",
                "USAGE <key> [SAMPLES <count>]",
                "    Return memory in bytes used by <key> and its value. Nested values are",
                "    sampled up to <count> times (default: 5, 0 means sample all).");
    }

    // ---- SHUTDOWN ----

    private void shutdown(CommandContext ctx, Args args, Reply reply) {
        boolean noSave = false;
        boolean save = false;
        boolean now = false;
        boolean force = false;
        boolean abort = false;
        for (int i = 1; i < args.size(); i++) {
            if (args.is(i, "nosave")) {
                noSave = true;
            } else if (args.is(i, "save")) {
                save = true;
            } else if (args.is(i, "now")) {
                now = true;
            } else if (args.is(i, "force")) {
                force = true;
            } else if (args.is(i, "abort")) {
                abort = true;
            } else {
                throw new CommandException(Errors.SYNTAX);
            }
        }
        if ((abort && (noSave || save || now || force)) || (noSave && save)) {
            throw new CommandException(Errors.SYNTAX);
        }
        if (abort) {
            // SHUTDOWN never waits here (it waits only for lagging replicas), so nothing is ever in progress
            throw new CommandException(Errors.NO_SHUTDOWN_IN_PROGRESS);
        }
        if (!server.prepareShutdown(new CinnabarServer.ShutdownRequest(save, noSave, now, force))) {
            throw new CommandException(Errors.SHUTDOWN_FAILED);
        }
        // no reply: the connection closes with the server, as Redis's does when the process exits
        server.shutdown();
    }
}
