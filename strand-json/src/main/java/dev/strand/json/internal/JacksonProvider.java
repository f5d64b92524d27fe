package dev.strand.json.internal;

import dev.strand.http.spi.JsonMapper;
import dev.strand.json.JacksonJsonMapper;

/**
 * What {@link java.util.ServiceLoader} instantiates: a {@link JacksonJsonMapper} with Jackson's
 * defaults. Public with a public constructor only because the class path's service loading
 * requires it; not exported, not API.
 */
public final class JacksonProvider implements JsonMapper {

    private final JacksonJsonMapper mapper = JacksonJsonMapper.create();

    /** For the service loader. */
    public JacksonProvider() {
    }

    @Override
    public byte[] write(Object value) {
        return mapper.write(value);
    }

    @Override
    public <T> T read(byte[] json, Class<T> type) {
        return mapper.read(json, type);
    }
}
