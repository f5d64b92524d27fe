package dev.strand.http.internal;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A second, deliberately plain reading of RFC 9112's message framing, for the fuzz tests to hold
 * {@link Http1Parser} against. It looks at the whole input at once (no increments, no state
 * machine), splits on CRLF, and checks only what decides where a request and its body begin and
 * end: line endings, the request line's shape and version, field-line syntax, Host, Content-Length
 * and Transfer-Encoding, and chunked framing. It is laxer than the parser elsewhere (any target,
 * any method token, any count of leading empty lines, no limits), so "the parser accepts, the
 * reference refuses" is always a parser bug, never a difference of taste.
 */
final class ReferenceFraming {

    /** What the reference made of the head at some offset. */
    sealed interface HeadResult permits Head, Refused, Incomplete {
    }

    /** What the reference made of a body. */
    sealed interface BodyResult permits Body, Refused, Incomplete {
    }

    /** The bytes break a framing rule. */
    record Refused(String why) implements HeadResult, BodyResult {
    }

    /** The bytes end before the head or body does. */
    record Incomplete() implements HeadResult, BodyResult {
    }

    /**
     * A head that frames correctly.
     *
     * @param end           the offset just past the head's empty line
     * @param contentLength the declared length, or -1 when chunked or absent
     */
    record Head(int end, boolean http11, List<String> fields, long contentLength, boolean chunked,
                boolean keepAlive) implements HeadResult {
    }

    /** A complete body: its bytes, its trailer fields (name, value, name, value...), its end. */
    record Body(int end, byte[] bytes, List<String> trailers) implements BodyResult {
    }

    private final byte[] raw;
    /** The input as ISO-8859-1, so that each char is one byte. */
    private final String in;

    ReferenceFraming(byte[] input) {
        this.raw = input;
        this.in = new String(input, StandardCharsets.ISO_8859_1);
    }

    /** Reads the head of a request that starts at {@code from} (leading empty lines allowed). */
    HeadResult head(int from) {
        int start = from;
        while (in.startsWith("\r\n", start)) {
            start += 2;
        }
        int blank = in.indexOf("\r\n\r\n", start);
        if (blank < 0) {
            return firstLineBreakIsBad(start) ? new Refused("bare CR or LF") : new Incomplete();
        }
        String[] lines = in.substring(start, blank).split("\r\n", -1);
        for (String line : lines) {
            if (line.indexOf('\r') >= 0 || line.indexOf('\n') >= 0) {
                return new Refused("bare CR or LF");
            }
        }
        String[] requestLine = lines[0].split(" ", -1);
        if (requestLine.length != 3 || !isToken(requestLine[0]) || requestLine[1].isEmpty()) {
            return new Refused("request line is not method SP target SP version");
        }
        String version = requestLine[2];
        if (version.length() != 8 || !version.startsWith("HTTP/") || !isDigit(version.charAt(5))
                || version.charAt(6) != '.' || !isDigit(version.charAt(7))) {
            return new Refused("malformed version");
        }
        if (version.charAt(5) != '1') {
            return new Refused("not HTTP/1.x");
        }
        boolean http11 = version.charAt(7) != '0';

        List<String> fields = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            String why = field(lines[i], fields);
            if (why != null) {
                return new Refused(why);
            }
        }
        List<String> hosts = values(fields, "host");
        if (http11 ? hosts.size() != 1 : hosts.size() > 1) {
            return new Refused("Host is not there exactly once");
        }
        List<String> lengths = values(fields, "content-length");
        List<String> codings = values(fields, "transfer-encoding");
        if (lengths.size() > 1) {
            return new Refused("more than one Content-Length");
        }
        long contentLength = -1;
        if (lengths.size() == 1) {
            String value = lengths.get(0);
            if (value.isEmpty() || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
                return new Refused("Content-Length is not 1*DIGIT");
            }
            BigInteger length = new BigInteger(value);
            if (length.bitLength() > 62) {
                return new Refused("Content-Length beyond any body we could take");
            }
            contentLength = length.longValue();
        }
        boolean chunked = false;
        if (!codings.isEmpty()) {
            if (!lengths.isEmpty()) {
                return new Refused("Content-Length and Transfer-Encoding");
            }
            if (!http11) {
                return new Refused("Transfer-Encoding in HTTP/1.0");
            }
            String[] list = String.join(",", codings).split(",", -1);
            for (int i = 0; i < list.length; i++) {
                boolean isChunked = trimOws(list[i]).toLowerCase(Locale.ROOT).equals("chunked");
                if (isChunked != (i == list.length - 1)) {
                    return new Refused("chunked is not the final coding, once");
                }
            }
            chunked = true;
        }
        boolean close = false;
        boolean keepAliveToken = false;
        for (String value : values(fields, "connection")) {
            for (String option : value.split(",", -1)) {
                String o = trimOws(option).toLowerCase(Locale.ROOT);
                close |= o.equals("close");
                keepAliveToken |= o.equals("keep-alive");
            }
        }
        boolean keepAlive = !close && (http11 || keepAliveToken);
        return new Head(blank + 4, http11, fields, contentLength, chunked, keepAlive);
    }

    /** Reads the body that follows {@code head}. */
    BodyResult body(Head head) {
        int at = head.end();
        if (!head.chunked()) {
            long length = Math.max(head.contentLength(), 0);
            if (in.length() - at < length) {
                return new Incomplete();
            }
            return new Body(at + (int) length, bytes(at, at + (int) length), List.of());
        }
        StringBuilder body = new StringBuilder();
        while (true) {
            int eol = in.indexOf("\r\n", at);
            if (eol < 0) {
                return firstLineBreakIsBad(at) ? new Refused("bare CR or LF in a chunk line") : new Incomplete();
            }
            String line = in.substring(at, eol);
            BigInteger size = chunkSize(line);
            if (size == null) {
                return new Refused("malformed chunk line: " + line);
            }
            at = eol + 2;
            if (size.signum() == 0) {
                break;
            }
            if (size.compareTo(BigInteger.valueOf(in.length() - at)) > 0) {
                return new Incomplete();
            }
            int end = at + size.intValueExact();
            body.append(in, at, end);
            if (in.length() - end < 2) {
                return in.length() == end || in.charAt(end) == '\r' ? new Incomplete() : new Refused("no CRLF after chunk data");
            }
            if (!in.startsWith("\r\n", end)) {
                return new Refused("no CRLF after chunk data");
            }
            at = end + 2;
        }
        List<String> trailers = new ArrayList<>();
        while (true) {
            int eol = in.indexOf("\r\n", at);
            if (eol < 0) {
                return firstLineBreakIsBad(at) ? new Refused("bare CR or LF in a trailer") : new Incomplete();
            }
            String line = in.substring(at, eol);
            at = eol + 2;
            if (line.isEmpty()) {
                return new Body(at, body.toString().getBytes(StandardCharsets.ISO_8859_1), trailers);
            }
            if (line.indexOf('\r') >= 0 || line.indexOf('\n') >= 0) {
                return new Refused("bare CR or LF in a trailer");
            }
            String why = field(line, trailers);
            if (why != null) {
                return new Refused(why);
            }
        }
    }

    /** A field line (RFC 9112 §5): adds name and value to {@code into}, or says why not. */
    private static String field(String line, List<String> into) {
        if (line.startsWith(" ") || line.startsWith("\t")) {
            return "obs-fold";
        }
        int colon = line.indexOf(':');
        if (colon <= 0 || !isToken(line.substring(0, colon))) {
            return "field name is not a token right before ':'";
        }
        String value = trimOws(line.substring(colon + 1));
        for (char c : value.toCharArray()) {
            if ((c < 0x20 && c != '\t') || c == 0x7f) {
                return "control character in a field value";
            }
        }
        into.add(line.substring(0, colon));
        into.add(value);
        return null;
    }

    /**
     * {@code chunk-size [ chunk-ext ]} (RFC 9112 §7.1.1) by a small grammar walk; null when the
     * line does not match. BWS is allowed around ';' and '=' of an extension, nowhere else.
     */
    private static BigInteger chunkSize(String line) {
        if (line.indexOf('\r') >= 0 || line.indexOf('\n') >= 0) {
            return null;
        }
        int hexEnd = 0;
        while (hexEnd < line.length() && Character.digit(line.charAt(hexEnd), 16) >= 0 && line.charAt(hexEnd) < 0x80) {
            hexEnd++;
        }
        if (hexEnd == 0) {
            return null;
        }
        String rest = line.substring(hexEnd);
        while (!rest.isEmpty()) {
            rest = stripLeadingBlanks(rest);
            if (!rest.startsWith(";")) {
                return null;
            }
            rest = stripLeadingBlanks(rest.substring(1));
            int name = tokenLength(rest);
            if (name == 0) {
                return null;
            }
            rest = rest.substring(name);
            String afterBlanks = stripLeadingBlanks(rest);
            if (afterBlanks.startsWith("=")) {
                rest = stripLeadingBlanks(afterBlanks.substring(1));
                int value = rest.startsWith("\"") ? quotedStringLength(rest) : tokenLength(rest);
                if (value <= 0) {
                    return null;
                }
                rest = rest.substring(value);
            }
        }
        return new BigInteger(line.substring(0, hexEnd), 16);
    }

    /** The length of the quoted-string at the start of {@code s}, or -1. */
    private static int quotedStringLength(String s) {
        for (int i = 1; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"') {
                return i + 1;
            }
            if (c == '\\') {
                i++; // quoted-pair: the next char is taken as it is, if it is HTAB, SP, VCHAR or obs-text
                if (i == s.length() || !isQuotable(s.charAt(i))) {
                    return -1;
                }
            } else if (!isQuotable(c)) {
                return -1;
            }
        }
        return -1;
    }

    private static boolean isQuotable(char c) {
        return c == '\t' || (c >= 0x20 && c != 0x7f);
    }

    private static int tokenLength(String s) {
        int i = 0;
        while (i < s.length() && isTokenChar(s.charAt(i))) {
            i++;
        }
        return i;
    }

    private static String stripLeadingBlanks(String s) {
        int i = 0;
        while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
            i++;
        }
        return s.substring(i);
    }

    private static String trimOws(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && (s.charAt(start) == ' ' || s.charAt(start) == '\t')) {
            start++;
        }
        while (end > start && (s.charAt(end - 1) == ' ' || s.charAt(end - 1) == '\t')) {
            end--;
        }
        return s.substring(start, end);
    }

    /** Whether the first CR or LF at or after {@code from} is not the start of a CRLF. */
    private boolean firstLineBreakIsBad(int from) {
        for (int i = from; i < in.length(); i++) {
            char c = in.charAt(i);
            if (c == '\n') {
                return true;
            }
            if (c == '\r') {
                return i + 1 < in.length() && in.charAt(i + 1) != '\n';
            }
        }
        return false;
    }

    private static List<String> values(List<String> fields, String lowerCaseName) {
        List<String> values = new ArrayList<>();
        for (int i = 0; i < fields.size(); i += 2) {
            if (fields.get(i).toLowerCase(Locale.ROOT).equals(lowerCaseName)) {
                values.add(fields.get(i + 1));
            }
        }
        return values;
    }

    private byte[] bytes(int from, int to) {
        return Arrays.copyOfRange(raw, from, to);
    }

    private static boolean isToken(String s) {
        return !s.isEmpty() && tokenLength(s) == s.length();
    }

    private static boolean isTokenChar(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
                || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
