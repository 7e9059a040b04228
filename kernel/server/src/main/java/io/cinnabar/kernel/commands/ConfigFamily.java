package io.cinnabar.kernel.commands;

import static io.cinnabar.api.CommandFlag.ADMIN;
import static io.cinnabar.api.CommandFlag.LOADING;
import static io.cinnabar.api.CommandFlag.NOSCRIPT;
import static io.cinnabar.api.CommandFlag.STALE;

import io.cinnabar.api.Args;
import io.cinnabar.api.CommandContext;
import io.cinnabar.api.CommandException;
import io.cinnabar.api.CommandFamily;
import io.cinnabar.api.CommandSpec;
import io.cinnabar.api.Errors;
import io.cinnabar.api.Reply;
import io.cinnabar.kernel.config.Config;
import io.cinnabar.kernel.server.CinnabarServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** CONFIG GET / SET / RESETSTAT / REWRITE / HELP (Redis's config.c commands). */
final class ConfigFamily implements CommandFamily {
    private static final String[] HELP = {
        "GET <pattern>",
        "    Return parameters matching the glob-like <pattern> and their values.",
        "SET <directive> <value>",
        "    Set the configuration <directive> to <value>.",
        "RESETSTAT",
        "    Reset statistics reported by the INFO command.",
        "REWRITE",
        "    Rewrite the configuration file.",
    };

    private final CinnabarServer server;

    ConfigFamily(CinnabarServer server) {
        this.server = server;
    }

    @Override
    public List<CommandSpec> commands() {
        return List.of(CommandSpec.command("config").arity(-2).group("server").since("2.0.0")
                .summary("A container for server configuration commands.").complexity("Depends on subcommand.")
                .subcommand(sub("get", -3, "2.0.0", "Returns the effective values of configuration parameters.",
                        "O(N) when N is the number of configuration parameters provided", this::get)
                        .history("7.0.0", "Added the ability to pass multiple pattern parameters in one call").build())
                .subcommand(sub("set", -4, "2.0.0", "Sets configuration parameters in-flight.",
                        "O(N) when N is the number of configuration parameters provided", this::set)
                        .history("7.0.0", "Added the ability to set multiple parameters in one call.")
                        .tips("request_policy:all_nodes", "response_policy:all_succeeded").build())
                .subcommand(sub("resetstat", 2, "2.0.0", "Resets the server's statistics.", "O(1)", this::resetStat)
                        .tips("request_policy:all_nodes", "response_policy:all_succeeded").build())
                .subcommand(sub("rewrite", 2, "2.8.0", "Persists the effective configuration to file.", "O(1)",
                        this::rewrite).tips("request_policy:all_nodes", "response_policy:all_succeeded").build())
                .subcommand(CommandSpec.command("help").arity(2).flags(LOADING, STALE).group("server").since("5.0.0")
                        .summary("Returns helpful text about the different subcommands.").complexity("O(1)")
                        .handler((ctx, args, reply) -> HelpReply.write(reply, args.string(0), HELP)).build())
                .build());
    }

    private static CommandSpec.Builder sub(String name, int arity, String since, String summary, String complexity,
                                           io.cinnabar.api.Handler handler) {
        return CommandSpec.command(name).arity(arity).flags(ADMIN, NOSCRIPT, LOADING, STALE).group("server")
                .since(since).summary(summary).complexity(complexity).handler(handler);
    }

    /**
     * CONFIG GET: a name without glob characters is looked up directly (hidden parameters too, echoed as
     * typed), a pattern is matched against every listed name ignoring case; each name appears once.
     */
    private void get(CommandContext ctx, Args args, Reply reply) {
        Config config = server.config();
        Map<String, String> matches = new LinkedHashMap<>();
        for (int i = 2; i < args.size(); i++) {
            String pattern = new String(args.get(i), StandardCharsets.ISO_8859_1);
            if (pattern.indexOf('[') < 0 && pattern.indexOf('*') < 0 && pattern.indexOf('?') < 0) {
                String key = pattern.toLowerCase(Locale.ROOT);
                if (!matches.containsKey(key) && config.canonical(pattern) != null) {
                    matches.put(key, pattern);
                }
                continue;
            }
            for (String name : config.namesMatching(pattern)) {
                matches.putIfAbsent(name, name);
            }
        }
        reply.map(matches.size());
        for (String shown : matches.values()) {
            reply.bulk(shown.getBytes(StandardCharsets.ISO_8859_1));
            reply.bulk(config.get(shown).getBytes(StandardCharsets.ISO_8859_1));
        }
    }

    private void set(CommandContext ctx, Args args, Reply reply) {
        if ((args.size() & 1) != 0) {
            throw new CommandException(Errors.SYNTAX);
        }
        Config config = server.config();
        List<String> names = new ArrayList<>();
        List<String> values = new ArrayList<>();
        for (int i = 2; i < args.size(); i += 2) {
            String name = new String(args.get(i), StandardCharsets.ISO_8859_1);
            String canonical = config.canonical(name);
            // sensitive values never reach the slow log, whatever the outcome
            if (canonical != null && config.parameter(canonical).sensitive()) {
                server.diagnostics().redactArgument(i + 1);
            }
            names.add(name);
            values.add(new String(args.get(i + 1), StandardCharsets.ISO_8859_1));
        }
        boolean protectedAllowed = ProtectedAction.allowed(config.get("enable-protected-configs"), Kernel.client(ctx));
        try {
            config.set(names, values, protectedAllowed);
        } catch (Config.SetError e) {
            throw new CommandException(e.getMessage());
        }
        reply.ok();
    }

    /** CONFIG RESETSTAT: server stats, every command's and subcommand's stats and latency histogram, errorstats. */
    private void resetStat(CommandContext ctx, Args args, Reply reply) {
        server.resetStats();
        reply.ok();
    }

    private void rewrite(CommandContext ctx, Args args, Reply reply) {
        if (server.config().file() == null) {
            throw new CommandException(Errors.CONFIG_NO_FILE);
        }
        try {
            server.config().rewrite(false);
        } catch (IOException e) {
            String reason = Config.strerror(e);
            server.log().warn("CONFIG REWRITE failed: {}", reason);
            throw new CommandException(Errors.configRewriteFailed(reason));
        }
        server.log().warn("CONFIG REWRITE executed with success.");
        reply.ok();
    }
}
