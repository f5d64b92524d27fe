/** Strand's runnable demo: the benchmark endpoints on an {@code HttpServer}. */
module dev.strand.demo {
    requires dev.strand.http;
    requires tools.jackson.databind;

    // Jackson reads the reply records reflectively.
    opens dev.strand.demo to tools.jackson.databind;
}
