import Dynamics

/// A streaming estimator whose answer is the one result type of every blind estimate,
/// ``EntropyProductionEstimate`` (the spec §5 keys, D̂ and the method's details).
///
/// Every estimator of this module conforms: ``KramersMoyalGrid`` (grid), ``LinearBasisEstimator`` (basis),
/// ``ShortTimeTUREstimator`` (TUR), ``PathwiseEstimator`` (pathwise) and ``TimeStepExtrapolation`` of any of the
/// last three (extrapolated). The grid and basis estimators also have a richer `estimate(_:)`
/// (``GridEstimate``, ``BasisEstimate``: the fields behind the number, for plots), whose `estimate` property is
/// the same ``EntropyProductionEstimate`` that `report(_:)` returns.
public protocol EntropyProductionEstimator: PairStatistic {
    /// The estimate from the summed statistics of `accumulator`.
    func report(_ accumulator: Accumulator) throws -> EntropyProductionEstimate
}

extension KramersMoyalGrid: EntropyProductionEstimator {
    public func report(_ accumulator: Accumulator) throws -> EntropyProductionEstimate { try estimate(accumulator).estimate }
}

extension TimeStepExtrapolation: EntropyProductionEstimator {
    public func report(_ accumulator: Accumulator) throws -> EntropyProductionEstimate { try estimate(accumulator) }
}
