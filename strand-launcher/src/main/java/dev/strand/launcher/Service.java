package dev.strand.launcher;

import dev.strand.config.Config;
import dev.strand.config.Setting;
import java.util.List;

/**
 * An application that starts its own servers (TCP servers of the toolkit, several HTTP servers…):
 * the launcher loads its configuration, calls {@link #start}, and closes what it returned when the
 * process is told to stop. A public class with a public no-argument constructor.
 *
 * <p>Threading: {@link #start} is called once on the launcher's thread; the returned handle is
 * closed once, from the JVM's shutdown hook. Failures: what {@code start} throws stops the launch.
 */
public interface Service {

    /** The service's own settings; none by default. */
    default List<Setting<?>> settings() {
        return List.of();
    }

    /**
     * Starts the service with {@code config} (which holds {@link ServerSettings} too, for services that
     * build an HTTP server of their own with {@link ServerSettings#apply}).
     *
     * @return what stops it: an {@link dev.strand.http.HttpServer} or a {@link Launched} also tells the
     *         launcher its port
     */
    AutoCloseable start(Config config) throws Exception;
}
