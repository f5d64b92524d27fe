package dev.strand.launcher;

import dev.strand.config.Config;
import dev.strand.config.Setting;
import dev.strand.http.Routing;
import java.util.List;

/** A small application for the launcher's tests: greets with a configurable greeting. */
public final class HelloApplication implements Application {

    static final Setting<String> GREETING = Setting.string("hello.greeting").defaultValue("Hello");
    static final Setting<String> TOKEN = Setting.string("hello.token").secret();

    public HelloApplication() {
    }

    @Override
    public List<Setting<?>> settings() {
        return List.of(GREETING, TOKEN);
    }

    @Override
    public void routes(Routing routing, Config config) {
        String greeting = config.get(GREETING);
        routing.get("/hello/{name}", (req, res) -> res.send(greeting + " " + req.pathParam("name")));
    }
}
