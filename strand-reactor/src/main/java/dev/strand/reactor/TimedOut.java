package dev.strand.reactor;

/**
 * Marks an exception that means a wait ran out of time: a pool's acquire timeout, a deadline that
 * passed during a database call, a queue timeout. Code that reacts to overload reads it without
 * knowing every module's exceptions: Strand's HTTP server answers such a failure {@code 503}, and
 * counts it as a drop for an adaptive admission limit.
 */
public interface TimedOut {
}
