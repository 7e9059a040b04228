package io.cinnabar.api;

/**
 * The catalogue of error replies, worded exactly as Redis 7.2 words them (without the leading '-').
 * Every error a handler or the kernel sends comes from here, so the wording lives in one place.
 */
public final class Errors {
    private Errors() {
    }

    public static final String WRONGTYPE = "WRONGTYPE Operation against a key holding the wrong kind of value";
    /** Redis's shared.err: a failure whose reason is only in the log (SAVE, BGSAVE). */
    public static final String ERR = "ERR";
    public static final String BGSAVE_IN_PROGRESS = "ERR Background save already in progress";
    public static final String BGSAVE_OTHER_CHILD = "ERR Another child process is active (AOF?): can't BGSAVE right "
            + "now. Use BGSAVE SCHEDULE in order to schedule a BGSAVE whenever possible.";
    public static final String AOF_REWRITE_IN_PROGRESS =
            "ERR Background append only file rewriting already in progress";
    public static final String WAITAOF_ON_REPLICA = "ERR WAITAOF cannot be used with replica instances. Please also "
            + "note that writes to replicas are just local and are not propagated.";
    public static final String WAITAOF_APPENDONLY_OFF =
            "ERR WAITAOF cannot be used when numlocal is set but appendonly is disabled.";
    public static final String AOF_REWRITE_FAILED = "ERR Can't execute an AOF background rewriting. "
            + "Please check the server logs for more information.";
    public static final String LOADING = "LOADING Redis is loading the dataset in memory";
    public static final String MISCONF = "MISCONF Redis is configured to save RDB snapshots, but it's currently "
            + "unable to persist to disk. Commands that may modify the data set are disabled, because this instance "
            + "is configured to report errors during writes if RDB snapshotting fails (stop-writes-on-bgsave-error "
            + "option). Please check the Redis logs for details about the RDB error.";
    public static final String DEBUG_RELOAD_FAILED = "ERR Error trying to load the RDB dump, check server logs.";
    public static final String DEBUG_RELOAD_OPTIONS = "ERR DEBUG RELOAD only supports the MERGE, NOFLUSH and NOSAVE options.";
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
    public static final String BITPOS_BIT = "ERR The bit argument must be 1 or 0.";
    public static final String BITOP_NOT_ONE_KEY = "ERR BITOP NOT must be called with a single source key.";
    public static final String BITFIELD_TYPE =
            "ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.";
    public static final String BITFIELD_OVERFLOW_TYPE = "ERR Invalid OVERFLOW type specified";
    public static final String BITFIELD_RO_GET_ONLY = "ERR BITFIELD_RO only supports the GET subcommand";
    public static final String SAME_OBJECT = "ERR source and destination objects are the same";
    public static final String MUST_BE_POSITIVE = "ERR value is out of range, must be positive";
    public static final String TIMEOUT_NOT_FLOAT = "ERR timeout is not a float or out of range";
    public static final String TIMEOUT_NEGATIVE = "ERR timeout is negative";
    public static final String OFFSET_OUT_OF_RANGE = "ERR offset is out of range";
    public static final String DECREMENT_OVERFLOW = "ERR decrement would overflow";
    public static final String LCS_KEYS_NOT_STRINGS = "ERR The specified keys must contain string values";
    public static final String LCS_LEN_AND_IDX = "ERR If you want both the length and indexes, please just use IDX.";
    public static final String LCS_EXCEEDS_MAX_BULK =
            "ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len";
    public static final String LCS_ALLOC_FAILED = "ERR Insufficient memory, failed allocating transient memory for LCS";
    public static final String HLL_WRONGTYPE = "WRONGTYPE Key is not a valid HyperLogLog string value.";
    public static final String HLL_CORRUPTED = "INVALIDOBJ Corrupted HLL object detected";
    public static final String HLL_NOT_SPARSE = "ERR HLL encoding is not sparse";
    public static final String PFDEBUG_NO_SUCH_KEY = "ERR The specified key does not exist";
    public static final String NOAUTH = "NOAUTH Authentication required.";
    public static final String WRONGPASS = "WRONGPASS invalid username-password pair or user is disabled.";
    public static final String MULTI_NESTED = "ERR MULTI calls can not be nested";
    public static final String EXEC_WITHOUT_MULTI = "ERR EXEC without MULTI";
    public static final String DISCARD_WITHOUT_MULTI = "ERR DISCARD without MULTI";
    public static final String EXECABORT = "EXECABORT Transaction discarded because of previous errors.";
    public static final String WATCH_IN_MULTI = "ERR WATCH inside MULTI is not allowed";
    public static final String OOM = "OOM command not allowed when used memory > 'maxmemory'.";
    public static final String INVALID_CURSOR = "ERR invalid cursor";
    public static final String EXPIRE_NX_WITH_OTHERS = "ERR NX and XX, GT or LT options at the same time are not compatible";
    public static final String EXPIRE_GT_AND_LT = "ERR GT and LT options at the same time are not compatible";
    public static final String INVALID_FIRST_DB_INDEX = "ERR invalid first DB index";
    public static final String INVALID_SECOND_DB_INDEX = "ERR invalid second DB index";
    public static final String SWAPDB_IN_CLUSTER = "ERR SWAPDB is not allowed in cluster mode";
    public static final String MOVE_IN_CLUSTER = "ERR MOVE is not allowed in cluster mode";
    public static final String LFU_IDLETIME_NOT_TRACKED = "ERR An LFU maxmemory policy is selected, idle time not tracked. "
            + "Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.";
    public static final String LFU_NOT_SELECTED = "ERR An LFU maxmemory policy is not selected, access frequency not "
            + "tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time "
            + "to adjust.";
    public static final String EXECABORT_BECAUSE = "EXECABORT Transaction discarded because of: ";
    public static final String AUTH_WITHOUT_PASSWORD = "ERR AUTH <password> called without any password configured for "
            + "the default user. Are you sure your configuration is correct?";
    public static final String HELLO_NOAUTH = "NOAUTH HELLO must be called with the client already authenticated, "
            + "otherwise the HELLO <proto> AUTH <user> <pass> option can be used to authenticate the client and "
            + "select the RESP protocol version at the same time";
    public static final String NOPROTO = "NOPROTO unsupported protocol version";
    public static final String PROTOCOL_VERSION_NOT_INTEGER = "ERR Protocol version is not an integer or out of range";
    public static final String SELECT_IN_CLUSTER = "ERR SELECT is not allowed in cluster mode";
    public static final String RESET_NOT_NORMAL = "ERR can only reset normal client connections";
    public static final String CLIENT_NAME_INVALID =
            "ERR Client names cannot contain spaces, newlines or special characters.";
    public static final String NO_SUCH_CLIENT = "ERR No such client";
    public static final String CLIENT_ID_NOT_POSITIVE = "ERR client-id should be greater than 0";
    public static final String INVALID_CLIENT_ID = "ERR Invalid client ID";
    public static final String CLIENT_PAUSE_MODE = "ERR CLIENT PAUSE mode must be WRITE or ALL";
    public static final String TIMEOUT_NOT_INTEGER = "ERR timeout is not an integer or out of range";
    public static final String TIMEOUT_OUT_OF_RANGE = "ERR timeout is out of range";
    public static final String CLIENT_UNBLOCK_REASON = "ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR";
    public static final String UNBLOCKED = "UNBLOCKED client unblocked via CLIENT UNBLOCK";
    public static final String REPLICAOF_IN_CLUSTER = "ERR REPLICAOF not allowed in cluster mode.";
    public static final String FAILOVER_IN_CLUSTER =
            "ERR FAILOVER not allowed in cluster mode. Use CLUSTER FAILOVER command instead.";
    public static final String INVALID_MASTER_PORT = "ERR Invalid master port";
    public static final String NOMASTERLINK = "NOMASTERLINK Can't SYNC while not connected with my master";
    public static final String WAIT_ON_REPLICA = "ERR WAIT cannot be used with replica instances. Please also note "
            + "that since Redis 4.0 if a replica is configured to be writable (which is not the default) writes to "
            + "replicas are just local and are not propagated.";
    public static final String PSYNC_FAILOVER_REPLID = "ERR PSYNC FAILOVER replid must match my replid.";
    public static final String FAILOVER_TIMEOUT = "ERR FAILOVER timeout must be greater than 0";
    public static final String FAILOVER_NONE = "ERR No failover in progress.";
    public static final String FAILOVER_ON_REPLICA = "ERR FAILOVER is not valid when server is a replica.";
    public static final String FAILOVER_NO_REPLICAS = "ERR FAILOVER requires connected replicas.";
    public static final String FAILOVER_FORCE_NEEDS =
            "ERR FAILOVER with force option requires both a timeout and target HOST and IP.";
    public static final String FAILOVER_IN_PROGRESS = "ERR FAILOVER already in progress.";
    public static final String FAILOVER_NOT_A_REPLICA = "ERR FAILOVER target HOST and PORT is not a replica.";
    public static final String MIGRATE_KEYS_NEEDS_EMPTY_KEY =
            "ERR When using MIGRATE KEYS option, the key argument must be set to the empty string";
    public static final String MIGRATE_IOERR_CONNECT = "IOERR error or timeout connecting to the client";

    public static String migrateTargetError(String targetLine) {
        return "ERR Target instance replied with error: " + targetLine;
    }

    public static String migrateIoError(String operation) {
        return "IOERR error or timeout " + operation + " to target instance";
    }

    public static final String READONLY_REPLICA = "READONLY You can't write against a read only replica.";
    public static final String NOREPLICAS = "NOREPLICAS Not enough good replicas to write.";
    public static final String MASTERDOWN = "MASTERDOWN Link with MASTER is down and replica-serve-stale-data is "
            + "set to 'no'.";

    public static String unrecognizedReplconfOption(String option) {
        return "ERR Unrecognized REPLCONF option: " + option;
    }

    public static final String UNBLOCKED_ROLE_CHANGE =
            "UNBLOCKED force unblock from blocking operation, instance state changed (master -> replica?)";
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
    public static final String LPOS_RANK_ZERO = "ERR RANK can't be zero: use 1 to start from the first match, "
            + "2 from the second ... or use negative to start from the end of the list";
    public static final String LPOS_COUNT_NEGATIVE = "ERR COUNT can't be negative";
    public static final String LPOS_MAXLEN_NEGATIVE = "ERR MAXLEN can't be negative";
    public static final String NUMKEYS_NOT_POSITIVE = "ERR numkeys should be greater than 0";
    public static final String COUNT_NOT_POSITIVE = "ERR count should be greater than 0";
    public static final String OUT_OF_LONG_RANGE =
            "ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807";
    public static final String OOM_DICT_EXPAND = "ERR OOM in dictTryExpand";
    public static final String NUMKEYS_EXCEED_ARGS = "ERR Number of keys can't be greater than number of args";
    public static final String LIMIT_NEGATIVE = "ERR LIMIT can't be negative";

    // sorted sets (t_zset.c)
    public static final String ZADD_XX_AND_NX = "ERR XX and NX options at the same time are not compatible";
    public static final String ZADD_GT_LT_NX = "ERR GT, LT, and/or NX options at the same time are not compatible";
    public static final String ZADD_INCR_PAIR = "ERR INCR option supports a single increment-element pair";
    public static final String SCORE_NAN = "ERR resulting score is not a number (NaN)";
    public static final String MIN_MAX_NOT_FLOAT = "ERR min or max is not a float";
    public static final String MIN_MAX_NOT_STRING_RANGE = "ERR min or max not valid string range item";
    public static final String ZRANGE_LIMIT_NEEDS_BY =
            "ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX";
    public static final String ZRANGE_WITHSCORES_BYLEX =
            "ERR syntax error, WITHSCORES not supported in combination with BYLEX";
    public static final String WEIGHT_NOT_FLOAT = "ERR weight value is not a float";
    public static final String VALUE_OUT_OF_RANGE = "ERR value is out of range";

    /** ZUNION/ZINTER/ZDIFF and their STORE forms with numkeys below 1. */
    public static String atLeastOneInputKey(String command) {
        return "ERR at least 1 input key is needed for '" + command + "' command";
    }
    public static final String HASH_VALUE_NOT_INTEGER = "ERR hash value is not an integer";
    public static final String SORT_SCORE_NOT_DOUBLE = "ERR One or more scores can't be converted into double";
    public static final String SORT_BY_IN_CLUSTER = "ERR BY option of SORT denied in Cluster mode.";
    public static final String SORT_GET_IN_CLUSTER = "ERR GET option of SORT denied in Cluster mode.";
    public static final String HASH_VALUE_NOT_FLOAT = "ERR hash value is not a float";
    /** Hash field expiry (Redis 7.4's HEXPIRE, HTTL, HPERSIST families). */
    public static final String HASH_FIELDS_MISSING =
            "ERR Mandatory argument FIELDS is missing or not at the right position";
    public static final String HASH_NUMFIELDS_NOT_POSITIVE = "ERR Parameter `numFields` should be greater than 0";
    public static final String HASH_NUMFIELDS_MISMATCH =
            "ERR The `numfields` parameter must match the number of arguments";
    public static final String HASH_EXPIRE_TIME_NEGATIVE = "ERR invalid expire time, must be >= 0";
    public static final String VALUE_NAN_OR_INFINITY = "ERR value is NaN or Infinity";

    public static String configUnknownOption(String name) {
        return "ERR Unknown option or number of arguments for CONFIG SET - '" + name + "'";
    }

    public static String configSetFailed(String name, String reason) {
        return "ERR CONFIG SET failed (possibly related to argument '" + name + "') - " + reason;
    }

    /** Writes refused while the AOF cannot be written (Redis's "-MISCONF Errors writing to the AOF file: %s"). */
    public static String aofWriteFailed(String reason) {
        return "MISCONF Errors writing to the AOF file: " + reason;
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


    public static final String INVALID_COMMAND_SPECIFIED = "ERR Invalid command specified";
    public static final String COMMAND_HAS_NO_KEYS = "ERR The command has no key arguments";
    public static final String INVALID_ARGUMENT_COUNT = "ERR Invalid number of arguments specified for command";
    public static final String INVALID_ARGUMENTS = "ERR Invalid arguments specified for command";
    public static final String NO_SHUTDOWN_IN_PROGRESS = "ERR No shutdown in progress.";
    public static final String SHUTDOWN_FAILED = "ERR Errors trying to SHUTDOWN. Check logs.";
    public static final String NO_PERMISSION_MODULE =
            "ERR MODULE command not allowed. If the enable-module-command option is set to \"local\", "
                    + "you can run it from a local connection, otherwise you need to set this option in the "
                    + "configuration file, and then restart the server.";
    /** Cinnabar's own: modules are plugins, loaded from plugins-dir when the server starts. */
    public static final String MODULES_ARE_PLUGINS =
            "ERR Cinnabar loads modules as plugins from plugins-dir at startup; MODULE LOAD, LOADEX and UNLOAD "
                    + "are not supported at runtime";

    public static final String GEO_UNSUPPORTED_UNIT = "ERR unsupported unit provided. please use M, KM, FT, MI";

    public static final String GEO_COULD_NOT_DECODE = "ERR could not decode requested zset member";
    public static final String GEO_NEED_NUMERIC_RADIUS = "ERR need numeric radius";
    public static final String GEO_NEED_NUMERIC_WIDTH = "ERR need numeric width";
    public static final String GEO_NEED_NUMERIC_HEIGHT = "ERR need numeric height";
    public static final String GEO_RADIUS_NEGATIVE = "ERR radius cannot be negative";
    public static final String GEO_BOX_NEGATIVE = "ERR height or width cannot be negative";
    public static final String GEO_COUNT_NOT_POSITIVE = "ERR COUNT must be > 0";
    public static final String GEO_ANY_WITHOUT_COUNT = "ERR the ANY argument requires COUNT argument";

    /** STORE/STOREDIST (GEORADIUS) or GEOSEARCHSTORE with a WITH* option. */
    public static String geoStoreIncompatible(String what) {
        return "ERR " + what + " is not compatible with WITHDIST, WITHHASH and WITHCOORD options";
    }

    /** GEOSEARCH(STORE) without its center, {@code command} as the client typed it. */
    public static String geoExactlyOneFrom(String command) {
        return "ERR exactly one of FROMMEMBER or FROMLONLAT can be specified for " + command;
    }

    /** GEOSEARCH(STORE) without its shape, {@code command} as the client typed it. */
    public static String geoExactlyOneBy(String command) {
        return "ERR exactly one of BYRADIUS and BYBOX can be specified for " + command;
    }

    /** GEOADD & co. with a coordinate outside the indexable range; both numbers already formatted like %f. */
    public static String geoInvalidPair(String longitude, String latitude) {
        return "ERR invalid longitude,latitude pair " + longitude + "," + latitude;
    }

    public static String wrongArity(String commandFullName) {
        return "ERR wrong number of arguments for '" + commandFullName + "' command";
    }

    public static String invalidExpireTime(String command) {
        return "ERR invalid expire time in '" + command + "' command";
    }

    /** EXPIRE's answer to an unknown option (the option as given, up to a NUL byte like Redis's C string). */
    public static String unsupportedOption(String option) {
        int nul = option.indexOf('\0');
        return "ERR Unsupported option " + (nul < 0 ? option : option.substring(0, nul));
    }

    public static String unknownSubcommand(String sub, String container) {
        return "ERR unknown subcommand '" + truncate(sub, 128) + "'. Try " + container.toUpperCase(java.util.Locale.ROOT)
                + " HELP.";
    }

    public static final String COMMAND_NOT_ALLOWED_IN_MULTI = "ERR Command not allowed inside a transaction";
    public static final String BUSYKEY = "BUSYKEY Target key name already exists.";
    public static final String RESTORE_BAD_IDLETIME = "ERR Invalid IDLETIME value, must be >= 0";
    public static final String RESTORE_BAD_FREQ = "ERR Invalid FREQ value, must be >= 0 and <= 255";
    public static final String RESTORE_BAD_TTL = "ERR Invalid TTL value, must be >= 0";
    public static final String DUMP_PAYLOAD_WRONG = "ERR DUMP payload version or checksum are wrong";
    public static final String BAD_DATA_FORMAT = "ERR Bad data format";
    /** DUMP of a value whose plugin registered no serialization hooks (Redis has no such values). */
    public static final String DUMP_UNSUPPORTED = "ERR DUMP is not supported for this value type";

    /** Redis's getRangeLongFromObjectOrReply (e.g. getIntFromObjectOrReply) for a number outside the range. */
    public static String valueOutOfRange(long min, long max) {
        return "ERR value is out of range, value must between " + min + " and " + max;
    }

    public static String helloOptionSyntax(String option) {
        return "ERR Syntax error in HELLO option '" + option + "'";
    }

    public static String unknownClientType(String type) {
        return "ERR Unknown client type '" + type + "'";
    }

    public static String noSuchUser(String user) {
        return "ERR No such user '" + user + "'";
    }

    /** CLIENT SETINFO LIB-NAME/LIB-VER validation; {@code option} as the client typed it. */
    public static String clientInfoAttributeInvalid(String option) {
        return "ERR " + option + " cannot contain spaces, newlines or special characters.";
    }

    public static String unrecognizedOption(String option) {
        return "ERR Unrecognized option '" + option + "'";
    }

    public static String unknownPfdebugSubcommand(String sub) {
        return "ERR Unknown PFDEBUG subcommand '" + sub + "'";
    }

    /** PFSELFTEST's failure report; {@code detail} as hyperloglog.c formats it. */
    public static String hllSelfTestFailed(String detail) {
        return "ERR TESTFAILED " + detail;
    }

    /** Redis's addReplySubcommandSyntaxError. */
    public static String subcommandSyntax(String sub, String container) {
        return "ERR unknown subcommand or wrong number of arguments for '" + truncate(sub, 128) + "'. Try "
                + container.toUpperCase(java.util.Locale.ROOT) + " HELP.";
    }

    /** processCommand's refusal of a command from a RESP2 client in subscribed state (full name, e.g. client|list). */
    public static String notAllowedWhileSubscribed(String commandFullName) {
        return "ERR Can't execute '" + commandFullName + "': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET"
                + " are allowed in this context";
    }

    /** (P)SUBSCRIBE from a client that must get one reply per command (inside a script, or MULTI for SSUBSCRIBE). */
    public static String denyBlockingSubscribe(String command) {
        return "ERR " + command + " isn't allowed for a DENY BLOCKING client";
    }

    // ---- CLIENT TRACKING / CACHING (client-side caching) ----
    public static final String TRACKING_SINGLE_REDIRECT = "ERR A client can only redirect to a single other client";
    public static final String TRACKING_NO_SUCH_REDIRECT = "ERR The client ID you want redirect to does not exist";
    public static final String TRACKING_PREFIX_NEEDS_BCAST = "ERR PREFIX option requires BCAST mode to be enabled";
    public static final String TRACKING_BCAST_SWITCH = "ERR You can't switch BCAST mode on/off before disabling "
            + "tracking for this client, and then re-enabling it with a different mode.";
    public static final String TRACKING_OPTIN_OPTOUT_WITH_BCAST = "ERR OPTIN and OPTOUT are not compatible with BCAST";
    public static final String TRACKING_OPTIN_AND_OPTOUT = "ERR You can't specify both OPTIN mode and OPTOUT mode";
    public static final String TRACKING_OPT_SWITCH = "ERR You can't switch OPTIN/OPTOUT mode before disabling "
            + "tracking for this client, and then re-enabling it with a different mode.";
    public static final String CACHING_WITHOUT_TRACKING = "ERR CLIENT CACHING can be called only when the client is in "
            + "tracking mode with OPTIN or OPTOUT mode enabled";
    public static final String CACHING_YES_WITHOUT_OPTIN =
            "ERR CLIENT CACHING YES is only valid when tracking is enabled in OPTIN mode.";
    public static final String CACHING_NO_WITHOUT_OPTOUT =
            "ERR CLIENT CACHING NO is only valid when tracking is enabled in OPTOUT mode.";

    public static String trackingPrefixOverlapsExisting(String prefix, String existing) {
        return "ERR Prefix '" + prefix + "' overlaps with an existing prefix '" + existing
                + "'. Prefixes for a single client must not overlap.";
    }

    public static String trackingPrefixOverlapsGiven(String prefix, String other) {
        return "ERR Prefix '" + prefix + "' overlaps with another provided prefix '" + other
                + "'. Prefixes for a single client must not overlap.";
    }

    // ---- cluster (Redis's cluster.c) ----
    public static final String CLUSTER_DISABLED = "ERR This instance has cluster support disabled";
    public static final String CROSSSLOT = "CROSSSLOT Keys in request don't hash to the same slot";
    public static final String TRYAGAIN = "TRYAGAIN Multiple keys request during rehashing of slot";
    public static final String CLUSTERDOWN = "CLUSTERDOWN The cluster is down";
    public static final String CLUSTERDOWN_READONLY = "CLUSTERDOWN The cluster is down and only accepts read commands";
    public static final String CLUSTERDOWN_UNBOUND = "CLUSTERDOWN Hash slot not served";
    public static final String CLUSTER_INVALID_SLOT = "ERR Invalid or out of range slot";
    public static final String CLUSTER_INVALID_SLOT_ONLY = "ERR Invalid slot";
    public static final String CLUSTER_INVALID_SLOT_OR_COUNT = "ERR Invalid slot or number of keys";
    public static final String CLUSTER_SETSLOT_ONLY_MASTERS = "ERR Please use SETSLOT only with masters.";
    public static final String CLUSTER_TARGET_NOT_MASTER = "ERR Target node is not a master";
    public static final String CLUSTER_SETSLOT_SYNTAX =
            "ERR Invalid CLUSTER SETSLOT action or number of arguments. Try CLUSTER HELP";
    public static final String CLUSTER_FORGET_MYSELF = "ERR I tried hard but I can't forget myself...";
    public static final String CLUSTER_FORGET_MY_MASTER = "ERR Can't forget my master!";
    public static final String CLUSTER_REPLICATE_MYSELF = "ERR Can't replicate myself";
    public static final String CLUSTER_REPLICATE_REPLICA = "ERR I can only replicate a master, not a replica.";
    public static final String CLUSTER_REPLICATE_NOT_EMPTY =
            "ERR To set a master the node must be empty and without assigned slots.";
    public static final String CLUSTER_NOT_A_MASTER = "ERR The specified node is not a master";
    public static final String CLUSTER_RESET_WITH_KEYS =
            "ERR CLUSTER RESET can't be called with master nodes containing keys";
    public static final String CLUSTER_FLUSHSLOTS_NOT_EMPTY = "ERR DB must be empty to perform CLUSTER FLUSHSLOTS.";
    public static final String CLUSTER_EPOCH_OTHER_NODES =
            "ERR The user can assign a config epoch only when the node does not know any other node.";
    public static final String CLUSTER_EPOCH_NONZERO = "ERR Node config epoch is already non-zero";
    public static final String CLUSTER_FAILOVER_ON_MASTER = "ERR You should send CLUSTER FAILOVER to a replica";
    public static final String CLUSTER_FAILOVER_MASTER_UNKNOWN = "ERR I'm a replica but my master is unknown to me";
    public static final String CLUSTER_FAILOVER_MASTER_DOWN =
            "ERR Master is down or failed, please use CLUSTER FAILOVER FORCE";
    /** CLUSTER SLOT-STATS (Valkey 8's cluster_slot_stats.c). */
    public static final String SLOT_STATS_UNKNOWN_METRIC = "ERR Unrecognized sort metric for ORDERBY.";
    public static final String SLOT_STATS_LIMIT = "ERR Limit has to lie in between 1 and 16384 (maximum number of slots).";
    public static final String SLOT_STATS_REPEATED_FILTER = "ERR Multiple filters of the same type are disallowed.";

    public static String slotStatsRange(int start, int end) {
        return "ERR Start slot number " + start + " is greater than end slot number " + end;
    }

    public static final String CLUSTER_SAVECONFIG_FAILED = "ERR error saving the cluster node config: ";

    public static String clusterSlotBusy(int slot) {
        return "ERR Slot " + slot + " is already busy";
    }

    public static String clusterSlotUnassigned(int slot) {
        return "ERR Slot " + slot + " is already unassigned";
    }

    public static String clusterSlotRepeated(int slot) {
        return "ERR Slot " + slot + " specified multiple times";
    }

    public static String clusterSlotRangeReversed(int start, int end) {
        return "ERR start slot number " + start + " is greater than end slot number " + end;
    }

    public static String clusterUnknownNode(String id) {
        return "ERR Unknown node " + id;
    }

    public static String clusterDontKnowNode(String id) {
        return "ERR I don't know about node " + id;
    }

    public static String clusterNotOwner(int slot) {
        return "ERR I'm not the owner of hash slot " + slot;
    }

    public static String clusterAlreadyOwner(int slot) {
        return "ERR I'm already the owner of hash slot " + slot;
    }

    public static String clusterSlotHasKeys(int slot) {
        return "ERR Can't assign hashslot " + slot + " to a different node while I still hold keys for this hash slot.";
    }

    public static String clusterInvalidEpoch(long epoch) {
        return "ERR Invalid config epoch specified: " + epoch;
    }

    public static String clusterInvalidBasePort(String port) {
        return "ERR Invalid base port specified: " + port;
    }

    public static String clusterInvalidBusPort(String port) {
        return "ERR Invalid bus port specified: " + port;
    }

    public static String clusterInvalidAddress(String ip, String port) {
        return "ERR Invalid node address specified: " + ip + ":" + port;
    }

    static String truncate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max);
    }
}
