package dev.strand.jdbc;

import java.util.concurrent.atomic.LongAdder;

/** The counters behind {@link DatabaseMetrics}; written from any thread without contention. */
final class Counters {
    final LongAdder prepared = new LongAdder();
    final LongAdder reused = new LongAdder();
    final LongAdder refusedPastDeadline = new LongAdder();
    final LongAdder cancelledAtDeadline = new LongAdder();
    final LongAdder connectionsLost = new LongAdder();
    final LongAdder refusedUnreachable = new LongAdder();
    final LongAdder offloaded = new LongAdder();
}
