/**
 * Strand's test kit: JUnit 5 extensions that start a server on an ephemeral port (or in memory,
 * with no port at all) and inject a client ({@link dev.strand.testkit.ServerTest}), check that a test leaked no threads, ports or
 * file descriptors ({@link dev.strand.testkit.CheckLeaks}) and that no fiber pinned its carrier
 * ({@link dev.strand.testkit.CheckPinning}), run a test body as a fiber on a loop the kit owns
 * ({@link dev.strand.testkit.EventedTest}) or in a deterministic simulation, once per seed
 * ({@link dev.strand.testkit.DeterministicTest}). See {@code docs/testing.md}.
 */
module dev.strand.testkit {
    requires transitive dev.strand.http;
    requires transitive org.junit.jupiter.api;
    // The pinning check listens for jdk.VirtualThreadPinned.
    requires jdk.jfr;

    exports dev.strand.testkit;
    // JUnit instantiates the extensions named by the annotations reflectively.
    opens dev.strand.testkit to org.junit.platform.commons;
}
