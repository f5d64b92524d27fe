package dev.strand.http.internal;

import dev.strand.admission.Permit;
import dev.strand.http.RequestContext;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * One request/response pair on a connection: what the connection and the response need to share.
 * Fields without {@code volatile} are confined to the connection's loop.
 */
final class Exchange implements BodyPipe.Listener {

    /** How the response body is delimited. */
    enum Framing { NONE, LENGTH, CHUNKED, CLOSE }

    final Http1Connection connection;
    final RequestHead head;
    final BodyPipe body;
    final Route route;
    final Http1Request request;
    final Http1Response response;

    /** The whole request body has been parsed. */
    boolean requestComplete;
    boolean continueSent;
    /** The response head has been encoded. */
    boolean responseStarted;
    Framing framing = Framing.NONE;
    long declaredLength = -1;
    long sentLength;
    boolean closeAfter;
    /**
     * Bytes of a streamed body the loop has taken from the handler; with what the handler has
     * handed over, the bytes still on their way to the loop, which count toward the watermark.
     */
    volatile long streamTaken;
    /** The connection failed or closed; writes must stop. */
    volatile boolean aborted;

    /**
     * Bound around the route's filters and handlers; null when the route has no context. Made on
     * the loop when the head is parsed, so its clock starts then.
     */
    RequestContext context;

    /**
     * What to answer instead of running the route's handler: the partition function's failure or
     * the admission limit's rejection. Set on the loop before the route runs.
     */
    Throwable early;
    /** The admission permit the request runs under; given back by the dispatch stage, or on abort. */
    Permit permit;
    /** The limit's answer while the request waits in its queue; null otherwise. On the loop. */
    CompletableFuture<Permit> admission;
    /** The route's handler runs (or will) on the loop, once the body is complete. On the loop. */
    boolean runsOnLoop;
    /** The dispatch stage has been started (on its fiber, or on the loop). On the loop. */
    boolean dispatched;

    Exchange(Http1Connection connection, RequestHead head, Route route, Map<String, String> pathParams) {
        this.connection = connection;
        this.head = head;
        this.route = route;
        this.body = head.hasBody() ? new BodyPipe(this, connection.bodyLowWater, connection.bodyHighWater) : BodyPipe.EMPTY;
        this.request = new Http1Request(this, pathParams);
        this.response = new Http1Response(this);
    }

    /** The connection failed or closed under the exchange. On the loop. */
    void abort(IOException cause) {
        aborted = true;
        body.fail(cause);
        if (admission != null) {
            admission.cancel(false); // leaves the queue; a permit granted meanwhile is given back
        }
        if (!dispatched && permit != null) {
            permit.ignore(); // admitted but never started: the dispatch stage will not give it back
        }
    }

    @Override
    public void firstRead() {
        if (head.expectContinue()) {
            connection.loop().schedule(() -> connection.sendContinue(this));
        }
    }

    @Override
    public void drained() {
        connection.loop().execute(connection::resumeReading);
    }

    @Override
    public String toString() {
        return head.method() + " " + head.target();
    }
}
