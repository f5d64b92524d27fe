import java.io.BufferedInputStream;
import java.io.IOException;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whether a server's database endpoints answer as TechEmpower's rules say, checked from outside:
 * status, headers, the body's shape and row count, and, through psql, that the rows are the
 * database's own (nothing cached) and that updates were written back. wrk does not read bodies:
 * these checks, before the load and after each step, stand in for that.
 */
final class DbChecks {

    /** TechEmpower's twelve fortunes, as bench/seed-db.sql seeds them. */
    static final List<Fortune> FORTUNES = List.of(
            new Fortune(1, "fortune: No such file or directory"),
            new Fortune(2, "A computer scientist is someone who fixes things that aren't broken."),
            new Fortune(3, "After enough decimal places, nobody gives a damn."),
            new Fortune(4, "A bad random number generator: 1, 1, 1, 1, 1, 4.33e+67, 1, 1, 1"),
            new Fortune(5, "A computer program does what you tell it to do, not what you want it to do."),
            new Fortune(6, "Emacs is a nice operating system, but I prefer UNIX. — Tom Christaensen"),
            new Fortune(7, "Any program that runs right is obsolete."),
            new Fortune(8, "A list is only as strong as its weakest link. — Donald Knuth"),
            new Fortune(9, "Feature: A bug with seniority."),
            new Fortune(10, "Computers make very fast, very accurate mistakes."),
            new Fortune(11, "<script>alert(\"This should not be displayed in a browser alert box.\");</script>"),
            new Fortune(12, "フレームワークのベンチマーク"));
    static final String ADDED_FORTUNE = "Additional fortune added at request time.";

    record Fortune(int id, String message) {
    }

    record World(int id, int randomNumber) {
    }

    /** The page's rows: the twelve and the added one, by message (Java's String order, as the servers sort). */
    static List<Fortune> expectedFortunes() {
        List<Fortune> rows = new ArrayList<>(FORTUNES);
        rows.add(new Fortune(0, ADDED_FORTUNE));
        rows.sort(Comparator.comparing(Fortune::message));
        return rows;
    }

    private final int port;
    private final Postgres pg;

    DbChecks(int port, Postgres pg) {
        this.port = port;
        this.pg = pg;
    }

    /**
     * Before the load: the shape's endpoint with the sweep's parameters, and for /queries and
     * /updates also the rules' answers to a missing, empty, invalid, too small and too large count.
     */
    List<String> verify(DatabaseShapes.DbShape shape) {
        List<String> problems = new ArrayList<>(once(shape));
        if (!problems.isEmpty()) {
            return problems; // wrong already (say, 404: not served): the variations would only repeat it
        }
        switch (shape.id()) {
            case "db" -> {
                problems.addAll(once(shape));
                problems.addAll(once(shape));
            }
            case "queries", "updates" -> {
                String base = "/" + shape.id();
                Map<String, Integer> edges = new LinkedHashMap<>();
                edges.put(base, 1);
                edges.put(base + "?queries=", 1);
                edges.put(base + "?queries=foo", 1);
                edges.put(base + "?queries=0", 1);
                edges.put(base + "?queries=-3", 1);
                edges.put(base + "?queries=501", 500);
                edges.forEach((path, rows) -> problems.addAll(worlds(path, rows, shape.id().equals("updates"))));
            }
            default -> {
            }
        }
        return problems.stream().distinct().toList();
    }

    /** After a step: one fresh request with the sweep's parameters. */
    List<String> once(DatabaseShapes.DbShape shape) {
        return switch (shape.id()) {
            case "db" -> worlds(shape.path(), -1, false);
            case "queries" -> worlds(shape.path(), shape.queries(), false);
            case "updates" -> worlds(shape.path(), shape.queries(), true);
            case "fortunes" -> fortunes(shape.path());
            default -> List.of("no check for " + shape.id());
        };
    }

    /**
     * {@code rows} World rows as JSON (an array; -1: one object, as /db answers), each the
     * database's value now: for /updates that is the number just written.
     */
    List<String> worlds(String path, int rows, boolean written) {
        HttpResponse r;
        try {
            r = get(path);
        } catch (IOException e) {
            return List.of(path + ": " + e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        if (r.status() != 200) {
            return List.of(notOk(path, r));
        }
        List<String> problems = new ArrayList<>(HttpChecks.checkResponse(r, null, "application/json").stream()
                .map(p -> path + ": " + p).toList());
        List<World> found = new ArrayList<>();
        try {
            Object json = new Json(r.bodyText()).parse();
            if (rows < 0) {
                found.add(world(json));
            } else {
                if (!(json instanceof List<?> list)) {
                    throw new IllegalArgumentException("not a JSON array");
                }
                for (Object o : list) {
                    found.add(world(o));
                }
                if (found.size() != rows) {
                    problems.add(path + ": " + found.size() + " rows instead of " + rows);
                }
            }
        } catch (IllegalArgumentException e) {
            problems.add(path + ": " + e.getMessage() + " in " + Sweep.quote(r.bodyText()));
            return problems;
        }
        // The same id twice in one /updates: which write lands last is the server's business.
        Map<Integer, Integer> seen = new HashMap<>();
        found.forEach(w -> seen.merge(w.id(), 1, Integer::sum));
        try {
            Map<Integer, Integer> now = pg.world(seen.keySet());
            int stale = 0;
            World first = null;
            for (World w : found) {
                if (written && seen.get(w.id()) > 1) {
                    continue;
                }
                if (!Integer.valueOf(w.randomNumber()).equals(now.get(w.id()))) {
                    stale++;
                    first = first == null ? w : first;
                }
            }
            if (stale > 0) {
                problems.add(String.format(Locale.ROOT, "%s: %d of %d rows differ from the database's (first: id %d, "
                                + "answered %d, database %s)%s", path, stale, found.size(), first.id(), first.randomNumber(),
                        now.get(first.id()), written ? ": updates not written back" : ": not read from the database"));
            }
        } catch (IOException e) {
            problems.add(path + ": cannot compare with the database: " + e.getMessage());
        }
        return problems;
    }

    static String notOk(String path, HttpResponse r) {
        return path + ": status " + r.status() + " instead of 200" + (r.status() == 404 ? " (not served)" : "")
                + ", body " + Sweep.quote(r.bodyText());
    }

    static World world(Object o) {
        if (!(o instanceof Map<?, ?> m) || m.size() != 2 || !(m.get("id") instanceof Long id)
                || !(m.get("randomNumber") instanceof Long n)) {
            throw new IllegalArgumentException("a row that is not {\"id\":N,\"randomNumber\":M}");
        }
        if (id < 1 || id > 10_000 || n < 1 || n > 10_000) {
            throw new IllegalArgumentException("a row out of 1..10000: id " + id + ", randomNumber " + n);
        }
        return new World(id.intValue(), n.intValue());
    }

    static final Pattern ROW = Pattern.compile("<tr>\\s*<td>\\s*(-?\\d+)\\s*</td>\\s*<td>(.*?)</td>\\s*</tr>", Pattern.DOTALL);

    /** The fortunes page: HTML in UTF-8 with the thirteen rows, in order, escaped. */
    List<String> fortunes(String path) {
        HttpResponse r;
        try {
            r = get(path);
        } catch (IOException e) {
            return List.of(path + ": " + e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        if (r.status() != 200) {
            return List.of(notOk(path, r));
        }
        List<String> problems = new ArrayList<>(HttpChecks.checkResponse(r, null, "text/html").stream()
                .map(p -> path + ": " + p).toList());
        String type = r.header("content-type").orElse("").toLowerCase(Locale.ROOT).replace(" ", "");
        if (!type.contains("charset=utf-8")) {
            problems.add(path + ": Content-Type " + Sweep.quote(r.header("content-type").orElse("")) + " without charset=utf-8");
        }
        String html = r.bodyText();
        String squeezed = html.replaceAll(">\\s+<", "><").trim();
        if (!squeezed.toLowerCase(Locale.ROOT).startsWith("<!doctype html><html><head><title>fortunes</title></head>"
                + "<body><table><tr><th>id</th><th>message</th></tr>")
                || !squeezed.toLowerCase(Locale.ROOT).endsWith("</table></body></html>")) {
            problems.add(path + ": not TechEmpower's page (doctype, title, table head, end): " + Sweep.quote(squeezed));
        }
        if (html.contains("<script>")) {
            problems.add(path + ": the <script> fortune is not escaped");
        }
        List<Fortune> rows = new ArrayList<>();
        Matcher m = ROW.matcher(html);
        while (m.find()) {
            rows.add(new Fortune(Integer.parseInt(m.group(1)), unescape(m.group(2))));
        }
        List<Fortune> expected = expectedFortunes();
        if (rows.size() != expected.size()) {
            problems.add(path + ": " + rows.size() + " rows instead of " + expected.size());
        } else {
            for (int i = 0; i < rows.size(); i++) {
                if (!rows.get(i).equals(expected.get(i))) {
                    problems.add(path + ": row " + (i + 1) + " is " + rows.get(i) + " instead of " + expected.get(i));
                    break;
                }
            }
        }
        return problems;
    }

    static final Pattern ENTITY = Pattern.compile("&(#[0-9]+|#[xX][0-9a-fA-F]+|[a-zA-Z]+);");

    /** HTML text with its character references resolved (the ones an escaper writes). */
    static String unescape(String s) {
        Matcher m = ENTITY.matcher(s);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String e = m.group(1);
            String c = switch (e) {
                case "lt" -> "<";
                case "gt" -> ">";
                case "amp" -> "&";
                case "quot" -> "\"";
                case "apos" -> "'";
                default -> e.startsWith("#x") || e.startsWith("#X")
                        ? Character.toString(Integer.parseInt(e.substring(2), 16))
                        : e.startsWith("#") ? Character.toString(Integer.parseInt(e.substring(1))) : m.group();
            };
            m.appendReplacement(out, Matcher.quoteReplacement(c));
        }
        m.appendTail(out);
        return out.toString();
    }

    HttpResponse get(String path) throws IOException {
        try (Socket s = HttpChecks.connect(port)) {
            s.setSoTimeout(10_000); // 500 updates on a cold pool may take a while
            s.getOutputStream().write(HttpChecks.request(path, port));
            return HttpResponse.read(new BufferedInputStream(s.getInputStream()));
        }
    }

    /** Just enough JSON for these bodies: objects, arrays, strings, integers (as Long), other numbers, literals. */
    static final class Json {
        private final String s;
        private int i;

        Json(String s) {
            this.s = s;
        }

        Object parse() {
            Object v = value();
            space();
            if (i != s.length()) {
                throw new IllegalArgumentException("trailing text after the JSON value");
            }
            return v;
        }

        private Object value() {
            space();
            if (i >= s.length()) {
                throw new IllegalArgumentException("JSON ends early");
            }
            char c = s.charAt(i);
            if (c == '{') {
                Map<String, Object> m = new LinkedHashMap<>();
                i++;
                space();
                if (peek('}')) {
                    return m;
                }
                do {
                    space();
                    String key = string();
                    space();
                    expect(':');
                    if (m.put(key, value()) != null) {
                        throw new IllegalArgumentException("key " + key + " twice");
                    }
                    space();
                } while (peek(','));
                expect('}');
                return m;
            }
            if (c == '[') {
                List<Object> l = new ArrayList<>();
                i++;
                space();
                if (peek(']')) {
                    return l;
                }
                do {
                    l.add(value());
                    space();
                } while (peek(','));
                expect(']');
                return l;
            }
            if (c == '"') {
                return string();
            }
            int start = i;
            while (i < s.length() && "+-0123456789.eEtruefalsn".indexOf(s.charAt(i)) >= 0) {
                i++;
            }
            String t = s.substring(start, i);
            switch (t) {
                case "true" -> {
                    return Boolean.TRUE;
                }
                case "false" -> {
                    return Boolean.FALSE;
                }
                case "null" -> {
                    return null;
                }
                default -> {
                    try {
                        return t.matches("-?\\d+") ? (Object) Long.parseLong(t) : (Object) Double.parseDouble(t);
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("not JSON at offset " + start);
                    }
                }
            }
        }

        private String string() {
            expect('"');
            StringBuilder b = new StringBuilder();
            while (i < s.length() && s.charAt(i) != '"') {
                char c = s.charAt(i++);
                if (c == '\\' && i < s.length()) {
                    char e = s.charAt(i++);
                    switch (e) {
                        case 'n' -> b.append('\n');
                        case 't' -> b.append('\t');
                        case 'r' -> b.append('\r');
                        case 'b' -> b.append('\b');
                        case 'f' -> b.append('\f');
                        case 'u' -> {
                            b.append((char) Integer.parseInt(s.substring(i, Math.min(i + 4, s.length())), 16));
                            i += 4;
                        }
                        default -> b.append(e);
                    }
                } else {
                    b.append(c);
                }
            }
            expect('"');
            return b.toString();
        }

        private void space() {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
        }

        private boolean peek(char c) {
            if (i < s.length() && s.charAt(i) == c) {
                i++;
                return true;
            }
            return false;
        }

        private void expect(char c) {
            if (!peek(c)) {
                throw new IllegalArgumentException("not JSON: expected '" + c + "' at offset " + i);
            }
        }
    }
}
