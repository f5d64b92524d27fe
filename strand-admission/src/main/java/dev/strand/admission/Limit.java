package dev.strand.admission;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Admission control: at most {@link LimitStats#limit() some number} of units of work at once,
 * the next ones held in a bounded queue, the rest turned away at once. One limit may be shared by
 * many routes (say all routes that use the same database), or split per partition with
 * {@link PartitionedLimit} so that one tenant's flood cannot take another's share.
 *
 * <pre>{@code
 * Limit reports = FixedLimit.builder().name("reports").permits(8)
 *         .queueLength(32).queueTimeout(Duration.ofMillis(500)).build();
 * try (Permit permit = reports.acquire()) {      // a fiber parks here while the limit is full
 *     return renderReport();
 * }
 * }</pre>
 *
 * <p>Implementations: {@link FixedLimit}; {@link AimdLimit} and {@link GradientLimit}, which adapt
 * their figure to the latency and the drops of the work they admit; {@link PartitionedLimit}.
 *
 * <p><b>Queue.</b> Waiting work is served first come, first served ({@link LimitBuilder#lifo} serves
 * the newest first), {@link QosClass#CRITICAL} work ahead of the rest. Work that waited its queue
 * timeout, or whose {@link dev.strand.reactor.Deadline} passed while it waited, is rejected and never
 * started. An acquire never enters the queue ahead of work already waiting in its class.
 *
 * <p><b>Threading.</b> Every method may be called from any thread: fibers, platform threads, event
 * loops. Only {@link #acquire()} waits (it parks the calling thread, which for a fiber frees its
 * carrier); {@link #acquireAsync} never waits, and its future is completed on whichever thread gives
 * a permit back, changes the {@link QosLevel}, or times the wait out, so what is chained to it must
 * be quick or hand itself off (an HTTP server hands it to the request's loop).
 */
public interface Limit {

    /** The limit's name, which its rejections and stats carry. */
    String name();

    /**
     * A permit if one is free now and no {@link QosClass#STANDARD} work waits; never waits. Any thread.
     */
    Optional<Permit> tryAcquire();

    /** {@link #acquire(QosClass)} as {@link QosClass#STANDARD} work. */
    default Permit acquire() {
        return acquire(QosClass.STANDARD);
    }

    /**
     * A permit, waiting for one in the queue if need be, until the queue timeout or the
     * {@link dev.strand.reactor.Deadline} in force, whichever comes first. Parks the calling thread.
     *
     * @throws AdmissionException when the work is turned away, times out, or the wait is
     *         interrupted (the thread's interrupt status is then set again)
     */
    Permit acquire(QosClass qos);

    /**
     * A future of a permit: completed at once when one is free or the work is turned away, else when
     * the queue lets the work start or its wait ends (completed exceptionally with an
     * {@link AdmissionException}). The queue timeout and the {@link dev.strand.reactor.Deadline} in
     * force on the calling thread apply. Cancelling the future leaves the queue (a permit granted in
     * the same instant is given back). Never waits; see the class comment for where the future is
     * completed.
     */
    CompletableFuture<Permit> acquireAsync(QosClass qos);

    /**
     * The limit that work of partition {@code key} uses: this one, unless this is a
     * {@link PartitionedLimit}.
     */
    default Limit forPartition(String key) {
        return this;
    }

    /** What the limit is doing now. Any thread. */
    LimitStats stats();
}
