package dev.strand.http.internal;

import dev.strand.http.ErrorHandler;
import dev.strand.http.HttpException;
import dev.strand.http.Routing;
import java.util.Map;

/**
 * The error handlers declared with {@link Routing#error}, found by the failure's class: the
 * nearest declared superclass wins. Only failures look here, so a plain walk up the hierarchy is
 * cheap enough. Immutable.
 */
final class ErrorMapping {

    private final Map<Class<? extends Throwable>, ErrorHandler<?>> handlers;

    ErrorMapping(Map<Class<? extends Throwable>, ErrorHandler<?>> handlers) {
        this.handlers = Map.copyOf(handlers);
    }

    /**
     * The handler for {@code error}, or null. An {@link HttpException} already says how to answer,
     * so only a handler declared for {@code HttpException} or below takes it, never one for a
     * broader type.
     */
    @SuppressWarnings("unchecked") // declared as ErrorHandler<? super T> for the class T it was put under
    ErrorHandler<Throwable> find(Throwable error) {
        if (handlers.isEmpty()) {
            return null;
        }
        boolean http = error instanceof HttpException;
        for (Class<?> type = error.getClass(); type != null; type = type.getSuperclass()) {
            ErrorHandler<?> handler = handlers.get(type);
            if (handler != null) {
                return (ErrorHandler<Throwable>) handler;
            }
            if (http && type == HttpException.class) {
                return null;
            }
        }
        return null;
    }
}
