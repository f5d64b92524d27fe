import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The correctness checks around every step: one request (or 16 pipelined) and the exact answer the rules ask for. */
final class HttpChecks {

    private HttpChecks() {
    }

    static final DateTimeFormatter IMF_FIXDATE = DateTimeFormatter.RFC_1123_DATE_TIME;

    static byte[] request(String path, int port) {
        return ("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nAccept: */*\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Exact body, status 200, and the headers the benchmark rules require. */
    static List<String> checkResponse(HttpResponse r, String body, String typePrefix) {
        List<String> problems = new ArrayList<>();
        if (r.status() != 200) {
            problems.add("status " + r.status() + " instead of 200");
        }
        if (body != null && !r.bodyText().equals(body)) {
            problems.add("body " + Sweep.quote(r.bodyText()) + " instead of " + Sweep.quote(body));
        }
        if (r.header("server").isEmpty()) {
            problems.add("no Server header");
        }
        Optional<String> date = r.header("date");
        if (date.isEmpty()) {
            problems.add("no Date header");
        } else {
            try {
                IMF_FIXDATE.parse(date.get());
            } catch (RuntimeException e) {
                problems.add("malformed Date " + Sweep.quote(date.get()));
            }
        }
        Optional<String> type = r.header("content-type");
        if (type.isEmpty()) {
            problems.add("no Content-Type header");
        } else if (typePrefix != null && !type.get().toLowerCase(Locale.ROOT).startsWith(typePrefix)) {
            problems.add("Content-Type " + Sweep.quote(type.get()) + " instead of " + typePrefix);
        }
        Optional<String> length = r.header("content-length");
        if (length.isEmpty()) {
            problems.add("no Content-Length header" + (r.chunked() ? " (chunked)" : ""));
        } else if (!length.get().trim().equals(Integer.toString(r.body().length))) {
            problems.add("Content-Length " + length.get() + " but a body of " + r.body().length + " bytes");
        }
        return problems;
    }

    static List<String> checkEndpoint(int port, String path, String body, String type) {
        try (Socket s = connect(port)) {
            s.getOutputStream().write(request(path, port));
            HttpResponse r = HttpResponse.read(new BufferedInputStream(s.getInputStream()));
            return checkResponse(r, body, type).stream().map(p -> path + ": " + p).toList();
        } catch (IOException e) {
            return List.of(path + ": " + e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    /** 16 requests in one write; 16 correct responses, in order, on the same connection. */
    static List<String> checkPipelined(int port, String path, String body, String type) {
        try (Socket s = connect(port)) {
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            for (int i = 0; i < Sweep.PIPELINE_DEPTH; i++) {
                all.write(request(path, port));
            }
            s.getOutputStream().write(all.toByteArray());
            InputStream in = new BufferedInputStream(s.getInputStream());
            for (int i = 0; i < Sweep.PIPELINE_DEPTH; i++) {
                List<String> problems = checkResponse(HttpResponse.read(in), body, type);
                if (!problems.isEmpty()) {
                    return List.of(path + " pipelined, response " + (i + 1) + ": " + problems.getFirst());
                }
            }
            return List.of();
        } catch (IOException e) {
            return List.of(path + " pipelined: " + e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    /**
     * ab -k speaks HTTP/1.0 with {@code Connection: Keep-Alive}: the reply must say keep-alive (and
     * the connection stay open), or the server must close the connection; a reply that does neither
     * leaves ab waiting.
     */
    static List<String> checkHttp10KeepAlive(int port) {
        String what = "HTTP/1.0 keep-alive (ab -k)";
        try (Socket s = connect(port)) {
            s.getOutputStream().write(("GET /plaintext HTTP/1.0\r\nHost: 127.0.0.1:" + port
                    + "\r\nConnection: Keep-Alive\r\nAccept: */*\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = new BufferedInputStream(s.getInputStream());
            HttpResponse r = HttpResponse.read(in);
            List<String> problems = new ArrayList<>(checkResponse(r, Sweep.PLAINTEXT_BODY, "text/plain").stream()
                    .map(p -> what + ": " + p).toList());
            boolean saysKeepAlive = r.header("connection").map(v -> v.toLowerCase(Locale.ROOT).contains("keep-alive"))
                    .orElse(false);
            if (!saysKeepAlive) {
                s.setSoTimeout(1000);
                try {
                    if (in.read() >= 0) {
                        problems.add(what + ": bytes after the response");
                    }
                } catch (java.net.SocketTimeoutException e) {
                    problems.add(what + ": the reply has no Connection: keep-alive, yet the connection stays open "
                            + "(HTTP/1.0 defaults to close), so ab -k waits for its timeout");
                }
            }
            return problems;
        } catch (IOException e) {
            return List.of(what + ": " + e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    /** The Date header must change from one second to the next. */
    static List<String> checkDateChanges(int port) {
        try {
            String first = dateOf(port);
            Sweep.sleepMillis(1100);
            String second = dateOf(port);
            return first.equals(second) ? List.of("Date did not change over 1.1 s: " + Sweep.quote(first)) : List.of();
        } catch (IOException e) {
            return List.of("Date check: " + e.getMessage());
        }
    }

    static String dateOf(int port) throws IOException {
        try (Socket s = connect(port)) {
            s.getOutputStream().write(request("/plaintext", port));
            return HttpResponse.read(new BufferedInputStream(s.getInputStream())).header("date").orElse("");
        }
    }

    /** Whether /sleep is served (any answer but 404); its problems when it is. */
    static boolean checkSleep(Sweep sweep, int port, List<String> problems) {
        String path = "/sleep?ms=" + sweep.sleepMs;
        try (Socket s = connect(port)) {
            long t0 = System.nanoTime();
            s.getOutputStream().write(request(path, port));
            HttpResponse r = HttpResponse.read(new BufferedInputStream(s.getInputStream()));
            double ms = (System.nanoTime() - t0) / 1e6;
            if (r.status() == 404) {
                return false;
            }
            for (String p : checkResponse(r, null, null)) {
                problems.add(path + ": " + p);
            }
            if (r.body().length == 0) {
                problems.add(path + ": empty body");
            }
            if (ms < sweep.sleepMs) {
                problems.add(String.format(Locale.ROOT, "%s: answered after %.1f ms, before the sleep ended", path, ms));
            }
            return true;
        } catch (IOException e) {
            problems.add(path + ": " + e.getMessage());
            return true;
        }
    }

    static Socket connect(int port) throws IOException {
        Socket s = new Socket();
        s.setTcpNoDelay(true);
        s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        s.setSoTimeout(5000);
        return s;
    }
}
