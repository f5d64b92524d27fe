package dev.strand.testkit;

import dev.strand.reactor.EventLoop;
import dev.strand.reactor.Reactor;
import java.lang.reflect.Method;
import java.time.Duration;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The extension behind {@link EventedTest}: opens an {@link Evented.Session} before each test, runs
 * the test method's invocation on its fiber, and closes it after. Runs on JUnit's threads, but for
 * the invocation itself.
 */
final class EventedExtension implements BeforeEachCallback, AfterEachCallback, InvocationInterceptor, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(EventedExtension.class);

    @Override
    public void beforeEach(ExtensionContext context) {
        // AutoCloseable: JUnit closes it with the test's context should afterEach not be reached.
        context.getStore(NAMESPACE).put(context.getUniqueId(), Evented.Session.open());
    }

    @Override
    public void interceptTestMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> invocationContext,
                                    ExtensionContext context) throws Throwable {
        Duration timeout = Duration.ofMillis(AnnotationSupport.findAnnotation(context.getTestMethod(), EventedTest.class)
                .map(EventedTest::timeoutMillis).orElse(Evented.DEFAULT_TIMEOUT.toMillis()));
        session(context).run(timeout, loop -> invocation.proceed());
    }

    @Override
    public void afterEach(ExtensionContext context) {
        Evented.Session session = context.getStore(NAMESPACE).remove(context.getUniqueId(), Evented.Session.class);
        if (session != null) {
            session.close();
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return context.getTestMethod().isPresent() && (type == EventLoop.class || type == Reactor.class);
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Evented.Session session = session(context);
        return parameter.getParameter().getType() == EventLoop.class ? session.loop() : session.reactor();
    }

    private static Evented.Session session(ExtensionContext context) {
        Evented.Session session = context.getStore(NAMESPACE).get(context.getUniqueId(), Evented.Session.class);
        if (session == null) {
            throw new IllegalStateException("no evented session for " + context.getDisplayName()
                    + ": the loop exists from before @BeforeEach to after @AfterEach of an @EventedTest");
        }
        return session;
    }
}
