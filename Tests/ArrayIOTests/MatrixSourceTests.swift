@testable import ArrayIO
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
        #expect(e?.description == "no such file: /no/such/drift.npy")
        #expect(arrayIOError { try MatrixSource.load("/no/such/drift.json") } == .fileNotFound(path: "/no/such/drift.json"))
        #expect(arrayIOError { try MatrixSource.load("drift.txt") } == .fileNotFound(path: "drift.txt"))
        #expect(arrayIOError { try MatrixSource.load("abc") } == .fileNotFound(path: "abc"))
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        try FileManager.default.createDirectory(atPath: dir.file("d.npy"), withIntermediateDirectories: false)
        #expect(arrayIOError { try MatrixSource.load(dir.file("d.npy")) } == .unreadableFile(path: dir.file("d.npy"), detail: "it is a directory"))
        #expect(arrayIOError { try MatrixSource.load(dir.path) } == .unreadableFile(path: dir.path, detail: "it is a directory"))
        // An existing file of another type.
        try Data("[[1]]".utf8).write(to: URL(fileURLWithPath: dir.file("b.txt")))
        let txt = arrayIOError { try MatrixSource.load(dir.file("b.txt")) }
        #expect(txt == .unsupportedSource(argument: dir.file("b.txt")))
        #expect(txt?.description == "'\(dir.file("b.txt"))' is neither a JSON literal nor a path ending in .npy or .json")
    }

    /// A missing path is "no such file" whatever its first character: the leading `.`, digit, sign or
    /// bracket that used to send it to the JSON parser ("invalid number '.' at offset 0") included.
    @Test(arguments: ["./A.npy", "../A.npy", ".A.npy", "2x2_drift.npy", "0.npy", "-A.npy", "+A.npy", "[A].npy",
                      "[A]", "A.JSON", "~/A.npy", "A", "NaNs", "Infinity.npy", "_1", "./1", "1/2"])
    func missingPathsWithAnyLeadingCharacter(path: String) throws {
        #expect(arrayIOError { try MatrixSource.load(path) } == .fileNotFound(path: path))
    }

    /// Text built of the characters of a literal that does not parse is reported as JSON, not as a file.
    @Test func malformedLiteralsAreJSONErrors() throws {
        #expect(arrayIOError { try MatrixSource.load("1e") } == .malformedJSON(detail: "invalid number '1e' at offset 0"))
        #expect(arrayIOError { try MatrixSource.load("[[1,2],[3]]") }?.caseName == "raggedJSON")
        #expect(arrayIOError { try MatrixSource.load("[1,") }?.caseName == "malformedJSON")
        #expect(arrayIOError { try MatrixSource.load(".5.") }?.caseName == "malformedJSON")
        #expect(arrayIOError { try MatrixSource.load("-") }?.caseName == "malformedJSON")
        #expect(MatrixSource.looksLikeLiteral("[[1, 2], [3, 4]]") && MatrixSource.looksLikeLiteral("-1e-3"))
        #expect(!MatrixSource.looksLikeLiteral("2x2_drift.npy") && !MatrixSource.looksLikeLiteral("./A") && !MatrixSource.looksLikeLiteral("abc"))
    }

    /// Existing files are read whatever their first character: `./A.npy` (relative to the working
    /// directory, reached through `./../..`), `2x2_drift.npy`, `.hidden.json`.
    @Test func existingPathsWithLeadingDotsAndDigits() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let m = try Matrix([[-1, 2], [-2, -1]])
        for name in ["A.npy", "2x2_drift.npy", "-B.npy"] { try NPY.write(m, to: dir.file(name)) }
        try Data("[[-1, 2], [-2, -1]]".utf8).write(to: URL(fileURLWithPath: dir.file(".hidden.json")))
        let depth = FileManager.default.currentDirectoryPath.split(separator: "/").count
        let relative = "./" + String(repeating: "../", count: depth) + dir.path.drop { $0 == "/" }
        for name in ["A.npy", "2x2_drift.npy", "-B.npy", ".hidden.json"] {
            #expect(try MatrixSource.load(relative + "/" + name) == .matrix(m), "\(name)")
            #expect(try MatrixSource.load(dir.file(name)) == .matrix(m), "\(name)")
        }
        #expect(relative.hasPrefix("./"))
    }

    /// Non-ASCII text after slashes is a missing path, not a trap (`NSString.pathExtension` of
    /// swift-corelibs-foundation traps on `//é`; `scripts/fuzz.sh json` found it as the bytes `//\xC4`).
    @Test(arguments: ["//é", "//\u{FFFD}", "/é/é.npy", "é//é.json", "a/.npy", "ü.NPY/", "//é.npy/"])
    func nonASCIIPathsAreMissingFiles(path: String) throws {
        #expect(arrayIOError { try MatrixSource.load(path) } == .fileNotFound(path: path))
    }

    /// The extension rule: the text after the last `.` of the last component, case-insensitive.
    @Test func fileKindByExtension() {
        #expect(MatrixSource.fileKind("a/b.NPY") == .npy)
        #expect(MatrixSource.fileKind("./x.y.json") == .json)
        #expect(MatrixSource.fileKind(".hidden.json") == .json)
        #expect(MatrixSource.fileKind("dir.npy/") == .npy)
        #expect(MatrixSource.fileKind(".json") == nil)
        #expect(MatrixSource.fileKind("a.npy/b") == nil)
        #expect(MatrixSource.fileKind("é/é.npy") == .npy)
        #expect(MatrixSource.fileKind("drift.txt") == nil)
    }

    @Test func controlBytesInMessagesAreEscaped() throws {
        #expect(PrintableText.escaped("a\u{1}b\u{1B}[2J\u{7F}\u{85}\tc\r\n") == "a\\x01b\\x1b[2J\\x7f\\x85\\tc\\r\\n")
        #expect(PrintableText.escaped("σ̂ ≈ 8, ok") == "σ̂ ≈ 8, ok")
        #expect(PrintableText.clipped(String(repeating: "\u{1}", count: 50), limit: 10) == String(repeating: "\\x01", count: 2) + "…")
        // A .npy header whose descr holds control bytes (latin-1 decoded, so every byte survives).
        var header = "{'descr': '\u{1}\u{1B}]0;owned\u{7}', 'fortran_order': False, 'shape': (1,), }"
        while (10 + header.utf8.count + 1) % 64 != 0 { header += " " }
        header += "\n"
        let bytes: [UInt8] = [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(header.utf8.count), 0] + Array(header.utf8) + [UInt8](repeating: 0, count: 8)
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let path = dir.file("ctl\u{1B}.npy")
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let e = arrayIOError { try MatrixSource.load(path) }
        #expect(e?.underlying == .unsupportedDType(descr: "\u{1}\u{1B}]0;owned\u{7}"))
        let text = try #require(e?.description)
        #expect(!text.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }, "\(text)")
        #expect(text.contains("'\\x01\\x1b]0;owned\\x07'") && text.contains("ctl\\x1b.npy"), "\(text)")
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
