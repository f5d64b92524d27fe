/** Strand's strict HTTP/1.1 server and routing, running on the reactor's loops. */
module dev.strand.http {
    requires transitive dev.strand.reactor;
    exports dev.strand.http;
}
