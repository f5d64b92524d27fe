package dev.strand.jdbc;

import java.sql.Connection;
import java.sql.SQLException;

/** Opens a connection: through a driver by URL, or a data source. May block; any thread. */
@FunctionalInterface
interface Connector {

    Connection connect() throws SQLException;
}
