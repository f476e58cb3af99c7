import Foundation
import ResourceLimits

/// Parameters of the spin fidelity figure (docs/theory/spin-fidelity.md; the neqnn fidelity experiment,
/// M. Bal 2026): the mean-field fidelity grid over the reduced drive u = β‖x_i‖/R and β per spin dimension D, the
/// finer large-D-vs-exact grid, and the per-layer EP-maximisation demo of the spin transformer.
///
/// The problem per D: N sites, J = softmax(randn(N, N)) row-wise (normals of seed `seed`), drive x_i = (u/β) R û_i
/// with û_i uniform unit vectors (normals of seed `seed + 1`). The mean field is solved by Anderson from m = 0; the
/// chain runs `replicates` independent replicates × `chains` chains × `steps` recorded steps after `burnIn`.
///
/// The JSON form keeps the property names, as every experiment configuration does.
public struct FigureSpinConfiguration: Sendable, Codable, Equatable {
    /// Sites N.
    public var sites = 64
    /// Spin dimensions D (each > 2).
    public var dimensions = [3, 16, 64, 128]
    /// Reduced drives u = β‖x_i‖/R.
    public var drives: [Double] = [0.25, 0.5, 0.75, 1, 1.5, 2, 4]
    /// Inverse temperatures β.
    public var betas: [Double] = [0.25, 0.5, 0.75, 1, 1.5, 2, 4]
    /// Independent chain replicates R (≥ 2: the error metric pairs them).
    public var replicates = 5
    /// Chains per replicate.
    public var chains = 32
    /// Recorded steps per chain after burn-in.
    public var steps = 300
    /// Discarded steps.
    public var burnIn = 120
    /// Anderson fixed point of the prediction: iteration cap and worst-site tolerance.
    public var fixedPointIterations = 80
    public var fixedPointTolerance = 1e-10
    /// Branch count: starts (zero plus starts − 1 at 0.5·R·random unit vectors), their iteration cap, the residual a
    /// branch must reach, and the distance below which two branches are the same.
    public var branchStarts = 5
    public var branchIterations = 120
    public var branchResidual = 1e-7
    public var branchMatchTolerance = 1e-3
    /// Power iterations of the local contraction ρ.
    public var contractionIterations = 60
    /// The finer large-D-vs-exact grid: points per axis, geometric over [fineLow, fineHigh] in both u and β
    /// (0 points skip it).
    public var finePoints = 13
    public var fineLow = 0.25
    public var fineHigh = 4.0
    /// The EP-maximisation demo: nil skips it.
    public var demo: FigureSpinDemoConfiguration? = .full
    /// Base seed.
    public var seed: UInt64 = 20_260_816
    /// Worker threads (0: one per core); results do not depend on it.
    public var threads = 0

    public init() {}

    /// The neqnn README sizes: 4 D × 49 cells × 5 replicates × 32 chains × (300 + 120) steps, N = 64.
    public static let full = FigureSpinConfiguration()

    /// Seconds on a laptop: D ∈ {3, 16}, a 4 × 4 grid, 3 replicates × 8 chains × 100 steps after 40, N = 32,
    /// a 7 × 7 fine grid and the demo at its quick size.
    public static var quick: FigureSpinConfiguration {
        var c = FigureSpinConfiguration()
        c.sites = 32
        c.dimensions = [3, 16]
        c.drives = [0.25, 1, 2, 4]
        c.betas = [0.25, 1, 2, 4]
        c.replicates = 3
        c.chains = 8
        c.steps = 100
        c.burnIn = 40
        c.finePoints = 7
        c.demo = .quick
        return c
    }

    /// The (u, β) grid points of the finer large-D-vs-exact comparison.
    public var fineGrid: [Double] {
        guard finePoints > 0 else { return [] }
        guard finePoints > 1 else { return [fineLow] }
        let ratio = fineHigh / fineLow
        return (0..<finePoints).map { fineLow * pow(ratio, Double($0) / Double(finePoints - 1)) }
    }

    /// Checks every field; throws ``ExperimentError/invalidConfiguration(_:)`` naming the first bad one.
    public func validate() throws {
        func fail(_ s: String) -> ExperimentError { .invalidConfiguration(s) }
        try ExperimentError.requireCount(sites, "sites", atLeast: 2, atMost: 1 << 14)
        guard !dimensions.isEmpty, dimensions.allSatisfy({ $0 > 2 && $0 <= 1 << 14 }) else {
            throw fail("spin dimensions must be between 3 and \(1 << 14) (R = √(D/2 − 1) vanishes at D = 2), got \(dimensions)")
        }
        guard !drives.isEmpty, drives.allSatisfy({ $0.isFinite && $0 >= 0 }) else { throw fail("drives u must be finite and ≥ 0") }
        guard !betas.isEmpty, betas.allSatisfy({ $0.isFinite && $0 > 0 }) else { throw fail("inverse temperatures β must be finite and > 0") }
        try ExperimentError.requireCount(replicates, "replicates", atLeast: 2, atMost: 1 << 16)
        try ExperimentError.requireCount(chains, "chains", atLeast: 1, atMost: 1 << 20)
        try ExperimentError.requireCount(steps, "steps", atLeast: 2)
        try ExperimentError.requireCount(burnIn, "burn-in", atLeast: 0)
        try ExperimentError.requireCount(fixedPointIterations, "fixed-point iterations", atLeast: 1, atMost: 1 << 20)
        guard fixedPointTolerance.isFinite, fixedPointTolerance > 0 else { throw fail("fixed-point tolerance must be > 0") }
        try ExperimentError.requireCount(branchStarts, "branch starts", atLeast: 1, atMost: 1 << 10)
        try ExperimentError.requireCount(branchIterations, "branch iterations", atLeast: 1, atMost: 1 << 20)
        guard branchResidual.isFinite, branchResidual > 0, branchMatchTolerance.isFinite, branchMatchTolerance > 0 else {
            throw fail("branch residual and match tolerance must be > 0")
        }
        try ExperimentError.requireCount(contractionIterations, "contraction iterations", atLeast: 1, atMost: 1 << 16)
        try ExperimentError.requireCount(finePoints, "fine-grid points", atLeast: 0, atMost: 1 << 10)
        guard fineLow.isFinite, fineHigh.isFinite, fineLow > 0, fineHigh >= fineLow else {
            throw fail("fine grid needs 0 < low ≤ high, got \(fineLow)…\(fineHigh)")
        }
        guard threads >= 0 else { throw fail("threads must be ≥ 0") }
        try demo?.validate()
    }

    /// The buffers that grow with the configuration, per cell (the largest D): the chain's states and fields of
    /// every chain (3 copies of chains × N × D), its streamed sums (chains × N × D for m, N × N for the delayed
    /// products, per replicate), the mean-field states (a few N × D and N × N) and the Anderson history
    /// (2 × 6 × N × D). The demo checks its own plan (SpinModels). Call after ``validate()``.
    public func memoryPlan() -> AllocationPlan {
        var plan = AllocationPlan("figure-spin")
        let d = dimensions.max() ?? 3
        plan.add(.init(4, "copies"), .init(chains, "chains"), .init(sites, "N"), .init(d, "D"), .init(8, "bytes"))
        plan.add(.init(replicates + 4, "replicate sums"), .init(sites, "N"), .init(sites, "N"), .init(8, "bytes"))
        plan.add(.init(replicates + 16, "states"), .init(sites, "N"), .init(d, "D"), .init(8, "bytes"))
        return plan
    }

    /// Chain site-updates of the whole grid (progress units): cells × R × chains × (burn-in + steps) × N, saturating
    /// at `Int.max` (it is only a progress total).
    public var totalSiteUpdates: Int {
        let factors = [dimensions.count * drives.count * betas.count, replicates, chains, burnIn + steps, sites]
        return (try? ByteCount.product(factors.map { ByteCount.Factor($0) })) ?? Int.max
    }
}
