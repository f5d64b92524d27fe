/** Strand's runnable demo: the benchmark endpoints on an {@code HttpServer}. */
module dev.strand.demo {
    requires dev.strand.http;
    // res.json's mapper, which the server finds by itself.
    requires dev.strand.json;

    // Jackson reads the reply records reflectively.
    opens dev.strand.demo to tools.jackson.databind;
}
