package dev.strand.demo;

import static dev.strand.demo.HttpAssertions.assertOk;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/**
 * {@code /fortunes} is TechEmpower's page to the byte: the twelve fortunes and the one added at
 * request time, sorted by message, the script fortune escaped, as {@code text/html; charset=utf-8}.
 */
class FortunesAreEscapedAndSortedTest extends OnEveryBackend {

    /*
     * Written out by hand from TechEmpower's reference page. JTE escapes &, < and > in text; quotes
     * need no escaping there and stay as they are, which TechEmpower's checker takes as equal to
     * &quot; and &apos;.
     */
    private static final String PAGE = "<!DOCTYPE html><html><head><title>Fortunes</title></head><body><table>"
            + "<tr><th>id</th><th>message</th></tr>"
            + "<tr><td>11</td><td>&lt;script&gt;alert(\"This should not be displayed in a browser alert box.\");&lt;/script&gt;</td></tr>"
            + "<tr><td>4</td><td>A bad random number generator: 1, 1, 1, 1, 1, 4.33e+67, 1, 1, 1</td></tr>"
            + "<tr><td>5</td><td>A computer program does what you tell it to do, not what you want it to do.</td></tr>"
            + "<tr><td>2</td><td>A computer scientist is someone who fixes things that aren't broken.</td></tr>"
            + "<tr><td>8</td><td>A list is only as strong as its weakest link. — Donald Knuth</td></tr>"
            + "<tr><td>0</td><td>Additional fortune added at request time.</td></tr>"
            + "<tr><td>3</td><td>After enough decimal places, nobody gives a damn.</td></tr>"
            + "<tr><td>7</td><td>Any program that runs right is obsolete.</td></tr>"
            + "<tr><td>10</td><td>Computers make very fast, very accurate mistakes.</td></tr>"
            + "<tr><td>6</td><td>Emacs is a nice operating system, but I prefer UNIX. — Tom Christaensen</td></tr>"
            + "<tr><td>9</td><td>Feature: A bug with seniority.</td></tr>"
            + "<tr><td>1</td><td>fortune: No such file or directory</td></tr>"
            + "<tr><td>12</td><td>フレームワークのベンチマーク</td></tr>"
            + "</table></body></html>";

    @RepeatedTest(2)
    void pageIsTechEmpowersExactly() throws Exception {
        var res = demo.get("/fortunes");
        assertOk("text/html", res);
        assertEquals("text/html; charset=utf-8", res.headers().firstValue("Content-Type").orElseThrow());
        assertEquals(PAGE, res.body());
    }

    @Test
    void markupInAMessageIsEscaped() {
        byte[] page = new Fortunes(demo.db).render(List.of(new Fortune(1, "<b class=\"x\">Tom & 'Jerry'</b>")));
        assertEquals("<!DOCTYPE html><html><head><title>Fortunes</title></head><body><table>"
                        + "<tr><th>id</th><th>message</th></tr>"
                        + "<tr><td>1</td><td>&lt;b class=\"x\"&gt;Tom &amp; 'Jerry'&lt;/b&gt;</td></tr>"
                        + "</table></body></html>",
                new String(page, StandardCharsets.UTF_8));
    }
}
