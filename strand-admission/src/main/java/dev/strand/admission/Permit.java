package dev.strand.admission;

/**
 * The right to run one unit of work under a {@link Limit}, until it is given back. Give it back
 * exactly once, in the way that says how the work went, so that an adaptive limit learns from it:
 * {@link #close()} when the work is done (its duration is a sample), {@link #dropped()} when it
 * timed out or missed its deadline (a sign of overload), {@link #ignore()} when it says nothing
 * about the limit (the client went away, the input was bad). Only the first of the three counts;
 * later calls do nothing.
 *
 * <pre>{@code
 * try (Permit permit = limit.acquire()) {
 *     return callTheBackend();
 * }
 * }</pre>
 *
 * <p>Any thread may give a permit back, not only the one that acquired it.
 */
public interface Permit extends AutoCloseable {

    /** The work is done: gives the permit back, its time since it was granted counted as a sample. */
    @Override
    void close();

    /** The work timed out or missed its deadline: gives the permit back, and adaptive limits back off. */
    void dropped();

    /** Gives the permit back without teaching the limit anything. */
    void ignore();
}
