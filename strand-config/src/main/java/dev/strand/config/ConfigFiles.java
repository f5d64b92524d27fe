package dev.strand.config;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.composer.Composer;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.parser.ParserImpl;
import org.snakeyaml.engine.v2.scanner.StreamReader;

/** Reads configuration files into flat key-value pairs with their line numbers. */
final class ConfigFiles {

    /** One value of a file: its flat key, its text and the line it is on (from 1). */
    record Value(String key, String value, int line) {
    }

    /** A file that cannot be read as its kind. */
    static final class Malformed extends Exception {
        private static final long serialVersionUID = 1L;
        final int line;

        Malformed(String message, int line) {
            super(message);
            this.line = line;
        }
    }

    private ConfigFiles() {
    }

    /** {@code key = value} (or {@code key: value}) lines; {@code #} and {@code !} comments; blank lines. */
    static List<Value> properties(String text) throws Malformed {
        List<Value> values = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith("!")) {
                continue;
            }
            int separator = firstOf(line, '=', ':');
            if (separator <= 0) {
                throw new Malformed("not a 'key = value' line: " + line, i + 1);
            }
            String key = line.substring(0, separator).strip();
            if (!seen.add(key)) {
                throw new Malformed(key + " is set twice", i + 1);
            }
            values.add(new Value(key, line.substring(separator + 1).strip(), i + 1));
        }
        return values;
    }

    private static int firstOf(String line, char a, char b) {
        int i = line.indexOf(a);
        int j = line.indexOf(b);
        return i < 0 ? j : j < 0 ? i : Math.min(i, j);
    }

    /** Nested maps of scalars, flattened with dots; lists and other structures are refused. */
    static List<Value> yaml(String text, String name) throws Malformed {
        Node root;
        try {
            LoadSettings settings = LoadSettings.builder().setLabel(name).setAllowDuplicateKeys(false).build();
            root = new Composer(settings, new ParserImpl(settings, new StreamReader(settings, text))).getSingleNode().orElse(null);
        } catch (MarkedYamlEngineException e) {
            throw new Malformed("not valid YAML: " + e.getProblem(), e.getProblemMark().map(m -> m.getLine() + 1).orElse(0));
        } catch (YamlEngineException e) {
            throw new Malformed("not valid YAML: " + e.getMessage(), 0);
        }
        List<Value> values = new ArrayList<>();
        if (root == null) {
            return values; // an empty file
        }
        if (!(root instanceof MappingNode map)) {
            throw new Malformed("the top of the file is not a map of settings", line(root));
        }
        flatten("", map, values);
        Set<String> seen = new HashSet<>();
        for (Value value : values) {
            if (!seen.add(value.key())) {
                throw new Malformed(value.key() + " is set twice", value.line());
            }
        }
        return values;
    }

    private static void flatten(String prefix, MappingNode map, List<Value> into) throws Malformed {
        for (NodeTuple tuple : map.getValue()) {
            if (!(tuple.getKeyNode() instanceof ScalarNode keyNode)) {
                throw new Malformed("a key that is not plain text", line(tuple.getKeyNode()));
            }
            String key = prefix + keyNode.getValue();
            Node value = tuple.getValueNode();
            if (value instanceof MappingNode nested) {
                flatten(key + ".", nested, into);
            } else if (value instanceof ScalarNode scalar) {
                if (scalar.getValue().isEmpty() && scalar.getTag().getValue().endsWith(":null")) {
                    throw new Malformed(key + " has no value", line(value));
                }
                into.add(new Value(key, scalar.getValue(), line(value)));
            } else {
                throw new Malformed(key + " is a list; settings are single values", line(value));
            }
        }
    }

    private static int line(Node node) {
        return node.getStartMark().map(Mark::getLine).orElse(-1) + 1;
    }
}
