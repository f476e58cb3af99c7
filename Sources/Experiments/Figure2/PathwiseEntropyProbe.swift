import Dynamics
import Estimators
import WorldModel

/// One EP run of ``BlindEntropyProbe``: the blind reading (grid for d ≤ 2, else linear basis), the
/// grid estimate and half-width L (d ≤ 2), and optionally the pathwise estimate on the same rollouts.
public struct BlindEntropyRun: Sendable {
    public var reading: EntropyReading
    public var grid: GridEstimate?
    public var halfWidth: Double
    /// The pathwise EP of the known drift on the same pairs, Δt-extrapolated; nil unless asked for.
    public var pathwise: EntropyReading?
    /// d = 2 with the pathwise estimate: the rotation/relaxation profile of the drift on the same states.
    public var rotation: RotationProfile?
}

extension BlindEntropyProbe {
    /// The blind estimate of dx = f(x) dt + √(2D) dW for any drift f, and (with `pathwise`) the
    /// pathwise estimate of the same rollouts with f known (docs/theory/estimators.md §4, paper Eq. 9):
    ///
    ///     σ̂(Δt) = (1/τ) Σ_k ( |x_k − x_{k+1} − Δt f(x_{k+1})|² − |x_{k+1} − x_k − Δt f(x_k)|² ) / (4DΔt),
    ///
    /// wrapped in ``TimeStepExtrapolation`` (σ̂₀ = 2σ̂(Δt) − σ̂(2Δt) on the lag-2 pairs of the same
    /// rollouts), which removes the O(Δt) error of the Euler kernel. It needs no bins, so it has no
    /// floor, no tail cut-off (the grid drops bins at the box edge and with fewer than n_min pairs)
    /// and no density estimate: a cross-check of the grid σ̂ − floor on the model's own rollouts.
    /// Both estimators observe one engine pass (``PairObserver``), so the blind reading is
    /// bit-identical to a run without the pathwise estimate. Pathwise reading: `entropy_production_rate`
    /// = σ̂(Δt), `debiased` = the extrapolated σ̂₀ (jackknife bias removed), `stderr` its jackknife
    /// standard error, `floor` = σ̂(Δt) − σ̂₀. In d = 2 the same pass also gives the drift's
    /// ``RotationProfile``.
    public func run<F: Drift>(_ drift: F, seed: UInt64, pathwise: Bool) throws -> BlindEntropyRun {
        let d = drift.dimension
        let engine = try engine(seed: seed)
        let path = try TimeStepExtrapolation(PathwiseEstimator(drift: drift, diffusion: diffusion, timeStep: timeStep))
        if d <= 2 {
            let (grid, halfWidth) = try grid(for: drift, seed: seed)
            if pathwise {
                let all = try engine.run(drift, observer: PairObserver(grid, PairObserver(path, RotationProfileObserver(drift: drift))))
                let g = try grid.estimate(all.first)
                return BlindEntropyRun(reading: Self.reading(g.estimate), grid: g, halfWidth: halfWidth,
                                       pathwise: Self.reading(try path.estimate(all.second.first)),
                                       rotation: d == 2 ? all.second.second.profile(diffusion: diffusion) : nil)
            }
            let g = try grid.estimate(try engine.run(drift, observer: grid))
            return BlindEntropyRun(reading: Self.reading(g.estimate), grid: g, halfWidth: halfWidth, pathwise: nil, rotation: nil)
        }
        let basis = try request.basisEstimator(dimension: d)
        if pathwise {
            let both = try engine.run(drift, observer: PairObserver(basis, path))
            return BlindEntropyRun(reading: Self.reading(try basis.estimate(both.first).estimate), grid: nil, halfWidth: .nan,
                                   pathwise: Self.reading(try path.estimate(both.second)), rotation: nil)
        }
        let b = try basis.estimate(try engine.run(drift, observer: basis))
        return BlindEntropyRun(reading: Self.reading(b.estimate), grid: nil, halfWidth: .nan, pathwise: nil, rotation: nil)
    }
}
