import Testing
@testable import Stochastics

/// Random123 known-answer vectors for philox4x32-10 (`kat_vectors`), re-derived with an
/// independent Python implementation of the round function (see `ReferenceValuesTests.swift`).
@Suite("Philox4x32-10 known answers")
struct Philox4x32Tests {
    @Test(arguments: [
        (SIMD4<UInt32>(0, 0, 0, 0), SIMD2<UInt32>(0, 0),
         SIMD4<UInt32>(0x6627_e8d5, 0xe169_c58d, 0xbc57_ac4c, 0x9b00_dbd8)),
        (SIMD4<UInt32>(repeating: 0xffff_ffff), SIMD2<UInt32>(repeating: 0xffff_ffff),
         SIMD4<UInt32>(0x408f_276d, 0x41c8_3b0e, 0xa20b_c7c6, 0x6d54_51fd)),
        (SIMD4<UInt32>(0x243f_6a88, 0x85a3_08d3, 0x1319_8a2e, 0x0370_7344), SIMD2<UInt32>(0xa409_3822, 0x299f_31d0),
         SIMD4<UInt32>(0xd16c_fe09, 0x94fd_cceb, 0x5001_e420, 0x2412_6ea1)),
    ])
    func knownAnswer(counter: SIMD4<UInt32>, key: SIMD2<UInt32>, expected: SIMD4<UInt32>) {
        #expect(Philox4x32.block(counter: counter, key: key) == expected)
    }

    @Test func addressMapsToDocumentedCounter() throws {
        let a = try CounterAddress(seed: 0x0123_4567_89ab_cdef, stream: 0xfedc_ba98_7654_3210, step: 0x0000_1234_5678_9abc)
        #expect(a.key == SIMD2(0x89ab_cdef, 0x0123_4567))
        // low 64 bits = step << 16 | block = 0x1234_5678_9abc_0000 | 5
        #expect(a.counter(block: 5) == SIMD4(0x9abc_0005, 0x1234_5678, 0x7654_3210, 0xfedc_ba98))
        let x = Philox4x32.block(counter: a.counter(block: 5), key: a.key)
        let (w0, w1) = a.words(block: 5)
        #expect(w0 == UInt64(x[0]) | UInt64(x[1]) << 32)
        #expect(w1 == UInt64(x[2]) | UInt64(x[3]) << 32)
    }
}
