#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import LinearAlgebra
import ResourceLimits

/// Options of the exact enumeration.
public struct KineticIsingExactOptions: Sendable {
    /// Stop the power iteration when ‖pW − p‖₁ ≤ tolerance.
    public var tolerance: Double
    /// At most this many applications of W, else ``SpinModelsError/notConverged(operation:iterations:residual:)``.
    public var maximumIterations: Int
    /// Dense or matrix-free transition operator.
    public var storage: KineticIsingTransitionStorage
    /// The memory budget the buffers are checked against before allocation.
    public var budget: MemoryBudget

    public init(tolerance: Double = 1e-14, maximumIterations: Int = 100_000,
                storage: KineticIsingTransitionStorage = .automatic, budget: MemoryBudget = .standard) {
        self.tolerance = tolerance
        self.maximumIterations = maximumIterations
        self.storage = storage
        self.budget = budget
    }
}

/// The exact stationary state of a kinetic Ising model and its entropy production.
public struct KineticIsingExactSolution: Sendable {
    /// p(s) over the 2^N states (state k: s_i = +1 where bit i of k is set).
    public let stationaryDistribution: [Double]
    /// m_i = Σ_s p(s) s_i.
    public let magnetizations: [Double]
    /// D_ij = Σ_s p(s) tanh(h_i(s)) s_j − m_i m_j = ⟨s_{i,t} s_{j,t−1}⟩ − m_i m_j.
    public let delayedCorrelation: Matrix
    /// σ = Σ_{s,s′} p(s) W(s′|s) ln[W(s′|s)/W(s|s′)], evaluated exactly for the computed p (no use of stationarity).
    public let entropyProduction: Double
    /// σ by the steady-state relation β Σ_ij (J_ij − J_ji) D_ij; equal to ``entropyProduction`` up to the
    /// stationarity residual.
    public let entropyProductionRelation: Double
    /// Applications of W.
    public let iterations: Int
    /// ‖pW − p‖₁ at return.
    public let residual: Double
    /// The storage used (never `.automatic`).
    public let storage: KineticIsingTransitionStorage
    /// Floating-point operations per application of W (2·4^N): the time of the run is about iterations × this.
    public let flopsPerIteration: Double
}

extension KineticIsing {
    /// The largest N for the exact enumeration (2^16 states; W has 4^16 ≈ 4.3·10⁹ entries and is only held
    /// factorized there).
    public static let exactMaximumSites = 16

    /// The exact EP by enumeration of the 2^N states (docs/theory/kinetic-ising.md §3).
    ///
    /// 1. Per state s: h(s) = β(H + Js), ln 2cosh h_i(s); the operator p ↦ pW (dense T or the factorized,
    ///    matrix-free form; memory checked against `options.budget` first).
    /// 2. The stationary p by power iteration from the uniform law (W > 0 elementwise, so p is unique and the
    ///    iteration converges geometrically at the rate |λ₂| of W), renormalised to Σp = 1 each step.
    /// 3. σ = Σ_{s,s′} p(s)W(s′|s) ln[W(s′|s)/W(s|s′)], summed in closed form per s except the log-normaliser of the
    ///    reverse step, which is Σ_{s′} (pW)(s′) Σ_i ln 2cosh h_i(s′):
    ///
    ///        σ = Σ_s p(s) Σ_i [tanh h_i(s) h_i(s) − ln 2cosh h_i(s) − s_i β(H_i + Σ_j J_ij tanh h_j(s))]
    ///            + Σ_{s′} (pW)(s′) Σ_i ln 2cosh h_i(s′).
    ///
    /// Cost: 2·4^N flops per iteration (GEMV or GEMM) plus O(2^N N²) once; memory 4^N (dense) or about 3·2^{3N/2}
    /// (factorized) doubles. Reference: Aguilera, Moosavi & Shimazaki, Nat. Commun. 12, 1197 (2021).
    /// - Throws: ``SpinModelsError/invalidArgument(_:)`` for N > ``exactMaximumSites``,
    ///   ``SpinModelsError/insufficientMemory(_:)`` when the buffers exceed the budget,
    ///   ``SpinModelsError/notConverged(operation:iterations:residual:)`` when the power iteration does not reach
    ///   the tolerance, ``SpinModelsError/nonFinite(_:)`` for a non-finite σ.
    public func exactEntropyProduction(options: KineticIsingExactOptions = .init()) throws(SpinModelsError) -> KineticIsingExactSolution {
        guard options.tolerance.isFinite, options.tolerance > 0 else {
            throw .invalidArgument("exact EP tolerance must be finite and > 0, got \(options.tolerance)")
        }
        guard options.maximumIterations >= 1 else {
            throw .invalidArgument("exact EP maximumIterations must be ≥ 1, got \(options.maximumIterations)")
        }
        var transition = try KineticIsingTransition(model: self, storage: options.storage, budget: options.budget)
        let n = sites, states = transition.states
        var p = [Double](repeating: 1 / Double(states), count: states)
        var q = [Double](repeating: 0, count: states)
        var residual = Double.infinity
        var iterations = 0
        while iterations < options.maximumIterations {
            transition.apply(p, into: &q)
            iterations += 1
            let total = q.reduce(0, +)
            var r = 0.0
            for k in 0..<states { q[k] /= total; r += abs(q[k] - p[k]) }
            residual = r
            swap(&p, &q)
            if residual <= options.tolerance { break }
        }
        guard residual <= options.tolerance else {
            throw .notConverged(operation: "kinetic Ising stationary distribution (power iteration)", iterations: iterations, residual: residual)
        }
        transition.apply(p, into: &q)  // q = pW for the reverse log-normaliser

        // Moments and σ in one pass over the states (state order: thread-invariant bits).
        let h = transition.fields
        var m = [Double](repeating: 0, count: n)
        var corr = [Double](repeating: 0, count: n * n)  // Σ p tanh h_i s_j at [i + j n]
        var forward = 0.0, reverseLinear = 0.0
        var t = [Double](repeating: 0, count: n)
        for k in 0..<states {
            let pk = p[k]
            var f = 0.0
            for i in 0..<n {
                let hi = h[k * n + i]
                t[i] = tanh(hi)
                f += t[i] * hi - KineticIsing.logTwoCosh(hi)
            }
            // E_{s′|s}[s_i h_i(s′)] = s_i β(H_i + Σ_j J_ij tanh h_j(s)).
            var r = 0.0
            for i in 0..<n {
                var a = fields[i]
                for j in 0..<n { a += couplings[i, j] * t[j] }
                let si: Double = (k >> i) & 1 == 1 ? 1 : -1
                r += si * beta * a
            }
            forward += pk * f
            reverseLinear += pk * r
            for j in 0..<n {
                let sj: Double = (k >> j) & 1 == 1 ? 1 : -1
                m[j] += pk * sj
                let w = pk * sj
                for i in 0..<n { corr[i + j * n] += w * t[i] }
            }
        }
        var reverseNormaliser = 0.0
        for k in 0..<states { reverseNormaliser += q[k] * transition.logNormalisers[k] }
        let sigma = forward - reverseLinear + reverseNormaliser

        var d = Matrix(rows: n, columns: n)
        for j in 0..<n { for i in 0..<n { d[i, j] = corr[i + j * n] - m[i] * m[j] } }
        let relation = try SpinEntropyProduction.steadyStateRelation(couplings: couplings, delayedCorrelation: d, beta: beta)
        guard sigma.isFinite, relation.isFinite else { throw .nonFinite("exact kinetic Ising entropy production") }
        return KineticIsingExactSolution(
            stationaryDistribution: p, magnetizations: m, delayedCorrelation: d, entropyProduction: sigma,
            entropyProductionRelation: relation, iterations: iterations, residual: residual,
            storage: transition.storage, flopsPerIteration: 2 * Double(states) * Double(states))
    }
}
