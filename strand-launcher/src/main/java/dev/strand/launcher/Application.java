package dev.strand.launcher;

import dev.strand.config.Config;
import dev.strand.config.Setting;
import dev.strand.http.Routing;
import java.util.List;

/**
 * An application that declares routes; the launcher owns the server that serves them, configured
 * from {@link ServerSettings}. A public class with a public no-argument constructor, named on the
 * command line ({@code strand com.example.Shop --port 9000}).
 *
 * <pre>{@code
 * public final class Hello implements Application {
 *     static final Setting<String> GREETING = Setting.string("hello.greeting").defaultValue("Hello");
 *
 *     public List<Setting<?>> settings() { return List.of(GREETING); }
 *
 *     public void routes(Routing routing, Config config) {
 *         String greeting = config.get(GREETING);
 *         routing.get("/hello/{name}", (req, res) -> res.send(greeting + " " + req.pathParam("name")));
 *     }
 * }
 * }</pre>
 *
 * <p>Threading: both methods are called once, on the launcher's thread, before the server starts.
 * Failures: what they throw stops the launch, reported with the application's name.
 */
public interface Application {

    /** The application's own settings, read from the same sources as the server's; none by default. */
    default List<Setting<?>> settings() {
        return List.of();
    }

    /** Declares the routes, with the loaded configuration at hand. */
    void routes(Routing routing, Config config);
}
