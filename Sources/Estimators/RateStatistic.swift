import Dynamics

/// A ``PairStatistic`` whose entropy-production rate is a function of its summed statistics and that
/// can be rebuilt at another sampling interval — what ``TimeStepExtrapolation`` needs to combine the
/// estimates at Δt and 2Δt block by block.
public protocol RateStatistic: EntropyProductionEstimator {
    /// The sampling interval Δt the statistic divides by.
    var timeStep: Double { get }
    /// σ̂ from the statistics summed over any set of blocks (throws when they are too few).
    func rate(_ sums: [Double]) throws -> Double
    /// The same estimator for samples spaced `timeStep` apart.
    func withTimeStep(_ timeStep: Double) throws -> Self

}

extension LinearBasisEstimator: RateStatistic {
    public func rate(_ sums: [Double]) throws -> Double { try core(sums, fields: false).sigma }
    public func withTimeStep(_ timeStep: Double) throws -> LinearBasisEstimator {
        try LinearBasisEstimator(dimension: dimension, order: basis.order, timeStep: timeStep, layout: layout)
    }
    public func report(_ accumulator: Accumulator) throws -> EntropyProductionEstimate { try estimate(accumulator).estimate }
}

extension ShortTimeTUREstimator: RateStatistic {
    public func rate(_ sums: [Double]) throws -> Double { try core(sums).sigma }
    public func withTimeStep(_ timeStep: Double) throws -> ShortTimeTUREstimator {
        try ShortTimeTUREstimator(dimension: dimension, timeStep: timeStep, featureBudget: .max, layout: layout)
    }
    public func report(_ accumulator: Accumulator) throws -> EntropyProductionEstimate { try estimate(accumulator) }
}

extension PathwiseEstimator: RateStatistic {
    public func rate(_ sums: [Double]) throws -> Double {
        guard sums[0] > 0 else { throw EstimatorError.tooFewSamples(needed: 1, found: 0) }
        return sums[1] / (sums[0] * timeStep)
    }
    public func withTimeStep(_ timeStep: Double) throws -> PathwiseEstimator<F> {
        try PathwiseEstimator(drift: drift, diffusionMatrix: diffusionMatrix, timeStep: timeStep, layout: layout)
    }
    public func report(_ accumulator: Accumulator) throws -> EntropyProductionEstimate { try estimate(accumulator) }
}
