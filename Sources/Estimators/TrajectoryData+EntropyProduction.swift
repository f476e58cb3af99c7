import Dynamics
import Foundation
import LinearAlgebra
import ResourceLimits

extension TrajectoryData {
    /// Estimates the entropy production of these trajectories with every method of `request`: the library's one
    /// entry point for "estimate EP from these trajectories" (`paththermo estimate` is this call, parsed and printed).
    ///
    /// Each method builds its estimator (``EntropyProductionRequest`` lists them with their formulas), checks its
    /// accumulators against ``EntropyProductionRequest/budget`` — the live nodes of the pairwise tree (3 + log₂ of the
    /// segments, G blocks each) plus 16 segments in flight per worker, each with the estimator's `statisticsCount`
    /// doubles (twice under ``TimeStepExtrapolation``) — then
    /// accumulates the pairs in one pass and reports, ``EntropyProductionRequest/repetitions`` times, keeping the
    /// fastest time as the detail `seconds`. The grid also reports `grid_half_width` (L of its box).
    ///
    /// - Throws: ``EntropyProductionFailure``: an invalid request; a method that failed (a single method: any
    ///   error; all methods: any error that is not an ``EstimatorError``, which skips the method instead); or all
    ///   methods skipped.
    public func estimateEntropyProduction(_ request: EntropyProductionRequest) throws(EntropyProductionFailure)
        -> EntropyProductionReport {
        do { try request.validate() } catch { throw .invalidRequest(error) }
        var report = EntropyProductionReport(dimension: dimension, results: [])
        for method in request.methods {
            do {
                var best = Double.infinity
                var last: EntropyProductionEstimate?
                for _ in 0..<request.repetitions {
                    let start = ContinuousClock.now
                    last = try estimate(method, request)
                    let elapsed = (ContinuousClock.now - start).components
                    best = min(best, Double(elapsed.seconds) + Double(elapsed.attoseconds) * 1e-18)
                }
                guard var e = last else { throw EstimatorError.tooFewSamples(needed: 1, found: 0) }
                e.details["seconds"] = best
                report.results.append((method, .estimate(e)))
            } catch let error as EstimatorError where request.method == nil {
                report.results.append((method, .skipped(error)))
            } catch {
                throw .methodFailed(method: method, error: error)
            }
        }
        try report.requireAnEstimate()
        return report
    }

    /// One method's estimate (no timing).
    func estimate(_ method: EntropyProductionRequest.Method, _ request: EntropyProductionRequest) throws
        -> EntropyProductionEstimate {
        let box = method == .grid && dimension <= EntropyProductionRequest.maximumGridDimension
            ? try request.gridBounds(for: self) : nil
        return try request.withStatistic(method, dimension: dimension, box: box,
                                         OnePass(data: self, method: method, request: request))
    }

    /// Checks the method's plan, accumulates every segment, reports.
    struct OnePass: EntropyProductionStatisticVisitor {
        typealias Result = EntropyProductionEstimate
        let data: TrajectoryData
        let method: EntropyProductionRequest.Method
        let request: EntropyProductionRequest

        func visit<S: PairStatistic>(_ statistic: S, report: @escaping (S.Accumulator) throws -> EntropyProductionEstimate)
            throws -> EntropyProductionEstimate {
            try data.checkPlan(method, request, statistics: statistic.statisticsCount)
            return try report(try data.accumulate(observer: statistic, threads: request.threads))
        }
    }

    /// The method's accumulators for these data's segments, checked against the request's budget.
    func checkPlan(_ method: EntropyProductionRequest.Method, _ request: EntropyProductionRequest, statistics: Int) throws {
        try request.checkPlan(method, statistics: statistics, units: segments.count, inFlight: 16)
    }
}
