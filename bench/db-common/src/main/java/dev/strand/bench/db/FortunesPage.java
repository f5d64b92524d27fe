package dev.strand.bench.db;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.Utf8ByteOutput;
import java.util.List;

/**
 * The {@code /fortunes} page, rendered by the JTE template {@code src/main/jte/fortunes.jte},
 * compiled to a class of {@value #TEMPLATES} at build time (nothing is parsed or compiled at run
 * time); the same template text and engine settings as strand-demo's. Thread-safe.
 */
public final class FortunesPage {

    /** The package of the generated template classes (the jte-maven-plugin's {@code packageName}). */
    static final String TEMPLATES = "dev.strand.bench.db.templates";
    private static final String TEMPLATE = "fortunes.jte";

    private final TemplateEngine engine;

    /**
     * Loads the template class and renders it once, so that a broken template fails the peer's
     * start, not its first request.
     *
     * @throws gg.jte.TemplateException when the template class cannot be loaded or run
     */
    public FortunesPage() {
        engine = TemplateEngine.createPrecompiled(null, ContentType.Html, FortunesPage.class.getClassLoader(), TEMPLATES);
        render(List.of());
    }

    /** {@code rows} as they are (see {@link Rules#page}), UTF-8 encoded; the template escapes the messages. */
    public byte[] render(List<Fortune> rows) {
        Utf8ByteOutput output = new Utf8ByteOutput();
        engine.render(TEMPLATE, rows, output);
        return output.toByteArray();
    }
}
