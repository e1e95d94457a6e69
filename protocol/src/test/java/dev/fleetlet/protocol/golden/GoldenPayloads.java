package dev.fleetlet.protocol.golden;

import dev.fleetlet.protocol.codec.MessageType;
import dev.fleetlet.protocol.codec.ProtocolCodec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The golden example payloads of docs/protocol.md, for tests of any module (the protocol test-jar
 * ships this class).
 *
 * <p>A golden example is a fenced {@code json} block directly preceded by a marker line
 * {@code <!-- golden: <message-type-name> <case-name> -->}, e.g. {@code <!-- golden: telemetry basic -->}.
 * The document is found through the system property {@value #DOC_PROPERTY} or, by default, by walking
 * up from the working directory (a module directory under Maven) to the first {@code docs/protocol.md}.
 * Malformed markers (unknown message type, no json block after it, duplicate case) fail loudly with the
 * line number: a broken document must break the build, not shrink the test set.
 */
public final class GoldenPayloads {

    /** System property naming the document explicitly. */
    public static final String DOC_PROPERTY = "fleetlet.protocol.doc";

    private static final Pattern MARKER = Pattern.compile("^<!--\\s*golden:\\s*(\\S+)\\s+(\\S+)\\s*-->\\s*$");
    private static final Pattern CASE_NAME = Pattern.compile("[a-z0-9][a-z0-9-]*");
    private static volatile List<Golden> cached;

    private GoldenPayloads() {
    }

    /**
     * One golden example.
     *
     * @param type the message type named by the marker
     * @param name the case name, unique per type
     * @param json the block's text
     * @param line the 1-based line of the marker in the document
     */
    public record Golden(MessageType<?> type, String name, String json, int line) {
        public Golden {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(json, "json");
        }

        /** The payload as UTF-8 bytes, as it would travel on the wire. */
        public byte[] bytes() {
            return json.getBytes(StandardCharsets.UTF_8);
        }

        /** {@code <type> <name>}, as written in the marker. */
        @Override
        public String toString() {
            return type.name() + " " + name;
        }
    }

    /** Locates docs/protocol.md; throws {@link IllegalStateException} when it cannot be found. */
    public static Path locateDoc() {
        String explicit = System.getProperty(DOC_PROPERTY);
        if (explicit != null && !explicit.isBlank()) {
            return Path.of(explicit);
        }
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            Path candidate = dir.resolve("docs").resolve("protocol.md");
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
            dir = dir.getParent();
        }
        throw new IllegalStateException("docs/protocol.md not found above " + Path.of("").toAbsolutePath()
                + "; set -D" + DOC_PROPERTY + "=<path>");
    }

    /** All golden examples of docs/protocol.md, in document order (read once per JVM). */
    public static List<Golden> all() {
        List<Golden> result = cached;
        if (result == null) {
            Path doc = locateDoc();
            try {
                result = parse(Files.readString(doc, StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + doc, e);
            }
            cached = result;
        }
        return result;
    }

    /** The golden examples of one message type. */
    public static List<Golden> of(MessageType<?> type) {
        List<Golden> result = new ArrayList<>();
        for (Golden g : all()) {
            if (g.type() == type) {
                result.add(g);
            }
        }
        return result;
    }

    /** One golden example; throws {@link IllegalArgumentException} when there is none of that name. */
    public static Golden get(MessageType<?> type, String name) {
        for (Golden g : all()) {
            if (g.type() == type && g.name().equals(name)) {
                return g;
            }
        }
        throw new IllegalArgumentException("no golden example '" + type.name() + " " + name + "' in docs/protocol.md");
    }

    /** A golden example decoded into its record; throws when it does not decode (the golden tests catch that first). */
    public static <T> T message(MessageType<T> type, String name) {
        return new ProtocolCodec().decode(type, get(type, name).bytes()).orElseThrow();
    }

    /**
     * Extracts the golden examples from Markdown text.
     *
     * @throws IllegalArgumentException naming the line of a malformed marker or block
     */
    public static List<Golden> parse(String markdown) {
        String[] lines = markdown.split("\r?\n", -1);
        List<Golden> result = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < lines.length; i++) {
            Matcher m = MARKER.matcher(lines[i]);
            if (!m.matches()) {
                continue;
            }
            int markerLine = i + 1;
            MessageType<?> type = typeNamed(m.group(1), markerLine);
            String name = m.group(2);
            if (!CASE_NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("line " + markerLine + ": case name '" + name
                        + "' must be lowercase letters, digits and dashes");
            }
            if (!seen.add(type.name() + " " + name)) {
                throw new IllegalArgumentException("line " + markerLine + ": duplicate golden example '"
                        + type.name() + " " + name + "'");
            }
            int j = i + 1;
            while (j < lines.length && lines[j].isBlank()) {
                j++;
            }
            if (j >= lines.length || !lines[j].trim().equals("```json")) {
                throw new IllegalArgumentException("line " + markerLine + ": golden marker must be followed by a ```json block");
            }
            StringBuilder json = new StringBuilder();
            int k = j + 1;
            while (k < lines.length && !lines[k].trim().equals("```")) {
                json.append(lines[k]).append('\n');
                k++;
            }
            if (k >= lines.length) {
                throw new IllegalArgumentException("line " + markerLine + ": unterminated ```json block");
            }
            result.add(new Golden(type, name, json.toString(), markerLine));
            i = k;
        }
        return List.copyOf(result);
    }

    private static MessageType<?> typeNamed(String name, int line) {
        for (MessageType<?> t : MessageType.ALL) {
            if (t.name().equals(name)) {
                return t;
            }
        }
        throw new IllegalArgumentException("line " + line + ": unknown message type '" + name + "' in golden marker");
    }
}
