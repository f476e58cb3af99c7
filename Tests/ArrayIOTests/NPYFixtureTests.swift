import ArrayIO
import Foundation
import LinearAlgebra
import Testing

/// Files written by NumPy itself (Tests/Fixtures/npy/make_npy_fixtures.py). The expected values
/// are the generator's definitions, restated here.
@Suite("NPY files written by NumPy")
struct NPYFixtureTests {
    /// `np.arange(6).reshape(2, 3) * 0.5`
    static let m23: [Double] = [0, 0.5, 1, 1.5, 2, 2.5]

    static func read(_ name: String) throws -> NPYArray { try NPY.read(contentsOf: Fixtures.path(name)) }

    @Test func float64InCOrder() throws {
        #expect(try Self.read("f8_c_2x3.npy") == NPYArray(shape: [2, 3], values: Self.m23))
        #expect(try NPY.readMatrix(contentsOf: Fixtures.path("f8_c_2x3.npy")) == Matrix([[0, 0.5, 1], [1.5, 2, 2.5]]))
    }

    @Test func float64InFortranOrderReadsAsTheSameArray() throws {
        #expect(try Self.read("f8_fortran_2x3.npy") == NPYArray(shape: [2, 3], values: Self.m23))
        #expect(try NPY.readMatrix(contentsOf: Fixtures.path("f8_fortran_2x3.npy")) == Matrix([[0, 0.5, 1], [1.5, 2, 2.5]]))
        // The bytes differ from the C-order file: the data really is column-major on disk.
        #expect(try Fixtures.bytes("f8_fortran_2x3.npy") != Fixtures.bytes("f8_c_2x3.npy"))
    }

    @Test func float32() throws {
        // (np.arange(6).reshape(3, 2) * 0.25 - 0.5).astype('<f4'): exact in float32
        #expect(try Self.read("f4_3x2.npy") == NPYArray(shape: [3, 2], values: [-0.5, -0.25, 0, 0.25, 0.5, 0.75]))
        // [0.1, -1/3] rounded to float32 by NumPy: the same rounding as Swift's Float(_:)
        let tenth = try Self.read("f4_tenth.npy")
        #expect(tenth.values == [Double(Float(0.1)), Double(Float(-1.0 / 3.0))])
        #expect(tenth.values[0] != 0.1)
    }

    @Test func bigEndian() throws {
        #expect(try Self.read("f8_big_endian_2x2.npy") == NPYArray(shape: [2, 2], values: [1.5, -2.25, 3e10, -4e-3]))
        #expect(try Self.read("f4_big_endian_2.npy") == NPYArray(vector: [1.5, -0.125]))
    }

    @Test func integersBoolAndHalfConvertToDouble() throws {
        #expect(try Self.read("i8_2x3.npy") == NPYArray(shape: [2, 3], values: [-3, 0, 7, 0x1p40, -0x1p40, 1]))
        #expect(try Self.read("i4_4.npy") == NPYArray(vector: [-2_147_483_648, -1, 0, 2_147_483_647]))
        #expect(try Self.read("u1_3.npy") == NPYArray(vector: [0, 1, 255]))
        #expect(try Self.read("bool_3.npy") == NPYArray(vector: [1, 0, 1]))
        #expect(try Self.read("f2_3.npy") == NPYArray(vector: [1, -0.5, 65504]))
    }

    @Test func rankThreeInBothOrders() throws {
        // np.arange(24).reshape(2, 3, 4): element (i, j, k) = 12 i + 4 j + k
        let expected = try NPYArray(shape: [2, 3, 4], values: (0..<24).map(Double.init))
        #expect(try Self.read("f8_rank3_2x3x4.npy") == expected)
        #expect(try Self.read("f8_fortran_rank3_2x3x4.npy") == expected)
    }

    @Test func rankZeroOneAndEmpty() throws {
        #expect(try Self.read("f8_rank0.npy") == NPYArray(scalar: 2.5))
        #expect(try Self.read("f8_rank1_3.npy") == NPYArray(vector: [1, -2, 3.5]))
        let empty = try Self.read("f8_empty_0x3.npy")
        #expect(empty.shape == [0, 3] && empty.values.isEmpty)
        #expect(try empty.toMatrix() == Matrix(rows: 0, columns: 3))
    }

    @Test func nonFiniteValuesAreReadAsIs() throws {
        let a = try Self.read("f8_nonfinite_3.npy")
        #expect(a.values[0].isNaN && a.values[1] == .infinity && a.values[2] == -.infinity)
        #expect(!a.isFinite)
    }

    @Test func formatVersionsTwoAndThree() throws {
        #expect(try Fixtures.bytes("f8_v2_2x3.npy")[6] == 2)
        #expect(try Fixtures.bytes("f8_v3_2x3.npy")[6] == 3)
        #expect(try Self.read("f8_v2_2x3.npy") == NPYArray(shape: [2, 3], values: Self.m23))
        #expect(try Self.read("f8_v3_2x3.npy") == NPYArray(shape: [2, 3], values: Self.m23))
    }

    @Test func unsupportedDTypesWrittenByNumPy() throws {
        let complex = arrayIOError { try Self.read("c16_2.npy") }
        #expect(complex == .inFile(path: Fixtures.path("c16_2.npy"), error: .unsupportedDType(descr: "<c16")))
        #expect(complex?.description.contains("unsupported .npy dtype '<c16'") == true)
        #expect(arrayIOError { try Self.read("object_2.npy") }?.underlying == .unsupportedDType(descr: "|O"))
    }

    /// Our encoder reproduces `np.save` byte for byte (same header text, padding and data).
    @Test(arguments: [
        ("f8_c_2x3.npy", false), ("f8_fortran_2x3.npy", true), ("f8_rank3_2x3x4.npy", false),
        ("f8_fortran_rank3_2x3x4.npy", true), ("f8_rank0.npy", false), ("f8_rank1_3.npy", false),
        ("f8_empty_0x3.npy", false), ("f8_nonfinite_3.npy", false),
    ])
    func encoderMatchesNumPyByteForByte(name: String, fortranOrder: Bool) throws {
        let array = try Self.read(name)
        #expect(NPY.encode(array, fortranOrder: fortranOrder) == (try Fixtures.bytes(name)))
    }

    @Test func float32EncoderMatchesNumPyByteForByte() throws {
        #expect(NPY.encode(try Self.read("f4_3x2.npy"), dtype: .float32) == (try Fixtures.bytes("f4_3x2.npy")))
        #expect(NPY.encode(try Self.read("f4_tenth.npy"), dtype: .float32) == (try Fixtures.bytes("f4_tenth.npy")))
    }
}
