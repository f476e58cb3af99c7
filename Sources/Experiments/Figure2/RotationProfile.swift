import Dynamics

/// Where a 2-D drift's entropy production comes from, read on its own stationary rollouts.
///
/// For a drift of the form f(x) = −γ(r) x + ω(r) R90 x (radial relaxation plus rotation, r = |x|) with
/// isotropic D, the stationary density is radial, p ∝ exp(−∫ γ(r) r dr / D), the rotation is the whole
/// irreversible drift f_irr = ω(r) R90 x, and
///
///     σ = ⟨|f_irr|²⟩ / D = ⟨ω(r)² r²⟩ / D = ⟨(x × f)² / |x|²⟩ / D,        x × f = x₀f₁ − x₁f₀
///
/// (docs/theory/ou-exact.md §3–§4; for the docs/theory/world-model.md §2 data ω(r) = ω, γ(r) = γ, ⟨r²⟩ = 2D/γ, so σ = 2ω²/γ). The
/// attention model is close to that form (M keys evenly spread on a circle), so ``rotationalRate``
/// is a bin-free reading of its EP that splits into the two ways a model can fall short of 2ω²/γ:
/// a smaller rotation rate where the mass is (``angularVelocity`` and the per-shell ``shells``:
/// ω_eff(r) = Σ x × f / Σ r², compare with ω) or a tighter stationary density (``meanSquareRadius``,
/// compare with 2D/γ; the Euler chain at Δt has 2D/(γ − (γ² + ω²)Δt/2) exactly).
/// Accumulated over the start state of every transition pair.
public struct RotationProfile: Sendable, Codable, Equatable {
    /// One radial shell [r_lo, r_hi) (the last one is open: r ≥ r_lo).
    public struct Shell: Sendable, Codable, Equatable {
        public var rLo: Double
        public var rHi: Double
        /// Fraction of the states in the shell.
        public var fraction: Double
        /// ω_eff = Σ (x × f) / Σ r² over the shell (rotation rate; the data's is ω).
        public var angularVelocity: Double
        /// γ_eff = −Σ x·f / Σ r² (radial relaxation rate; the data's is γ).
        public var radialRate: Double
        /// The shell's part of ``RotationProfile/rotationalRate``.
        public var rotationalRate: Double

        /// JSON keys are snake_case, properties camelCase (docs/api.md).
        enum CodingKeys: String, CodingKey {
            case fraction
            case rLo = "r_lo"
            case rHi = "r_hi"
            case angularVelocity = "angular_velocity"
            case radialRate = "radial_rate"
            case rotationalRate = "rotational_rate"
        }
    }

    /// Number of states.
    public var states: Int
    /// ⟨r²⟩.
    public var meanSquareRadius: Double
    /// Σ (x × f) / Σ r²: the r²-weighted rotation rate.
    public var angularVelocity: Double
    /// ⟨(x × f)²/r²⟩ / D: the EP of a drift of the radial form above.
    public var rotationalRate: Double
    public var shells: [Shell]
}

/// Streams the sums of ``RotationProfile`` from rollouts of a 2-D drift (shells of width `shellWidth`,
/// `shellCount` of them, the last open-ended).
struct RotationProfileObserver<F: Drift>: TrajectoryObserver {
    let drift: F
    let shellWidth: Double
    let shellCount: Int

    init(drift: F, shellWidth: Double = 0.25, shellCount: Int = 24) {
        self.drift = drift
        self.shellWidth = shellWidth
        self.shellCount = shellCount
    }

    func makeAccumulator() -> RotationAccumulator<F> { RotationAccumulator(observer: self) }
}

/// Per-shell sums: count, Σ r², Σ x × f, Σ x·f, Σ (x × f)²/r². The drift workspace is made lazily and
/// used by one thread at a time (the engine's contract), hence `@unchecked Sendable`.
struct RotationAccumulator<F: Drift>: TrajectoryAccumulator, @unchecked Sendable {
    static var sumsPerShell: Int { 5 }
    static var blockStates: Int { 1024 }
    let observer: RotationProfileObserver<F>
    var sums: [Double]
    var workspace: F.Workspace?
    var values: [Double] = []

    init(observer: RotationProfileObserver<F>) {
        self.observer = observer
        sums = [Double](repeating: 0, count: observer.shellCount * Self.sumsPerShell)
    }

    mutating func consume(_ segment: TrajectorySegment) throws {
        guard segment.dimension == 2, segment.count >= 2 else { return }
        let cap = Self.blockStates, n = segment.count - 1    // start states of the segment's pairs
        let drift = observer.drift
        var ws = workspace ?? drift.makeWorkspace(capacity: cap)
        defer { workspace = ws }
        if values.count < 2 * cap { values = [Double](repeating: 0, count: 2 * cap) }
        var first = 0
        while first < n {
            let m = min(cap, n - first)
            let block = UnsafeBufferPointer(rebasing: segment.states[(2 * first)..<(2 * (first + m))])
            values.withUnsafeMutableBufferPointer { f in drift.evaluate(block, count: m, into: f, workspace: &ws) }
            for i in 0..<m {
                let x0 = block[2 * i], x1 = block[2 * i + 1], f0 = values[2 * i], f1 = values[2 * i + 1]
                let r2 = x0 * x0 + x1 * x1
                guard r2 > 0 else { continue }
                let cross = x0 * f1 - x1 * f0, dot = x0 * f0 + x1 * f1
                let shell = min(observer.shellCount - 1, Int(r2.squareRoot() / observer.shellWidth))
                let o = shell * Self.sumsPerShell
                sums[o] += 1
                sums[o + 1] += r2
                sums[o + 2] += cross
                sums[o + 3] += dot
                sums[o + 4] += cross * cross / r2
            }
            first += m
        }
    }

    mutating func merge(_ other: RotationAccumulator<F>) throws {
        for i in 0..<sums.count { sums[i] += other.sums[i] }
    }

    /// The profile for diffusion D.
    func profile(diffusion: Double) -> RotationProfile {
        let k = Self.sumsPerShell
        let total = (0..<k).map { j in stride(from: j, to: sums.count, by: k).reduce(0.0) { $0 + sums[$1] } }
        let n = max(total[0], 1)
        let shells = (0..<observer.shellCount).map { s -> RotationProfile.Shell in
            let o = s * k, lo = Double(s) * observer.shellWidth
            return RotationProfile.Shell(
                rLo: lo, rHi: s == observer.shellCount - 1 ? .infinity : lo + observer.shellWidth, fraction: sums[o] / n,
                angularVelocity: sums[o + 2] / sums[o + 1], radialRate: -sums[o + 3] / sums[o + 1],
                rotationalRate: sums[o + 4] / (n * diffusion))
        }
        return RotationProfile(states: Int(total[0]), meanSquareRadius: total[1] / n, angularVelocity: total[2] / total[1],
                               rotationalRate: total[4] / (n * diffusion), shells: shells)
    }
}
