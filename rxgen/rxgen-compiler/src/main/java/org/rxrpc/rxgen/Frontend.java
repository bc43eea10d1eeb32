package org.rxrpc.rxgen;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.rxrpc.rxgen.ast.Definition;
import org.rxrpc.rxgen.model.Analyzer;
import org.rxrpc.rxgen.model.Model;
import org.rxrpc.rxgen.parse.Lexer;
import org.rxrpc.rxgen.parse.Parser;
import org.rxrpc.rxgen.parse.Preprocessor;
import org.rxrpc.rxgen.parse.Token;

/** Reads one interface file: preprocess, tokenize, parse, check. */
public final class Frontend {
    private Frontend() {}

    /**
     * @param defines macros defined before the file is read (like cpp's {@code -D})
     * @throws CompileException for the first error, located
     */
    public static Model load(Path xg, List<Path> includePaths, Map<String, String> defines) {
        Preprocessor.Result pre = Preprocessor.run(xg, includePaths, defines);
        List<Token> tokens = Lexer.tokenize(pre.lines(), pre.macros());
        List<Definition> definitions = Parser.parse(tokens);
        return Analyzer.analyze(definitions, pre.macros(), pre.passThroughDefines());
    }
}
