import Dynamics
import Foundation
import LinearAlgebra
import ResourceLimits

extension LocalityEstimator {
    /// ε̂(τ) at every lag of this estimator from in-memory trajectories (each NaN-free segment is one
    /// rollout; samples never span a NaN row).
    ///
    /// Checks, before anything is allocated: the dimension, every lag shorter than the longest segment
    /// (k ≤ T − 2 for T states, so that some x_{t−τ}, x_t, x_{t+1} exist), and the sums (lags × G blocks ×
    /// W² doubles, merged plus in flight) against `budget`. Then each lag needs 10 samples per regressor.
    ///
    /// - Parameter threads: workers (0 = one per core); the result is bitwise identical for every value.
    /// - Throws: ``EstimatorError`` — `invalidArgument` for a lag as long as the rollouts, `tooFewSamples`,
    ///   `singularMoments`, `degenerateData`, `dimensionMismatch`; ``ResourceLimitError`` over the budget.
    public func estimate(_ data: TrajectoryData, threads: Int = 0, budget: MemoryBudget = .standard) throws -> LocalityReport {
        guard data.dimension == dimension else { throw EstimatorError.dimensionMismatch(expected: dimension, found: data.dimension) }
        guard threads >= 0 else { throw EstimatorError.invalidArgument("threads must be ≥ 0 (0 = one per core), got \(threads)") }
        let longest = data.segments.map(\.count).max() ?? 0
        if let lag = lags.max(), lag > longest - 2 {
            throw EstimatorError.invalidArgument(
                "lag \(lag) steps (τ = \(lag)·Δt) is not shorter than the rollouts: the longest has \(longest) states, "
                    + "so lags must be ≤ \(max(0, longest - 2))")
        }
        let workers = threads > 0 ? threads : ProcessInfo.processInfo.activeProcessorCount
        var plan = AllocationPlan("locality sums")
        plan.add(.init(2 + min(data.segments.count, 16 * workers), "copies"), .init(lags.count, "lags"),
                 .init(blocks, "blocks"), .init(width, "W"), .init(width, "W"), .init(8, "bytes"))
        try budget.check(plan)

        let layout = try data.layout(blocks: blocks)
        let observer = SumsObserver(estimator: self, layout: layout)
        let sums = try reduceRollouts(data.segments.count, observer: observer, threads: threads, chunk: 16) { i, acc in
            try data.withSegment(i) { try acc.consume($0) }
        }
        let estimates = try lags.indices.map { l in try estimate(lag: lags[l], blocks: sums.blockSums(lag: l)) }
        return LocalityReport(estimates: estimates, dimension: dimension, degree: basis.order, basisSize: basis.count,
                              timeStep: timeStep, blocks: blocks)
    }

    /// ε̂ of one lag from its block sums, with the delete-one-block jackknife of ε̂ and of the history
    /// coefficients (a replicate whose fit fails is skipped; NaN errors below 2 replicates).
    func estimate(lag: Int, blocks: [[Double]?]) throws -> LocalityEstimate {
        let count = width * width
        let total = Jackknife.total(blocks, count: count)
        let found = Int(total.first ?? 0)
        guard found > 0 else {
            throw EstimatorError.tooFewSamples(needed: Self.samplesPerCoefficient * regressorCount, found: 0)
        }
        let full = try fit(total)
        var replicates = [Fit]()
        for block in blocks {
            guard let block else { continue }
            var loo = total
            for i in 0..<count { loo[i] -= block[i] }
            if let f = try? fit(loo) { replicates.append(f) }
        }
        func standardError(_ value: (Fit) -> Double) -> Double {
            let m = Double(replicates.count)
            guard replicates.count >= 2 else { return .nan }
            let mean = replicates.reduce(0) { $0 + value($1) } / m
            let ss = replicates.reduce(0) { $0 + (value($1) - mean) * (value($1) - mean) }
            return ((m - 1) / m * ss).squareRoot()
        }
        let se = standardError(\.epsilon)
        var coefficientErrors = Matrix(rows: dimension, columns: historyCount)
        for i in 0..<dimension {
            for j in 0..<historyCount { coefficientErrors[i, j] = standardError { $0.history[i, j] } }
        }
        return LocalityEstimate(
            lag: lag, lagTime: Double(lag) * timeStep, epsilon: full.epsilon, standardError: se, bias: full.bias,
            debiased: max(0, full.epsilon * full.epsilon - full.bias * full.bias).squareRoot(),
            zScore: (full.epsilon - full.bias) / se, samples: Int(full.samples),
            historyCoefficients: full.history, historyCoefficientErrors: coefficientErrors,
            markovCoefficients: full.markov, diffusion: full.residualTrace / (2 * Double(dimension) * timeStep))
    }
}
