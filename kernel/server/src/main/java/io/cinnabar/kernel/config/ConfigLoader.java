package io.cinnabar.kernel.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.StandardOpenOption;
import java.text.SimpleDateFormat;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Locale;

/**
 * Startup configuration as redis-server reads it (loadServerConfigFromString): the file's text, then the
 * command line turned into more lines, each line split as sdssplitargs, parameters validated with the
 * file's arity rules, include/rename-command/user/loadmodule directives, and the fatal error block naming
 * the offending line. Directives nobody knows yet wait for plugin parameters ({@link #finishLoading}).
 */
final class ConfigLoader {
    private static final String VERSION = "7.2.6";

    private final Config config;
    private final List<Pending> pending = new ArrayList<>();
    private boolean saveLoaded;

    private record Pending(String name, List<String> args, int lineNo, String line) {
    }

    ConfigLoader(Config config) {
        this.config = config;
    }

    /** Loads the file (if any) then applies "--name value ..." overrides, as redis-server does. */
    void load(Path confFile, List<String> overrides) throws ConfigError {
        StringBuilder text = new StringBuilder();
        saveLoaded = false;
        if (confFile != null) {
            text.append(readFile(confFile));
        }
        text.append('\n').append(options(overrides));
        loadText(text.toString());
        sanityChecks();
    }

    /**
     * redis-server's main(): each "--name" starts a new line "name ", each other argument is appended
     * quoted by sdscatrepr; a "--save" with nothing after it means save "".
     */
    static String options(List<String> argv) {
        StringBuilder options = new StringBuilder();
        boolean handledLastConfigArg = true;
        for (int j = 0; j < argv.size(); j++) {
            String a = argv.get(j);
            if (handledLastConfigArg && a.startsWith("--")) {
                if (options.length() > 0) {
                    options.append('\n');
                }
                options.append(a.substring(2)).append(' ');
                List<String> words = ConfigLine.split(a);
                if (words != null && words.size() == 1) {
                    handledLastConfigArg = false;
                    boolean nextIsOption = j != argv.size() - 1 && argv.get(j + 1).startsWith("--");
                    if (a.equalsIgnoreCase("--save") && (nextIsOption || j == argv.size() - 1)) {
                        options.append("\"\"");
                        handledLastConfigArg = nextIsOption;
                    } else if (a.equalsIgnoreCase("--sentinel") && nextIsOption) {
                        handledLastConfigArg = true;
                    }
                } else {
                    handledLastConfigArg = true;
                }
            } else {
                options.append(ConfigLine.repr(a)).append(' ');
                handledLastConfigArg = true;
            }
        }
        return options.toString();
    }

    private static String readFile(Path f) throws ConfigError {
        try {
            if (Files.isDirectory(f)) {
                return "";
            }
            return new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new ConfigError(logPrefix() + "Fatal error, can't open config file '" + f + "': " + strerror(e), true);
        }
    }

    /** The "pid:C date # " prefix of a redis-server log line written before the server is set up. */
    private static String logPrefix() {
        return ProcessHandle.current().pid() + ":C "
                + new SimpleDateFormat("dd MMM yyyy HH:mm:ss.SSS", Locale.ROOT).format(new Date()) + " # ";
    }

    static String strerror(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "No such file or directory";
        }
        if (e instanceof AccessDeniedException) {
            return "Permission denied";
        }
        String m = e.getMessage();
        return m == null ? e.getClass().getSimpleName() : m;
    }

    void loadText(String text) throws ConfigError {
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = trim(lines[i]);
            if (line.isEmpty() || line.charAt(0) == '#') {
                continue;
            }
            List<String> argv = ConfigLine.split(line);
            if (argv == null) {
                throw fatal(i + 1, line, "Unbalanced quotes in configuration line");
            }
            if (argv.isEmpty()) {
                continue;
            }
            String name = argv.get(0).toLowerCase(Locale.ROOT);
            String c = config.canonical(name);
            if (c != null) {
                try {
                    apply(c, argv);
                } catch (IllegalArgumentException e) {
                    throw fatal(i + 1, line, e.getMessage());
                }
                continue;
            }
            int[] dep = KernelConfigs.DEPRECATED.get(name);
            if (dep != null && argv.size() >= dep[0] && argv.size() <= dep[1]) {
                continue;
            }
            List<String> args = argv.subList(1, argv.size());
            if (name.equals("include") && argv.size() == 2) {
                include(argv.get(1));
            } else if ((name.equals("rename-command") && argv.size() == 3)
                    || (name.equals("user") && argv.size() >= 2) || (name.equals("loadmodule") && argv.size() >= 2)) {
                config.addDirective(new Config.Directive(name, List.copyOf(args)));
            } else if (name.equals("sentinel")) {
                if (argv.size() != 1) {
                    throw fatal(i + 1, line, "sentinel directive while not in sentinel mode");
                }
            } else if (name.indexOf('.') >= 0 && argv.size() != 2) {
                throw fatal(i + 1, line, "Module config specified without value");
            } else {
                // a plugin may register this parameter after the file is read
                pending.add(new Pending(name, List.copyOf(argv), i + 1, line));
            }
        }
    }

    /** sdstrim(line, " \t\r\n"). */
    private static String trim(String s) {
        int b = 0;
        int e = s.length();
        while (b < e && " \t\r\n".indexOf(s.charAt(b)) >= 0) {
            b++;
        }
        while (e > b && " \t\r\n".indexOf(s.charAt(e - 1)) >= 0) {
            e--;
        }
        return s.substring(b, e);
    }

    /** Sets a parameter from a config line's words, with the arity and multi-word rules of redis.conf. */
    private void apply(String c, List<String> argv) {
        ConfigMeta m = config.meta(c);
        boolean multi = m != null && m.has(ConfigMeta.Flag.MULTI_ARG);
        if (!multi && argv.size() != 2) {
            throw new IllegalArgumentException("wrong number of arguments");
        }
        List<String> args = argv.subList(1, argv.size());
        if (multi && argv.size() == 2 && !argv.get(1).isEmpty()) {
            // --config "arg1 arg2" or config "arg1 arg2": one argument holding several words
            List<String> words = ConfigLine.split(argv.get(1));
            args = words == null ? List.of() : words;
        }
        String value;
        if (m == null) {
            value = config.parameterOf(c).validator().apply(args.get(0));
        } else {
            value = Config.validateArgs(m, args, config.valueOf(c));
        }
        if (KernelConfigs.ACCUMULATING.contains(c)) {
            // save "" clears; the first other save line replaces the default, later ones add points
            if (!value.isEmpty()) {
                if (saveLoaded) {
                    String cur = config.valueOf(c);
                    value = cur.isEmpty() ? value : cur + " " + value;
                }
                saveLoaded = true;
            }
        }
        config.put(c, value);
    }

    /** "include path": the file (or every file matching a glob) is read as if its lines were here. */
    private void include(String pattern) throws ConfigError {
        if (pattern.indexOf('*') < 0 && pattern.indexOf('?') < 0 && pattern.indexOf('[') < 0) {
            loadText(readFile(Path.of(pattern)));
            return;
        }
        Path p = Path.of(pattern).toAbsolutePath();
        Path dir = p.getParent();
        PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + p.getFileName());
        List<Path> matches = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path f : ds) {
                if (m.matches(f.getFileName())) {
                    matches.add(f);
                }
            }
        } catch (IOException e) {
            return; // a glob that matches nothing (or no directory) is skipped, as Redis does
        }
        matches.sort(null);
        for (Path f : matches) {
            loadText(readFile(f));
        }
    }

    private void sanityChecks() throws ConfigError {
        String logfile = config.valueOf("logfile");
        if (logfile != null && !logfile.isEmpty()) {
            try {
                Files.newOutputStream(Path.of(logfile), StandardOpenOption.CREATE, StandardOpenOption.APPEND).close();
            } catch (IOException e) {
                throw new ConfigError(header() + "Can't open the log file: " + strerror(e));
            }
        }
        if (config.getBoolean("cluster-enabled") && !config.valueOf("replicaof").isEmpty()) {
            throw new ConfigError(header() + "replicaof directive not allowed in cluster mode");
        }
    }

    /**
     * Applies directives that were unknown at load time, now that plugins registered their parameters;
     * one that is still unknown is a fatal error naming its line, as redis-server reports it.
     */
    void finishLoading() throws ConfigError {
        for (Pending p : pending) {
            String c = config.canonical(p.name());
            if (c == null) {
                throw fatal(p.lineNo(), p.line(), "Bad directive or wrong number of arguments");
            }
            try {
                apply(c, p.args());
            } catch (IllegalArgumentException e) {
                throw fatal(p.lineNo(), p.line(), e.getMessage());
            }
        }
        pending.clear();
    }

    private static String header() {
        return "\n*** FATAL CONFIG FILE ERROR (Redis " + VERSION + ") ***\n";
    }

    private static ConfigError fatal(int lineNo, String line, String reason) {
        return new ConfigError(header() + "Reading the configuration file, at line " + lineNo + "\n>>> '" + line
                + "'\n" + reason);
    }
}
