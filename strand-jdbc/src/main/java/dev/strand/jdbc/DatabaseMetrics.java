package dev.strand.jdbc;

import dev.strand.pool.PoolMetrics;

/**
 * A snapshot of a {@link Database}'s counters, taken by {@link Database#metrics()}. Counters run
 * from the database's start; under concurrent use they may be off by the calls in flight.
 *
 * @param pool               the connection pool's gauges and counters
 * @param statementsPrepared statements prepared, across connections: a miss of the statement cache
 * @param statementsReused   statements taken from a connection's cache instead of prepared again
 * @param refusedPastDeadline calls not sent because the deadline in force had passed
 * @param cancelledAtDeadline statements cancelled because the deadline passed while they ran
 * @param connectionsLost    connections found broken (by a statement or a validation) and discarded
 * @param refusedUnreachable calls failed at once because the database could not be reached
 * @param offloaded          driver calls run on an offload thread
 */
public record DatabaseMetrics(
        PoolMetrics pool,
        long statementsPrepared,
        long statementsReused,
        long refusedPastDeadline,
        long cancelledAtDeadline,
        long connectionsLost,
        long refusedUnreachable,
        long offloaded) {
}
