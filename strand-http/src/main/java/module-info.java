/**
 * Strand's strict HTTP/1.1 server and routing, running on the reactor's loops.
 *
 * <p>{@code dev.strand.http.spi} holds the extension points other modules implement, such as the
 * {@link dev.strand.http.spi.JsonMapper} that {@code strand-json} provides.
 */
module dev.strand.http {
    requires transitive dev.strand.reactor;
    requires transitive dev.strand.admission;
    exports dev.strand.http;
    exports dev.strand.http.spi;
    // dev.strand.http.internal (the HTTP/1.1 parser, encoder, connection and dispatch) is not exported.

    uses dev.strand.http.spi.JsonMapper;
}
