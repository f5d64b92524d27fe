package dev.strand.http.internal;

/** Reason phrases and the pre-encoded status lines of common statuses. */
final class Status {

    private static final byte[][] LINES = new byte[600][];

    private Status() {
    }

    static String reason(int status) {
        return switch (status) {
            case 100 -> "Continue";
            case 101 -> "Switching Protocols";
            case 200 -> "OK";
            case 201 -> "Created";
            case 202 -> "Accepted";
            case 204 -> "No Content";
            case 206 -> "Partial Content";
            case 301 -> "Moved Permanently";
            case 302 -> "Found";
            case 303 -> "See Other";
            case 304 -> "Not Modified";
            case 307 -> "Temporary Redirect";
            case 308 -> "Permanent Redirect";
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 406 -> "Not Acceptable";
            case 408 -> "Request Timeout";
            case 409 -> "Conflict";
            case 410 -> "Gone";
            case 411 -> "Length Required";
            case 412 -> "Precondition Failed";
            case 413 -> "Content Too Large";
            case 414 -> "URI Too Long";
            case 415 -> "Unsupported Media Type";
            case 417 -> "Expectation Failed";
            case 422 -> "Unprocessable Content";
            case 429 -> "Too Many Requests";
            case 431 -> "Request Header Fields Too Large";
            case 500 -> "Internal Server Error";
            case 501 -> "Not Implemented";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            case 504 -> "Gateway Timeout";
            case 505 -> "HTTP Version Not Supported";
            default -> "Status " + status;
        };
    }

    /** {@code HTTP/1.1 <status> <reason>\r\n}, cached for statuses below 600. */
    static byte[] line(int status) {
        if (status >= LINES.length) {
            return encode(status);
        }
        byte[] line = LINES[status];
        if (line == null) {
            line = encode(status);
            LINES[status] = line; // benign race: every thread computes the same bytes
        }
        return line;
    }

    private static byte[] encode(int status) {
        return ("HTTP/1.1 " + status + " " + reason(status) + "\r\n").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    /** Whether a response with this status has no body (RFC 9110 §6.4.1). */
    static boolean bodiless(int status) {
        return status < 200 || status == 204 || status == 304;
    }
}
