/**
 * JSON for {@code dev.strand.http} on Jackson 3. On the module path or the class path, a server
 * finds {@link dev.strand.json.JacksonJsonMapper} by itself; {@code res.json(value)} and
 * {@code req.body().as(type)} then work. Types Jackson reads or writes reflectively must be
 * opened to {@code tools.jackson.databind}.
 */
module dev.strand.json {
    requires transitive dev.strand.http;
    // JacksonJsonMapper.create takes Jackson's own mapper.
    requires transitive tools.jackson.databind;

    exports dev.strand.json;

    provides dev.strand.http.spi.JsonMapper with dev.strand.json.internal.JacksonProvider;
}
