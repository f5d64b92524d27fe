package dev.strand.testkit;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.List;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;
import org.junit.platform.testkit.engine.Events;

/**
 * Runs a sample test class (a static nested class, which Surefire does not run by itself) on the
 * Jupiter engine, for tests that check what an extension does to a test's outcome.
 */
final class Samples {

    private Samples() {
    }

    /** The finished test events of running {@code sample}. */
    static Events run(Class<?> sample) {
        return EngineTestKit.engine("junit-jupiter").configurationParameter(Sample.PARAMETER, "true").selectors(selectClass(sample)).execute().testEvents().finished();
    }

    /**
     * What failed {@code sample}: the one test or container (such as the class, when its
     * {@code beforeAll} failed) that failed.
     */
    static Throwable failure(Class<?> sample) {
        List<Event> failed = EngineTestKit.engine("junit-jupiter").configurationParameter(Sample.PARAMETER, "true").selectors(selectClass(sample)).execute()
                .allEvents().finished().failed().list();
        if (failed.size() != 1) {
            throw new AssertionError("expected one failure running " + sample.getSimpleName() + ", got " + failed.size()
                    + ": " + failed);
        }
        return failed.getFirst().getRequiredPayload(TestExecutionResult.class).getThrowable().orElseThrow();
    }

    /** Fails unless every test of {@code sample} passed, at least one ran, and none was skipped. */
    static void assertAllPassed(Class<?> sample) {
        List<Event> finished = run(sample).list();
        if (finished.isEmpty()) {
            throw new AssertionError("no test of " + sample.getSimpleName() + " ran");
        }
        for (Event event : finished) {
            TestExecutionResult result = event.getRequiredPayload(TestExecutionResult.class);
            if (result.getStatus() != TestExecutionResult.Status.SUCCESSFUL) {
                AssertionError error = new AssertionError(event.getTestDescriptor().getDisplayName() + " of "
                        + sample.getSimpleName() + " ended " + result.getStatus());
                result.getThrowable().ifPresent(error::initCause);
                throw error;
            }
        }
    }

}
