package org.rxrpc.rxgen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.rxrpc.rxgen.et.ErrorTableDef;
import org.rxrpc.rxgen.et.ErrorTableParser;
import org.rxrpc.rxgen.et.ErrorTableWriter;

/** .et files as compile_et reads them, with its base codes. */
class ErrorTablesTest {
    @ParameterizedTest(name = "{0} starts at {1}")
    @CsvSource({
        // values printed by OpenAFS's translate_et / afs_compile_et headers
        "VL, 363520",
        "PT, 267264",
        "RXK, 19270400",
        "U, 5376",
        "KTC, 11862784",
        "uae, 49733376",
        "RXGK, 1233242880"
    })
    void baseCodeIsTheNameInSixBitCharactersShiftedByEight(String name, int base) {
        assertEquals(base, ErrorTableParser.base(name, null));
    }

    @Test
    void entriesNumberUpFromTheBaseAndMaySkipAhead() {
        ErrorTableDef t = ErrorTableParser.parse(
                "t.et",
                "# comment\nerror_table TST\n  ec T_ZERO, \"zero\"\n  ec T_ONE, \"one # not a comment\"\n"
                        + "  ec T_TEN = 10, \"ten\"\n  ec T_ELEVEN, \"eleven\"\nend\n");
        assertEquals(
                List.of(
                        new ErrorTableDef.Entry(0, "T_ZERO", "zero"),
                        new ErrorTableDef.Entry(1, "T_ONE", "one # not a comment"),
                        new ErrorTableDef.Entry(10, "T_TEN", "ten"),
                        new ErrorTableDef.Entry(11, "T_ELEVEN", "eleven")),
                t.entries());
        String java = ErrorTableWriter.write(t, "p").content();
        assertTrue(java.contains("public static final int T_TEN = " + (t.base() + 10) + ";"), java);
    }

    @Test
    void aTableFunctionNumberBeforeTheNameIsAccepted() {
        assertEquals(
                "ZCM",
                ErrorTableParser.parse("t.et", "error_table 2 ZCM\nec Z, \"z\"\nend\n")
                        .name());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            textBlock =
                    """
            table X\\nend                              | t.et:1:1: expected 'error_table'
            error_table 9X\\nec A, "a"\\nend            | t.et:1:13: First character of error table name must be a letter
            error_table X\\nec A "a"\\nend              | t.et:2:6: expected ','
            error_table X\\nec A, a\\nend               | t.et:2:7: expected a quoted message
            error_table X\\nec A, "a\\nend              | t.et:2:7: unterminated message string
            error_table X\\nec A = 0, "a"\\nec B = 0, "b"\\nend | t.et:3:8: Error code B (0) out of order
            error_table X\\nec A, "a"\\nec A, "b"\\nend  | t.et:3:4: A defined twice
            error_table X\\nec A, "a"                  | t.et:2:10: expected 'ec' or 'end', found end of file
            """)
    void errorsAreLocated(String source, String expected) {
        CompileException e = assertThrows(
                CompileException.class,
                () -> ErrorTableParser.parse("t.et", source.strip().replace("\\n", "\n")));
        assertEquals(expected.strip(), e.getMessage());
    }
}
