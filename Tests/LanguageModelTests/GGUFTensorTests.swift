import Testing
@testable import LanguageModel

/// tensors.gguf holds one tensor per supported ggml type (seeded random values quantized by gguf-py,
/// general.alignment = 64); expected.gguf holds, under the same names, F32 tensors with
/// `gguf.quants.dequantize` of those bytes. Dequantization must reproduce them **bit for bit**: ggml, NumPy
/// and this implementation all compute one float32 product (and one sum for Q4_1/Q5_1) per value from the same
/// half-precision scales, so there is no rounding freedom; any difference is a layout bug.
@Suite struct GGUFTensorTests {
    static let types: [(String, GGMLType, [Int])] = [
        ("f32", .f32, [40, 3]), ("f16", .f16, [24, 3, 2]), ("q4_0", .q4_0, [64, 3]), ("q4_1", .q4_1, [96, 4]),
        ("q5_0", .q5_0, [64, 3]), ("q5_1", .q5_1, [64, 2, 2]), ("q8_0", .q8_0, [64, 5]),
    ]

    @Test func tableAndAlignment() throws {
        let f = try GGUFFile(contentsOf: GGUFFixtures.path("tensors.gguf"))
        #expect(f.alignment == 64)
        #expect(f["general.alignment"]?.int == 64)
        #expect(f.dataOffset % 64 == 0)
        #expect(f.tensors.map(\.name) == Self.types.map(\.0))
        for (name, type, dims) in Self.types {
            let t = try f.tensor(named: name)
            #expect(t.type == type)
            #expect(t.dimensions == dims)
            #expect(t.relativeOffset % 64 == 0)
            #expect(t.offset == f.dataOffset + t.relativeOffset)
            #expect(t.byteCount == t.elementCount / type.blockSize * type.typeSize)
        }
    }

    @Test(arguments: GGUFTensorTests.types.map(\.0))
    func dequantizationMatchesGGUFPy(_ name: String) throws {
        let f = try GGUFFile(contentsOf: GGUFFixtures.path("tensors.gguf"))
        let e = try GGUFFile(contentsOf: GGUFFixtures.path("expected.gguf"))
        let t = try f.tensor(named: name)
        let reference = try e.dequantize(named: name)
        let values = try f.dequantize(t)
        #expect(values.count == reference.count)
        #expect(values.map(\.bitPattern) == reference.map(\.bitPattern))
        // row by row and in row ranges: the same numbers
        for row in 0..<t.rowCount {
            let r = try f.dequantizeRow(t, row: row)
            #expect(r == Array(reference[(row * t.rowLength)..<((row + 1) * t.rowLength)]))
        }
        if t.rowCount > 1 {
            #expect(try f.dequantizeRows(t, rows: 1..<t.rowCount) == Array(reference[t.rowLength...]))
        }
    }

    /// The F32 tensor of metadata.gguf holds arange(8) − 3.5: checks F32 reading independently of expected.gguf.
    @Test func knownF32Values() throws {
        let f = try GGUFFile(contentsOf: GGUFFixtures.path("metadata.gguf"))
        let t = try f.tensor(named: "vector")
        #expect(t.type == .f32 && t.dimensions == [8] && t.rowCount == 1)
        #expect(try f.dequantize(t) == (0..<8).map { Float($0) - 3.5 })
    }

    @Test func lookupAndRangeErrors() throws {
        let f = try GGUFFile(contentsOf: GGUFFixtures.path("tensors.gguf"))
        let g = try GGUFFile(contentsOf: GGUFFixtures.path("metadata.gguf"))
        let t = try f.tensor(named: "q8_0")
        #expect(languageModelError { try f.tensor(named: "nope") } == .missing("tensor 'nope'"))
        #expect(!f.hasTensor(named: "nope") && f.hasTensor(named: "q8_0"))
        #expect(languageModelError { try f.dequantizeRow(t, row: 5) }?.isInvalidArgument == true)
        #expect(languageModelError { try f.dequantizeRow(t, row: -1) }?.isInvalidArgument == true)
        #expect(languageModelError { try g.dequantize(t) }?.isInvalidArgument == true)
        #expect(try f.dequantizeRows(t, rows: 2..<2).isEmpty)
        let raw = try f.withRawBytes(of: t) { Array($0) }
        #expect(raw.count == 5 * 2 * 34)
    }

    /// Types whose size is known but that have no dequantizer open fine and fail only when converted.
    @Test func knownButUnsupportedType() throws {
        var b = GGUFBuilder()
        b.header(tensors: 1, kvs: 0)
        b.tensorInfo("k", dims: [256, 1], type: GGMLType.q4_K.rawValue, offset: 0)
        b.pad()
        b.bytes += [UInt8](repeating: 0, count: 144)
        let f = try GGUFFile(bytes: b.bytes)
        let t = try f.tensor(named: "k")
        #expect(t.byteCount == 144)
        #expect(languageModelError { try f.dequantize(t) } == .unsupported("dequantization of ggml type Q4_K"))
    }
}

extension LanguageModelError {
    var isInvalidArgument: Bool { if case .invalidArgument = self { return true }; return false }
    var isMalformed: Bool { if case .malformedFile = self { return true }; return false }
    var isUnsupported: Bool { if case .unsupported = self { return true }; return false }
}
