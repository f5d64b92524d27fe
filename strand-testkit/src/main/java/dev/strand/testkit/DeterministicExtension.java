package dev.strand.testkit;

import dev.strand.reactor.Simulation;
import dev.strand.reactor.SimulationException;
import dev.strand.reactor.Trace;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.Extension;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.junit.jupiter.api.extension.TestTemplateInvocationContext;
import org.junit.jupiter.api.extension.TestTemplateInvocationContextProvider;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.commons.support.ReflectionSupport;

/**
 * The extension behind {@link DeterministicTest}: one invocation of the test template per seed, each
 * with a {@link Simulation} of its own that the method body runs in. Runs on JUnit's threads.
 */
final class DeterministicExtension implements TestTemplateInvocationContextProvider {

    /** The system property that picks the seeds, overriding the annotation. */
    static final String SEED_PROPERTY = "strand.seed";

    @Override
    public boolean supportsTestTemplate(ExtensionContext context) {
        return AnnotationSupport.isAnnotated(context.getTestMethod(), DeterministicTest.class);
    }

    @Override
    public Stream<TestTemplateInvocationContext> provideTestTemplateInvocationContexts(ExtensionContext context) {
        DeterministicTest test = AnnotationSupport.findAnnotation(context.getTestMethod(), DeterministicTest.class).orElseThrow();
        return seeds(test, System.getProperty(SEED_PROPERTY)).mapToObj(seed -> new SeedInvocation(seed, test));
    }

    /** The seeds to run: the property's, when set, else the annotation's. */
    static LongStream seeds(DeterministicTest test, String property) {
        if (property != null && !property.isBlank()) {
            try {
                return Arrays.stream(property.split(",")).map(String::trim).mapToLong(Long::parseLong);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("-D" + SEED_PROPERTY + " must be a seed or seeds separated by commas: " + property, e);
            }
        }
        if (test.seeds() < 1) {
            throw new IllegalArgumentException("@DeterministicTest(seeds = " + test.seeds() + "): at least 1");
        }
        return LongStream.range(0, test.seeds()).map(i -> test.from() + i);
    }

    /** The run of one seed. */
    private record SeedInvocation(long seed, DeterministicTest test) implements TestTemplateInvocationContext {
        @Override
        public String getDisplayName(int invocationIndex) {
            return "seed " + seed;
        }

        @Override
        public List<Extension> getAdditionalExtensions() {
            return List.of(new SeedRun(seed, test));
        }
    }

    /** Makes the seed's simulation, runs the body in it (twice when asked), says how to replay a failure. */
    private static final class SeedRun implements ParameterResolver, InvocationInterceptor, TestExecutionExceptionHandler,
            AfterEachCallback {
        private final long seed;
        private final DeterministicTest test;
        /** Every simulation this run made, closed after it. On JUnit's thread. */
        private final List<Simulation> made = new ArrayList<>();
        private Simulation first;

        SeedRun(long seed, DeterministicTest test) {
            this.seed = seed;
            this.test = test;
        }

        private Simulation newSimulation() {
            Simulation sim = Simulation.builder().seed(seed).timeLimit(Duration.ofSeconds(test.timeLimitSeconds())).build();
            made.add(sim);
            return sim;
        }

        private Simulation first() {
            if (first == null) {
                first = newSimulation();
            }
            return first;
        }

        @Override
        public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
            return parameter.getParameter().getType() == Simulation.class;
        }

        @Override
        public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
            return first();
        }

        @Override
        public void interceptTestTemplateMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> call,
                                                ExtensionContext context) throws Throwable {
            Simulation sim = first();
            sim.run(body(invocation::proceed));
            if (!test.twice()) {
                return;
            }
            Simulation second = newSimulation();
            Object[] arguments = call.getArguments().stream().map(a -> a == sim ? second : a).toArray();
            Method method = call.getExecutable();
            Object target = call.getTarget().orElse(null);
            // JUnit's own reflection: it makes the method accessible the way JUnit's invocation did,
            // and rethrows what the method threw as it is.
            second.run(body(() -> ReflectionSupport.invokeMethod(method, target, arguments)));
            Trace one = sim.trace();
            Trace two = second.trace();
            one.firstDivergence(two).ifPresent(where -> {
                throw new AssertionError("seed " + seed + " is not deterministic: its two runs diverged at " + where
                        + " (first run: " + one + ", second: " + two + ")");
            });
        }

        @Override
        public void handleTestExecutionException(ExtensionContext context, Throwable thrown) throws Throwable {
            if (thrown instanceof SimulationException failure) {
                String method = context.getRequiredTestClass().getName() + "#" + context.getRequiredTestMethod().getName();
                throw new AssertionError(failure.getMessage() + "\n[replay only this seed: ./mvnw test -Dtest='"
                        + method + "' -D" + SEED_PROPERTY + "=" + seed + ", or @DeterministicTest(from = " + seed + ")]",
                        failure.getCause() != null ? failure.getCause() : failure);
            }
            throw thrown;
        }

        @Override
        public void afterEach(ExtensionContext context) {
            made.forEach(Simulation::close);
            made.clear();
        }

        private static Callable<Void> body(Step step) {
            return () -> {
                try {
                    step.run();
                } catch (Exception | Error e) {
                    throw e;
                } catch (Throwable t) {
                    throw new IllegalStateException(t);
                }
                return null;
            };
        }
    }

    /** A step that may throw anything. */
    @FunctionalInterface
    private interface Step {
        void run() throws Throwable;
    }
}
