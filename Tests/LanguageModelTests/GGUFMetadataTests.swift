import Testing
@testable import LanguageModel

/// metadata.gguf is written by gguf-py (scripts/make_gguf_fixtures.py) with one key of every value type;
/// the expected values below are the ones the script passes to the writer.
@Suite struct GGUFMetadataTests {
    @Test func everyValueTypeReadsBack() throws {
        let f = try GGUFFile(contentsOf: GGUFFixtures.path("metadata.gguf"))
        #expect(f.version == 3)
        #expect(f.metadataKeys.count == 19)
        #expect(f.metadataKeys.first == "general.architecture")
        #expect(f["general.architecture"] == .string("testarch"))
        #expect(f["t.u8"] == .uint8(200))
        #expect(f["t.i8"] == .int8(-100))
        #expect(f["t.u16"] == .uint16(60000))
        #expect(f["t.i16"] == .int16(-30000))
        #expect(f["t.u32"] == .uint32(4_000_000_000))
        #expect(f["t.i32"] == .int32(-2_000_000_000))
        #expect(f["t.f32"] == .float32(0.15625))
        #expect(f["t.bool_true"] == .bool(true))
        #expect(f["t.bool_false"] == .bool(false))
        #expect(f["t.string"] == .string("héllo wörld ✓ 🙂"))
        #expect(f["t.u64"] == .uint64(18_000_000_000_000_000_000))
        #expect(f["t.i64"] == .int64(-9_000_000_000_000_000_000))
        #expect(f["t.f64"] == .float64(-1.0e300))
        #expect(f["t.array_i32"] == .array(elementType: .int32, [.int32(1), .int32(-2), .int32(3)]))
        #expect(f["t.array_f32"]?.floatArray == [0.5, -1.25])
        #expect(f["t.array_str"]?.stringArray == ["a b", "Ġthe", "", "日本"])
        #expect(f["t.array_bool"] == .array(elementType: .bool, [.bool(true), .bool(false), .bool(true)]))
        #expect(f["t.array_nested"] == .array(elementType: .array, [
            .array(elementType: .int32, [.int32(1), .int32(2)]), .array(elementType: .int32, [.int32(3)]),
        ]))
        #expect(f["absent"] == nil)
        #expect(f.alignment == 32)
        #expect(f.dataOffset % 32 == 0)
    }

    @Test func accessorsConvertOnlyExactly() {
        #expect(GGUFValue.uint8(7).int == 7)
        #expect(GGUFValue.int64(-5).int == -5)
        #expect(GGUFValue.uint64(.max).int == nil)
        #expect(GGUFValue.float32(0.5).int == nil)
        #expect(GGUFValue.float32(0.1).double == Double(Float(0.1)))
        #expect(GGUFValue.uint32(3).double == 3)
        #expect(GGUFValue.string("x").bool == nil)
        #expect(GGUFValue.array(elementType: .int32, [.int32(1), .int32(2)]).intArray == [1, 2])
        #expect(GGUFValue.array(elementType: .int32, [.int32(1)]).stringArray == nil)
        #expect(GGUFValue.array(elementType: .string, [.string("a")]).floatArray == nil)
        #expect(GGUFValue.bool(true).type == .bool)
    }

    /// gguf-py cannot write an empty array; build one by hand: it must keep its element type.
    @Test func emptyTypedArray() throws {
        var b = GGUFBuilder()
        b.header(tensors: 0, kvs: 1)
        b.string("empty"); b.u32(9); b.u32(8); b.u64(0)
        let f = try GGUFFile(bytes: b.bytes)
        #expect(f["empty"] == .array(elementType: .string, []))
        #expect(f["empty"]?.stringArray == [])
        #expect(f.tensors.isEmpty)
    }
}

@Suite struct GGUFRequiredMetadataTests {
    @Test func requiredLookups() throws {
        let f = try GGUFFile(contentsOf: GGUFFixtures.path("metadata.gguf"))
        #expect(try f.requiredInt("t.u32") == 4_000_000_000)
        #expect(try f.requiredInt("t.i8") == -100)
        #expect(try f.requiredDouble("t.f32") == 0.15625)
        #expect(try f.requiredDouble("t.i16") == -30000)
        #expect(try f.requiredString("general.architecture") == "testarch")
        #expect(try f.requiredStringArray("t.array_str") == ["a b", "Ġthe", "", "日本"])
        #expect(try f.requiredIntArray("t.array_i32") == [1, -2, 3])
        #expect(languageModelError { try f.requiredInt("absent") } == .missing("metadata key 'absent'"))
        #expect(languageModelError { try f.requiredInt("t.string") } == .missing("metadata key 't.string' as an integer (found string)"))
        #expect(languageModelError { try f.requiredInt("t.u64") } == .missing("metadata key 't.u64' as an integer (found u64)"))
        #expect(languageModelError { try f.requiredString("t.f64") } != nil)
        #expect(languageModelError { try f.requiredStringArray("t.array_i32") } != nil)
    }
}
