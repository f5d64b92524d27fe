package dev.strand.testkit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every Java example in docs/testing.md is quoted from this module's tests (give or take
 * indentation), so the guide's examples compile and run with the build and cannot rot.
 */
class TestingGuideQuotesCompiledCodeTest {

    private static final Path GUIDE = Path.of("../docs/testing.md");
    private static final Path TESTS = Path.of("src/test/java");

    @Test
    void everyJavaBlockOfTheGuideIsInATest() throws IOException {
        List<String> blocks = javaBlocks(Files.readAllLines(GUIDE));
        assertFalse(blocks.isEmpty(), "the guide has no Java examples");
        String tests;
        try (Stream<Path> files = Files.walk(TESTS)) {
            tests = files.filter(p -> p.toString().endsWith(".java")).map(TestingGuideQuotesCompiledCodeTest::read)
                    .map(TestingGuideQuotesCompiledCodeTest::unindent).collect(Collectors.joining("\n"));
        }
        for (String block : blocks) {
            assertTrue(tests.contains(unindent(block)), () -> "not quoted from a test:\n" + block);
        }
    }

    private static List<String> javaBlocks(List<String> lines) {
        List<String> blocks = new ArrayList<>();
        StringBuilder block = null;
        for (String line : lines) {
            if (block == null && line.strip().equals("```java")) {
                block = new StringBuilder();
            } else if (block != null && line.strip().equals("```")) {
                blocks.add(block.toString());
                block = null;
            } else if (block != null) {
                block.append(line).append('\n');
            }
        }
        return blocks;
    }

    private static String unindent(String text) {
        return text.lines().map(String::strip).filter(line -> !line.isEmpty()).collect(Collectors.joining("\n"));
    }

    private static String read(Path path) {
        try {
            return Files.readString(path);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
