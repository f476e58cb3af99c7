import Foundation
import Testing
@testable import ArrayIO

@Suite("NPYStreamWriter: (B, T, d) .npy written block by block")
struct NPYStreamWriterTests {
    func temporaryPath() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("npystream-\(UUID().uuidString).npy").path
    }

    @Test(arguments: [NPYDType.float64, .float32])
    func blocksLandAtTheirOffsets(dtype: NPYDType) throws {
        let path = temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let (b, t, d) = (3, 5, 2)
        let writer = try NPYStreamWriter(path: path, rollouts: b, steps: t, dimension: d, dtype: dtype)
        // Before any write the file is already a valid .npy of zeros with the final shape.
        let empty = try NPY.read(contentsOf: path)
        #expect(empty.shape == [b, t, d] && empty.values.allSatisfy { $0 == 0 })
        // value(r, k, j) = 100r + 10k + j + 0.25: exact in float32 too.
        @Sendable func value(_ r: Int, _ k: Int, _ j: Int) -> Double { Double(100 * r + 10 * k + j) + 0.25 }
        // Out of order, in blocks of different lengths, from two threads.
        let blocks: [(Int, Int, Int)] = [(2, 0, 5), (0, 3, 2), (1, 0, 1), (0, 0, 3), (1, 1, 4)]
        DispatchQueue.concurrentPerform(iterations: blocks.count) { i in
            let (r, first, n) = blocks[i]
            let states = (first..<(first + n)).flatMap { k in (0..<d).map { value(r, k, $0) } }
            try? writer.write(rollout: r, firstStep: first, states: states)
        }
        try writer.close()
        let array = try NPY.read(contentsOf: path)
        #expect(array.shape == [b, t, d])
        let expected = (0..<b).flatMap { r in (0..<t).flatMap { k in (0..<d).map { value(r, k, $0) } } }
        #expect(array.values == expected)
        // The header is the one numpy.save writes (shared with the array writer).
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        let reference = NPY.encode(try NPYArray(shape: [b, t, d], values: expected), dtype: dtype)
        #expect(bytes == reference)
    }

    @Test func rejectsBlocksOutsideTheShapeAndWritesAfterClose() throws {
        let path = temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let writer = try NPYStreamWriter(path: path, rollouts: 2, steps: 4, dimension: 3)
        for (r, first, count) in [(2, 0, 1), (-1, 0, 1), (0, 3, 2), (0, -1, 1)] {
            #expect(throws: ArrayIOError.self) {
                try writer.write(rollout: r, firstStep: first, states: [Double](repeating: 1, count: 3 * count))
            }
        }
        #expect(throws: ArrayIOError.self) { try writer.write(rollout: 0, firstStep: 0, states: [1, 2]) }  // not whole states
        try writer.close()
        try writer.close()  // harmless
        #expect(throws: ArrayIOError.self) { try writer.write(rollout: 0, firstStep: 0, states: [1, 2, 3]) }
    }

    @Test func creationErrors() throws {
        #expect(throws: ArrayIOError.self) { _ = try NPYStreamWriter(path: "/nonexistent-dir/x.npy", rollouts: 1, steps: 1, dimension: 1) }
        #expect(throws: ArrayIOError.self) { _ = try NPYStreamWriter(path: temporaryPath(), rollouts: -1, steps: 1, dimension: 1) }
        #expect(throws: ArrayIOError.self) { _ = try NPYStreamWriter(path: "", rollouts: 1, steps: 1, dimension: 1) }
        #expect(throws: ArrayIOError.self) {
            _ = try NPYStreamWriter(path: temporaryPath(), rollouts: Int.max / 2, steps: 4, dimension: 1)
        }
    }
}
