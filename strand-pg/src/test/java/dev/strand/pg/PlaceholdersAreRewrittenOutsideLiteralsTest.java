package dev.strand.pg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

/** JDBC's {@code ?} becomes {@code $n} in the statement's code, never inside its literals, identifiers or comments. */
class PlaceholdersAreRewrittenOutsideLiteralsTest {

    @Test
    void questionMarksAreNumberedInOrder() {
        assertEquals("SELECT $1, $2 FROM t WHERE a = $3", Placeholders.rewrite("SELECT ?, ? FROM t WHERE a = ?"));
        assertEquals("INSERT INTO t VALUES ($1,$2)", Placeholders.rewrite("INSERT INTO t VALUES (?,?)"));
    }

    @Test
    void aStatementWithoutPlaceholdersIsReturnedAsItIs() {
        String sql = "SELECT 1";
        assertSame(sql, Placeholders.rewrite(sql));
    }

    @Test
    void aDoubledQuestionMarkIsTheOperator() {
        assertEquals("SELECT j ? 'k', j ?| array['a'] FROM t WHERE id = $1",
                Placeholders.rewrite("SELECT j ?? 'k', j ??| array['a'] FROM t WHERE id = ?"));
    }

    @Test
    void stringLiteralsAndTheirDoubledQuotesAreLeftAlone() {
        assertEquals("SELECT 'a?b', $1", Placeholders.rewrite("SELECT 'a?b', ?"));
        assertEquals("SELECT 'it''s ?', $1, 'x'", Placeholders.rewrite("SELECT 'it''s ?', ?, 'x'"));
        assertEquals("SELECT '''?''' || $1", Placeholders.rewrite("SELECT '''?''' || ?"));
    }

    @Test
    void escapeStringsWithBackslashedQuotesAreLeftAlone() {
        assertEquals("SELECT E'it\\'s ?', $1", Placeholders.rewrite("SELECT E'it\\'s ?', ?"));
        assertEquals("SELECT e'\\\\', $1, E'a''?'", Placeholders.rewrite("SELECT e'\\\\', ?, E'a''?'"));
        assertEquals("SELECT name'x?' FROM t WHERE a = $1", Placeholders.rewrite("SELECT name'x?' FROM t WHERE a = ?"),
                "a name ending in e is not an escape string's prefix");
        assertEquals("SELECT TYPE'?\\', $1", Placeholders.rewrite("SELECT TYPE'?\\', ?"));
    }

    @Test
    void quotedIdentifiersAreLeftAlone() {
        assertEquals("SELECT \"col?\" FROM \"t\"\"?\" WHERE x = $1", Placeholders.rewrite("SELECT \"col?\" FROM \"t\"\"?\" WHERE x = ?"));
    }

    @Test
    void commentsAreLeftAlone() {
        assertEquals("SELECT $1 -- what?\n, $2", Placeholders.rewrite("SELECT ? -- what?\n, ?"));
        assertEquals("SELECT $1 -- what? to the end", Placeholders.rewrite("SELECT ? -- what? to the end"));
        assertEquals("SELECT /* a? /* nested? */ still? */ $1", Placeholders.rewrite("SELECT /* a? /* nested? */ still? */ ?"));
        assertEquals("SELECT 10 - $1, 4 / $2", Placeholders.rewrite("SELECT 10 - ?, 4 / ?"));
    }

    @Test
    void dollarQuotedStringsAreLeftAlone() {
        assertEquals("SELECT $$a?b$$, $1", Placeholders.rewrite("SELECT $$a?b$$, ?"));
        assertEquals("SELECT $fn$ x ? $$ y ? $fn$, $1", Placeholders.rewrite("SELECT $fn$ x ? $$ y ? $fn$, ?"));
        assertEquals("SELECT $_t1$?$_t1$ || $1", Placeholders.rewrite("SELECT $_t1$?$_t1$ || ?"));
    }

    @Test
    void positionalParametersAndDollarsInNamesAreNotQuotes() {
        String positional = "SELECT $1::int + $2 WHERE x = '?'";
        assertSame(positional, Placeholders.rewrite(positional));
        assertEquals("SELECT $1$ $1 $1$", Placeholders.rewrite("SELECT $1$ ? $1$"), "a tag cannot begin with a digit");
        assertEquals("SELECT a$b, $1, c$d$ FROM t", Placeholders.rewrite("SELECT a$b, ?, c$d$ FROM t"));
    }

    @Test
    void anUnterminatedLiteralSwallowsTheRest() {
        assertEquals("SELECT $1, 'open ?", Placeholders.rewrite("SELECT ?, 'open ?"));
        assertEquals("SELECT $1 /* open ?", Placeholders.rewrite("SELECT ? /* open ?"));
        assertEquals("SELECT $1, $q$ open ?", Placeholders.rewrite("SELECT ?, $q$ open ?"));
    }
}
