package dev.strand.http.internal;

import dev.strand.http.HttpServer;
import dev.strand.http.spi.JsonMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import java.util.ServiceLoader;

/**
 * A server's {@link JsonMapper}: the one installed with {@link HttpServer.Builder#jsonMapper}, or
 * the first {@link ServiceLoader} finds, looked up at first use so that a server that never
 * speaks JSON loads nothing for it (and one that does loads its library with the first request
 * that needs it, not on the way to its first response). Thread-safe.
 *
 * <p>Public for {@code HttpServer.Builder.build}; the module does not export this package.
 */
public final class Json {

    private final JsonMapper installed;
    /** Found by the service loader; a race looks it up twice and keeps either, which is harmless. */
    private volatile JsonMapper found;

    /** With {@code installed} null, the service loader's. */
    public Json(JsonMapper installed) {
        this.installed = installed;
    }

    /**
     * The mapper. Any thread.
     *
     * @throws IllegalStateException when there is none, with the dependency to add
     */
    JsonMapper mapper() {
        if (installed != null) {
            return installed;
        }
        JsonMapper mapper = found;
        if (mapper == null) {
            mapper = ServiceLoader.load(JsonMapper.class, JsonMapper.class.getClassLoader()).findFirst()
                    .orElseThrow(() -> new IllegalStateException(missing()));
            found = mapper;
        }
        return mapper;
    }

    /** What to add when there is no mapper, as Maven wants it. */
    static String missing() {
        return """
                No JSON mapper: Response.json and Request.Body.as need one. Add Strand's Jackson module:

                    <dependency>
                      <groupId>dev.strand</groupId>
                      <artifactId>strand-json</artifactId>
                      <version>%s</version>
                    </dependency>

                (with 'requires dev.strand.json;' in a module-info), or install a mapper of your own \
                with HttpServer.builder().jsonMapper(...).""".formatted(version());
    }

    private static String version() {
        try (InputStream in = Json.class.getResourceAsStream("strand.properties")) {
            if (in != null) {
                Properties properties = new Properties();
                properties.load(in);
                String version = properties.getProperty("version", "");
                if (!version.isEmpty() && !version.startsWith("$")) {
                    return version;
                }
            }
        } catch (IOException e) {
            // fall through: the message still names the artifact
        }
        return "<Strand's version>";
    }
}
