package dev.strand.demo;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The base of the endpoint tests: each subclass runs once per {@link Backend}, against a demo
 * server over that database, seeded by the seed command first. On a backend that is not there each
 * test is skipped with the reason, so that the report counts and shows them (under CI each fails
 * instead). Test classes run one at a time, so one server is up at a time.
 */
@ParameterizedClass(name = "on {0}")
@EnumSource(Backend.class)
@Timeout(120)
abstract class OnEveryBackend {

    /** The server of the current run. */
    static DemoServer demo;

    @Parameter
    Backend backend;

    @BeforeParameterizedClassInvocation
    static void start(Backend backend) {
        if (backend.available()) {
            demo = DemoServer.start(backend);
        }
    }

    @BeforeEach
    void assumeTheBackendIsThere() {
        backend.assumeAvailable();
    }

    @AfterParameterizedClassInvocation
    static void stop() {
        if (demo != null) {
            try {
                demo.close();
            } finally {
                demo = null;
            }
        }
    }
}
