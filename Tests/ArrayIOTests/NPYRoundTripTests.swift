@testable import ArrayIO
import Foundation
import LinearAlgebra
import Testing

@Suite("NPY round trips")
struct NPYRoundTripTests {
    static let shapes: [[Int]] = [[], [5], [1], [0], [2, 3], [3, 1], [1, 4], [0, 3], [2, 3, 4], [3, 1, 2], [2, 2, 2, 2]]

    static func sample(shape: [Int], seed: UInt64) throws -> NPYArray {
        var rng = SplitMix64(seed: seed)
        let count = shape.reduce(1, *)
        let values = (0..<count).map { _ in
            Double(sign: Bool.random(using: &rng) ? .minus : .plus,
                   exponent: Int.random(in: -30...30, using: &rng),
                   significand: Double.random(in: 1..<2, using: &rng))
        }
        return try NPYArray(shape: shape, values: values)
    }

    @Test(arguments: shapes, [false, true])
    func float64RoundTripsExactly(shape: [Int], fortranOrder: Bool) throws {
        let a = try Self.sample(shape: shape, seed: UInt64(shape.count * 31 + shape.reduce(0, +)))
        let bytes = NPY.encode(a, fortranOrder: fortranOrder)
        let back = try NPY.decode(bytes)
        #expect(back == a)
        #expect(try NPY.decode(Data(bytes)) == a)
    }

    @Test func fortranOrderChangesTheBytesButNotTheArray() throws {
        let a = try NPYArray(shape: [2, 3], values: [1, 2, 3, 4, 5, 6])
        let c = NPY.encode(a), f = NPY.encode(a, fortranOrder: true)
        #expect(c != f)
        #expect(c.count == f.count)
        let dataStart = c.count - 48
        let cData = try NPY.decode(c).values, fData = try NPY.decode(f).values
        #expect(cData == fData)
        // The Fortran file stores columns: 1, 4, 2, 5, 3, 6.
        let stored = (0..<6).map { i in
            f[(dataStart + 8 * i)..<(dataStart + 8 * i + 8)].reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        }.map(Double.init(bitPattern:))
        #expect(stored == [1, 4, 2, 5, 3, 6])
    }

    @Test func float32KeepsRepresentableValuesExactly() throws {
        let exact: [Double] = [0, -0.0, 1, -2.5, 0.375, 1024, 0x1p-20, -65504, Double(Float.greatestFiniteMagnitude)]
        let representable = exact.map { Double(Float($0)) }
        let a = try NPYArray(shape: [representable.count], values: representable)
        let back = try NPY.decode(NPY.encode(a, dtype: .float32))
        #expect(bitwiseEqual(back.values, representable))
        let bytes = NPY.encode(a, dtype: .float32)
        #expect(bytes.count == NPY.encode(a).count - 4 * representable.count)
    }

    @Test func float32RoundsOtherValuesToFloatPrecision() throws {
        let a = try Self.sample(shape: [4, 5], seed: 99)
        let back = try NPY.decode(NPY.encode(a, dtype: .float32, fortranOrder: true))
        #expect(back.shape == [4, 5])
        for (x, y) in zip(a.values, back.values) {
            #expect(y == Double(Float(x)))
            #expect(abs(y - x) <= abs(x) * 0x1p-24)
        }
        let huge = try NPY.decode(NPY.encode(NPYArray(vector: [1e300, -1e300]), dtype: .float32))
        #expect(huge.values == [.infinity, -.infinity])
    }

    @Test func nonFiniteValuesAndNegativeZeroSurvive() throws {
        let a = NPYArray(vector: [.nan, .infinity, -.infinity, -0.0, .leastNonzeroMagnitude, .greatestFiniteMagnitude])
        let back = try NPY.decode(NPY.encode(a))
        #expect(bitwiseEqual(back.values, a.values))
        #expect(back.values[3].sign == .minus)
    }

    @Test func matrixWriteThenReadGivesTheSameMatrix() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let m = try Matrix([[1, -2, 3.25], [4e-9, 5e9, -6], [0.1, 0.2, 0.3], [7, 8, 9]])
        let path = dir.file("m.npy")
        try NPY.write(m, to: path)
        #expect(try NPY.readMatrix(contentsOf: path) == m)
        #expect(try NPY.read(contentsOf: path) == NPYArray(m))
        // The matrix is written column-major, straight from its storage.
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        #expect(String(decoding: bytes[10..<70], as: UTF8.self).contains("'fortran_order': True"))
        #expect(NPY.encode(m) == NPY.encode(NPYArray(m), fortranOrder: true))

        try NPY.write(m, to: path, dtype: .float32)
        let m32 = try NPY.readMatrix(contentsOf: path)
        #expect(m32.rows == 4 && m32.columns == 3)
        #expect(m32.storage == m.storage.map { Double(Float($0)) })
    }

    @Test func arrayWriteThenReadForEveryRank() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        for (k, shape) in Self.shapes.enumerated() {
            let a = try Self.sample(shape: shape, seed: UInt64(k))
            let path = dir.file("a\(k).npy")
            try NPY.write(a, to: path, fortranOrder: k % 2 == 0)
            #expect(try NPY.read(contentsOf: path) == a)
        }
    }
}
