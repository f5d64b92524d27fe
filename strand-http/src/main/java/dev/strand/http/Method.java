package dev.strand.http;

import java.util.Optional;

/** The request methods of RFC 9110 (and PATCH); anything else is answered with 501. */
public enum Method {
    GET, HEAD, POST, PUT, DELETE, CONNECT, OPTIONS, TRACE, PATCH;

    /** The method for an exact, case-sensitive name. */
    public static Optional<Method> of(String name) {
        return switch (name) {
            case "GET" -> Optional.of(GET);
            case "HEAD" -> Optional.of(HEAD);
            case "POST" -> Optional.of(POST);
            case "PUT" -> Optional.of(PUT);
            case "DELETE" -> Optional.of(DELETE);
            case "CONNECT" -> Optional.of(CONNECT);
            case "OPTIONS" -> Optional.of(OPTIONS);
            case "TRACE" -> Optional.of(TRACE);
            case "PATCH" -> Optional.of(PATCH);
            default -> Optional.empty();
        };
    }
}
