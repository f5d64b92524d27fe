package dev.strand.http.internal;

import java.nio.charset.StandardCharsets;

/** Common header names as shared strings, so parsing them allocates nothing. */
final class HeaderNames {

    private static final String[] COMMON = {
        "Host", "Connection", "Content-Length", "Content-Type", "Transfer-Encoding", "Accept",
        "Accept-Encoding", "Accept-Language", "User-Agent", "Cookie", "Expect", "Upgrade-Insecure-Requests",
        "Cache-Control", "Pragma", "Referer", "Origin", "Authorization", "If-None-Match", "If-Modified-Since",
        "Range", "X-Forwarded-For", "X-Requested-With", "Keep-Alive", "TE", "Trailer", "Upgrade"
    };
    private static final byte[][] COMMON_BYTES = new byte[COMMON.length][];

    static {
        for (int i = 0; i < COMMON.length; i++) {
            COMMON_BYTES[i] = COMMON[i].getBytes(StandardCharsets.ISO_8859_1);
        }
    }

    private HeaderNames() {
    }

    /** The name in {@code bytes[0, length)}: a shared string when it is a common one, as spelled. */
    static String intern(byte[] bytes, int length) {
        for (int i = 0; i < COMMON_BYTES.length; i++) {
            if (java.util.Arrays.equals(COMMON_BYTES[i], 0, COMMON_BYTES[i].length, bytes, 0, length)) {
                return COMMON[i];
            }
        }
        return new String(bytes, 0, length, StandardCharsets.ISO_8859_1);
    }
}
