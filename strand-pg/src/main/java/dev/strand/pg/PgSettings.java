package dev.strand.pg;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** What a connection needs to open a session; from {@link PgClient.Builder}. Immutable. */
record PgSettings(String name, String host, int port, String database, String user, Optional<String> password,
        String applicationName, Duration connectTimeout, Map<String, String> parameters) {

    /** The settings without the password, which a record would print: this may end up in a log. */
    @Override
    public String toString() {
        return "PgSettings[name=" + name + ", host=" + host + ", port=" + port + ", database=" + database + ", user=" + user
                + ", password=" + (password.isPresent() ? "(set)" : "(none)") + ", applicationName=" + applicationName
                + ", connectTimeout=" + connectTimeout + ", parameters=" + parameters + "]";
    }
}
