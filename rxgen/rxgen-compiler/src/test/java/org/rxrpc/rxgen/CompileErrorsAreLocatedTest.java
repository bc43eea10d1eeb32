package org.rxrpc.rxgen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every error the compiler reports, as {@code file:line:column: message}. */
class CompileErrorsAreLocatedTest {
    @TempDir
    Path dir;

    private String error(String source) {
        Path f = Sources.write(dir, "t.xg", source.replace("\\n", "\n"));
        CompileException e = assertThrows(CompileException.class, () -> Frontend.load(f, List.of(), Map.of()));
        return e.getMessage().replace(f.toString(), "t.xg");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            textBlock =
                    """
            struct s { int a };                                  | t.xg:1:18: expected ';', found '}'
            struct s { int a; }                                  | t.xg:1:20: expected ';', found end of file
            int x;                                               | t.xg:1:1: definition keyword expected
            X(IN int a);                                         | t.xg:1:1: Procedure must be in a package
            const = 3;                                           | t.xg:1:7: constant name expected, found '='
            const A = ;                                          | t.xg:1:11: constant value expected, found ';'
            enum e { A, };                                       | t.xg:1:13: enum value name expected, found '}'
            enum e { A = , B };                                  | t.xg:1:14: enum value: constant or identifier expected, found ','
            struct s { foo a; };                                 | t.xg:1:16: undefined type foo
            struct s { int a[N]; };                              | t.xg:1:16: array size N is not a known constant
            struct s { int a; int a; };                          | t.xg:1:23: member a declared twice
            struct s { int *a[3]; };                             | t.xg:1:18: no array-of-pointer declarations -- use typedef
            struct s { opaque o; };                              | t.xg:1:19: array declaration expected
            struct s { string t[4]; };                           | t.xg:1:19: variable-length array declaration expected
            struct s { void v; };                                | t.xg:1:12: voids allowed only inside union definitions
            struct s { int a; };\\nstruct s { int b; };          | t.xg:2:8: s redefined (first defined at t.xg:1:8)
            const A = 1;\\nconst A = 2;                          | t.xg:2:7: A redefined (first defined at t.xg:1:7)
            const A = B;                                         | t.xg:1:7: unknown constant B
            const A = B;\\nconst B = A;                          | t.xg:2:7: constant B defined in terms of itself
            union u switch (int k) { case 1: int a; case 1: int b; };     | t.xg:1:46: case 1 duplicates case 1
            union u switch (string k<4>) { case 1: int a; };     | t.xg:1:24: a union switches on an integer or an enum
            union u switch (int k) { };                          | t.xg:1:26: expected 'case', found '}'
            typedef loop loop;                                   | t.xg:1:14: typedef loop refers to itself
            package P_\\nX(IN int a<>) = 1;                      | t.xg:2:11: input arrays must specify a max size
            package P_\\nX(IN int a, OUT int a) = 1;             | t.xg:2:21: parameter a declared twice
            package P_\\nX() = 1;\\nY() = 1;                     | t.xg:3:1: The opcode number 1 is already used by X (t.xg:2:1)
            package P_\\nX();\\nY() = 5;                         | t.xg:3:1: Opcode assignment isn't allowed here (opcodes are numbered automatically)
            package P_\\nX() = Z;                                | t.xg:2:1: unknown constant Z
            package P_\\nX() split multi;                        | t.xg:2:11: expected '=' or ';', found 'multi'
            package P_\\nX(IN int a) = 1                         | t.xg:2:16: expected ';', found end of file
            statindex 3                                          | t.xg:1:1: 'statindex' command must follow 'package' command
            package P_\\nstatindex x                             | t.xg:2:11: statindex number must be a constant number, found 'x'
            package P_\\nsplitprefix FOO=x;                      | t.xg:2:13: syntax error in the 'splitprefix' line
            special int x;                                       | t.xg:1:1: 'special' definitions are not supported (no OpenAFS interface uses them)
            struct s { int a; } $                                | t.xg:1:21: illegal character in file: '$'
            const S = "open;                                     | t.xg:1:11: unterminated string constant
            /* open                                              | t.xg:1:1: unterminated comment
            #if 1                                                | t.xg:1:1: unterminated conditional: #endif missing
            #endif                                               | t.xg:1:1: #endif without #if
            #else                                                | t.xg:1:1: #else without #if
            #if 1\\n#else\\n#else\\n#endif                       | t.xg:3:1: #else after #else
            #if 1\\n#else\\n#elif 1\\n#endif                     | t.xg:3:1: #elif after #else
            #if (1                                               | t.xg:1:1: ')' expected in #if expression
            #if                                                  | t.xg:1:1: #if with no expression
            #if 1/0\\n#endif                                     | t.xg:1:1: division by zero in #if expression
            #error stop here                                     | t.xg:1:1: #error stop here
            #frobnicate                                          | t.xg:1:1: unknown preprocessor directive #frobnicate
            #include "missing.xg"                                | t.xg:1:1: #include file not found: missing.xg (searched [DIR])
            #include missing                                     | t.xg:1:1: #include expects "FILE" or <FILE>
            #define 9x 1                                         | t.xg:1:1: macro name expected
            #ifdef A B                                           | t.xg:1:1: extra tokens after macro name A
            """)
    void reportsFileLineColumnAndMessage(String source, String expected) {
        assertEquals(expected.replace("DIR", dir.toString()), error(source.strip()));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            textBlock =
                    """
            struct s { int a; };\\nstruct S { int b; };          | t.xg:2:8: the Java class S would be generated twice (also for t.xg:1:8)
            package P_\\nGet();\\nget();                          | t.xg:3:1: procedure get gives a Java name used by another
            """)
    void javaNameClashesAreErrors(String source, String expected) {
        Path f = Sources.write(dir, "t.xg", source.strip().replace("\\n", "\n"));
        CompileException e =
                assertThrows(CompileException.class, () -> new Rxgen("p", List.of(), Map.of()).generate(List.of(f)));
        assertEquals(expected, e.getMessage().replace(f.toString(), "t.xg"));
    }

    @org.junit.jupiter.api.Test
    void anIncludeCycleIsReportedAtTheIncludeLine() {
        Sources.write(dir, "a.xg", "#include \"b.xg\"\n");
        Sources.write(dir, "b.xg", "\n#include \"a.xg\"\n");
        CompileException e =
                assertThrows(CompileException.class, () -> Frontend.load(dir.resolve("a.xg"), List.of(), Map.of()));
        assertEquals(2, e.location().line());
        assertTrue(e.reason().startsWith("#include nested recursively: "), e.reason());
        assertTrue(e.reason().endsWith("a.xg"), e.reason());
    }
}
