/**
 * Small runnable programs on Strand's reactor toolkit ({@code dev.strand.reactor.tcp}): an echo
 * server and a line-based chat server with rooms. See {@code examples/README.md} to run them.
 */
module dev.strand.examples {
    requires dev.strand.reactor;
    exports dev.strand.examples;
}
