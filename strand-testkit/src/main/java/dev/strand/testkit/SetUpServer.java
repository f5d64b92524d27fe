package dev.strand.testkit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a static method of a {@link ServerTest} class that tunes the server: it takes one
 * {@link dev.strand.http.HttpServer.Builder} parameter, and runs after the {@link SetUpRoutes}
 * methods have been handed to the builder (so a {@code builder.routing(...)} here replaces them).
 * The kit sets the host ({@code 127.0.0.1}) and port (0, an ephemeral one) after these methods:
 * a port or host set here is overridden.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface SetUpServer {
}
