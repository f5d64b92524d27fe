package dev.strand.testkit;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/** The extension behind {@link CheckPinning}. Runs on JUnit's threads. */
final class PinningCheckExtension implements BeforeEachCallback, AfterEachCallback {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(PinningCheckExtension.class);

    @Override
    public void beforeEach(ExtensionContext context) {
        // AutoCloseable: JUnit closes it with the test's context should afterEach not be reached.
        context.getStore(NAMESPACE).put(context.getUniqueId(), PinningCheck.start());
    }

    @Override
    public void afterEach(ExtensionContext context) {
        PinningCheck check = context.getStore(NAMESPACE).remove(context.getUniqueId(), PinningCheck.class);
        if (check != null) {
            check.assertNoPinning();
        }
    }
}
