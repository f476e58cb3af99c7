import Dynamics
import Foundation
import ResourceLimits

/// Something done with the estimator of one method: accumulate it over data, over part of the data, or over merged
/// saved states. The method's estimator has its own ``PairStatistic`` type, so the work is a generic `visit`.
public protocol EntropyProductionStatisticVisitor {
    associatedtype Result
    /// Works with `statistic` (jackknife layout still to be set by the visitor); `report` turns its accumulated
    /// sums into the method's estimate.
    func visit<S: PairStatistic>(_ statistic: S, report: @escaping (S.Accumulator) throws -> EntropyProductionEstimate)
        throws -> Result
}

extension EntropyProductionRequest {
    /// Builds `method`'s estimator for data in `dimension` coordinates — the grid on `box` (required for the grid),
    /// the grid-free ones wrapped in ``TimeStepExtrapolation`` unless ``timeStepExtrapolation`` is off — and hands
    /// it to `visitor` with its report (the grid's adds the detail `grid_half_width`, L of its box).
    ///
    /// - Throws: ``EstimatorError/dimensionTooHigh(dimension:maximum:method:)`` for the grid above d = 3; the
    ///   estimators' own errors; the visitor's.
    public func withStatistic<V: EntropyProductionStatisticVisitor>(_ method: Method, dimension: Int,
                                                                    box: [ClosedRange<Double>]?, _ visitor: V)
        throws -> V.Result {
        switch method {
        case .grid:
            let maximum = Self.maximumGridDimension
            guard dimension <= maximum else {
                throw EstimatorError.dimensionTooHigh(dimension: dimension, maximum: maximum, method: "grid")
            }
            guard let box, let halfWidth = box.first?.upperBound else {
                throw EstimatorError.invalidArgument("the grid needs its box")
            }
            let grid = try gridEstimator(bounds: box)
            return try visitor.visit(grid) { accumulator in
                var e = try grid.report(accumulator)
                e.details["grid_half_width"] = halfWidth
                return e
            }
        case .basis: return try rate(basisEstimator(dimension: dimension), visitor)
        case .tur: return try rate(turEstimator(dimension: dimension), visitor)
        case .pathwise: return try rate(pathwiseEstimator(dimension: dimension), visitor)
        }
    }

    /// A grid-free estimator, Δt-extrapolated unless the request says otherwise.
    func rate<S: RateStatistic, V: EntropyProductionStatisticVisitor>(_ estimator: S, _ visitor: V) throws -> V.Result {
        guard timeStepExtrapolation else { return try visitor.visit(estimator) { try estimator.report($0) } }
        let extrapolated = try TimeStepExtrapolation(estimator)
        return try visitor.visit(extrapolated) { try extrapolated.estimate($0) }
    }
}

extension EntropyProductionRequest {
    /// The accumulators of a method with `statistics` sums per jackknife block over `units` tree units (segments or
    /// rollouts), checked against ``budget`` before any exists: the live nodes of the pairwise tree (at most
    /// 2 + log₂ `units` dense ones, G blocks each) and the reported totals, plus `inFlight` per-unit accumulators per
    /// worker, each `statistics` doubles.
    func checkPlan(_ method: Method, statistics: Int, units: Int, inFlight: Int) throws {
        let workers = threads > 0 ? threads : ProcessInfo.processInfo.activeProcessorCount
        var plan = AllocationPlan("\(planName) \(method.rawValue)")
        plan.add(.init(3 + (Int.bitWidth - max(1, units).leadingZeroBitCount), "tree nodes and totals"), .init(blocks, "blocks"),
                 .init(statistics, "statistics"), .init(8, "bytes"))
        plan.add(.init(inFlight * workers, "units in flight"), .init(statistics, "statistics"), .init(8, "bytes"))
        try budget.check(plan)
    }
}
