package dev.isolate.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isolate.engine.cli.Main;
import dev.isolate.engine.elf.OneLine;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** A refusal is one line, whatever bytes the names it quotes hold (issue 13, contract item 4). */
class OneLineMessagesTest {
    @Test
    void escapesControlCharacters() {
        assertEquals("plain libz.so.1", OneLine.escape("plain libz.so.1"));
        assertEquals("a\\nb\\tc\\rd\\x1be\\f\\x7f", OneLine.escape("a\nb\tc\rd\u001be\\f\u007f"));
        assertEquals("caf\u00e9", OneLine.escape("caf\u00e9"), "printable Latin-1 is kept");
    }

    /** A file name holding a newline, quoted by the refusal of a file that is no ELF. */
    @Test
    void aNewlineInAQuotedNameGivesOneLine() throws IOException {
        Path dir = Tools.freshWork("one-line");
        Path lib = dir.resolve("libbad\nname.so");
        Files.writeString(lib, "not a library\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
                PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            exit = Main.run(new String[] {"isolate", lib.toString(), "-o", dir.resolve("out").toString(), "--prefix", "acme_"}, o, e);
        }
        String stderr = err.toString(StandardCharsets.UTF_8);
        assertEquals(1, exit, "refused: " + stderr);
        assertEquals(1, stderr.lines().count(), "one line on stderr: " + stderr);
        assertTrue(stderr.contains("libbad\\nname.so") && stderr.contains("not an ELF file"),
                "the file name quoted with its newline escaped: " + stderr);
    }
}
