package io.cinnabar.kernel.commands;

import static io.cinnabar.api.CommandFlag.LOADING;
import static io.cinnabar.api.CommandFlag.NO_MANDATORY_KEYS;
import static io.cinnabar.api.CommandFlag.STALE;

import io.cinnabar.api.AclCategory;
import io.cinnabar.api.Args;
import io.cinnabar.api.CommandContext;
import io.cinnabar.api.CommandException;
import io.cinnabar.api.CommandFamily;
import io.cinnabar.api.CommandSpec;
import io.cinnabar.api.Errors;
import io.cinnabar.api.Glob;
import io.cinnabar.api.Handler;
import io.cinnabar.api.Reply;
import io.cinnabar.kernel.command.Command;
import io.cinnabar.kernel.command.CommandDescription;
import io.cinnabar.kernel.command.CommandTable;
import io.cinnabar.kernel.command.KeyExtractor;
import io.cinnabar.kernel.command.KeySpecFlags;
import io.cinnabar.kernel.server.CinnabarServer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * COMMAND and its subcommands: everything here is read from the command table's specs (COMMAND INFO, DOCS,
 * LIST, COUNT) and key specs (GETKEYS), never from a list of its own.
 */
final class CommandDocsFamily implements CommandFamily {
    private final CinnabarServer server;

    CommandDocsFamily(CinnabarServer server) {
        this.server = server;
    }

    @Override
    public List<CommandSpec> commands() {
        return List.of(CommandSpec.command("command").arity(-1).flags(LOADING, STALE).acl(AclCategory.CONNECTION)
                .group("server").since("2.8.13").summary("Returns detailed information about all commands.")
                .complexity("O(N) where N is the total number of Redis commands")
                .tips("nondeterministic_output_order").handler(this::all)
                .subcommand(sub("count", 2, "2.8.13", "Returns a count of commands.", "O(1)", this::count).build())
                .subcommand(sub("docs", -2, "7.0.0",
                        "Returns documentary information about one, multiple or all commands.",
                        "O(N) where N is the number of commands to look up", this::docs)
                        .tips("nondeterministic_output_order").build())
                .subcommand(sub("getkeys", -3, "2.8.13", "Extracts the key names from an arbitrary command.",
                        "O(N) where N is the number of arguments to the command", (c, a, r) -> getKeys(a, r, false))
                        .build())
                .subcommand(sub("info", -2, "2.8.13", "Returns information about one, multiple or all commands.",
                        "O(N) where N is the number of commands to look up", this::info)
                        .tips("nondeterministic_output_order")
                        .history("7.0.0", "Allowed to be called with no argument to get info on all commands.").build())
                .subcommand(sub("getkeysandflags", -3, "7.0.0",
                        "Extracts the key names and access flags for an arbitrary command.",
                        "O(N) where N is the number of arguments to the command", (c, a, r) -> getKeys(a, r, true))
                        .build())
                .subcommand(sub("help", 2, "5.0.0", "Returns helpful text about the different subcommands.", "O(1)",
                        this::help).build())
                .subcommand(sub("list", -2, "7.0.0", "Returns a list of command names.",
                        "O(N) where N is the total number of Redis commands", this::list)
                        .tips("nondeterministic_output_order").build())
                .build());
    }

    private static CommandSpec.Builder sub(String name, int arity, String since, String summary, String complexity,
                                           Handler handler) {
        return CommandSpec.command(name).arity(arity).flags(LOADING, STALE).acl(AclCategory.CONNECTION)
                .group("server").since(since).summary(summary).complexity(complexity).handler(handler);
    }

    private CommandTable table() {
        return server.commands();
    }

    /** COMMAND: info on every command. */
    private void all(CommandContext ctx, Args args, Reply reply) {
        reply.array(table().size());
        for (Command c : table().all()) {
            CommandDescription.info(reply, c);
        }
    }

    private void count(CommandContext ctx, Args args, Reply reply) {
        reply.integer(table().size());
    }

    private void info(CommandContext ctx, Args args, Reply reply) {
        if (args.size() == 2) {
            all(ctx, args, reply);
            return;
        }
        reply.array(args.size() - 2);
        for (int i = 2; i < args.size(); i++) {
            Command c = table().lookupFullName(args.string(i));
            if (c == null) {
                reply.nullBulk();
            } else {
                CommandDescription.info(reply, c);
            }
        }
    }

    private void docs(CommandContext ctx, Args args, Reply reply) {
        List<Command> found = new ArrayList<>();
        if (args.size() == 2) {
            found.addAll(table().all());
        } else {
            for (int i = 2; i < args.size(); i++) {
                Command c = table().lookupFullName(args.string(i));
                if (c != null) {
                    found.add(c);
                }
            }
        }
        reply.map(found.size());
        for (Command c : found) {
            reply.bulk(c.fullName());
            CommandDescription.docs(reply, c);
        }
    }

    /** COMMAND LIST [FILTERBY MODULE name | ACLCAT category | PATTERN glob]: names including subcommands. */
    private void list(CommandContext ctx, Args args, Reply reply) {
        Predicate<Command> filter = c -> true;
        for (int i = 2; i < args.size(); i++) {
            int more = args.size() - 1 - i;
            if (!args.is(i, "filterby") || more != 2) {
                throw new CommandException(Errors.SYNTAX);
            }
            String value = args.string(i + 2);
            if (args.is(i + 1, "module")) {
                // plugins are Cinnabar's modules; kernel commands are core, as Redis's own commands
                filter = c -> !c.origin().equals("kernel") && c.origin().equalsIgnoreCase(value);
            } else if (args.is(i + 1, "aclcat")) {
                AclCategory cat = category(value);
                filter = c -> cat != null && c.spec().aclCategories().contains(cat);
            } else if (args.is(i + 1, "pattern")) {
                byte[] pattern = args.get(i + 2);
                filter = c -> Glob.matches(pattern, c.fullName().getBytes(java.nio.charset.StandardCharsets.UTF_8),
                        true);
            } else {
                throw new CommandException(Errors.SYNTAX);
            }
            i += 2;
        }
        List<String> names = new ArrayList<>();
        for (Command c : table().all()) {
            if (filter.test(c)) {
                names.add(c.fullName());
            }
            for (Command sub : CommandDescription.subcommands(c)) {
                if (filter.test(sub)) {
                    names.add(sub.fullName());
                }
            }
        }
        reply.array(names.size());
        for (String n : names) {
            reply.bulk(n);
        }
    }

    private static AclCategory category(String name) {
        for (AclCategory c : AclCategory.values()) {
            if (c.redisName().equalsIgnoreCase(name)) {
                return c;
            }
        }
        return null;
    }

    /** COMMAND GETKEYS / GETKEYSANDFLAGS: Redis's getKeysSubcommandImpl, checks in its order. */
    private void getKeys(Args args, Reply reply, boolean withFlags) {
        Args target = args.shift(2);
        Command cmd = table().lookup(target.get(0));
        if (cmd != null && target.size() > 1 && !cmd.subcommands().isEmpty()) {
            cmd = CommandTable.subcommand(cmd, target.get(1));
        }
        if (cmd == null) {
            throw new CommandException(Errors.INVALID_COMMAND_SPECIFIED);
        }
        CommandSpec spec = cmd.spec();
        if (!KeyExtractor.hasKeys(spec)) {
            throw new CommandException(Errors.COMMAND_HAS_NO_KEYS);
        }
        if (!spec.arityAccepts(target.size())) {
            throw new CommandException(Errors.INVALID_ARGUMENT_COUNT);
        }
        KeyExtractor.Keys keys = new KeyExtractor.Keys();
        if (KeyExtractor.find(spec, target, keys) == 0) {
            if (spec.has(NO_MANDATORY_KEYS)) {
                reply.array(0);
                return;
            }
            throw new CommandException(Errors.INVALID_ARGUMENTS);
        }
        reply.array(keys.size());
        for (int i = 0; i < keys.size(); i++) {
            if (withFlags) {
                reply.array(2);
            }
            reply.bulk(target.get(keys.position(i)));
            if (withFlags) {
                List<String> flags = KeySpecFlags.canonical(keys.flags(i));
                reply.array(flags.size());
                for (String f : flags) {
                    reply.simple(f);
                }
            }
        }
    }

    private void help(CommandContext ctx, Args args, Reply reply) {
        HelpReply.write(reply, "command",
                "(no subcommand)",
                "    Return details about all Redis commands.",
                "COUNT",
                "    Return the total number of commands in this Redis server.",
                "LIST",
                "    Return a list of all commands in this Redis server.",
                "INFO [<command-name> ...]",
                "    Return details about multiple Redis commands.",
                "    If no command names are given, documentation details for all",
                "    commands are returned.",
                "DOCS [<command-name> ...]",
                "    Return documentation details about multiple Redis commands.",
                "    If no command names are given, documentation details for all",
                "    commands are returned.",
                "GETKEYS <full-command>",
                "    Return the keys from a full Redis command.",
                "GETKEYSANDFLAGS <full-command>",
                "    Return the keys and the access flags from a full Redis command.");
    }
}
