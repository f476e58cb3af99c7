import Dynamics
import LinearAlgebra

/// Removes the O(Δt) time-discretisation bias of a grid-free estimator by Richardson extrapolation
/// over the sampling interval (docs/theory/estimators.md §2–§4: each estimator is exact only as Δt → 0).
///
/// The same estimator runs twice over the same pairs' blocks: on the pairs (x_k, x_{k+1}) at Δt, and on
/// the lag-2 pairs (x_k, x_{k+2}) at 2Δt (the even and odd sub-chains of every run of states). With
/// σ̂(h) = σ + a h + O(h²) for smooth estimators of a smooth process,
///
///     σ̂₀ = 2 σ̂(Δt) − σ̂(2Δt) = σ + O(Δt²)
///
/// (Richardson 1911; the same two-interval extrapolation Manikandan, Gupta & Krishnamurthy 2020 apply to
/// the short-time TUR). For OU sampled at Δt = 0.01 the O(Δt) part is ≈ 1–2 % of σ (the pathwise and TUR
/// estimators read low in d = 32, docs/measurements/estimators-validation-10seeds.md); O(Δt²) is ≈ 0.01 %.
///
/// The report keeps the plain estimator's `entropy_production_rate` σ̂(Δt) and details, and sets
///
///     debiased = σ̂₀ − b_J(σ̂₀),   bias = σ̂(Δt) − debiased,   stderr = jackknife se of σ̂₀,
///
/// with b_J the delete-one-block jackknife bias of the extrapolated estimate, so `stderr` is the error
/// bar of `debiased` (the extrapolation costs variance: σ̂(Δt) and σ̂(2Δt) are strongly correlated, so
/// typically 1–2× the plain stderr). Details: `time_step_bias` σ̂(Δt) − σ̂₀, `rate_2dt` σ̂(2Δt),
/// `jackknife_bias` b_J, `plain_stderr` and `plain_debiased` (the plain estimator's report).
/// A lag-2 pair that would straddle two absorbed runs (a block or segment boundary) is skipped.
public struct TimeStepExtrapolation<Base: RateStatistic>: PairStatistic {
    public typealias Accumulator = BlockedAccumulator<TimeStepExtrapolation<Base>>

    /// Per-accumulator scratch: the two estimators' scratch and one sub-chain of states.
    public struct Scratch {
        var fine: Base.Scratch
        var coarse: Base.Scratch
        var subchain: [Double]
    }

    /// The estimator at Δt.
    public private(set) var fine: Base
    /// The same estimator at 2Δt, fed the lag-2 pairs.
    public private(set) var coarse: Base

    /// - Throws: whatever the base estimator throws for the interval 2Δt.
    public init(_ base: Base) throws {
        fine = base
        coarse = try base.withTimeStep(2 * base.timeStep)
    }

    public var dimension: Int { fine.dimension }
    public var statisticsCount: Int { 2 * fine.statisticsCount }
    public var layout: SampleLayout {
        get { fine.layout }
        set { fine.layout = newValue; coarse.layout = newValue }
    }

    public func makeScratch() -> Scratch {
        Scratch(fine: fine.makeScratch(), coarse: coarse.makeScratch(), subchain: [])
    }

    public func isCompatible(with other: TimeStepExtrapolation<Base>) -> Bool {
        fine.isCompatible(with: other.fine) && coarse.isCompatible(with: other.coarse)
    }

    public func absorb(_ states: UnsafeBufferPointer<Double>, pairs: Range<Int>,
                       into statistics: UnsafeMutableBufferPointer<Double>, scratch: inout Scratch) {
        let n = fine.statisticsCount, d = dimension
        fine.absorb(states, pairs: pairs, into: UnsafeMutableBufferPointer(rebasing: statistics[0..<n]),
                    scratch: &scratch.fine)
        // States pairs.lowerBound ... pairs.upperBound; each parity gives a sub-chain at spacing 2Δt.
        for parity in 0..<2 {
            let first = pairs.lowerBound + parity
            let count = first <= pairs.upperBound ? (pairs.upperBound - first) / 2 + 1 : 0
            guard count >= 2 else { continue }
            if scratch.subchain.count < count * d { scratch.subchain = [Double](repeating: 0, count: count * d) }
            scratch.subchain.withUnsafeMutableBufferPointer { sub in
                for r in 0..<count {
                    let source = (first + 2 * r) * d
                    for j in 0..<d { sub[r * d + j] = states[source + j] }
                }
            }
            scratch.subchain.withUnsafeBufferPointer { sub in
                coarse.absorb(UnsafeBufferPointer(rebasing: sub[0..<(count * d)]), pairs: 0..<(count - 1),
                              into: UnsafeMutableBufferPointer(rebasing: statistics[n..<(2 * n)]),
                              scratch: &scratch.coarse)
            }
        }
    }

    /// 2σ̂(Δt) − σ̂(2Δt) from summed statistics.
    func extrapolatedRate(_ sums: [Double]) throws -> Double {
        let n = fine.statisticsCount
        return 2 * (try fine.rate(Array(sums[0..<n]))) - (try coarse.rate(Array(sums[n...])))
    }

    /// The plain estimator's report with `debiased`, `bias` and `stderr` of the extrapolated estimate.
    public func estimate(_ accumulator: Accumulator) throws -> EntropyProductionEstimate {
        try requireSameSettings(accumulator)
        let blocks = try accumulator.blockSums()
        let n = fine.statisticsCount
        let fineBlocks = blocks.map { $0.map { Array($0[0..<n]) } }
        let plain = try fine.report(BlockedAccumulator(accumulator.statistic.fine, blocks: fineBlocks,
                                                       pairCount: accumulator.pairCount))
        let total = Jackknife.total(blocks, count: statisticsCount)
        let coarseRate = try coarse.rate(Array(total[n...]))
        let extrapolated = 2 * plain.entropyProductionRate - coarseRate
        let (se, jackknifeBias) = Jackknife.analyse(blocks: blocks, total: total, full: extrapolated, extrapolatedRate)
        let debiased = extrapolated - (jackknifeBias.isFinite ? jackknifeBias : 0)
        var details = plain.details
        details["time_step_bias"] = plain.entropyProductionRate - extrapolated
        details["rate_2dt"] = coarseRate
        details["jackknife_bias"] = jackknifeBias
        details["plain_stderr"] = plain.standardError
        details["plain_debiased"] = plain.debiased
        return EntropyProductionEstimate(
            method: plain.method, entropyProductionRate: plain.entropyProductionRate, standardError: se,
            bias: plain.entropyProductionRate - debiased, diffusionMatrix: plain.diffusionMatrix,
            samplesUsed: plain.samplesUsed, details: details)
    }
}
