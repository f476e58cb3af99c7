import ArrayIO
import Dynamics
import Foundation
import LinearAlgebra
import Parallel
import Testing
@testable import Estimators

/// Issue 19, mergeable state: the sums of every estimator over any split of the segments into consecutive ranges,
/// gathered separately (`TrajectoryData.accumulatePartial`) and appended in order, are bitwise the sums of one pass
/// (`accumulate`), for any thread count and chunk; a left-to-right fold of the same parts would not be.
@Suite struct PartialAccumulationTests {
    static let dt = 0.02

    /// 24 rollouts × 900 states of the rotating OU process with NaN rows splitting three of them (27 segments).
    static let data: TrajectoryData = {
        let (b, t) = (24, 900)
        var c = TrajectoryDataBorrowingTests.rotating(rollouts: b, steps: t, dt: dt)
        c[(3 * t + 200) * 2] = .nan
        c[(10 * t + 451) * 2 + 1] = .nan
        c[(17 * t + 20) * 2] = .nan
        return try! TrajectoryFile.data(from: try NPYArray(shape: [b, t, 2], values: c))
    }()

    /// Splits of the segments: halves, an uneven three-way split, single segments at the edges.
    static func splits(_ n: Int) -> [[Int]] {
        [[0, n / 2, n], [0, 5, 6, 19, n], [0, 1, n - 1, n], [0, n]]
    }

    static func bits(_ blocks: [[Double]?]) -> [[UInt64]?] { blocks.map { $0?.map(\.bitPattern) } }

    /// Checks one estimator: one pass for several thread counts and chunks, and every split, give the same block sums.
    /// Returns whether a left fold (``BlockedAccumulator/merge(_:)``) of the halves differs from one pass.
    static func check<S: PairStatistic>(_ statistic: S, _ name: String) throws -> Bool {
        let data = Self.data
        let n = data.segments.count
        let one = try data.accumulate(observer: statistic, threads: 1)
        let reference = bits(try one.blockSums())
        for (threads, chunk) in [(2, 1), (3, 5), (2, 16), (1, 64)] {
            let again = try data.accumulate(observer: statistic, threads: threads, chunk: chunk)
            #expect(bits(try again.blockSums()) == reference, "\(name): threads \(threads) chunk \(chunk)")
            #expect(again.pairCount == one.pairCount)
        }
        for cuts in splits(n) {
            var merged = PairwiseTree<BlockedAccumulator<S>>()
            for i in 0..<(cuts.count - 1) {
                let part = try data.accumulatePartial(observer: statistic, segments: cuts[i]..<cuts[i + 1],
                                                      threads: 1 + i % 2, chunk: 4 + i)
                try merged.append(contentsOf: part) { try $0.combine($1) }
            }
            let finished = try #require(try merged.finish { try $0.combine($1) })
            #expect(bits(try finished.blockSums()) == reference, "\(name): split \(cuts)")
            #expect(finished.pairCount == one.pairCount)
        }
        // The old route: each half reduced, then folded left to right.
        var left = try #require(try { var t = try data.accumulatePartial(observer: statistic, segments: 0..<(n / 2)); return try t.finish { try $0.combine($1) } }())
        let right = try #require(try { var t = try data.accumulatePartial(observer: statistic, segments: (n / 2)..<n); return try t.finish { try $0.combine($1) } }())
        try left.merge(right)
        return bits(try left.blockSums()) != reference
    }

    @Test func everyEstimatorMergesToTheOnePassBits() throws {
        let dimension = 2
        var foldDiffers = [String]()
        let grid = try KramersMoyalGrid(bins: 12, bounds: KramersMoyalGrid.symmetricBounds(halfWidth: 3, dimension: 2),
                                        timeStep: Self.dt)
        if try Self.check(grid, "grid") { foldDiffers.append("grid") }
        let basis = try LinearBasisEstimator(dimension: dimension, order: 2, timeStep: Self.dt)
        if try Self.check(basis, "basis") { foldDiffers.append("basis") }
        if try Self.check(try TimeStepExtrapolation(basis), "basis Δt-extrapolated") { foldDiffers.append("basis Δt") }
        let tur = try ShortTimeTUREstimator(dimension: dimension, timeStep: Self.dt)
        if try Self.check(try TimeStepExtrapolation(tur), "tur Δt-extrapolated") { foldDiffers.append("tur Δt") }
        let drift = try LinearDrift(matrix: try Matrix(rows: 2, columns: 2, rowMajor: [-1, -1.5, 1.5, -1]))
        let pathwise = try PathwiseEstimator(drift: drift, diffusionMatrix: try Matrix(rows: 2, columns: 2, rowMajor: [1, 0, 0, 1]),
                                             timeStep: Self.dt)
        if try Self.check(pathwise, "pathwise") { foldDiffers.append("pathwise") }
        // The test can fail: regrouping the same sums changes bits for some estimator on these data.
        #expect(!foldDiffers.isEmpty, "a left fold of the halves matched every one-pass result")
    }

    @Test func aRangeOutsideTheSegmentsIsRefused() throws {
        let basis = try LinearBasisEstimator(dimension: 2, order: 1, timeStep: Self.dt)
        #expect(throws: EstimatorError.self) {
            _ = try Self.data.accumulatePartial(observer: basis, segments: 0..<(Self.data.segments.count + 1))
        }
    }
}
