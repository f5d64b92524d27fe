/**
 * Strand's JDBC layer: {@link dev.strand.jdbc.Database} runs queries, updates, batches and
 * transactions on connections lent by a {@link dev.strand.pool.Pool}, honours the
 * {@link dev.strand.reactor.Deadline} in force, reuses prepared statements per connection, and
 * heals by itself when the database goes away and comes back.
 *
 * <p>No JDBC driver is a dependency: add the one you need (pgjdbc, MariaDB Connector/J, H2, …)
 * and the {@link java.sql.DriverManager} finds it.
 */
module dev.strand.jdbc {
    requires transitive java.sql;
    requires transitive dev.strand.pool;
    requires dev.strand.reactor;
    exports dev.strand.jdbc;
}
