package dev.strand.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.strand.http.spi.JsonMapper;
import dev.strand.json.internal.JacksonProvider;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

/** strand-json is found through the service loader, as a server looks for a mapper. */
class ServerFindsTheMapperByItselfTest {

    record Point(int x, int y) {
    }

    @Test
    void theServiceLoaderFindsJacksonAndItRoundTrips() {
        List<JsonMapper> found = ServiceLoader.load(JsonMapper.class, JsonMapper.class.getClassLoader()).stream()
                .map(ServiceLoader.Provider::get).toList();
        assertEquals(1, found.size(), "one provider: " + found);
        JsonMapper mapper = assertInstanceOf(JacksonProvider.class, found.getFirst());
        byte[] json = mapper.write(new Point(3, -4));
        assertEquals("{\"x\":3,\"y\":-4}", new String(json, StandardCharsets.UTF_8));
        assertEquals(new Point(3, -4), mapper.read(json, Point.class));
    }
}
