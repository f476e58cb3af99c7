import ArrayIO
import Foundation
import Testing
@testable import Estimators

@Suite("Trajectory files")
struct TrajectoryFileTests {
    static func tempDir() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pt-estimators-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    @Test func npyShapesAndDtypes() throws {
        let dir = try Self.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        // (B, T, d) = (2, 4, 3), values exactly representable in float32.
        let values = (0..<24).map { Double($0) * 0.25 }
        for dtype in [NPYDType.float64, .float32] {
            let path = dir.appendingPathComponent("t-\(dtype.rawValue.dropFirst()).npy").path
            try NPY.write(try NPYArray(shape: [2, 4, 3], values: values), to: path, dtype: dtype)
            let data = try TrajectoryFile.load(path: path)
            #expect(data.dimension == 3 && data.rollouts == 2 && data.segments.count == 2 && data.pairCount == 6)
            #expect(data.values == values)
            #expect(data.segments[1] == .init(rollout: 1, firstStep: 0, start: 4, count: 4))
        }
        // (T, d) = (5, 2): one rollout.
        let path = dir.appendingPathComponent("td.npy").path
        try NPY.write(try NPYArray(shape: [5, 2], values: (0..<10).map(Double.init)), to: path, dtype: .float32)
        let one = try TrajectoryFile.load(path: path)
        #expect(one.dimension == 2 && one.rollouts == 1 && one.pairCount == 4)
    }

    @Test func nanRowsSplitAndInfIsAnError() throws {
        let nan = Double.nan
        // 7 states of d = 2; NaN at step 2 (one coordinate) and step 4: segments 0–1, 3 (dropped: 1 state), 5–6.
        let states: [Double] = [0, 0, 1, 1, nan, 2, 3, 3, nan, nan, 5, 5, 6, 6]
        let data = try TrajectoryFile.data(from: try NPYArray(shape: [7, 2], values: states))
        #expect(data.segments.map(\.count) == [2, 2] && data.segments.map(\.firstStep) == [0, 5])
        #expect(data.discardedStates == 3 && data.pairCount == 2)
        #expect(!data.values.contains { $0.isNaN })
        var inf = states; inf[0] = .infinity
        #expect(throws: EstimatorError.self) { try TrajectoryFile.data(from: try NPYArray(shape: [7, 2], values: inf)) }
        // All NaN: no pair at all.
        #expect(throws: EstimatorError.tooFewSamples(needed: 2, found: 0)) {
            try TrajectoryFile.data(from: try NPYArray(shape: [3, 2], values: Array(repeating: nan, count: 6)))
        }
    }

    @Test func wrongShapes() throws {
        #expect(throws: EstimatorError.self) { try TrajectoryFile.data(from: try NPYArray(shape: [6], values: Array(repeating: 0, count: 6))) }
        #expect(throws: EstimatorError.self) { try TrajectoryFile.data(from: try NPYArray(shape: [1, 2, 2, 2], values: Array(repeating: 0, count: 8))) }
        #expect(throws: EstimatorError.self) { try TrajectoryFile.data(from: try NPYArray(shape: [1, 2], values: [0, 0])) }   // 1 state
        #expect(throws: EstimatorError.self) { try TrajectoryFile.data(from: try NPYArray(shape: [3, 0], values: [])) }
        #expect(throws: EstimatorError.self) { try TrajectoryFile.load(path: "/nonexistent/x.csv") }
        #expect(throws: EstimatorError.self) { try TrajectoryFile.load(path: "x.parquet") }
        #expect(throws: (any Error).self) { try TrajectoryFile.load(path: "/nonexistent/x.npy") }
    }

    @Test func csvWithRolloutIdsAndNaNSeparators() throws {
        let text = """
            # comment
            rollout,x,y
            a,0,0
            a,1,1
            a,nan,nan
            a,2,2
            a,3,3
            b,10,10
            b,11,11
            b,12,12

            """
        let data = try TrajectoryFile.parseCSV(text)
        #expect(data.dimension == 2 && data.rollouts == 2)
        #expect(data.segments.map(\.count) == [2, 2, 3])
        #expect(data.segments.map(\.rollout) == [0, 0, 1])
        #expect(data.pairCount == 4)
        // Rollout column anywhere; no header = all coordinate columns, one rollout.
        let moved = try TrajectoryFile.parseCSV("x,ROLLOUT\n1,7\n2,7\n3,8\n4,8\n")
        #expect(moved.dimension == 1 && moved.segments.count == 2 && moved.values == [1, 2, 3, 4])
        let plain = try TrajectoryFile.parseCSV("0.5,1\n0.25,2\n0,3\r\n")
        #expect(plain.dimension == 2 && plain.rollouts == 1 && plain.pairCount == 2)
    }

    @Test func malformedCSV() throws {
        #expect(throws: EstimatorError.malformedCSV(line: 3, detail: "3 fields, expected 2")) { try TrajectoryFile.parseCSV("1,2\n3,4\n5,6,7\n") }
        #expect(throws: EstimatorError.malformedCSV(line: 2, detail: "column 1: 'abc' is not a number")) { try TrajectoryFile.parseCSV("1,2\nabc,4\n") }
        #expect(throws: EstimatorError.self) { try TrajectoryFile.parseCSV("x,y\n") }                          // no data
        #expect(throws: EstimatorError.self) { try TrajectoryFile.parseCSV("") }
        #expect(throws: EstimatorError.self) { try TrajectoryFile.parseCSV("1,2\ninf,4\n") }                   // ±Inf
        #expect(throws: EstimatorError.self) { try TrajectoryFile.parseCSV("rollout,x\na,1\nb,2\na,3\n") }      // ids not contiguous
        #expect(throws: EstimatorError.self) { try TrajectoryFile.parseCSV("1\n") }                            // one state
        #expect(throws: EstimatorError.self) { try TrajectoryFile.parseCSV("rollout\n1\n2\n") }                // no coordinates
    }

    @Test func csvAndNpyGiveTheSameEstimate() throws {
        let dir = try Self.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let s = try OUSamples.toy(alpha: 1, rollouts: 3, states: 2_000, seed: 9)
        let npy = dir.appendingPathComponent("t.npy").path
        try NPY.write(try NPYArray(shape: [3, 2_000, 2], values: s.rollouts.flatMap { $0 }), to: npy)
        var csv = "rollout,x0,x1\n"
        for (r, states) in s.rollouts.enumerated() {
            for k in 0..<2_000 { csv += "\(r),\(states[2 * k]),\(states[2 * k + 1])\n" }
        }
        let csvPath = dir.appendingPathComponent("t.csv").path
        try Data(csv.utf8).write(to: URL(fileURLWithPath: csvPath))
        let basis = try LinearBasisEstimator(dimension: 2, timeStep: 0.01)
        let a = try basis.estimate(try TrajectoryFile.load(path: npy).accumulate(observer: basis)).estimate
        let b = try basis.estimate(try TrajectoryFile.load(path: csvPath).accumulate(observer: basis)).estimate
        // Swift prints Doubles with round-trip precision, so the two inputs hold identical values.
        #expect(a == b)
    }
}
