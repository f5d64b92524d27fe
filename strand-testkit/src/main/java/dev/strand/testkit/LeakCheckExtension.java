package dev.strand.testkit;

import java.time.Duration;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;

/** The extension behind {@link CheckLeaks}. Runs on JUnit's threads. */
final class LeakCheckExtension implements BeforeEachCallback, AfterEachCallback {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(LeakCheckExtension.class);

    @Override
    public void beforeEach(ExtensionContext context) {
        context.getStore(NAMESPACE).put(context.getUniqueId(), LeakCheck.start());
    }

    @Override
    public void afterEach(ExtensionContext context) {
        LeakCheck check = context.getStore(NAMESPACE).remove(context.getUniqueId(), LeakCheck.class);
        if (check == null) {
            return;
        }
        ServerExtension.stopMethodScoped(context);
        check.assertNothingLeaked(Duration.ofMillis(timeoutMillis(context)));
    }

    private static long timeoutMillis(ExtensionContext context) {
        return AnnotationSupport.findAnnotation(context.getTestMethod(), CheckLeaks.class)
                .or(() -> AnnotationSupport.findAnnotation(context.getTestClass(), CheckLeaks.class))
                .map(CheckLeaks::timeoutMillis)
                .orElse(5_000L);
    }
}
