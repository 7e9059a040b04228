package io.cinnabar.api;

/**
 * The catalogue of error replies, worded exactly as Redis 7.2 words them (without the leading '-').
 * Every error a handler or the kernel sends comes from here, so the wording lives in one place.
 */
public final class Errors {
    private Errors() {
    }

    public static final String WRONGTYPE = "WRONGTYPE Operation against a key holding the wrong kind of value";
    public static final String SYNTAX = "ERR syntax error";
    public static final String NO_SUCH_KEY = "ERR no such key";
    public static final String INDEX_OUT_OF_RANGE = "ERR index out of range";
    public static final String NOT_INTEGER = "ERR value is not an integer or out of range";
    public static final String NOT_FLOAT = "ERR value is not a valid float";
    public static final String OVERFLOW = "ERR increment or decrement would overflow";
    public static final String INCR_NAN_OR_INF = "ERR increment would produce NaN or Infinity";
    public static final String DB_INDEX_OUT_OF_RANGE = "ERR DB index is out of range";
    public static final String STRING_TOO_LONG = "ERR string exceeds maximum allowed size (proto-max-bulk-len)";
    public static final String BIT_OFFSET = "ERR bit offset is not an integer or out of range";
    public static final String BIT_VALUE = "ERR bit is not an integer or out of range";
    public static final String SAME_OBJECT = "ERR source and destination objects are the same";
    public static final String MUST_BE_POSITIVE = "ERR value is out of range, must be positive";
    public static final String TIMEOUT_NOT_FLOAT = "ERR timeout is not a float or out of range";
    public static final String TIMEOUT_NEGATIVE = "ERR timeout is negative";
    public static final String NOAUTH = "NOAUTH Authentication required.";
    public static final String WRONGPASS = "WRONGPASS invalid username-password pair or user is disabled.";
    public static final String MULTI_NESTED = "ERR MULTI calls can not be nested";
    public static final String EXEC_WITHOUT_MULTI = "ERR EXEC without MULTI";
    public static final String DISCARD_WITHOUT_MULTI = "ERR DISCARD without MULTI";
    public static final String EXECABORT = "EXECABORT Transaction discarded because of previous errors.";
    public static final String WATCH_IN_MULTI = "ERR WATCH inside MULTI is not allowed";
    public static final String OOM = "OOM command not allowed when used memory > 'maxmemory'.";
    public static final String NO_PERMISSION_DEBUG =
            "ERR DEBUG command not allowed. If the enable-debug-command option is set to \"local\", "
                    + "you can run it from a local connection, otherwise you need to set this option in the "
                    + "configuration file, and then restart the server.";

    // CONFIG, SLOWLOG, LATENCY, MONITOR, DEBUG
    public static final String CONFIG_NO_FILE = "ERR The server is running without a config file";
    public static final String SLOWLOG_COUNT = "ERR count should be greater than or equal to -1";
    public static final String MONITOR_DENY_BLOCKING = "ERR MONITOR isn't allowed for DENY BLOCKING client";
    public static final String DEBUG_PROTOCOL_TYPE = "ERR Wrong protocol type name. Please use one of the following: "
            + "string|integer|double|bignum|null|array|set|map|attrib|push|verbatim|true|false";
    public static final String RESP2_NOT_SUPPORTED = "ERR RESP2 is not supported by this command";
    public static final String QUICKLIST_PACKED_THRESHOLD =
            "ERR argument must be a memory value bigger than 1 and smaller than 4gb";
    public static final String NOT_LISTPACK = "ERR Not a listpack encoded object.";
    public static final String NOT_QUICKLIST = "ERR Not a quicklist encoded object.";
    public static final String OOM_DICT_EXPAND = "ERR OOM in dictTryExpand";

    public static String configUnknownOption(String name) {
        return "ERR Unknown option or number of arguments for CONFIG SET - '" + name + "'";
    }

    public static String configSetFailed(String name, String reason) {
        return "ERR CONFIG SET failed (possibly related to argument '" + name + "') - " + reason;
    }

    public static String configRewriteFailed(String reason) {
        return "ERR Rewriting config file: " + reason;
    }

    public static String configRewriteForceAllFailed(String reason) {
        return "ERR CONFIG-REWRITE-FORCE-ALL failed: " + reason;
    }

    public static String latencyNoSamples(String event) {
        return "ERR No samples available for event '" + event + "'";
    }

    /** addReplySubcommandSyntaxError, for commands that parse their own subcommands (DEBUG). */
    public static String subcommandSyntax(String sub, String command) {
        return "ERR unknown subcommand or wrong number of arguments for '" + truncate(sub, 128) + "'. Try "
                + command.toUpperCase(java.util.Locale.ROOT) + " HELP.";
    }

    public static String wrongArity(String commandFullName) {
        return "ERR wrong number of arguments for '" + commandFullName + "' command";
    }

    public static String invalidExpireTime(String command) {
        return "ERR invalid expire time in '" + command + "' command";
    }

    public static String unknownSubcommand(String sub, String container) {
        return "ERR unknown subcommand '" + truncate(sub, 128) + "'. Try " + container.toUpperCase(java.util.Locale.ROOT)
                + " HELP.";
    }

    public static String commandNotAllowedInMulti(String command) {
        return "ERR Command not allowed inside a transaction";
    }

    static String truncate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max);
    }
}
