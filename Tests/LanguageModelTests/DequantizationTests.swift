import Testing
@testable import LanguageModel

@Suite struct DequantizationTests {
    /// All 65,536 half-precision bit patterns against Swift's own `Float16` → `Float` conversion
    /// (exact by IEEE 754; NaNs compared as NaN since quieting may change the payload).
    #if !(os(macOS) && arch(x86_64))
    @Test func halfToFloatIsExact() {
        var mismatches = 0
        for bits in 0...UInt16.max {
            let expected = Float(Float16(bitPattern: bits))
            let got = Dequantization.halfToFloat(bits)
            if expected.isNaN { if !got.isNaN { mismatches += 1 } } else if got.bitPattern != expected.bitPattern { mismatches += 1 }
        }
        #expect(mismatches == 0)
    }
    #endif

    static func run(_ type: GGMLType, _ block: [UInt8]) throws -> [Float] {
        var out = [Float](repeating: .nan, count: 32)
        try block.withUnsafeBytes { src in
            try out.withUnsafeMutableBufferPointer { try Dequantization.dequantize(type, from: src.baseAddress!, count: 32, into: $0.baseAddress!) }
        }
        return out
    }

    /// Hand-made blocks with d = 0.5 (0x3800), m = −1 (0xBC00) and nibbles qs[j] = j | (15 − j) << 4,
    /// so value j has low nibble j and value j+16 has nibble 15 − j; every expected value is exact in binary.
    @Test func handMadeBlocks() throws {
        let nibbles = (0..<16).map { UInt8($0) | UInt8(15 - $0) << 4 }
        let low = (0..<16).map(Float.init), high = (0..<16).map { Float(15 - $0) }
        #expect(try Self.run(.q4_0, [0x00, 0x38] + nibbles) == (low + high).map { ($0 - 8) * 0.5 })
        #expect(try Self.run(.q4_1, [0x00, 0x38, 0x00, 0xBC] + nibbles) == (low + high).map { $0 * 0.5 - 1 })
        // qh = 0xAAAA5555: bit i set for even i < 16 and odd i ≥ 16
        let qh: [UInt8] = [0x55, 0x55, 0xAA, 0xAA]
        let fifth = (0..<32).map { i -> Float in (i < 16 ? i % 2 == 0 : i % 2 == 1) ? 16 : 0 }
        let q5 = zip(low + high, fifth).map { $0 + $1 }
        #expect(try Self.run(.q5_0, [0x00, 0x38] + qh + nibbles) == q5.map { ($0 - 16) * 0.5 })
        #expect(try Self.run(.q5_1, [0x00, 0x38, 0x00, 0xBC] + qh + nibbles) == q5.map { $0 * 0.5 - 1 })
        let q8 = (0..<32).map { UInt8(bitPattern: Int8($0 * 8 - 128)) }
        #expect(try Self.run(.q8_0, [0x00, 0x38] + q8) == (0..<32).map { Float($0 * 8 - 128) * 0.5 })
    }

    @Test func partialBlocksAndUnsupportedTypesThrow() {
        var out = [Float](repeating: 0, count: 64)
        let src = [UInt8](repeating: 0, count: 64)
        src.withUnsafeBytes { s in
            out.withUnsafeMutableBufferPointer { o in
                #expect(languageModelError { try Dequantization.dequantize(.q8_0, from: s.baseAddress!, count: 31, into: o.baseAddress!) }?.isInvalidArgument == true)
                #expect(languageModelError { try Dequantization.dequantize(.bf16, from: s.baseAddress!, count: 4, into: o.baseAddress!) }?.isUnsupported == true)
            }
        }
    }
}
