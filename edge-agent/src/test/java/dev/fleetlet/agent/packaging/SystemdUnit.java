package dev.fleetlet.agent.packaging;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The parts of a systemd unit file that decide how a service process is started, read the way
 * systemd reads them, so a test can start the service without systemd as PID 1: {@code ExecStart=}
 * (prefixes, quoting, {@code $VAR}/{@code ${VAR}} expansion), {@code Environment=},
 * {@code EnvironmentFile=} (optional with {@code -}) and {@code WorkingDirectory=}. Continuation lines
 * and specifiers ({@code %i}) are not supported and fail loudly.
 */
final class SystemdUnit {

    /** The environment every system service starts with before its own assignments. */
    static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}|\\$([A-Za-z_][A-Za-z0-9_]*)");

    private final Map<String, Map<String, List<String>>> sections;

    private SystemdUnit(Map<String, Map<String, List<String>>> sections) {
        this.sections = sections;
    }

    static SystemdUnit read(Path file) {
        try {
            return parse(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read unit " + file, e);
        }
    }

    static SystemdUnit parse(String text) {
        Map<String, Map<String, List<String>>> sections = new LinkedHashMap<>();
        Map<String, List<String>> current = null;
        int lineNo = 0;
        for (String raw : text.split("\n", -1)) {
            lineNo++;
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
                continue;
            }
            if (line.endsWith("\\")) {
                throw new IllegalArgumentException("line " + lineNo + ": continuation lines are not supported");
            }
            if (line.startsWith("[") && line.endsWith("]")) {
                current = sections.computeIfAbsent(line.substring(1, line.length() - 1), k -> new LinkedHashMap<>());
                continue;
            }
            int eq = line.indexOf('=');
            if (current == null || eq < 1) {
                throw new IllegalArgumentException("line " + lineNo + ": expected key=value inside a section, got: " + line);
            }
            String key = line.substring(0, eq).strip();
            String value = line.substring(eq + 1).strip();
            List<String> values = current.computeIfAbsent(key, k -> new ArrayList<>());
            if (value.isEmpty()) {
                values.clear(); // an empty assignment resets a list setting
            } else {
                values.add(value);
            }
        }
        return new SystemdUnit(sections);
    }

    /** The last value of {@code key} in {@code section} (systemd: the last assignment wins). */
    Optional<String> value(String section, String key) {
        List<String> values = values(section, key);
        return values.isEmpty() ? Optional.empty() : Optional.of(values.get(values.size() - 1));
    }

    List<String> values(String section, String key) {
        return sections.getOrDefault(section, Map.of()).getOrDefault(key, List.of());
    }

    /**
     * The service's environment: PATH as systemd sets it, then {@code Environment=} assignments, then
     * each {@code EnvironmentFile=} read below {@code root} (a missing optional file is skipped), which
     * override {@code Environment=} as in systemd.
     */
    Map<String, String> environment(Path root) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", DEFAULT_PATH);
        for (String assignments : values("Service", "Environment")) {
            for (String word : words(assignments)) {
                int eq = word.indexOf('=');
                if (eq < 1) {
                    throw new IllegalArgumentException("Environment=: not an assignment: " + word);
                }
                env.put(word.substring(0, eq), word.substring(eq + 1));
            }
        }
        for (String spec : values("Service", "EnvironmentFile")) {
            boolean optional = spec.startsWith("-");
            Path file = root.resolve((optional ? spec.substring(1) : spec).replaceFirst("^/+", ""));
            if (!Files.exists(file)) {
                if (optional) {
                    continue;
                }
                throw new IllegalStateException("EnvironmentFile " + spec + " is missing");
            }
            try {
                env.putAll(parseEnvironmentFile(Files.readString(file, StandardCharsets.UTF_8)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return env;
    }

    /** {@code ExecStart=} as argv: prefixes dropped, words split and unquoted, variables expanded. */
    List<String> execStart(Map<String, String> env) {
        List<String> all = values("Service", "ExecStart");
        if (all.size() != 1) {
            throw new IllegalStateException("expected exactly one ExecStart= in [Service], got " + all);
        }
        String line = all.get(0).replaceFirst("^[-@:+!]+", "");
        if (line.contains("%")) {
            throw new IllegalArgumentException("ExecStart=: specifiers (%) are not supported: " + line);
        }
        List<String> argv = new ArrayList<>();
        for (String word : words(line)) {
            Matcher whole = Pattern.compile("\\$([A-Za-z_][A-Za-z0-9_]*)").matcher(word);
            if (whole.matches()) {
                // $VAR alone: the value is split at whitespace into several arguments
                String value = env.getOrDefault(whole.group(1), "");
                for (String part : value.strip().split("\\s+")) {
                    if (!part.isEmpty()) {
                        argv.add(part);
                    }
                }
            } else {
                argv.add(expand(word, env));
            }
        }
        return argv;
    }

    static Map<String, String> parseEnvironmentFile(String text) {
        Map<String, String> env = new LinkedHashMap<>();
        for (String raw : text.split("\n")) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
                continue;
            }
            int eq = line.indexOf('=');
            if (eq < 1) {
                throw new IllegalArgumentException("environment file line is not KEY=value: " + line);
            }
            String value = line.substring(eq + 1).strip();
            if (value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"")
                    || value.startsWith("'") && value.endsWith("'"))) {
                value = value.substring(1, value.length() - 1);
            }
            env.put(line.substring(0, eq).strip(), value);
        }
        return env;
    }

    /** Splits at unquoted whitespace; double and single quotes group and are removed. */
    static List<String> words(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else if (c == '\\' && quote == '"' && i + 1 < line.length()) {
                    word.append(line.charAt(++i));
                } else {
                    word.append(c);
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
                inWord = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
            } else {
                word.append(c);
                inWord = true;
            }
        }
        if (quote != 0) {
            throw new IllegalArgumentException("unbalanced quote in: " + line);
        }
        if (inWord) {
            words.add(word.toString());
        }
        return words;
    }

    private static String expand(String word, Map<String, String> env) {
        Matcher m = VARIABLE.matcher(word);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1) != null ? m.group(1) : m.group(2);
            m.appendReplacement(out, Matcher.quoteReplacement(env.getOrDefault(name, "")));
        }
        m.appendTail(out);
        return out.toString();
    }
}
