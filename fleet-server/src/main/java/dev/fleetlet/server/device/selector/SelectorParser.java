package dev.fleetlet.server.device.selector;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Recursive-descent parser for selector text. Grammar (whitespace between tokens is ignored):
 * <pre>
 * selector    := "" | requirement ("," requirement)*
 * requirement := "!" key | key [ ("=" | "==" | "!=") value | ("in" | "notin") "(" value ("," value)* ")" ]
 * </pre>
 * Keys and values are checked against {@link LabelRules}; every error names its position.
 */
final class SelectorParser {

    private final String s;
    private int pos;

    SelectorParser(String text) {
        this.s = text;
    }

    Selector parse() {
        List<Requirement> out = new ArrayList<>();
        skipSpace();
        if (pos == s.length()) {
            return Selector.ALL;
        }
        while (true) {
            out.add(requirement());
            skipSpace();
            if (pos == s.length()) {
                return new Selector(out);
            }
            expect(',', "expected ',' or end of selector");
        }
    }

    private Requirement requirement() {
        skipSpace();
        if (peek() == '!') {
            pos++;
            skipSpace();
            return new Requirement.NotExists(key());
        }
        String key = key();
        skipSpace();
        if (pos == s.length() || peek() == ',') {
            return new Requirement.Exists(key);
        }
        char c = peek();
        if (c == '=') {
            pos++;
            if (peek() == '=') {
                pos++;
            }
            return new Requirement.Equals(key, value());
        }
        if (c == '!') {
            int at = pos;
            pos++;
            if (peek() != '=') {
                throw new SelectorSyntaxException(at, "expected '!=' after key '" + key + "'");
            }
            pos++;
            return new Requirement.NotEquals(key, value());
        }
        int at = pos;
        String word = word();
        if (word.equals("in")) {
            return new Requirement.In(key, valueSet());
        }
        if (word.equals("notin")) {
            return new Requirement.NotIn(key, valueSet());
        }
        throw new SelectorSyntaxException(at, word.isEmpty()
                ? "unexpected '" + c + "' after key '" + key + "'; expected '=', '==', '!=', 'in', 'notin', ',' or end"
                : "unknown operator '" + word + "' after key '" + key + "'; expected '=', '==', '!=', 'in' or 'notin'");
    }

    private List<String> valueSet() {
        skipSpace();
        expect('(', "expected '(' to start the value set");
        List<String> values = new ArrayList<>();
        while (true) {
            skipSpace();
            int at = pos;
            String v = value();
            if (v.isEmpty()) {
                throw new SelectorSyntaxException(at, "expected a value in the set");
            }
            values.add(v);
            skipSpace();
            if (peek() == ')') {
                pos++;
                return values;
            }
            expect(',', "expected ',' or ')' in the value set");
        }
    }

    private String key() {
        int at = pos;
        String k = word();
        if (k.isEmpty()) {
            throw new SelectorSyntaxException(at, pos == s.length() ? "expected a label key, found end of selector"
                    : "expected a label key, found '" + peek() + "'");
        }
        Optional<String> problem = LabelRules.keyProblem(k);
        if (problem.isPresent()) {
            throw new SelectorSyntaxException(at, problem.get());
        }
        return k;
    }

    private String value() {
        skipSpace();
        int at = pos;
        String v = word();
        Optional<String> problem = LabelRules.valueProblem(v);
        if (problem.isPresent()) {
            throw new SelectorSyntaxException(at, problem.get());
        }
        return v;
    }

    /** Reads a run of key/value characters (letters, digits, {@code - _ . /}). */
    private String word() {
        int start = pos;
        while (pos < s.length()) {
            char c = s.charAt(pos);
            if (Character.isLetterOrDigit(c) && c < 128 || c == '-' || c == '_' || c == '.' || c == '/') {
                pos++;
            } else {
                break;
            }
        }
        return s.substring(start, pos);
    }

    private void expect(char c, String message) {
        if (peek() != c) {
            throw new SelectorSyntaxException(pos, message + (pos == s.length() ? ", found end of selector"
                    : ", found '" + peek() + "'"));
        }
        pos++;
    }

    private char peek() {
        return pos < s.length() ? s.charAt(pos) : '\0';
    }

    private void skipSpace() {
        while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
            pos++;
        }
    }
}
