package io.cinnabar.kernel.commands;

import io.cinnabar.api.Reply;
import java.util.Locale;

/** Redis's {@code addReplyHelp}: the subcommand list of a container command as status lines. */
public final class HelpReply {
    private HelpReply() {
    }

    /** Writes the header, the given lines, and the closing HELP entry. */
    public static void write(Reply reply, String container, String... lines) {
        reply.array(lines.length + 3);
        reply.simple(container.toUpperCase(Locale.ROOT) + " <subcommand> [<arg> [value] [opt] ...]. Subcommands are:");
        for (String l : lines) {
            reply.simple(l);
        }
        reply.simple("HELP");
        reply.simple("    Print this help.");
    }
}
