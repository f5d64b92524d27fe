/**
 * Small runnable programs on Strand's reactor toolkit ({@code dev.strand.reactor.tcp}): an echo
 * server, a line-based chat server with rooms, an evented Redis client with pipelining and
 * pub/sub, and a {@code tail -f} over TCP. See {@code examples/README.md} to run them.
 */
module dev.strand.examples {
    requires transitive dev.strand.reactor; // its types (Reactor, Tcp, Deferred) are in this module's API
    exports dev.strand.examples;
    exports dev.strand.examples.redis;
}
