package dev.strand.jdbc;

/** A Java function for H2 ({@code CREATE ALIAS}): the name of the thread a statement runs on. Public for H2's reflection. */
public final class H2ThreadName {

    private H2ThreadName() {
    }

    /** The current thread's name. */
    public static String current() {
        return Thread.currentThread().getName();
    }
}
