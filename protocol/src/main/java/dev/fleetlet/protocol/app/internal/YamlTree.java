package dev.fleetlet.protocol.app.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.StringReader;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.IdentityHashMap;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads one YAML document into a Jackson tree with the limits an untrusted app spec needs: document
 * size, alias count, node count after alias expansion, nesting depth, no duplicate keys, string keys only,
 * no merge keys. Scalars keep YAML 1.1 core typing (so {@code 0.5} is a number, {@code "0.5"} a string).
 */
public final class YamlTree {

    public static final int MAX_CHARS = 256 * 1024;
    public static final int MAX_ALIASES = 50;
    public static final int MAX_NODES = 20_000;
    public static final int MAX_DEPTH = 32;

    private YamlTree() {
    }

    /** Thrown with a message that names the problem and, where known, the line. */
    public static final class YamlException extends Exception {
        public YamlException(String message) {
            super(message, null, false, false);
        }
    }

    public static JsonNode read(String text) throws YamlException {
        if (text.length() > MAX_CHARS) {
            throw new YamlException("document is " + text.length() + " characters, limit is " + MAX_CHARS);
        }
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setMaxAliasesForCollections(MAX_ALIASES);
        options.setCodePointLimit(MAX_CHARS * 4);
        options.setNestingDepthLimit(MAX_DEPTH);
        options.setAllowRecursiveKeys(false);
        options.setProcessComments(false);
        Node root;
        try {
            root = new Yaml(options).compose(new StringReader(text));
        } catch (RuntimeException e) {
            throw new YamlException("not valid YAML: " + oneLine(e.getMessage()));
        }
        if (root == null) {
            throw new YamlException("document is empty");
        }
        return new Converter().convert(root, "", 0);
    }

    private static String oneLine(String message) {
        return message == null ? "syntax error" : message.replaceAll("\\s+", " ").trim();
    }

    private static final class Converter {
        private int nodes;
        private final Map<Node, Boolean> open = new IdentityHashMap<>();

        JsonNode convert(Node node, String path, int depth) throws YamlException {
            if (++nodes > MAX_NODES) {
                throw new YamlException("document expands to more than " + MAX_NODES + " values (aliases?)");
            }
            if (depth > MAX_DEPTH) {
                throw new YamlException(name(path) + ": nested deeper than " + MAX_DEPTH);
            }
            if (open.put(node, Boolean.TRUE) != null) {
                throw new YamlException(name(path) + ": recursive alias");
            }
            try {
                if (node instanceof MappingNode map) {
                    ObjectNode out = JsonNodeFactory.instance.objectNode();
                    for (NodeTuple t : map.getValue()) {
                        Node k = t.getKeyNode();
                        if (Tag.MERGE.equals(k.getTag())) {
                            throw new YamlException(name(path) + ": YAML merge keys (<<) are not supported");
                        }
                        if (!(k instanceof ScalarNode ks) || !Tag.STR.equals(k.getTag())) {
                            String shown = k instanceof ScalarNode ks2 ? ks2.getValue() : "(" + k.getNodeId() + ")";
                            throw new YamlException(name(path) + ": key " + shown
                                    + " must be a string (quote it), line " + (k.getStartMark().getLine() + 1));
                        }
                        String key = ks.getValue();
                        if (out.has(key)) {
                            throw new YamlException(name(path) + ": duplicate key " + key);
                        }
                        out.set(key, convert(t.getValueNode(), path.isEmpty() ? key : path + "." + key, depth + 1));
                    }
                    return out;
                }
                if (node instanceof SequenceNode seq) {
                    ArrayNode out = JsonNodeFactory.instance.arrayNode();
                    int i = 0;
                    for (Node item : seq.getValue()) {
                        out.add(convert(item, path + "[" + i++ + "]", depth + 1));
                    }
                    return out;
                }
                return scalar((ScalarNode) node, path);
            } finally {
                open.remove(node);
            }
        }

        private static JsonNode scalar(ScalarNode s, String path) throws YamlException {
            Tag tag = s.getTag();
            String v = s.getValue();
            JsonNodeFactory f = JsonNodeFactory.instance;
            if (Tag.NULL.equals(tag)) {
                return f.nullNode();
            }
            if (Tag.BOOL.equals(tag)) {
                String l = v.toLowerCase(java.util.Locale.ROOT);
                return f.booleanNode(l.equals("true") || l.equals("yes") || l.equals("on") || l.equals("y"));
            }
            if (Tag.INT.equals(tag)) {
                try {
                    String d = v.replace("_", "");
                    if (d.startsWith("0x") || d.startsWith("0o") || (d.length() > 1 && d.startsWith("0"))) {
                        return f.textNode(v);
                    }
                    BigInteger n = new BigInteger(d);
                    return n.bitLength() < 64 ? f.numberNode(n.longValue()) : f.numberNode(n);
                } catch (NumberFormatException e) {
                    return f.textNode(v);
                }
            }
            if (Tag.FLOAT.equals(tag)) {
                try {
                    return f.numberNode(new BigDecimal(v.replace("_", "")));
                } catch (NumberFormatException e) {
                    return f.textNode(v);
                }
            }
            if (Tag.STR.equals(tag)) {
                return f.textNode(v);
            }
            throw new YamlException(name(path) + ": YAML tag " + tag + " is not supported");
        }

        private static String name(String path) {
            return path.isEmpty() ? "(document)" : path;
        }
    }
}
