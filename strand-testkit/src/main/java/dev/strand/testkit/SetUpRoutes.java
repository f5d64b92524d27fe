package dev.strand.testkit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a static method of a {@link ServerTest} class that declares the server's routes: it takes
 * one {@link dev.strand.http.Routing} parameter. Several such methods (also inherited ones) all
 * run, superclass first, on the thread that starts the server, while the server is built.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface SetUpRoutes {
}
