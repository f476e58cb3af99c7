@testable import ArrayIO
import Foundation
import LinearAlgebra
import Testing

@Suite("NPY writer format")
struct NPYWriterFormatTests {
    @Test func headerIsPaddedToSixtyFourBytesLikeNumPy() throws {
        for shape in [[], [3], [2, 3], [1000, 1000, 7], Array(repeating: 2, count: 20)] {
            let a = try NPYArray(shape: shape, values: Array(repeating: 0, count: shape.reduce(1, *)))
            let bytes = NPY.encode(a)
            #expect(Array(bytes[0..<8]) == NPY.magic + [1, 0])
            let headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
            #expect((10 + headerLength) % 64 == 0)
            #expect(bytes[10 + headerLength - 1] == 0x0A)
            let header = String(decoding: bytes[10..<(10 + headerLength)], as: UTF8.self)
            #expect(header.hasPrefix("{'descr': '<f8', 'fortran_order': False, 'shape': \(NPYArray.shapeDescription(shape)), }"))
            #expect(bytes.count == 10 + headerLength + 8 * a.count)
        }
    }

    @Test func shapeIsWrittenAsAPythonTuple() throws {
        #expect(NPYArray.shapeDescription([]) == "()")
        #expect(NPYArray.shapeDescription([5]) == "(5,)")
        #expect(NPYArray.shapeDescription([2, 3]) == "(2, 3)")
        #expect(NPY.headerDict(shape: [4], dtype: .float32, fortranOrder: true)
            == "{'descr': '<f4', 'fortran_order': True, 'shape': (4,), }")
    }

    @Test func versionTwoWhenTheHeaderOutgrowsSixteenBits() throws {
        // 25 000 dimensions of length 1: the shape tuple alone is 75 000 characters.
        let shape = Array(repeating: 1, count: 25_000)
        let a = try NPYArray(shape: shape, values: [4.5])
        let bytes = NPY.encode(a)
        #expect(Array(bytes[0..<8]) == NPY.magic + [2, 0])
        let headerLength = (0..<4).reduce(0) { $0 | Int(bytes[8 + $1]) << (8 * $1) }
        #expect(headerLength > 65_535)
        #expect((12 + headerLength) % 64 == 0)
        #expect(bytes.count == 12 + headerLength + 8)
        #expect(try NPY.decode(bytes) == a)
    }

    @Test func writesAreAtomicAndLeaveNoTemporaryFiles() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let path = dir.file("x.npy")
        try NPY.write(NPYArray(vector: [1, 2, 3]), to: path)
        try NPY.write(NPYArray(vector: [4]), to: path)  // replaces the old file
        #expect(try NPY.read(contentsOf: path) == NPYArray(vector: [4]))
        #expect(try dir.contents() == ["x.npy"])
    }

    @Test func writeFailuresNameThePathAndLeaveNothingBehind() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let missing = dir.file("no/such/dir/x.npy")
        let e = arrayIOError { try NPY.write(NPYArray(scalar: 1), to: missing) }
        #expect(e?.caseName == "writeFailed")
        #expect(e?.path == missing)
        #expect(e?.description.hasPrefix("cannot write \(missing): ") == true)

        // Renaming over a non-empty directory fails; the directory and its contents survive.
        try FileManager.default.createDirectory(atPath: dir.file("d.npy/inner"), withIntermediateDirectories: true)
        #expect(arrayIOError { try NPY.write(try Matrix([[1]]), to: dir.file("d.npy")) }?.caseName == "writeFailed")
        #expect(FileManager.default.fileExists(atPath: dir.file("d.npy/inner")))
        #expect(try dir.contents() == ["d.npy"])

        #expect(arrayIOError { try NPY.write(NPYArray(scalar: 1), to: "") }?.caseName == "writeFailed")
        #expect(arrayIOError { try NPY.write(NPYArray(scalar: 1), to: dir.path + "/") }?.caseName == "writeFailed")
    }
}
