package dev.strand.demo;

import dev.strand.jdbc.Database;
import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.Utf8ByteOutput;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * TechEmpower's {@code Fortune} table as an HTML page: every row plus one added at request time,
 * sorted by message, rendered by the JTE template {@code src/main/jte/fortunes.jte}. The template
 * is compiled to a class of {@value #TEMPLATES} at build time; nothing is parsed or compiled at run
 * time. Thread-safe: one instance serves every request.
 */
final class Fortunes {

    /** The fortune every page adds to the table's, with id 0. */
    static final String ADDED = "Additional fortune added at request time.";
    /** The package of the generated template classes (the jte-maven-plugin's {@code packageName}). */
    static final String TEMPLATES = "dev.strand.demo.templates";

    private static final String TEMPLATE = "fortunes.jte";
    // No ORDER BY: the rules have the application sort, with the added row among the others.
    private static final String SELECT = "SELECT id, message FROM fortune";
    private static final Comparator<Fortune> BY_MESSAGE = Comparator.comparing(Fortune::message);

    private final Database db;

    /**
     * The template engine, made on first use (the class initialization is the lock): loading JTE
     * costs a cold JVM tens of milliseconds, which the first response must not wait for.
     * {@link #warmUp} makes it early, off the way to the first response.
     */
    private static final class Engine {
        static final TemplateEngine ENGINE;

        static {
            // Without a class directory JTE ignores the loader it is given and keeps the calling
            // thread's context class loader: make that the module's own for the moment.
            Thread thread = Thread.currentThread();
            ClassLoader context = thread.getContextClassLoader();
            thread.setContextClassLoader(Fortunes.class.getClassLoader());
            try {
                ENGINE = TemplateEngine.createPrecompiled(null, ContentType.Html, Fortunes.class.getClassLoader(), TEMPLATES);
            } finally {
                thread.setContextClassLoader(context);
            }
        }
    }

    Fortunes(Database db) {
        this.db = db;
    }

    /**
     * Loads the template and renders it once, empty, so that a template that cannot load (say, its
     * package not opened to JTE on the module path) shows at start rather than at the first request.
     *
     * @throws gg.jte.TemplateException when the template class cannot be loaded or run
     */
    static void warmUp() {
        render(List.of());
    }

    /**
     * The page, UTF-8 encoded. On a request fiber; the query parks it.
     *
     * @throws dev.strand.jdbc.DatabaseException when the query fails or the deadline in force passes
     * @throws dev.strand.pool.PoolException     when no connection could be had
     */
    byte[] page() {
        List<Fortune> fortunes = new ArrayList<>(13);
        fortunes.addAll(db.query(SELECT, rs -> new Fortune(rs.getInt(1), rs.getString(2))));
        fortunes.add(new Fortune(0, ADDED));
        fortunes.sort(BY_MESSAGE);
        return render(fortunes);
    }

    /** Renders {@code fortunes} as they are; the template escapes the messages. */
    static byte[] render(List<Fortune> fortunes) {
        // The template's text parts are UTF-8 bytes already (binaryStaticContent): only the rows
        // are encoded here.
        Utf8ByteOutput output = new Utf8ByteOutput();
        Engine.ENGINE.render(TEMPLATE, fortunes, output);
        return output.toByteArray();
    }
}
