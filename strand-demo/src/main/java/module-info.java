/** Strand's runnable demo: the benchmark endpoints on an {@code HttpServer}, {@code /db} on an in-memory H2. */
module dev.strand.demo {
    requires dev.strand.http;
    requires dev.strand.jdbc;
    requires tools.jackson.databind;
    // res.json's mapper, which the server finds by itself.
    requires dev.strand.json;

    // Jackson reads the reply records reflectively.
    opens dev.strand.demo to tools.jackson.databind;
}
