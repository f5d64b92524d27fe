package dev.strand.http;

/** How a route's handler is run; the wrappers made by {@link Handler}'s factories. */
final class Dispatch {

    private Dispatch() {
    }

    /** Runs inline on the loop once the body has arrived. */
    record Inline(Handler handler) implements Handler {
        @Override
        public void handle(Request req, Response res) throws Exception {
            handler.handle(req, res);
        }
    }

    /** Runs inline on the loop once the body has arrived; completes through a future. */
    record Async(AsyncHandler handler) implements Handler {
        @Override
        public void handle(Request req, Response res) {
            throw new UnsupportedOperationException("async handlers are run through their future");
        }
    }

    /** Whether the handler runs on the loop (and so needs its body before it starts). */
    static boolean onLoop(Handler handler) {
        return handler instanceof Inline || handler instanceof Async;
    }
}
