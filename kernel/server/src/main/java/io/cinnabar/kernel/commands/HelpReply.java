package io.cinnabar.kernel.commands;

import io.cinnabar.api.Args;
import io.cinnabar.api.Reply;
import java.util.Locale;

/** addReplyHelp: the "<CMD> <subcommand> ..." header, the lines, and the HELP footer, as status replies. */
final class HelpReply {
    private HelpReply() {
    }

    static void reply(Reply reply, Args args, String... lines) {
        reply.array(lines.length + 3);
        reply.simple(args.string(0).toUpperCase(Locale.ROOT) + " <subcommand> [<arg> [value] [opt] ...]. Subcommands are:");
        for (String l : lines) {
            reply.simple(l);
        }
        reply.simple("HELP");
        reply.simple("    Print this help.");
    }
}
