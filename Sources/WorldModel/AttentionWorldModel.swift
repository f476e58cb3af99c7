import Foundation
import Dynamics
import LinearAlgebra
import Stochastics
import Thermodynamics

/// The trainable memory-slot attention world model (docs/theory/world-model.md §3, Eq. 19):
///
///     f_θ(x) = Σ_m a_m(x) k_m − λ x,     a_m(x) = softmax_m( β xᵀ W k_m ),
///
/// with values tied to keys, so the score matrix W (d × d, full) is the model's only channel for
/// an antisymmetric drift. Parameters θ = {W, k_1 … k_M} and optionally β (inverse temperature)
/// and λ (leak) when ``learnsBeta`` / ``learnsLeak`` are set (docs/theory/world-model.md §4: both fixed at 1 by default).
///
/// The flat parameter vector (``parameters``) is W row-major (d²), the keys row-major (M·d), then
/// β if learnable, then λ if learnable. Loss and gradients: ``lossAndGradient(points:targets:count:workspace:)``.
/// Encoded as JSON with keys `W` (d rows), `keys` (M rows), `beta`, `leak`, `learnBeta`,
/// `learnLeak`; decoding validates like ``init(scores:keys:beta:leak:learnBeta:learnLeak:)``.
public struct AttentionWorldModel: Sendable, Equatable {
    /// The same model as a ``SoftmaxAttentionDrift`` (same W, keys, β, λ), for rollouts with the
    /// Euler–Maruyama engine and the Jacobian / non-normality readouts of the Dynamics module. It
    /// also holds (and validated) the parameters below.
    public let drift: SoftmaxAttentionDrift
    /// Whether β is a trained parameter (appended to ``parameters``).
    public let learnsBeta: Bool
    /// Whether λ is a trained parameter (appended to ``parameters`` after β).
    public let learnsLeak: Bool
    /// W row-major (d × d), for the BLAS products.
    let scoresRowMajor: [Double]
    /// K row-major (M × d).
    let keysRowMajor: [Double]

    /// The query–key score matrix W (d × d).
    public var scores: Matrix { drift.scores }
    /// The keys k_m, one per row (M × d); also the values.
    public var keys: Matrix { drift.keys }
    /// Inverse temperature β > 0.
    public var beta: Double { drift.beta }
    /// Leak λ of the relaxation term −λx.
    public var leak: Double { drift.leak }
    /// State dimension d.
    public var dimension: Int { drift.dimension }
    /// Number of memory slots M.
    public var slotCount: Int { drift.slotCount }

    /// - Throws: ``WorldModelError`` when W is not square or 0 × 0, the keys have no rows or
    ///   another width than W, an entry is non-finite, β is not finite and positive, or λ is not finite
    ///   (the checks of ``SoftmaxAttentionDrift/init(scores:keys:beta:leak:)``).
    public init(
        scores w: Matrix, keys: Matrix, beta: Double = 1, leak: Double = 1,
        learnBeta: Bool = false, learnLeak: Bool = false
    ) throws(WorldModelError) {
        do {
            self.init(drift: try SoftmaxAttentionDrift(scores: w, keys: keys, beta: beta, leak: leak),
                      learnBeta: learnBeta, learnLeak: learnLeak)
        } catch {
            throw WorldModelError(error)
        }
    }

    /// The model of an already validated drift.
    init(drift: SoftmaxAttentionDrift, learnBeta: Bool, learnLeak: Bool) {
        self.drift = drift
        learnsBeta = learnBeta
        learnsLeak = learnLeak
        scoresRowMajor = drift.scores.transposed.storage
        keysRowMajor = drift.keys.transposed.storage
    }

    /// Equal parameters and the same learnable flags.
    public static func == (a: AttentionWorldModel, b: AttentionWorldModel) -> Bool {
        a.scores == b.scores && a.keys == b.keys && a.beta == b.beta && a.leak == b.leak
            && a.learnsBeta == b.learnsBeta && a.learnsLeak == b.learnsLeak
    }

    /// The paper's initial model (docs/theory/world-model.md §3 [RD]): d = 2, W₀ = I (symmetric), M keys at
    /// `radius` with angles 2πm/M + N(0, angleJitter²), m = 0…M−1, β = 1 and λ = 1 fixed.
    /// The jitter normals are ``CounterRandom`` draws at (seed, stream 0, step 0), one per slot.
    /// - Throws: ``WorldModelError`` for slots < 1, a non-finite or non-positive radius, or a
    ///   negative or non-finite jitter.
    public static func paperInitial(
        slots: Int = 8, radius: Double = 2, angleJitter: Double = 0.1, seed: UInt64
    ) throws(WorldModelError) -> AttentionWorldModel {
        guard slots > 0 else { throw .zeroSlots }
        guard slots <= CounterRandom.maxDimension else {
            throw .invalidCount(name: "slots", value: slots, requirement: "≤ \(CounterRandom.maxDimension)")
        }
        try WorldModelError.requirePositive(radius, "radius")
        guard angleJitter.isFinite, angleJitter >= 0 else {
            throw .invalidArgument(name: "angle jitter", value: angleJitter, requirement: "≥ 0 and finite")
        }
        // Cannot throw: slots ≤ maxDimension and step 0.
        let noise = (try? CounterRandom.normals(seed: seed, stream: 0, step: 0, dimension: slots))
            ?? [Double](repeating: 0, count: slots)
        var k = Matrix(rows: slots, columns: 2)
        for m in 0..<slots {
            let angle = 2 * Double.pi * Double(m) / Double(slots) + angleJitter * noise[m]
            k[m, 0] = radius * cos(angle)
            k[m, 1] = radius * sin(angle)
        }
        return try AttentionWorldModel(scores: .identity(2), keys: k, beta: 1, leak: 1)
    }

    /// The intervention W → W_S = (W + Wᵀ)/2 (docs/theory/world-model.md §1 P4, docs/theory/world-model.md §5–§6): same keys, β, λ and flags.
    public func symmetrized() -> AttentionWorldModel {
        AttentionWorldModel(drift: drift.symmetrized(), learnBeta: learnsBeta, learnLeak: learnsLeak)
    }

    /// The attention-asymmetry index A = ‖W_A‖_F / ‖W‖_F, W_A = (W − Wᵀ)/2 (docs/theory/ou-exact.md §6 Eq. 30); 0 ≤ A ≤ 1
    /// (``attentionAsymmetryIndex(_:)``; W is square and finite, so it cannot throw).
    public var asymmetry: Double { (try? attentionAsymmetryIndex(scores)) ?? 0 }
}
