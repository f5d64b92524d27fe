package dev.strand.testkit;

import dev.strand.http.HttpServer;
import dev.strand.http.Routing;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.EnumSet;
import org.junit.jupiter.api.extension.AfterClassTemplateInvocationCallback;
import org.junit.jupiter.api.extension.BeforeClassTemplateInvocationCallback;
import org.junit.jupiter.api.extension.ClassTemplateInvocationContext;
import org.junit.jupiter.api.extension.Extension;
import org.junit.jupiter.api.extension.ClassTemplateInvocationContextProvider;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.commons.support.HierarchyTraversalMode;
import org.junit.platform.commons.support.ReflectionSupport;

/**
 * The extension behind {@link ServerTest}: runs the class once per mode (a class template whose
 * invocations each note their mode in their store), starts the server when first needed (before
 * all tests, or before each with {@link ServerTest.Scope#METHOD}), keeps it in the extension store
 * of the class's run or the test, and stops it after them. Runs on JUnit's threads.
 */
final class ServerExtension implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback,
        AfterEachCallback, ParameterResolver, ClassTemplateInvocationContextProvider {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(ServerExtension.class);
    private static final String KEY = "server";
    private static final String MODE = "mode";

    @Override
    public boolean supportsClassTemplate(ExtensionContext context) {
        return annotation(context).isPresent();
    }

    @Override
    public Stream<ClassTemplateInvocationContext> provideClassTemplateInvocationContexts(ExtensionContext context) {
        ServerTest.Mode[] modes = annotation(context).orElseThrow().modes();
        if (modes.length == 0) {
            throw new ExtensionConfigurationException("@ServerTest of " + context.getDisplayName() + " names no mode");
        }
        EnumSet<ServerTest.Mode> seen = EnumSet.noneOf(ServerTest.Mode.class);
        for (ServerTest.Mode mode : modes) {
            if (!seen.add(mode)) {
                throw new ExtensionConfigurationException("@ServerTest of " + context.getDisplayName()
                        + " names mode " + mode + " twice");
            }
        }
        return Stream.of(modes).map(ModeRun::new);
    }

    /** One run of the class: its display name is its mode, and its store says which. */
    private record ModeRun(ServerTest.Mode mode) implements ClassTemplateInvocationContext {
        @Override
        public String getDisplayName(int invocationIndex) {
            return mode.displayName();
        }

        @Override
        public List<Extension> getAdditionalExtensions() {
            return List.of(new ModeNote(mode));
        }
    }

    /**
     * A run's own lifecycle: notes its mode in the run's store, then starts a class-scoped server
     * (so that it exists before any test's callbacks, a leak check's snapshot included), and stops
     * it after the run. JUnit calls a class template's beforeAll and afterAll once around all its
     * runs, so they cannot serve here.
     */
    private record ModeNote(ServerTest.Mode mode) implements BeforeClassTemplateInvocationCallback,
            AfterClassTemplateInvocationCallback {
        @Override
        public void beforeClassTemplateInvocation(ExtensionContext context) {
            context.getStore(NAMESPACE).put(MODE, mode);
            if (scope(context) == ServerTest.Scope.CLASS) {
                running(context);
            }
        }

        @Override
        public void afterClassTemplateInvocation(ExtensionContext context) {
            stop(context);
        }
    }

    /** A started server and its client; closing stops the server (idempotent, as stop is). */
    record Running(HttpServer server, TestClient client) implements AutoCloseable {
        @Override
        public void close() {
            server.close();
        }
    }

    @Override
    public ExtensionContextScope getTestInstantiationExtensionContextScope(ExtensionContext rootContext) {
        // A test constructor sees the test's context, so a per-test server can be injected into it.
        return ExtensionContextScope.TEST_METHOD;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        // Around a class template's runs (no mode yet) there is no server; a nested class's finds its run's.
        if (scope(context) == ServerTest.Scope.CLASS && context.getStore(NAMESPACE).get(MODE) != null) {
            running(context);
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        running(context);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        stopMethodScoped(context);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (scope(context) == ServerTest.Scope.CLASS) {
            stop(context);
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == TestClient.class || type == HttpServer.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Running running = running(context);
        return parameter.getParameter().getType() == TestClient.class ? running.client() : running.server();
    }

    /**
     * Stops the server of the test in {@code context} if the class's scope is {@link ServerTest.Scope#METHOD}
     * and one was started; a no-op otherwise. For the leak check, which must see the server gone
     * whichever of the two extensions JUnit runs first.
     */
    static void stopMethodScoped(ExtensionContext context) {
        Optional<ServerTest> annotation = annotation(context);
        if (annotation.isPresent() && annotation.get().scope() == ServerTest.Scope.METHOD
                && context.getTestMethod().isPresent()) {
            stop(context);
        }
    }

    private static void stop(ExtensionContext context) {
        Running running = context.getStore(NAMESPACE).remove(KEY, Running.class);
        if (running != null) {
            running.close();
        }
    }

    private static Running running(ExtensionContext context) {
        ExtensionContext owner = owner(context);
        return owner.getStore(NAMESPACE).computeIfAbsent(KEY, key -> start(owner.getRequiredTestClass(), mode(owner)),
                Running.class);
    }

    /** The context whose store holds the server: the class's, or the test's. */
    private static ExtensionContext owner(ExtensionContext context) {
        if (scope(context) == ServerTest.Scope.METHOD) {
            if (context.getTestMethod().isEmpty()) {
                throw new ParameterResolutionException("a server of scope METHOD is made per test: inject it into the "
                        + "test method or a @BeforeEach method, not into a constructor of a PER_CLASS test instance "
                        + "or a @BeforeAll method (" + context.getDisplayName() + ")");
            }
            return context;
        }
        ExtensionContext owner = context;
        while (owner.getTestMethod().isPresent() && owner.getParent().isPresent()) {
            owner = owner.getParent().get();
        }
        return owner;
    }

    /** The mode of the class's run that {@code context} belongs to (its store or a parent's). */
    private static ServerTest.Mode mode(ExtensionContext context) {
        ServerTest.Mode mode = context.getStore(NAMESPACE).get(MODE, ServerTest.Mode.class);
        return mode == null ? ServerTest.Mode.SOCKET : mode;
    }

    private static ServerTest.Scope scope(ExtensionContext context) {
        return annotation(context).map(ServerTest::scope).orElse(ServerTest.Scope.CLASS);
    }

    private static Optional<ServerTest> annotation(ExtensionContext context) {
        for (Class<?> type = context.getTestClass().orElse(null); type != null; type = type.getEnclosingClass()) {
            Optional<ServerTest> found = AnnotationSupport.findAnnotation(type, ServerTest.class);
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.empty();
    }

    private static Running start(Class<?> testClass, ServerTest.Mode mode) {
        List<Method> routes = setUpMethods(testClass, SetUpRoutes.class, Routing.class);
        List<Method> tuning = setUpMethods(testClass, SetUpServer.class, HttpServer.Builder.class);
        HttpServer.Builder builder = HttpServer.builder();
        if (!routes.isEmpty()) {
            builder.routing(routing -> routes.forEach(method -> ReflectionSupport.invokeMethod(method, null, routing)));
        }
        tuning.forEach(method -> ReflectionSupport.invokeMethod(method, null, builder));
        if (mode == ServerTest.Mode.IN_MEMORY) {
            HttpServer server = builder.config(config -> config.listen(false)).build().start();
            return new Running(server, TestClient.inMemory(server));
        }
        HttpServer server = builder.host("127.0.0.1").port(0).config(config -> config.listen(true)).build().start();
        return new Running(server, TestClient.create(server.port()));
    }

    private static List<Method> setUpMethods(Class<?> testClass, Class<? extends java.lang.annotation.Annotation> marker,
                                             Class<?> parameter) {
        List<Method> methods = AnnotationSupport.findAnnotatedMethods(testClass, marker, HierarchyTraversalMode.TOP_DOWN);
        for (Method method : methods) {
            if (!Modifier.isStatic(method.getModifiers()) || method.getParameterCount() != 1
                    || method.getParameterTypes()[0] != parameter) {
                throw new ExtensionConfigurationException("@" + marker.getSimpleName() + " method " + method
                        + " must be static and take one " + parameter.getName());
            }
        }
        return methods;
    }
}
