package org.rxrpc.rxgen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rxrpc.rxgen.ast.ConstDef;
import org.rxrpc.rxgen.ast.Direction;
import org.rxrpc.rxgen.ast.EnumDef;
import org.rxrpc.rxgen.ast.ProcDef;
import org.rxrpc.rxgen.ast.Relation;
import org.rxrpc.rxgen.ast.StructDef;
import org.rxrpc.rxgen.ast.TypedefDef;
import org.rxrpc.rxgen.ast.UnionDef;
import org.rxrpc.rxgen.model.Model;
import org.rxrpc.rxgen.model.XdrType;

/** everything.xg (every construct, also compiled by OpenAFS's rxgen in the itests) read back definition by definition. */
class ParserReadsEveryConstructTest {
    private final Model model = Frontend.load(Sources.resource("everything.xg"), List.of(), Map.of());

    private <T> T def(Class<T> type, String name) {
        return model.definitions().stream()
                .filter(type::isInstance)
                .filter(d -> d.name().equals(name))
                .map(type::cast)
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " " + name));
    }

    @Test
    void constantsResolveNumbersHexNegativesAndOtherConstants() {
        assertEquals(8, model.value("MAX_ITEMS"));
        assertEquals(16, model.value("HEX_FLAG"));
        assertEquals(-5, model.value("NEGATIVE"));
        assertEquals(8, model.value("SAME_AS_MAX"));
        assertEquals(
                "How many items a list holds at most.",
                def(ConstDef.class, "MAX_ITEMS").doc());
        assertEquals("a flag bit", def(ConstDef.class, "HEX_FLAG").doc());
    }

    @Test
    void preprocessorTakesTheTrueBranchesAndMacrosOfIncludedHeaders() {
        assertEquals(1, model.value("BIG")); // from #else of #ifndef BIG_NAMES ... #elif 0
        assertEquals(32, model.value("NAME_MAX"));
        assertEquals(12, model.value("PASSED_MAX")); // a %#define: C for rxgen, a size for us
    }

    @Test
    void enumMembersFollowTheirPredecessor() {
        EnumDef e = def(EnumDef.class, "color");
        assertEquals(
                List.of("RED", "GREEN", "BLUE"),
                e.values().stream().map(EnumDef.Value::name).toList());
        assertEquals(1, model.value("RED"));
        assertEquals(2, model.value("GREEN"));
        assertEquals(7, model.value("BLUE"));
        assertEquals("the first", e.values().get(0).doc());
    }

    @Test
    void typedefsKeepTheirRelation() {
        assertEquals(Relation.ARRAY, def(TypedefDef.class, "shortname").decl().relation());
        assertEquals(Relation.VECTOR, def(TypedefDef.class, "fixedname").decl().relation());
        assertEquals(Relation.POINTER, def(TypedefDef.class, "nodeptr").decl().relation());
        assertEquals("node", def(TypedefDef.class, "nodeptr").decl().type());
    }

    @Test
    void everyIntegerSpellingMapsToItsWireType() {
        StructDef s = def(StructDef.class, "scalars");
        List<String> kinds = s.members().stream()
                .map(m -> ((XdrType.Primitive) model.wireType(m, false)).kind().name())
                .toList();
        assertEquals(
                List.of(
                        "INT", "INT", "UINT", "UINT", "UINT", "HYPER", "UHYPER", "CHAR", "UCHAR", "UCHAR", "SHORT",
                        "USHORT", "USHORT", "BOOL", "UUID"),
                kinds);
        assertEquals("two units, high first", s.members().get(5).doc());
    }

    @Test
    void arraysStringsOpaqueAndOptionalResolveThroughTypedefs() {
        StructDef a = def(StructDef.class, "aggregate");
        Map<String, XdrType> t = new java.util.HashMap<>();
        a.members().forEach(m -> t.put(m.name(), model.wireType(m, false)));
        assertEquals(3, ((XdrType.Vector) t.get("fixed")).n().value());
        assertEquals(8, ((XdrType.Array) t.get("counted")).max().value());
        assertEquals("MAX_ITEMS", ((XdrType.Array) t.get("counted")).max().constant());
        assertEquals(-1, ((XdrType.Array) t.get("unbounded")).max().value());
        assertEquals(16, ((XdrType.CharVector) t.get("name")).n().value());
        assertEquals(32, ((XdrType.Str) t.get("text")).max().value());
        assertTrue(((XdrType.Opaque) t.get("fixedBytes")).fixed());
        assertEquals(12, ((XdrType.Opaque) t.get("someBytes")).size().value());
        assertEquals(32, ((XdrType.Str) t.get("alias")).max().value());
        assertEquals(new XdrType.Primitive(XdrType.Kind.UINT), ((XdrType.Array) t.get("ids")).element());
        assertEquals(new XdrType.Named("scalars", XdrType.NamedKind.STRUCT), ((XdrType.Array) t.get("many")).element());
        assertEquals(new XdrType.Named("color", XdrType.NamedKind.ENUM), t.get("colour"));
        assertEquals(new XdrType.Optional(new XdrType.Named("node", XdrType.NamedKind.STRUCT)), t.get("list"));
        assertEquals(new XdrType.Optional(new XdrType.Named("scalars", XdrType.NamedKind.STRUCT)), t.get("maybe"));
        assertFalse(((XdrType.Opaque) t.get("data")).fixed());
    }

    @Test
    void unionArmsIncludingVoidAndDefault() {
        UnionDef u = def(UnionDef.class, "shape");
        assertEquals("kind", u.discriminant().name());
        assertEquals(
                List.of("RED", "GREEN", "BLUE"),
                u.arms().stream().map(UnionDef.Arm::label).toList());
        assertTrue(u.arms().get(2).decl().isVoid());
        assertEquals("other", u.defaultArm().name());
    }

    @Test
    void proceduresHaveDirectionsOpcodesSplitAndMulti() {
        Model.Interface i = model.interfaces().get(0);
        assertEquals("TEST_", i.packagePrefix());
        assertEquals(30, i.statIndex());
        assertEquals(
                List.of(1, 2, 3, 4, 5, 6, 7, 8),
                i.procs().stream().map(Model.Proc::opcode).toList());
        ProcDef shape = def(ProcDef.class, "EchoShape");
        assertEquals(
                List.of(Direction.IN, Direction.INOUT, Direction.OUT),
                shape.params().stream().map(ProcDef.Param::direction).toList());
        ProcDef names = def(ProcDef.class, "Names");
        assertEquals(
                Direction.IN,
                names.params().get(1).direction(),
                "a parameter without direction takes the previous one's");
        assertTrue(def(ProcDef.class, "Bulk").split());
        assertTrue(def(ProcDef.class, "Ping").multi());
        assertFalse(def(ProcDef.class, "Echo").split());
        assertEquals("Returns its argument.", def(ProcDef.class, "Echo").doc());
        assertNull(def(ProcDef.class, "Echo").serverStub());
        // "*" on a parameter is by reference, not optional data
        assertEquals(
                new XdrType.Named("scalars", XdrType.NamedKind.STRUCT),
                model.wireType(def(ProcDef.class, "Echo").params().get(0).decl(), true));
    }

    @Test
    void opcodesNumberFromZeroOrStartingOpcodeWhenNotAssigned(
            @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        Model m = Sources.load(
                dir, "package A_\nOne();\nTwo();\npackage B_\nstartingopcode 100\nThree(IN int x);\nFour();\n");
        assertEquals(
                List.of(0, 1),
                m.interfaces().get(0).procs().stream().map(Model.Proc::opcode).toList());
        assertEquals(
                List.of(100, 101),
                m.interfaces().get(1).procs().stream().map(Model.Proc::opcode).toList());
    }

    @Test
    void opcodeMayNameAConstant(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        Model m = Sources.load(
                dir,
                "const OP_X = 42;\npackage A_\nX() = OP_X;\nsplitprefix IN=Begin OUT=Finish;\nY Server(IN int a) = 43;\n");
        assertEquals(
                List.of(42, 43),
                m.interfaces().get(0).procs().stream().map(Model.Proc::opcode).toList());
        assertEquals("Server", def2(m, "Y").serverStub());
    }

    private static ProcDef def2(Model m, String name) {
        return m.definitions().stream()
                .filter(d -> d instanceof ProcDef p && p.name().equals(name))
                .map(ProcDef.class::cast)
                .findFirst()
                .orElseThrow();
    }

    @Test
    void customizedStructsFloatsDoublesAndSharedCaseLabels(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        Model m = Sources.load(
                dir,
                "customized struct c { float f; double d; };\n"
                        + "union u switch (int k) { case 1: case 2: int both; case 3: void; };\n");
        StructDef c = (StructDef) m.type("c");
        assertEquals(
                new XdrType.Primitive(XdrType.Kind.FLOAT),
                m.wireType(c.members().get(0), false));
        assertEquals(
                new XdrType.Primitive(XdrType.Kind.DOUBLE),
                m.wireType(c.members().get(1), false));
        UnionDef u = (UnionDef) m.type("u");
        assertEquals(
                List.of("1", "2", "3"),
                u.arms().stream().map(UnionDef.Arm::label).toList());
        assertEquals(u.arms().get(0).decl(), u.arms().get(1).decl());
    }

    @Test
    void headersIncludedFromIncludePathsGiveOnlyTheirMacros(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        Sources.write(dir, "inc/sizes.h", "#define SIZE 9\nstruct c_only { int x; };\nint f(void);\n");
        Sources.write(dir, "inc/types.xg", "struct shared { int a[SIZE]; };\n");
        java.nio.file.Path main = Sources.write(
                dir, "src/main.xg", "#include <sizes.h>\n#include \"../inc/types.xg\"\nstruct user { shared s; };\n");
        Model m = Frontend.load(main, List.of(dir.resolve("inc")), Map.of());
        assertEquals(
                9,
                ((XdrType.Vector) m.wireType(
                                ((StructDef) m.type("shared")).members().get(0), false))
                        .n()
                        .value());
        assertNull(m.type("c_only"));
    }

    @Test
    void commandLineDefinesSelectBranches(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        java.nio.file.Path f = Sources.write(dir, "d.xg", "#ifdef KERNEL\nconst K = 1;\n#else\nconst K = 2;\n#endif\n");
        assertEquals(1, Frontend.load(f, List.of(), Map.of("KERNEL", "1")).value("K"));
        assertEquals(2, Frontend.load(f, List.of(), Map.of()).value("K"));
    }
}
