import Foundation
import Testing
@testable import ArrayIO
#if canImport(Glibc)
import Glibc
#endif

@Suite("NPYStreamWriter: (B, T, d) .npy written block by block, renamed into place when complete")
struct NPYStreamWriterTests {
    /// value(r, k, j) = 100r + 10k + j + 0.25: exact in float32 too.
    static func value(_ r: Int, _ k: Int, _ j: Int) -> Double { Double(100 * r + 10 * k + j) + 0.25 }

    /// Writes every state of a (b, t, d) writer, one block per rollout.
    static func fill(_ writer: NPYStreamWriter, _ b: Int, _ t: Int, _ d: Int, rollouts: Range<Int>? = nil) throws {
        for r in rollouts ?? 0..<b {
            try writer.write(rollout: r, firstStep: 0, states: (0..<t).flatMap { k in (0..<d).map { value(r, k, $0) } })
        }
    }

    @Test(arguments: [NPYDType.float64, .float32])
    func blocksLandAtTheirOffsets(dtype: NPYDType) throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let path = dir.file("x.npy")
        let (b, t, d) = (3, 5, 2)
        let writer = try NPYStreamWriter(path: path, rollouts: b, steps: t, dimension: d, dtype: dtype)
        // Until close() the file lives under its temporary name beside the destination: nothing at `path`.
        #expect(!FileManager.default.fileExists(atPath: path))
        #expect(try dir.contents() == [URL(fileURLWithPath: writer.temporaryPath).lastPathComponent])
        #expect(writer.temporaryPath.hasPrefix(dir.path + "/.x.npy.") && writer.temporaryPath.hasSuffix(".tmp"))
        // Out of order, in blocks of different lengths, from two threads.
        let blocks: [(Int, Int, Int)] = [(2, 0, 5), (0, 3, 2), (1, 0, 1), (0, 0, 3), (1, 1, 4)]
        DispatchQueue.concurrentPerform(iterations: blocks.count) { i in
            let (r, first, n) = blocks[i]
            let states = (first..<(first + n)).flatMap { k in (0..<d).map { Self.value(r, k, $0) } }
            try? writer.write(rollout: r, firstStep: first, states: states)
        }
        try writer.close()
        #expect(try dir.contents() == ["x.npy"])
        let array = try NPY.read(contentsOf: path)
        #expect(array.shape == [b, t, d])
        let expected = (0..<b).flatMap { r in (0..<t).flatMap { k in (0..<d).map { Self.value(r, k, $0) } } }
        #expect(array.values == expected)
        // The bytes are NPYWriter's for the same array (header as numpy.save writes it).
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        let reference = NPY.encode(try NPYArray(shape: [b, t, d], values: expected), dtype: dtype)
        #expect(bytes == reference)
        #expect(try NPYStreamWriter.fileSize(rollouts: b, steps: t, dimension: d, dtype: dtype) == reference.count)
    }

    @Test func rejectsBlocksOutsideTheShapeAndWritesAfterClose() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let writer = try NPYStreamWriter(path: dir.file("x.npy"), rollouts: 2, steps: 4, dimension: 3)
        for (r, first, count) in [(2, 0, 1), (-1, 0, 1), (0, 3, 2), (0, -1, 1)] {
            #expect(throws: ArrayIOError.self) {
                try writer.write(rollout: r, firstStep: first, states: [Double](repeating: 1, count: 3 * count))
            }
        }
        #expect(throws: ArrayIOError.self) { try writer.write(rollout: 0, firstStep: 0, states: [1, 2]) }  // not whole states
        try Self.fill(writer, 2, 4, 3)  // rejected blocks do not count as written
        try writer.close()
        try writer.close()  // harmless
        #expect(throws: ArrayIOError.self) { try writer.write(rollout: 0, firstStep: 0, states: [1, 2, 3]) }
        #expect(try dir.contents() == ["x.npy"])
    }

    @Test func creationErrorsLeaveNothing() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        #expect(throws: ArrayIOError.self) { _ = try NPYStreamWriter(path: "/nonexistent-dir/x.npy", rollouts: 1, steps: 1, dimension: 1) }
        #expect(throws: ArrayIOError.self) { _ = try NPYStreamWriter(path: dir.file("x.npy"), rollouts: -1, steps: 1, dimension: 1) }
        #expect(throws: ArrayIOError.self) { _ = try NPYStreamWriter(path: "", rollouts: 1, steps: 1, dimension: 1) }
        #expect(throws: ArrayIOError.self) { _ = try NPYStreamWriter(path: dir.path + "/", rollouts: 1, steps: 1, dimension: 1) }
        // A directory at the destination is refused before anything is simulated, not at the final rename.
        try FileManager.default.createDirectory(atPath: dir.file("sub"), withIntermediateDirectories: false)
        let error = arrayIOError { try NPYStreamWriter(path: dir.file("sub"), rollouts: 1, steps: 1, dimension: 1) }
        #expect(error == .writeFailed(path: dir.file("sub"), detail: "the path names a directory"))
        // Too large: refused by the size check, before a file is created.
        #expect(throws: ArrayIOError.self) {
            _ = try NPYStreamWriter(path: dir.file("x.npy"), rollouts: Int.max / 2, steps: 4, dimension: 1)
        }
        #expect(throws: ArrayIOError.self) { _ = try NPYStreamWriter.fileSize(rollouts: Int.max / 2, steps: 4, dimension: 1) }
        // 2⁵³ bytes (8 PiB): no overflow, but more than any file system here has free, so refused before the
        // sparse pre-allocation, with the sizes in the message; its temporary is removed.
        let huge = arrayIOError { try NPYStreamWriter(path: dir.file("huge.npy"), rollouts: 1 << 40, steps: 1 << 10, dimension: 1) }
        #expect(huge.map { "\($0)".contains("the file needs \(128 + (1 << 53)) bytes but its file system has") } == true, "\(String(describing: huge))")
        #expect(try dir.contents() == ["sub"])
    }

    /// A writer released, or discarded, without a successful close leaves the destination as it was: absent,
    /// or the previous complete file byte for byte; its temporary is gone.
    @Test(arguments: [false, true])
    func abandonedWriterLeavesThePreviousFile(previous: Bool) throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let path = dir.file("x.npy")
        let old = try NPYArray(shape: [1, 2, 1], values: [7, 8])
        if previous { try NPY.write(old, to: path) }
        let before = try dir.contents()
        do {
            let writer = try NPYStreamWriter(path: path, rollouts: 4, steps: 3, dimension: 2)
            try Self.fill(writer, 4, 3, 2, rollouts: 0..<2)
            #expect(try dir.contents().count == before.count + 1)  // the temporary
        }  // released here
        #expect(try dir.contents() == before)
        let writer = try NPYStreamWriter(path: path, rollouts: 4, steps: 3, dimension: 2)
        try Self.fill(writer, 4, 3, 2)
        writer.discard()
        #expect(throws: ArrayIOError.self) { try writer.write(rollout: 0, firstStep: 0, states: [1, 2]) }
        try writer.close()  // after discard: nothing to do, nothing renamed
        #expect(try dir.contents() == before)
        if previous { #expect(try NPY.read(contentsOf: path) == old) }
    }

    /// close() with rollouts still unwritten throws and keeps nothing: a zero-padded file never appears.
    @Test func incompleteWriterIsNotKept() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let path = dir.file("x.npy")
        let writer = try NPYStreamWriter(path: path, rollouts: 3, steps: 4, dimension: 2)
        try Self.fill(writer, 3, 4, 2, rollouts: 0..<2)
        let error = arrayIOError { try writer.close() }
        #expect(error == .writeFailed(path: path, detail: "only 16 of 24 values were written; the file was not kept"))
        #expect(try dir.contents().isEmpty)
    }

    /// A full disk (ENOSPC from pwrite, injected): the write throws with the system's reason, close() throws
    /// the same error, and neither the destination nor the temporary remains; a previous file survives.
    @Test func fullDiskIsAnErrorAndLeavesNothing() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let path = dir.file("x.npy")
        let old = try NPYArray(shape: [2], values: [1, 2])
        try NPY.write(old, to: path)
        let writer = try NPYStreamWriter(path: path, rollouts: 3, steps: 4, dimension: 2)
        try Self.fill(writer, 3, 4, 2, rollouts: 0..<1)
        writer.systemPWrite = { _, _, _, _ in errno = ENOSPC; return -1 }
        let expected = ArrayIOError.writeFailed(path: path, detail: String(cString: strerror(ENOSPC)))
        #expect(arrayIOError { try Self.fill(writer, 3, 4, 2, rollouts: 1..<3) } == expected)
        writer.systemPWrite = { pwrite($0, $1, $2, $3) }  // the disk has room again: the failure still counts
        try Self.fill(writer, 3, 4, 2, rollouts: 1..<3)
        #expect(arrayIOError { try writer.close() } == expected)
        #expect(try dir.contents() == ["x.npy"])
        #expect(try NPY.read(contentsOf: path) == old)
    }
}

@Suite("ResultFile: files replaced whole, groups renamed together")
struct ResultFileTests {
    @Test func groupReplacesEveryFileOrNone() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        try ResultFile.write(files: [(dir.file("a.json"), "{\"k\": 1}\n"), (dir.file("b.csv"), "x\n1\n")])
        #expect(try dir.contents() == ["a.json", "b.csv"])
        // The second destination is a directory: the group fails before any rename, the first file keeps
        // its previous contents and no temporary remains.
        try FileManager.default.createDirectory(atPath: dir.file("c"), withIntermediateDirectories: false)
        #expect(throws: ArrayIOError.self) {
            try ResultFile.write(files: [(dir.file("a.json"), "{\"k\": 2}\n"), (dir.file("c"), "no")])
        }
        #expect(try dir.contents() == ["a.json", "b.csv", "c"])
        #expect(try String(contentsOfFile: dir.file("a.json"), encoding: .utf8) == "{\"k\": 1}\n")
        try ResultFile.write(files: [(dir.file("a.json"), "{\"k\": 3}\n"), (dir.file("b.csv"), "x\n3\n")])
        #expect(try String(contentsOfFile: dir.file("a.json"), encoding: .utf8) == "{\"k\": 3}\n")
        #expect(try String(contentsOfFile: dir.file("b.csv"), encoding: .utf8) == "x\n3\n")
        #expect(try dir.contents() == ["a.json", "b.csv", "c"])
    }

    /// A staged file that is discarded (or released) leaves the destination untouched.
    @Test func stagedFileDiscardKeepsTheDestination() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        try ResultFile.write("old\n", to: dir.file("a.txt"))
        let staged = try StagedFile(destination: dir.file("a.txt"))
        try Array("new\n".utf8).withUnsafeBytes { try staged.write($0) }
        #expect(try dir.contents().count == 2)
        staged.discard()
        #expect(try dir.contents() == ["a.txt"])
        #expect(try String(contentsOfFile: dir.file("a.txt"), encoding: .utf8) == "old\n")
        #expect(throws: ArrayIOError.self) { try staged.commit() }
    }
}
