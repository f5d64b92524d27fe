/**
 * Small runnable programs on Strand's reactor toolkit ({@code dev.strand.reactor.tcp}): an echo
 * server, a line-based chat server with rooms, and an evented Redis client with pipelining and
 * pub/sub. See {@code examples/README.md} to run them.
 */
module dev.strand.examples {
    requires dev.strand.reactor;
    exports dev.strand.examples;
    exports dev.strand.examples.redis;
}
