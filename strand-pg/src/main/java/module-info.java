/**
 * Strand's PostgreSQL client: the protocol spoken natively on the event loops, statements of
 * concurrent callers pipelined on a few connections, behind {@link dev.strand.jdbc.Database}'s
 * synchronous API. Start at {@link dev.strand.pg.PgClient}.
 */
module dev.strand.pg {
    requires transitive dev.strand.jdbc;
    requires dev.strand.pool;
    requires dev.strand.reactor;
    exports dev.strand.pg;
}
