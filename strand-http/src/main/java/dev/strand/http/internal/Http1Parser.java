package dev.strand.http.internal;

import dev.strand.http.Headers;
import dev.strand.http.HttpException;
import dev.strand.http.Method;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * An incremental, strict HTTP/1.1 request parser (RFC 9112) over byte buffers.
 *
 * <p>Feed it whatever bytes have arrived; any split of the same bytes yields the same events.
 * Lines are copied into the parser as they arrive, so the caller may compact or reuse its buffer
 * between calls; a {@link #content()} slice is only valid until the next call.
 *
 * <p>Strictness, because a lenient parser behind a proxy is a request-smuggling hole: lines end in
 * CRLF (a bare LF or CR is an error); one space separates the request line's parts; field names are
 * tokens right before the colon; values hold no CR, LF, NUL or other controls; obsolete line
 * folding, Content-Length with Transfer-Encoding, repeated or malformed Content-Length, transfer
 * codings other than a final {@code chunked}, malformed chunk lines, and a missing or repeated
 * {@code Host} on HTTP/1.1 are all rejected. Errors are {@link HttpException}s carrying the status
 * to answer (400, 413, 414, 417, 431, 501, 505), after which the connection must be closed.
 *
 * <p>Not thread-safe: one parser per connection, used by its loop.
 */
final class Http1Parser {

    /** How many of a head's first field values are remembered for the next request. */
    private static final int RECENT_VALUES = 8;
    /** Longer values are not remembered: comparing them would cost more than it saves. */
    private static final int RECENT_MAX_LENGTH = 128;

    /** What {@link #next} found. */
    enum Event {
        /** The buffer is used up; call again with more bytes. */
        NEED_MORE,
        /** A request head is complete: see {@link #head()}. */
        HEAD,
        /** Some body bytes: see {@link #content()}. */
        CONTENT,
        /** The request (body and trailers) is complete; the next call starts the next request. */
        MESSAGE_END
    }

    private enum State { REQUEST_LINE, HEADERS, FIXED_BODY, CHUNK_SIZE, CHUNK_DATA, CHUNK_DATA_END, TRAILERS, END }

    /** Empty lines tolerated before a request line (RFC 9112 §2.2 asks to ignore at least one). */
    private static final int MAX_LEADING_EMPTY_LINES = 8;
    private static final int MAX_CHUNK_LINE = 4096;
    private static final boolean[] TCHAR = new boolean[256];
    private static final boolean[] TARGET_CHAR = new boolean[256];
    private static final boolean[] HOST_CHAR = new boolean[256];

    static {
        for (char c = '0'; c <= '9'; c++) {
            TCHAR[c] = TARGET_CHAR[c] = HOST_CHAR[c] = true;
        }
        for (char c = 'a'; c <= 'z'; c++) {
            TCHAR[c] = TARGET_CHAR[c] = HOST_CHAR[c] = true;
            TCHAR[c - 32] = TARGET_CHAR[c - 32] = HOST_CHAR[c - 32] = true;
        }
        for (char c : "!#$%&'*+-.^_`|~".toCharArray()) {
            TCHAR[c] = true;
        }
        // RFC 3986: unreserved, sub-delims, ":", "@", "/", "?", and "%" of pct-encoded.
        for (char c : "-._~!$&'()*+,;=:@/?%[]".toCharArray()) {
            TARGET_CHAR[c] = true; // '[' and ']' only in an absolute-form authority, checked later
        }
        // reg-name: unreserved, sub-delims (but ',', which only makes Host ambiguous), pct-encoded.
        for (char c : "-._~!$&'()*+;=%".toCharArray()) {
            HOST_CHAR[c] = true;
        }
    }

    private final int maxRequestLine;
    private final int maxHeaderSize;
    private final int maxHeaderCount;
    private final long maxBodySize;

    private State state = State.REQUEST_LINE;
    private byte[] line = new byte[256];
    private int lineLength;
    private boolean lineHasCr;
    private int leadingEmptyLines;
    /** How far the request line is checked byte by byte, and in which of its three parts. */
    private int requestLineChecked;
    private int requestLinePart;
    /** Where the request line's first and second spaces are, once seen. */
    private int firstSpace;
    private int secondSpace;
    /** The methods whose names begin with the method bytes seen so far, one bit per {@link Method} ordinal. */
    private int methodCandidates = ALL_METHODS;
    private int headerBytes;

    // The head being parsed.
    private Method method;
    private String target;
    private String path;
    private String rawQuery;
    /**
     * The previous request's origin-form target and what was made of it, and its field values by
     * position: a keep-alive client sends much the same head each time, and equal bytes give back
     * the same strings instead of new ones.
     */
    private String recentTarget;
    private String recentPath;
    private String recentQuery;
    private String[] recentValues;
    /**
     * Whether a head was parsed before on this connection: the strings of the first are not kept,
     * so that a connection that made one request and idles holds none of them.
     */
    private boolean seenAHead;
    /** The position of the next field of the head being parsed. */
    private int fieldIndex;
    private boolean http11;
    private final HeadersBuilder fields = new HeadersBuilder();
    private int hostCount;
    private int contentLengthCount;
    private long contentLength;
    private String transferEncoding;
    private boolean connectionClose;
    private boolean connectionKeepAlive;
    private boolean expectContinue;

    // The body being parsed.
    private long remaining;
    private long bodyBytes;
    private ByteBuffer content;
    private RequestHead head;
    private Headers trailers = Headers.empty();

    Http1Parser(int maxRequestLine, int maxHeaderSize, int maxHeaderCount, long maxBodySize) {
        this.maxRequestLine = maxRequestLine;
        this.maxHeaderSize = maxHeaderSize;
        this.maxHeaderCount = maxHeaderCount;
        this.maxBodySize = maxBodySize;
    }

    /** The head found by the last {@link Event#HEAD}. */
    RequestHead head() {
        return head;
    }

    /** The body bytes of the last {@link Event#CONTENT}: a slice of the caller's buffer. */
    ByteBuffer content() {
        return content;
    }

    /** The trailer fields of the last chunked body (empty otherwise). */
    Headers trailers() {
        return trailers;
    }

    /** Whether the parser is between requests with nothing of the next one seen yet. */
    boolean atMessageStart() {
        return state == State.END || (state == State.REQUEST_LINE && !inHead());
    }

    /** Whether a request has begun but its head is not complete. */
    boolean inHead() {
        return state == State.HEADERS
                || (state == State.REQUEST_LINE && (lineLength > 0 || lineHasCr || leadingEmptyLines > 0));
    }

    /**
     * The bytes this parser holds for the message in progress: the capacity of its line buffer plus
     * the characters of the fields collected so far. For tests that no input makes it hold more
     * than the limits allow.
     */
    int retainedBytes() {
        return line.length + fields.chars();
    }

    /** Whether the body of the current request is still arriving. */
    boolean inBody() {
        return state == State.FIXED_BODY || state == State.CHUNK_SIZE || state == State.CHUNK_DATA
                || state == State.CHUNK_DATA_END || state == State.TRAILERS;
    }

    /**
     * Consumes bytes from {@code in} up to the next event.
     *
     * @throws HttpException when the request is malformed or over a limit; the parser is then
     *                       unusable and the connection must be closed after the error response
     */
    Event next(ByteBuffer in) {
        while (true) {
            switch (state) {
                case END -> {
                    resetForNextRequest();
                    state = State.REQUEST_LINE;
                }
                case REQUEST_LINE -> {
                    if (!readRequestLine(in)) {
                        return Event.NEED_MORE;
                    }
                    if (lineLength == 0) {
                        if (++leadingEmptyLines > MAX_LEADING_EMPTY_LINES) {
                            throw bad("too many empty lines before the request line");
                        }
                        continue;
                    }
                    parseRequestLine();
                    state = State.HEADERS;
                }
                case HEADERS -> {
                    // The section counts each field line with its CRLF, so a line leaves room for it.
                    if (!readLine(in, maxHeaderSize - headerBytes - 2, 431, "header section too large")) {
                        return Event.NEED_MORE;
                    }
                    headerBytes += lineLength + 2;
                    if (lineLength == 0) {
                        finishHead();
                        return Event.HEAD;
                    }
                    parseField(fields, true);
                }
                case FIXED_BODY -> {
                    if (remaining == 0) {
                        state = State.END;
                        return Event.MESSAGE_END;
                    }
                    if (!in.hasRemaining()) {
                        return Event.NEED_MORE;
                    }
                    content = take(in, remaining);
                    remaining -= content.remaining();
                    return Event.CONTENT;
                }
                case CHUNK_SIZE -> {
                    if (!readLine(in, MAX_CHUNK_LINE, 400, "chunk line too long")) {
                        return Event.NEED_MORE;
                    }
                    remaining = parseChunkSize();
                    if (remaining > maxBodySize - bodyBytes) {
                        throw new HttpException(413, "request body too large");
                    }
                    bodyBytes += remaining;
                    state = remaining == 0 ? State.TRAILERS : State.CHUNK_DATA;
                }
                case CHUNK_DATA -> {
                    if (remaining == 0) {
                        state = State.CHUNK_DATA_END;
                        continue;
                    }
                    if (!in.hasRemaining()) {
                        return Event.NEED_MORE;
                    }
                    content = take(in, remaining);
                    remaining -= content.remaining();
                    return Event.CONTENT;
                }
                case CHUNK_DATA_END -> {
                    if (!readLine(in, 0, 400, "chunk data longer than its size")) {
                        return Event.NEED_MORE;
                    }
                    if (lineLength != 0) {
                        throw bad("chunk data longer than its size");
                    }
                    state = State.CHUNK_SIZE;
                }
                case TRAILERS -> {
                    if (!readLine(in, maxHeaderSize - headerBytes - 2, 431, "trailer section too large")) {
                        return Event.NEED_MORE;
                    }
                    headerBytes += lineLength + 2;
                    if (lineLength == 0) {
                        trailers = fields.build();
                        fields.clear();
                        state = State.END;
                        return Event.MESSAGE_END;
                    }
                    parseField(fields, false);
                }
            }
        }
    }

    private static ByteBuffer take(ByteBuffer in, long max) {
        int n = (int) Math.min(in.remaining(), max);
        ByteBuffer slice = in.slice(in.position(), n);
        in.position(in.position() + n);
        return slice;
    }

    /**
     * Accumulates one line (without its CRLF) into {@link #line}; returns false when more bytes are
     * needed. A line longer than {@code limit} fails with {@code status}.
     */
    private boolean readLine(ByteBuffer in, int limit, int status, String tooLong) {
        while (in.hasRemaining()) {
            byte b = in.get();
            if (b == '\n') {
                if (!lineHasCr) {
                    throw bad("bare LF in a line");
                }
                lineHasCr = false;
                return true;
            }
            if (lineHasCr) {
                throw bad("bare CR in a line");
            }
            if (b == '\r') {
                lineHasCr = true;
                continue;
            }
            if (lineLength >= limit) {
                throw new HttpException(status, tooLong);
            }
            if (lineLength == line.length) {
                line = java.util.Arrays.copyOf(line, Math.min(line.length * 2, Math.max(limit, 16)));
            }
            line[lineLength++] = b;
        }
        return false;
    }

    /**
     * {@link #readLine} for the request line, checking each byte as it arrives: bytes that can
     * never begin a request (a TLS ClientHello on the plain port, binary junk) are refused at
     * once, not after a line end or the header timeout. Checked on every exit, so the first bad
     * byte decides the error whatever the split of the input.
     */
    private boolean readRequestLine(ByteBuffer in) {
        try {
            return readLine(in, maxRequestLine, 414, "request line too long");
        } finally {
            checkRequestLineSoFar();
        }
    }

    private static final byte[] VERSION_PREFIX = "HTTP/".getBytes(StandardCharsets.US_ASCII);
    private static final Method[] METHODS = Method.values();
    private static final int ALL_METHODS = (1 << METHODS.length) - 1;
    /** {@code METHOD_BYTE[i][b]}: the methods (one bit per ordinal) whose name has byte b at index i. */
    private static final int[][] METHOD_BYTE;

    static {
        int longest = 0;
        for (Method m : METHODS) {
            longest = Math.max(longest, m.name().length());
        }
        METHOD_BYTE = new int[longest][256];
        for (Method m : METHODS) {
            for (int i = 0; i < m.name().length(); i++) {
                METHOD_BYTE[i][m.name().charAt(i)] |= 1 << m.ordinal();
            }
        }
    }

    private void checkRequestLineSoFar() {
        int i = requestLineChecked;
        int end = lineLength;
        byte[] l = line;
        if (requestLinePart == 0) { // method: a token, narrowed to the methods we implement
            int candidates = methodCandidates;
            for (; i < end && l[i] != ' '; i++) {
                byte b = l[i];
                if (!TCHAR[b & 0xff]) {
                    throw bad("malformed method");
                }
                candidates &= i < METHOD_BYTE.length ? METHOD_BYTE[i][b & 0xff] : 0;
                if (candidates == 0) {
                    throw new HttpException(501, "method not implemented");
                }
            }
            methodCandidates = candidates;
            if (i == end) {
                requestLineChecked = end;
                return;
            }
            if (i == 0) {
                throw bad("malformed request line");
            }
            firstSpace = i++;
            requestLinePart = 1;
        }
        if (requestLinePart == 1) { // request target
            for (; i < end && l[i] != ' '; i++) {
                if (!TARGET_CHAR[l[i] & 0xff]) {
                    throw bad("invalid character in request target");
                }
            }
            if (i == end) {
                requestLineChecked = end;
                return;
            }
            if (i == firstSpace + 1) {
                throw bad("empty request target");
            }
            secondSpace = i++;
            requestLinePart = 2;
        }
        for (; i < end; i++) { // HTTP-version = "HTTP/" DIGIT "." DIGIT
            int k = i - secondSpace - 1;
            byte b = l[i];
            boolean ok = k < 5 ? b == VERSION_PREFIX[k] : k == 6 ? b == '.' : k < 8 && isDigit(b);
            if (!ok) {
                throw bad("malformed HTTP version");
            }
        }
        requestLineChecked = end;
    }

    /** The method the whole token names: the candidate as long as the token; 501 when none is. */
    private Method methodOfLength(int length) {
        for (int left = methodCandidates; left != 0; left &= left - 1) {
            Method m = METHODS[Integer.numberOfTrailingZeros(left)];
            if (m.name().length() == length) {
                return m;
            }
        }
        throw new HttpException(501, "method not implemented");
    }

    private void parseRequestLine() {
        // Every byte was checked as it arrived, and the spaces found (checkRequestLineSoFar): what
        // is left is the structure.
        if (requestLinePart != 2) {
            throw bad("malformed request line");
        }
        parseVersion(secondSpace + 1);
        method = methodOfLength(firstSpace);
        if (method == Method.CONNECT) {
            throw new HttpException(501, "CONNECT is not supported");
        }
        parseTarget(firstSpace + 1, secondSpace);
        lineLength = 0;
        requestLineChecked = 0;
        requestLinePart = 0;
        methodCandidates = ALL_METHODS;
    }

    private void parseVersion(int from) {
        // HTTP-version = "HTTP/" DIGIT "." DIGIT, case-sensitive.
        if (lineLength - from != 8 || line[from] != 'H' || line[from + 1] != 'T' || line[from + 2] != 'T'
                || line[from + 3] != 'P' || line[from + 4] != '/' || !isDigit(line[from + 5])
                || line[from + 6] != '.' || !isDigit(line[from + 7])) {
            throw bad("malformed HTTP version");
        }
        if (line[from + 5] != '1') {
            throw new HttpException(505, "HTTP version not supported");
        }
        // A later 1.x minor version is served as 1.1 (RFC 9110 §6.2).
        http11 = line[from + 7] != '0';
    }

    private void parseTarget(int from, int to) {
        // Non-empty, and its characters checked as they arrived (checkRequestLineSoFar).
        checkPercentEncoding(from, to);
        if (line[from] == '/' && sameLatin1(from, to, recentTarget)) {
            // The checks below depend on the target alone, which passed them last time.
            target = recentTarget;
            path = recentPath;
            rawQuery = recentQuery;
            return;
        }
        target = new String(line, from, to - from, StandardCharsets.ISO_8859_1);
        String pathAndQuery;
        if (line[from] == '/') {
            pathAndQuery = target;
        } else if (target.equals("*")) {
            if (method != Method.OPTIONS) {
                throw bad("asterisk-form is only for OPTIONS");
            }
            pathAndQuery = "*";
        } else {
            pathAndQuery = absoluteFormPath(target);
        }
        if (pathAndQuery.indexOf('[') >= 0 || pathAndQuery.indexOf(']') >= 0) {
            throw bad("'[' or ']' outside an authority in the request target");
        }
        int q = pathAndQuery.indexOf('?');
        path = q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
        rawQuery = q < 0 ? null : pathAndQuery.substring(q + 1);
        if (seenAHead && line[from] == '/' && target.length() <= RECENT_MAX_LENGTH) {
            recentTarget = target;
            recentPath = path;
            recentQuery = rawQuery;
        }
    }

    /** Whether {@code line[from..to)} holds exactly the characters of {@code recent} (Latin-1). */
    private boolean sameLatin1(int from, int to, String recent) {
        if (recent == null || recent.length() != to - from) {
            return false;
        }
        for (int i = from; i < to; i++) {
            if (recent.charAt(i - from) != (char) (line[i] & 0xff)) {
                return false;
            }
        }
        return true;
    }

    private static String absoluteFormPath(String target) {
        int schemeEnd = target.indexOf("://");
        if (schemeEnd <= 0) {
            throw bad("malformed request target");
        }
        String scheme = target.substring(0, schemeEnd);
        if (!scheme.equalsIgnoreCase("http") && !scheme.equalsIgnoreCase("https")) {
            throw bad("unsupported scheme in request target");
        }
        int authorityStart = schemeEnd + 3;
        int pathStart = authorityStart;
        while (pathStart < target.length() && target.charAt(pathStart) != '/' && target.charAt(pathStart) != '?') {
            pathStart++;
        }
        String authority = target.substring(authorityStart, pathStart);
        if (authority.indexOf('@') >= 0) {
            throw bad("userinfo in request target");
        }
        checkHostAndPort(authority, true);
        String rest = target.substring(pathStart);
        return rest.isEmpty() || rest.charAt(0) == '?' ? "/" + rest : rest;
    }

    private void checkPercentEncoding(int from, int to) {
        for (int i = from; i < to; i++) {
            if (line[i] == '%' && (i + 2 >= to || !isHex(line[i + 1]) || !isHex(line[i + 2]))) {
                throw bad("malformed percent-encoding in request target");
            }
        }
    }

    private void parseField(HeadersBuilder into, boolean inHead) {
        if (line[0] == ' ' || line[0] == '\t') {
            throw bad("obsolete line folding");
        }
        if (into.size() >= maxHeaderCount) {
            throw new HttpException(431, "too many header fields");
        }
        int colon = indexOf((byte) ':', 0);
        if (colon <= 0) {
            throw bad("malformed header field");
        }
        for (int i = 0; i < colon; i++) {
            if (!TCHAR[line[i] & 0xff]) {
                throw bad("invalid character in header field name");
            }
        }
        int start = colon + 1;
        int end = lineLength;
        while (start < end && (line[start] == ' ' || line[start] == '\t')) {
            start++;
        }
        while (end > start && (line[end - 1] == ' ' || line[end - 1] == '\t')) {
            end--;
        }
        for (int i = start; i < end; i++) {
            int c = line[i] & 0xff;
            if ((c < 0x20 && c != '\t') || c == 0x7f) {
                throw bad("invalid character in header field value");
            }
        }
        String name = HeaderNames.intern(line, colon);
        String value;
        int position = inHead && seenAHead ? fieldIndex++ : RECENT_VALUES;
        if (position < RECENT_VALUES && recentValues != null && sameLatin1(start, end, recentValues[position])) {
            value = recentValues[position];
        } else {
            value = new String(line, start, end - start, StandardCharsets.ISO_8859_1);
            if (position < RECENT_VALUES && value.length() <= RECENT_MAX_LENGTH) {
                if (recentValues == null) {
                    recentValues = new String[RECENT_VALUES];
                }
                recentValues[position] = value;
            }
        }
        lineLength = 0;
        into.add(name, value);
        if (inHead) {
            noteSpecialField(name, value);
        }
    }

    private void noteSpecialField(String name, String value) {
        // Common names come back from HeaderNames as the shared constants: identity is the fast path.
        if (name == "Accept" || name == "User-Agent" || name == "Accept-Encoding" || name == "Accept-Language"
                || name == "Cookie") {
            return;
        }
        if (name.equalsIgnoreCase("Host")) {
            hostCount++;
            checkHostAndPort(value, false);
        } else if (name.equalsIgnoreCase("Content-Length")) {
            contentLengthCount++;
            contentLength = parseContentLength(value);
        } else if (name.equalsIgnoreCase("Transfer-Encoding")) {
            transferEncoding = transferEncoding == null ? value : transferEncoding + "," + value;
        } else if (name.equalsIgnoreCase("Connection")) {
            for (String option : value.split(",")) {
                String token = option.strip();
                if (token.equalsIgnoreCase("close")) {
                    connectionClose = true;
                } else if (token.equalsIgnoreCase("keep-alive")) {
                    connectionKeepAlive = true;
                }
            }
        } else if (name.equalsIgnoreCase("Expect")) {
            if (!value.equalsIgnoreCase("100-continue")) {
                throw new HttpException(417, "expectation not supported");
            }
            expectContinue = true;
        }
    }

    /**
     * {@code host [ ":" port ]} (RFC 3986 §3.2.2-3): an IP literal in brackets, or a reg-name with
     * valid percent-encoding; the port is digits only. An empty host is allowed in a Host field
     * (RFC 9112 §3.2) but not in an http URI (RFC 9110 §4.2.1).
     */
    private static void checkHostAndPort(String authority, boolean hostRequired) {
        int hostEnd;
        if (authority.startsWith("[")) {
            hostEnd = authority.indexOf(']') + 1;
            if (hostEnd <= 2) {
                throw bad("malformed IP literal in host");
            }
            for (int i = 1; i < hostEnd - 1; i++) {
                char c = authority.charAt(i);
                if (Character.digit(c, 16) < 0 && c != ':' && c != '.') {
                    throw bad("malformed IP literal in host");
                }
            }
        } else {
            hostEnd = authority.indexOf(':');
            if (hostEnd < 0) {
                hostEnd = authority.length();
            }
            for (int i = 0; i < hostEnd; i++) {
                char c = authority.charAt(i);
                if (c > 0xff || !HOST_CHAR[c]) {
                    throw bad("malformed host");
                }
                if (c == '%' && (i + 2 >= hostEnd || Character.digit(authority.charAt(i + 1), 16) < 0
                        || Character.digit(authority.charAt(i + 2), 16) < 0)) {
                    throw bad("malformed percent-encoding in host");
                }
            }
        }
        if (hostRequired && hostEnd == 0) {
            throw bad("empty host");
        }
        if (hostEnd < authority.length()) {
            if (authority.charAt(hostEnd) != ':' || authority.length() - hostEnd - 1 > 5) {
                throw bad("malformed port");
            }
            for (int i = hostEnd + 1; i < authority.length(); i++) {
                if (!isDigit((byte) authority.charAt(i))) {
                    throw bad("malformed port");
                }
            }
        }
    }

    private static long parseContentLength(String value) {
        // Content-Length = 1*DIGIT; no sign, no hex, no list, no overflow.
        if (value.isEmpty() || value.length() > 18) {
            throw bad("malformed Content-Length");
        }
        long length = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                throw bad("malformed Content-Length");
            }
            length = length * 10 + (c - '0');
        }
        return length;
    }

    private void finishHead() {
        if (http11 ? hostCount != 1 : hostCount > 1) {
            throw bad(hostCount == 0 ? "missing Host" : "repeated Host");
        }
        if (contentLengthCount > 1) {
            throw bad("repeated Content-Length");
        }
        boolean chunked = false;
        if (transferEncoding != null) {
            if (contentLengthCount > 0) {
                throw bad("both Content-Length and Transfer-Encoding");
            }
            if (!http11) {
                throw bad("Transfer-Encoding in an HTTP/1.0 request");
            }
            chunked = checkTransferCodings(transferEncoding);
        }
        long declared = contentLengthCount > 0 ? contentLength : -1;
        if (declared > maxBodySize) {
            throw new HttpException(413, "request body too large");
        }
        boolean keepAlive = http11 ? !connectionClose : connectionKeepAlive && !connectionClose;
        boolean hasBody = chunked || declared > 0;
        head = new RequestHead(method, target, path, Optional.ofNullable(rawQuery), http11, fields.build(),
                declared, chunked, keepAlive, expectContinue && http11 && hasBody);
        seenAHead = true;
        fields.clear();
        lineLength = 0;
        headerBytes = 0;
        trailers = Headers.empty();
        bodyBytes = 0;
        if (chunked) {
            state = State.CHUNK_SIZE;
        } else {
            remaining = Math.max(declared, 0);
            state = State.FIXED_BODY;
        }
    }

    /** Only a final, single {@code chunked} is served; returns true (the body is chunked). */
    private static boolean checkTransferCodings(String value) {
        String[] codings = value.split(",", -1);
        for (int i = 0; i < codings.length; i++) {
            String coding = codings[i].strip();
            int parameters = coding.indexOf(';');
            String name = (parameters < 0 ? coding : coding.substring(0, parameters)).strip();
            if (name.isEmpty() || !isToken(name)) {
                throw bad("malformed Transfer-Encoding");
            }
            boolean last = i == codings.length - 1;
            if (name.equalsIgnoreCase("chunked")) {
                if (!last) {
                    throw bad("chunked is not the final transfer coding");
                }
                if (parameters >= 0) {
                    throw bad("chunked takes no parameters");
                }
            } else if (last) {
                throw bad("the final transfer coding is not chunked");
            } else {
                throw new HttpException(501, "transfer coding not implemented");
            }
        }
        return true;
    }

    /** chunk-size [ chunk-ext ], with chunk-ext = *( BWS ";" BWS name [ BWS "=" BWS value ] ). */
    private long parseChunkSize() {
        int i = 0;
        long size = 0;
        while (i < lineLength && isHex(line[i])) {
            if (i >= 15) {
                throw bad("chunk size too large");
            }
            size = (size << 4) | Character.digit(line[i], 16);
            i++;
        }
        if (i == 0) {
            throw bad("malformed chunk size");
        }
        while (i < lineLength) {
            i = skipBlanks(i); // BWS is allowed only before a ';' (RFC 9112 §7.1.1)
            if (i == lineLength || line[i] != ';') {
                throw bad("malformed chunk extension");
            }
            i = skipBlanks(i + 1);
            int nameStart = i;
            while (i < lineLength && TCHAR[line[i] & 0xff]) {
                i++;
            }
            if (i == nameStart) {
                throw bad("malformed chunk extension");
            }
            int afterName = i;
            i = skipBlanks(i);
            if (i < lineLength && line[i] == '=') {
                i = skipExtensionValue(skipBlanks(i + 1));
            } else {
                i = afterName;
            }
        }
        lineLength = 0;
        return size;
    }

    private int skipExtensionValue(int i) {
        if (i < lineLength && line[i] == '"') {
            i++;
            while (i < lineLength && line[i] != '"') {
                if (line[i] == '\\' && ++i == lineLength) {
                    break;
                }
                // A quoted-pair escapes HTAB, SP, VCHAR or obs-text only (RFC 9110 §5.6.4).
                int c = line[i] & 0xff;
                if ((c < 0x20 && c != '\t') || c == 0x7f) {
                    throw bad("malformed chunk extension");
                }
                i++;
            }
            if (i >= lineLength) {
                throw bad("unterminated quoted chunk extension");
            }
            return i + 1;
        }
        int start = i;
        while (i < lineLength && TCHAR[line[i] & 0xff]) {
            i++;
        }
        if (i == start) {
            throw bad("malformed chunk extension");
        }
        return i;
    }

    private int skipBlanks(int i) {
        while (i < lineLength && (line[i] == ' ' || line[i] == '\t')) {
            i++;
        }
        return i;
    }

    private void resetForNextRequest() {
        requestLineChecked = 0;
        requestLinePart = 0;
        methodCandidates = ALL_METHODS;
        method = null;
        target = null;
        path = null;
        rawQuery = null;
        fieldIndex = 0;
        hostCount = 0;
        contentLengthCount = 0;
        contentLength = 0;
        transferEncoding = null;
        connectionClose = false;
        connectionKeepAlive = false;
        expectContinue = false;
        leadingEmptyLines = 0;
        lineLength = 0;
        headerBytes = 0;
        content = null;
    }

    private int indexOf(byte b, int from) {
        for (int i = from; i < lineLength; i++) {
            if (line[i] == b) {
                return i;
            }
        }
        return -1;
    }

    private static boolean isToken(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c > 0xff || !TCHAR[c]) {
                return false;
            }
        }
        return true;
    }

    private static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }

    private static boolean isHex(byte b) {
        return (b >= '0' && b <= '9') || (b >= 'a' && b <= 'f') || (b >= 'A' && b <= 'F');
    }

    private static HttpException bad(String why) {
        return new HttpException(400, why);
    }
}
