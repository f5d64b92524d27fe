package dev.strand.pg;

/**
 * Rewrites JDBC's {@code ?} placeholders as PostgreSQL's {@code $1, $2, …}, so that the same SQL
 * runs on {@link dev.strand.jdbc.Database} and on {@link PgClient}. A {@code ?} inside a string
 * literal, a quoted identifier, a dollar-quoted string or a comment is left alone, and {@code ??}
 * stands for a literal {@code ?} (a JSON operator), as in pgjdbc.
 */
final class Placeholders {

    private Placeholders() {
    }

    /** The statement as PostgreSQL takes it. Pure; any thread. */
    static String rewrite(String sql) {
        StringBuilder out = null;
        int number = 0;
        int n = sql.length();
        int copied = 0;
        for (int i = 0; i < n; i++) {
            char c = sql.charAt(i);
            switch (c) {
                case '\'' -> i = isEscapeString(sql, i) ? skipEscapeString(sql, i) : skipQuoted(sql, i, c);
                case '"' -> i = skipQuoted(sql, i, c);
                case '-' -> {
                    if (i + 1 < n && sql.charAt(i + 1) == '-') {
                        int eol = sql.indexOf('\n', i);
                        i = eol < 0 ? n : eol;
                    }
                }
                case '/' -> {
                    if (i + 1 < n && sql.charAt(i + 1) == '*') {
                        i = skipBlockComment(sql, i);
                    }
                }
                case '$' -> i = skipDollarQuoted(sql, i);
                case '?' -> {
                    if (out == null) {
                        out = new StringBuilder(n + 16);
                    }
                    out.append(sql, copied, i);
                    if (i + 1 < n && sql.charAt(i + 1) == '?') {
                        out.append('?');
                        i++;
                    } else {
                        out.append('$').append(++number);
                    }
                    copied = i + 1;
                }
                default -> {
                }
            }
        }
        if (out == null) {
            return sql;
        }
        return out.append(sql, copied, n).toString();
    }

    /** The index of the closing quote (a doubled quote is part of the text), or the end. */
    private static int skipQuoted(String sql, int open, char quote) {
        int i = open + 1;
        while (i < sql.length()) {
            if (sql.charAt(i) == quote) {
                if (i + 1 < sql.length() && sql.charAt(i + 1) == quote) {
                    i += 2;
                    continue;
                }
                return i;
            }
            i++;
        }
        return sql.length();
    }

    /** {@code E'…'}: a string in which a backslash escapes the next character, a quote included. */
    private static boolean isEscapeString(String sql, int quote) {
        if (quote == 0 || (sql.charAt(quote - 1) != 'E' && sql.charAt(quote - 1) != 'e')) {
            return false;
        }
        return quote == 1 || !isIdentifierPart(sql.charAt(quote - 2));
    }

    /** The index of the quote closing an {@code E'…'} string, or the end. */
    private static int skipEscapeString(String sql, int open) {
        int i = open + 1;
        while (i < sql.length()) {
            char c = sql.charAt(i);
            if (c == '\\') {
                i += 2;
                continue;
            }
            if (c == '\'') {
                if (i + 1 < sql.length() && sql.charAt(i + 1) == '\'') {
                    i += 2;
                    continue;
                }
                return i;
            }
            i++;
        }
        return sql.length();
    }

    /** Block comments nest in PostgreSQL. */
    private static int skipBlockComment(String sql, int open) {
        int depth = 0;
        int i = open;
        while (i + 1 < sql.length()) {
            if (sql.charAt(i) == '/' && sql.charAt(i + 1) == '*') {
                depth++;
                i += 2;
            } else if (sql.charAt(i) == '*' && sql.charAt(i + 1) == '/') {
                depth--;
                i += 2;
                if (depth == 0) {
                    return i - 1;
                }
            } else {
                i++;
            }
        }
        return sql.length();
    }

    /** {@code $tag$ … $tag$}; a {@code $} that does not open one ({@code $1}, in a name) is skipped alone. */
    private static int skipDollarQuoted(String sql, int open) {
        if (open > 0 && isIdentifierPart(sql.charAt(open - 1))) {
            return open;
        }
        int i = open + 1;
        while (i < sql.length() && isTagPart(sql.charAt(i))) {
            i++;
        }
        if (i >= sql.length() || sql.charAt(i) != '$' || (i > open + 1 && Character.isDigit(sql.charAt(open + 1)))) {
            return open;
        }
        String tag = sql.substring(open, i + 1);
        int close = sql.indexOf(tag, i + 1);
        return close < 0 ? sql.length() : close + tag.length() - 1;
    }

    private static boolean isTagPart(char c) {
        return Character.isLetterOrDigit(c) || c == '_';
    }

    private static boolean isIdentifierPart(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '$';
    }
}
