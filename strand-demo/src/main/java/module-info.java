/**
 * Strand's runnable demo: the TechEmpower benchmark endpoints on an {@code HttpServer}, its
 * database endpoints on an in-memory H2 or on PostgreSQL or MariaDB through {@code strand-jdbc}.
 */
module dev.strand.demo {
    requires dev.strand.http;
    requires dev.strand.jdbc;
    requires tools.jackson.databind;
    // res.json's mapper, which the server finds by itself.
    requires dev.strand.json;

    // Jackson reads the reply records reflectively.
    opens dev.strand.demo to tools.jackson.databind;
}
