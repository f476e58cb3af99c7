import ArrayIO
import Foundation
import Testing
@testable import Estimators

/// `TrajectoryFile.withData(borrowing:)` reads a C-order float64 array in place: the same segments, values, errors
/// and estimates (bit for bit) as the copying `data(from:)`, for views whose rollouts are not back to back and for
/// rollouts split by NaN rows; the parallel finiteness scan it runs gives the same flags for any thread count.
@Suite struct TrajectoryDataBorrowingTests {
    /// A rotating OU process (σ = 2ω²/γ = 4.5), Euler–Maruyama with a fixed LCG: `rollouts` × `steps` × 2, C order.
    static func rotating(rollouts: Int, steps: Int, dt: Double = 0.02) -> [Double] {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func gaussian() -> Double {
            func uniform() -> Double {
                state = state &* 6364136223846793005 &+ 1442695040888963407
                return (Double(state >> 11) + 0.5) / 9007199254740992
            }
            return (-2 * log(uniform())).squareRoot() * cos(2 * Double.pi * uniform())
        }
        var out = [Double](repeating: 0, count: rollouts * steps * 2)
        for r in 0..<rollouts {
            var (x, y) = (gaussian() * 0.7, gaussian() * 0.7)
            for k in 0..<steps {
                out[(r * steps + k) * 2] = x
                out[(r * steps + k) * 2 + 1] = y
                let (fx, fy) = (-x - 1.5 * y, 1.5 * x - y)
                (x, y) = (x + fx * dt + gaussian() * dt.squareRoot(), y + fy * dt + gaussian() * dt.squareRoot())
            }
        }
        return out
    }

    /// Every method's result as the CLI's JSON text, without the `seconds` timings.
    static func estimates(_ data: TrajectoryData, dt: Double) throws -> String {
        var request = EntropyProductionRequest(timeStep: dt)
        request.bins = EntropyProductionRequest.defaultBins(forDimension: data.dimension)
        let text = try ResultJSON(data.estimateEntropyProduction(request).json(single: false), provenance: nil).text
        return text.split(separator: "\n").filter { !$0.contains("\"seconds\"") }.joined(separator: "\n")
    }

    @Test func aPaddedViewWithNaNRowsEqualsTheCopy() throws {
        let (b, t, pad) = (5, 400, 7)
        var c = Self.rotating(rollouts: b, steps: t)
        c[(0 * t + 120) * 2 + 1] = .nan      // splits rollout 0
        c[(2 * t + 1) * 2] = .nan            // leaves a lone first state in rollout 2
        c[(4 * t + 399) * 2] = .nan          // the last row of the last rollout
        // Rollouts t + pad states apart (a slice x[:, :t] of a longer C-order array); the padding holds values that
        // would be refused (Inf) or split (NaN) if they were ever read.
        var padded = [Double](repeating: .infinity, count: b * (t + pad) * 2)
        for r in 0..<b { for k in 0..<(t * 2) { padded[r * (t + pad) * 2 + k] = c[r * t * 2 + k] } }
        padded[(t + 2) * 2] = .nan
        let copied = try TrajectoryFile.data(from: try NPYArray(shape: [b, t, 2], values: c))
        let dt = 0.02
        let expected = try Self.estimates(copied, dt: dt)
        for threads in [1, 2, 3] {
            let seen = try padded.withUnsafeBytes { raw in
                let view = StridedTrajectories(base: raw.baseAddress!, element: .float64, rollouts: b, steps: t, dimension: 2,
                                               strides: (rollout: (t + pad) * 2, step: 2, coordinate: 1))
                return try TrajectoryFile.withData(borrowing: view, options: .init(threads: threads)) { data in
                    guard case .borrowed = data.storage else { throw EstimatorError.invalidArgument("not read in place") }
                    #expect(data.values == copied.values)
                    #expect(data.segments.map(\.rollout) == copied.segments.map(\.rollout))
                    #expect(data.segments.map(\.firstStep) == copied.segments.map(\.firstStep))
                    #expect(data.segments.map(\.count) == copied.segments.map(\.count))
                    #expect(data.discardedStates == copied.discardedStates && data.rollouts == b)
                    return try Self.estimates(data, dt: dt)
                }
            }
            #expect(seen == expected)
        }
    }

    @Test func oneRolloutWithoutARolloutStride() throws {
        let c = Self.rotating(rollouts: 1, steps: 600)
        let copied = try TrajectoryFile.data(from: try NPYArray(shape: [600, 2], values: c))
        let seen = try c.withUnsafeBytes { raw in
            let view = StridedTrajectories(base: raw.baseAddress!, element: .float64, rollouts: 1, steps: 600, dimension: 2,
                                           strides: (rollout: 0, step: 2, coordinate: 1))
            return try TrajectoryFile.withData(borrowing: view) { data in
                guard case .borrowed = data.storage else { throw EstimatorError.invalidArgument("not read in place") }
                return try Self.estimates(data, dt: 0.02)
            }
        }
        #expect(seen == (try Self.estimates(copied, dt: 0.02)))
    }

    @Test func otherLayoutsAreCopiedAndErrorsMatchTheCopy() throws {
        let (b, t) = (3, 200)
        var c = Self.rotating(rollouts: b, steps: t)
        // Overlapping rollouts (stride < t·d) cannot be borrowed: the copy route runs (same result as a copy).
        try c.withUnsafeBytes { raw in
            let overlapping = StridedTrajectories(base: raw.baseAddress!, element: .float64, rollouts: 2, steps: t,
                                                  dimension: 2, strides: (rollout: t, step: 2, coordinate: 1))
            let copy = try TrajectoryFile.data(from: overlapping)
            try TrajectoryFile.withData(borrowing: overlapping) { data in
                guard case .owned = data.storage else { Issue.record("overlapping rollouts were borrowed"); return }
                #expect(data.values == copy.values)
            }
        }
        c[(1 * t + 50) * 2] = -.infinity
        let copyError = #expect(throws: EstimatorError.self) { try TrajectoryFile.data(from: try NPYArray(shape: [b, t, 2], values: c)) }
        let borrowError = #expect(throws: EstimatorError.self) {
            try c.withUnsafeBytes { raw in
                let view = StridedTrajectories(base: raw.baseAddress!, element: .float64, rollouts: b, steps: t, dimension: 2,
                                               strides: (rollout: t * 2, step: 2, coordinate: 1))
                try TrajectoryFile.withData(borrowing: view) { _ in Issue.record("body ran on data with -inf") }
            }
        }
        #expect(copyError.map { "\($0)" } == borrowError.map { "\($0)" })
        #expect("\(borrowError.map { "\($0)" } ?? "")".contains("rollout 1, step 50, coordinate 0"))
    }

    @Test func theFinitenessScanIsThreadInvariant() {
        // One rollout of 3 pieces (2¹⁶ values each) with a NaN in the second, and a clean one.
        let count = 3 << 16
        var values = [Double](repeating: 0.5, count: 2 * count)
        values[(1 << 16) + 17] = .nan
        values.withUnsafeBufferPointer { p in
            for threads in [1, 2, 4] {
                let flags = TrajectoryData.Builder.allFinite(rollouts: 2, first: p.baseAddress!, stride: count,
                                                             count: count, threads: threads)
                #expect(flags == [false, true])
            }
            // A stride 0 view of the second half alone.
            #expect(TrajectoryData.Builder.allFinite(rollouts: 1, first: p.baseAddress! + count, stride: 0, count: count,
                                                     threads: 2) == [true])
        }
    }
}
