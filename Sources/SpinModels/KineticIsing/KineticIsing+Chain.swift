#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import LinearAlgebra
import Parallel
import ResourceLimits
import Stochastics

/// Options of the sampled synchronous Glauber chain.
public struct KineticIsingChainOptions: Sendable, Equatable {
    /// Independent chains C ≥ 2 (the stderr is the spread of the per-chain means).
    public var chains: Int
    /// Steps discarded before measuring.
    public var burnIn: Int
    /// Measured transitions T ≥ 1 per chain.
    public var steps: Int
    /// The seed of the counter-based generator.
    public var seed: UInt64
    /// Worker threads (0: one per core); the result does not depend on it.
    public var threads: Int
    /// The budget the per-chain result buffers (C × (1 + N + N²) doubles) are checked against.
    public var budget: MemoryBudget

    public init(chains: Int = 64, burnIn: Int = 100, steps: Int = 1000, seed: UInt64 = 1, threads: Int = 0,
                budget: MemoryBudget = .standard) {
        self.chains = chains
        self.burnIn = burnIn
        self.steps = steps
        self.seed = seed
        self.threads = threads
        self.budget = budget
    }
}

/// Estimates from the sampled chain, pooled over chains (each chain's time average is one sample).
public struct KineticIsingChainStatistics: Sendable {
    /// The path log-ratio EP per step, ⟨ln W(s′|s) − ln W(s|s′)⟩, averaged over the C × T transitions.
    public let entropyProduction: Double
    /// Its standard error: the standard deviation of the C per-chain means over √C.
    public let entropyProductionStandardError: Double
    /// Per-chain means of the path log-ratio (chain order).
    public let chainEntropyProduction: [Double]
    /// m̂_i, the time-and-chain average of s_i.
    public let magnetizations: [Double]
    /// D̂_ij = ⟨s_{i,t} s_{j,t−1}⟩ − m̂_i m̂_j.
    public let delayedCorrelation: Matrix
    /// β Σ (J − Jᵀ)∘D̂, the steady-state relation on the sampled D̂.
    public let entropyProductionRelation: Double
}

extension KineticIsing {
    /// Samples C independent synchronous Glauber chains (docs/theory/kinetic-ising.md §4): from a uniform random
    /// start, every step draws s′_i = +1 with probability 1/(1 + e^{−2h_i(s)}) for all i at once. After `burnIn`
    /// steps, each of T transitions s → s′ contributes the path log-ratio
    ///
    ///     ln W(s′|s) − ln W(s|s′) = Σ_i [s′_i h_i(s) − ln 2cosh h_i(s)] − Σ_i [s_i h_i(s′) − ln 2cosh h_i(s′)],
    ///
    /// whose stationary mean is the exact σ. Uniform u for (chain c, step t, site i) is component i of the
    /// counter-based stream (seed, stream c, step t) (step 0: the start), so every draw is a function of
    /// (seed, chain, step, site) and the chains are merged in chain order: the result is bit-identical for any
    /// `threads`. Cost O(C (B + T) N²).
    /// - Throws: ``SpinModelsError/invalidArgument(_:)`` for C < 2, T < 1, B < 0, counts beyond the generator's
    ///   step range or a negative thread count; ``SpinModelsError/nonFinite(_:)`` for a non-finite estimate.
    public func sampleChain(_ options: KineticIsingChainOptions) throws(SpinModelsError) -> KineticIsingChainStatistics {
        let c = options.chains, b = options.burnIn, t = options.steps, n = sites
        guard c >= 2, c <= 1 << 24 else { throw .invalidArgument("chains must be in 2…\(1 << 24), got \(c)") }
        guard t >= 1 else { throw .invalidArgument("steps must be ≥ 1, got \(t)") }
        guard b >= 0 else { throw .invalidArgument("burn-in must be ≥ 0, got \(b)") }
        guard options.threads >= 0 else { throw .invalidArgument("threads must be ≥ 0, got \(options.threads)") }
        let (total, overflow) = b.addingReportingOverflow(t)
        guard !overflow, UInt64(total) <= CounterAddress.maxStep else {
            throw .invalidArgument("burn-in + steps = \(b) + \(t) exceeds the generator's step range \(CounterAddress.maxStep)")
        }
        guard n <= CounterRandom.maxDimension else { throw .invalidArgument("chain: N = \(n) exceeds \(CounterRandom.maxDimension) sites") }
        // Per-chain results: σ mean, N magnetization sums, N² delayed-product sums.
        let width = 1 + n + n * n
        var plan = AllocationPlan("kinetic Ising chain results")
        plan.add(.init(c, "chains"), .init(width, "values"), 8)
        do { try options.budget.check(plan) } catch { throw .insufficientMemory("\(error)") }
        var results = [Double](repeating: 0, count: c * width)
        let model = self
        let seed = options.seed
        results.withUnsafeMutableBufferPointer { rp in
            let out = UnsafeSendableBuffer(rp)
            ParallelFor.strided(count: c, threads: options.threads) { chain in
                model.runChain(chain: chain, seed: seed, burnIn: b, steps: t, out: out, offset: chain * width)
            }
        }
        // Pool in chain order.
        let scale = 1 / Double(t)
        let chainSigma = (0..<c).map { results[$0 * width] * scale }
        let sigma = chainSigma.reduce(0, +) / Double(c)
        let variance = chainSigma.reduce(0) { $0 + ($1 - sigma) * ($1 - sigma) } / Double(c - 1)
        var m = [Double](repeating: 0, count: n)
        var delayed = [Double](repeating: 0, count: n * n)
        for chain in 0..<c {
            let o = chain * width
            for i in 0..<n { m[i] += results[o + 1 + i] }
            for k in 0..<(n * n) { delayed[k] += results[o + 1 + n + k] }
        }
        let samples = Double(c) * Double(t)
        m = m.map { $0 / samples }
        var d = Matrix(rows: n, columns: n)
        for j in 0..<n { for i in 0..<n { d[i, j] = delayed[i + j * n] / samples - m[i] * m[j] } }
        let relation = try SpinEntropyProduction.steadyStateRelation(couplings: couplings, delayedCorrelation: d, beta: beta)
        let stderr = (variance / Double(c)).squareRoot()
        guard sigma.isFinite, stderr.isFinite, relation.isFinite else { throw .nonFinite("kinetic Ising chain estimate") }
        return KineticIsingChainStatistics(
            entropyProduction: sigma, entropyProductionStandardError: stderr, chainEntropyProduction: chainSigma,
            magnetizations: m, delayedCorrelation: d, entropyProductionRelation: relation)
    }

    /// One chain: writes Σ_t log-ratio at out[offset], Σ_t s′_i at out[offset + 1 + i] and Σ_t s′_i s_j at
    /// out[offset + 1 + N + i + jN].
    private func runChain(chain: Int, seed: UInt64, burnIn: Int, steps: Int, out: UnsafeSendableBuffer<Double>, offset: Int) {
        let n = sites
        var s = [Double](repeating: 0, count: n), next = s
        var h = [Double](repeating: 0, count: n), hNext = h
        var u = [Double](repeating: 0, count: n)
        let stream = UInt64(chain)
        func draw(_ step: Int) {
            u.withUnsafeMutableBufferPointer { up in
                // The step range and dimension were checked by the caller, so this cannot throw.
                try? CounterRandom.fillUniforms(seed: seed, stream: stream, step: UInt64(step), into: up)
            }
        }
        func fields(_ x: [Double], _ y: inout [Double]) {
            x.withUnsafeBufferPointer { xp in y.withUnsafeMutableBufferPointer { yp in localFields(xp.baseAddress!, into: yp.baseAddress!) } }
        }
        draw(0)
        for i in 0..<n { s[i] = u[i] < 0.5 ? 1 : -1 }
        fields(s, &h)
        var sigmaSum = 0.0
        for step in 1...(burnIn + steps) {
            draw(step)
            for i in 0..<n { next[i] = u[i] < KineticIsing.upProbability(h[i]) ? 1 : -1 }
            fields(next, &hNext)
            if step > burnIn {
                var r = 0.0
                for i in 0..<n {
                    r += next[i] * h[i] - KineticIsing.logTwoCosh(h[i])
                    r -= s[i] * hNext[i] - KineticIsing.logTwoCosh(hNext[i])
                }
                sigmaSum += r
                for i in 0..<n { out[offset + 1 + i] += next[i] }
                for j in 0..<n {
                    let sj = s[j]
                    let base = offset + 1 + n + j * n
                    for i in 0..<n { out[base + i] += next[i] * sj }
                }
            }
            swap(&s, &next)
            swap(&h, &hNext)
        }
        out[offset] = sigmaSum
    }
}
