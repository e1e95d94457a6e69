package dev.fleetlet.provisioning;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import picocli.CommandLine.Option;

/** {@code --output table|json}: human tables by default, JSON (the server's objects) for scripts. */
final class Output {

    enum Format { table, json }

    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Option(names = {"-o", "--output"}, defaultValue = "table", description = "table (default) or json")
    Format format;

    boolean json() {
        return format == Format.json;
    }

    /** A column: header and how to get the cell from an item. */
    record Column(String header, Function<JsonNode, String> cell) {
        static Column of(String header, String field) {
            return new Column(header, n -> text(n.get(field)));
        }
    }

    static String text(JsonNode n) {
        return n == null || n.isNull() || n.isMissingNode() ? "-" : n.isValueNode() ? n.asText() : n.toString();
    }

    void print(PrintWriter out, List<JsonNode> items, List<Column> columns) {
        if (json()) {
            printJson(out, JSON.valueToTree(items));
            return;
        }
        List<List<String>> rows = new ArrayList<>();
        rows.add(columns.stream().map(Column::header).toList());
        for (JsonNode item : items) {
            rows.add(columns.stream().map(c -> c.cell().apply(item)).toList());
        }
        table(out, rows);
    }

    static void printJson(PrintWriter out, Object value) {
        try {
            out.println(JSON.writeValueAsString(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        out.flush();
    }

    static void table(PrintWriter out, List<List<String>> rows) {
        int cols = rows.get(0).size();
        int[] width = new int[cols];
        for (List<String> r : rows) {
            for (int i = 0; i < cols; i++) {
                width[i] = Math.max(width[i], r.get(i).length());
            }
        }
        for (List<String> r : rows) {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < cols; i++) {
                b.append(i == cols - 1 ? r.get(i) : String.format("%-" + width[i] + "s  ", r.get(i)));
            }
            out.println(b.toString().stripTrailing());
        }
        out.flush();
    }
}
