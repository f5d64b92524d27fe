/**
 * Strand's runnable demo: the TechEmpower benchmark endpoints on an {@code HttpServer}, its
 * database endpoints on an in-memory H2 or on PostgreSQL or MariaDB through {@code strand-jdbc}.
 */
module dev.strand.demo {
    requires dev.strand.http;
    // DemoService: the demo as the strand launcher runs it.
    requires dev.strand.launcher;
    requires dev.strand.jdbc;
    // postgresql://… URLs: Strand's pipelined client.
    requires dev.strand.pg;
    // sun.misc.Signal: the QoS level follows SIGTTIN and SIGTTOU.
    requires jdk.unsupported;
    requires tools.jackson.databind;
    // res.json's mapper, which the server finds by itself.
    requires dev.strand.json;
    // /fortunes' template runtime (an automatic module). The generated template classes carry
    // @javax.annotation.processing.Generated, a compile-time annotation of java.compiler.
    requires gg.jte.runtime;
    requires static java.compiler;

    // The launcher makes a DemoService reflectively.
    exports dev.strand.demo to dev.strand.launcher;
    // Jackson reads the reply records reflectively.
    opens dev.strand.demo to tools.jackson.databind;
    // JTE calls the generated template's render method reflectively, and its static initialiser
    // has JTE read the template's text parts, a resource beside the class: both need the package
    // open to JTE.
    opens dev.strand.demo.templates to gg.jte.runtime;
}
