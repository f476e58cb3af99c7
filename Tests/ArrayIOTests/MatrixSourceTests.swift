import ArrayIO
import Foundation
import LinearAlgebra
import Testing

@Suite("Matrix sources")
struct MatrixSourceTests {
    @Test func literals() throws {
        #expect(try MatrixSource.load("[[-1,2],[-2,-1]]") == .matrix(try Matrix([[-1, 2], [-2, -1]])))
        #expect(try MatrixSource.load("  0.5\n") == .scalar(0.5))
        #expect(try MatrixSource.load("-1") == .scalar(-1))
        #expect(try MatrixSource.load(".25") == .scalar(0.25))
        #expect(try MatrixSource.load("[1, 2]") == .vector([1, 2]))
        guard case let .scalar(x) = try MatrixSource.load("NaN") else { Issue.record("NaN is a scalar"); return }
        #expect(x.isNaN)
        #expect(arrayIOError { try MatrixSource.load("[[1, NaN]]", requireFinite: true) } == .nonFinite(detail: "entry [0][1] is NaN"))
        #expect(arrayIOError { try MatrixSource.load("") } == .malformedJSON(detail: "empty input"))
        #expect(arrayIOError { try MatrixSource.load("[[1,2],[3]]") }?.caseName == "raggedJSON")
    }

    @Test func npyFilesOfRankZeroOneTwo() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let m = try Matrix([[1, 2], [3, 4]])
        try NPY.write(m, to: dir.file("m.npy"))
        try NPY.write(NPYArray(vector: [5, 6]), to: dir.file("v.npy"))
        try NPY.write(NPYArray(scalar: 0.5), to: dir.file("s.NPY"))
        try NPY.write(NPYArray(shape: [1, 1, 1], values: [1]), to: dir.file("c.npy"))
        #expect(try MatrixSource.load(dir.file("m.npy")) == .matrix(m))
        #expect(try MatrixSource.load(" " + dir.file("v.npy") + " ") == .vector([5, 6]))
        #expect(try MatrixSource.load(dir.file("s.NPY")) == .scalar(0.5))
        let e = arrayIOError { try MatrixSource.load(dir.file("c.npy")) }
        #expect(e == .inFile(path: dir.file("c.npy"), error: .wrongRank(expected: "a scalar, vector or matrix (rank ≤ 2)", shape: [1, 1, 1])))
        #expect(try MatrixSource.load(Fixtures.path("f8_c_2x3.npy")) == .matrix(try Matrix([[0, 0.5, 1], [1.5, 2, 2.5]])))
        #expect(arrayIOError { try MatrixSource.load(Fixtures.path("f8_nonfinite_3.npy"), requireFinite: true) }
            == .inFile(path: Fixtures.path("f8_nonfinite_3.npy"), error: .nonFinite(detail: "entry [0] is NaN")))
    }

    @Test func jsonFiles() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let good = dir.file("a.json"), bad = dir.file("b.json")
        try Data("[[1, 2],\n [3, 4]]\n".utf8).write(to: URL(fileURLWithPath: good))
        try Data("[[1, 2], [3]]".utf8).write(to: URL(fileURLWithPath: bad))
        #expect(try MatrixSource.load(good) == .matrix(try Matrix([[1, 2], [3, 4]])))
        let e = arrayIOError { try MatrixSource.load(bad) }
        #expect(e == .inFile(path: bad, error: .raggedJSON(detail: "row 1 has 1 entries, row 0 has 2")))
        #expect(e?.description == "\(bad): ragged JSON array: row 1 has 1 entries, row 0 has 2")
    }

    @Test func missingFilesAndOtherArguments() throws {
        let e = arrayIOError { try MatrixSource.load("/no/such/drift.npy") }
        #expect(e == .fileNotFound(path: "/no/such/drift.npy"))
        #expect(arrayIOError { try MatrixSource.load("/no/such/drift.json") } == .fileNotFound(path: "/no/such/drift.json"))
        #expect(arrayIOError { try MatrixSource.load("drift.txt") } == .unsupportedSource(argument: "drift.txt"))
        let abc = arrayIOError { try MatrixSource.load("abc") }
        #expect(abc == .unsupportedSource(argument: "abc"))
        #expect(abc?.description == "'abc' is neither a JSON literal nor a path ending in .npy or .json")
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        try FileManager.default.createDirectory(atPath: dir.file("d.npy"), withIntermediateDirectories: false)
        #expect(arrayIOError { try MatrixSource.load(dir.file("d.npy")) } == .unreadableFile(path: dir.file("d.npy"), detail: "it is a directory"))
    }

    @Test func everyDescriptionIsOneLine() throws {
        let errors: [ArrayIOError] = [
            .fileNotFound(path: "/p"), .unreadableFile(path: "/p", detail: "d"), .unsupportedSource(argument: "a\nb"),
            .badMagic(found: [1, 2]), .badMagic(found: []), .unsupportedVersion(major: 9, minor: 0),
            .malformedHeader(detail: "x\ny"), .unsupportedDType(descr: String(repeating: "z", count: 500)),
            .truncatedData(expectedBytes: 2, actualBytes: 1), .invalidShape(detail: "s"),
            .wrongRank(expected: "a matrix (rank 2)", shape: Array(repeating: 1, count: 1000)),
            .malformedJSON(detail: "j"), .raggedJSON(detail: "r"), .nonNumericJSON(detail: "n"), .nonFinite(detail: "f"),
            .writeFailed(path: "/w", detail: "e"), .inFile(path: "/i", error: .inFile(path: "/j", error: .badMagic(found: [0]))),
        ]
        for e in errors {
            #expect(!e.description.contains("\n"), "\(e.caseName)")
            #expect(!e.description.isEmpty && e.description.count < 300, "\(e.caseName)")
        }
        #expect(ArrayIOError.inFile(path: "/i", error: .inFile(path: "/j", error: .badMagic(found: [0]))).underlying == .badMagic(found: [0]))
    }
}
