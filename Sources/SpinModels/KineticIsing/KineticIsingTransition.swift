#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import LinearAlgebra
import ResourceLimits

/// How the 2^N × 2^N synchronous transition matrix is held while the stationary law is found.
public enum KineticIsingTransitionStorage: String, Sendable, Hashable, CaseIterable {
    /// Dense below N = ``KineticIsingTransitionStorage/denseMaximumSites`` when it fits the budget, else factorized.
    case automatic
    /// T[s′, s] = W(s′|s) as one dense matrix: 4^N doubles, one GEMV (2·4^N flops) per application.
    case dense
    /// Matrix-free: W(s′|s) = W_low(s′_low|s) W_high(s′_high|s) over the low ⌈N/2⌉ and high ⌊N/2⌋ sites, so
    /// pW = K_low diag(p) K_high with K_low (2^⌈N/2⌉ × 2^N) and K_high (2^N × 2^⌊N/2⌋): about 3·2^{3N/2} doubles
    /// and one GEMM (2·4^N flops) per application; W itself is never formed.
    case factorized

    /// The largest N for which ``automatic`` picks the dense matrix (4^12 doubles = 134 MB).
    public static let denseMaximumSites = 12
}

/// The synchronous transition operator p ↦ pW, (pW)(s′) = Σ_s p(s) W(s′|s), over the 2^N states of a kinetic
/// Ising model, with the per-state quantities the exact EP needs. Column s of W is the Kronecker product
/// ⊗_i (W_i(−|s), W_i(+|s)) of the single-site laws (site i on bit i), built in 2^N multiplications.
struct KineticIsingTransition {
    let sites: Int
    let states: Int
    let storage: KineticIsingTransitionStorage
    /// h_i(s) for state s at [s·N + i].
    let fields: [Double]
    /// Σ_i ln 2cosh h_i(s).
    let logNormalisers: [Double]
    /// Dense: T (states × states, column-major). Factorized: K_low (2^L × states, column-major; column s = low
    /// Kronecker vector of s) then K_high (states × 2^{N−L}, column-major).
    private var low: [Double] = []
    private var high: [Double] = []
    private var dense: [Double] = []
    private var scaled: [Double] = []
    let lowSites: Int

    /// The large buffers of `storage` for N sites, as a plan (bytes) — checked before anything is allocated.
    static func plan(sites n: Int, storage: KineticIsingTransitionStorage) -> AllocationPlan {
        let states = 1 << n
        var plan = AllocationPlan("kinetic Ising exact enumeration, N = \(n) (\(storage.rawValue))")
        plan.add(.init(states, "states"), .init(n + 4, "values per state"), 8)
        switch storage {
        case .dense, .automatic:
            plan.add(.init(states, "states"), .init(states, "states"), 8)
        case .factorized:
            let l = (n + 1) / 2
            plan.add(.init(states, "states"), .init(1 << l, "low outcomes"), 8)
            plan.add(2, .init(states, "states"), .init(1 << (n - l), "high outcomes"), 8)
        }
        return plan
    }

    init(model: KineticIsing, storage requested: KineticIsingTransitionStorage, budget: MemoryBudget) throws(SpinModelsError) {
        let n = model.sites
        guard n <= KineticIsing.exactMaximumSites else {
            throw .invalidArgument("exact kinetic Ising EP enumerates 2^N states: N = \(n) exceeds the limit N ≤ \(KineticIsing.exactMaximumSites)")
        }
        var storage = requested
        if storage == .automatic {
            let denseFits = (try? budget.check(Self.plan(sites: n, storage: .dense))) != nil
            storage = (n <= KineticIsingTransitionStorage.denseMaximumSites && denseFits) ? .dense : .factorized
        }
        do { try budget.check(Self.plan(sites: n, storage: storage)) } catch { throw .insufficientMemory("\(error)") }
        self.sites = n
        self.states = 1 << n
        self.storage = storage
        self.lowSites = (n + 1) / 2

        let stateCount = 1 << n
        // Per-state fields, normalisers and up-probabilities.
        var h = [Double](repeating: 0, count: stateCount * n)
        var lognorm = [Double](repeating: 0, count: stateCount)
        var s = [Double](repeating: 0, count: n)
        h.withUnsafeMutableBufferPointer { hp in
            for k in 0..<stateCount {
                for i in 0..<n { s[i] = (k >> i) & 1 == 1 ? 1 : -1 }
                s.withUnsafeBufferPointer { sp in model.localFields(sp.baseAddress!, into: hp.baseAddress! + k * n) }
                var l = 0.0
                for i in 0..<n { l += KineticIsing.logTwoCosh(hp[k * n + i]) }
                lognorm[k] = l
            }
        }
        self.fields = h
        self.logNormalisers = lognorm

        switch storage {
        case .dense, .automatic:
            var t = [Double](repeating: 0, count: stateCount * stateCount)
            t.withUnsafeMutableBufferPointer { tp in
                for k in 0..<stateCount { Self.kronecker(fields: h, state: k, sites: n, range: 0..<n, into: tp.baseAddress! + k * stateCount) }
            }
            dense = t
        case .factorized:
            let l = lowSites, lowCount = 1 << l, highCount = 1 << (n - l)
            var kl = [Double](repeating: 0, count: lowCount * stateCount)
            var kh = [Double](repeating: 0, count: stateCount * highCount)
            var column = [Double](repeating: 0, count: highCount)
            kl.withUnsafeMutableBufferPointer { lp in
                for k in 0..<stateCount { Self.kronecker(fields: h, state: k, sites: n, range: 0..<l, into: lp.baseAddress! + k * lowCount) }
            }
            for k in 0..<stateCount {
                column.withUnsafeMutableBufferPointer { cp in Self.kronecker(fields: h, state: k, sites: n, range: l..<n, into: cp.baseAddress!) }
                for b in 0..<highCount { kh[k + b * stateCount] = column[b] }
            }
            low = kl
            high = kh
            scaled = [Double](repeating: 0, count: stateCount * highCount)
        }
    }

    /// out[b] = Π_{i ∈ range} W_i(bit (i − range.lower) of b | state), b ∈ [0, 2^{|range|}): the Kronecker product of
    /// the single-site laws, built by doubling (site by site) in 2^{|range|} multiplications.
    private static func kronecker(fields h: [Double], state k: Int, sites n: Int, range: Range<Int>,
                                  into out: UnsafeMutablePointer<Double>) {
        out[0] = 1
        var length = 1
        for i in range {
            let up = KineticIsing.upProbability(h[k * n + i])
            let down = KineticIsing.upProbability(-h[k * n + i])
            for b in 0..<length {
                let v = out[b]
                out[b + length] = v * up
                out[b] = v * down
            }
            length *= 2
        }
    }

    /// out = pW, (pW)(s′) = Σ_s p(s) W(s′|s). 2·4^N flops.
    mutating func apply(_ p: [Double], into out: inout [Double]) {
        let states = self.states
        switch storage {
        case .dense, .automatic:
            dense.withUnsafeBufferPointer { t in p.withUnsafeBufferPointer { x in out.withUnsafeMutableBufferPointer { y in
                BLAS.gemv(.columnMajor, .none, m: states, n: states, alpha: 1, a: t.baseAddress!, lda: states,
                          x: x.baseAddress!, beta: 0, y: y.baseAddress!)
            } } }
        case .factorized:
            let lowCount = 1 << lowSites, highCount = 1 << (sites - lowSites)
            for b in 0..<highCount {
                let offset = b * states
                for k in 0..<states { scaled[offset + k] = p[k] * high[offset + k] }
            }
            low.withUnsafeBufferPointer { a in scaled.withUnsafeBufferPointer { bm in out.withUnsafeMutableBufferPointer { c in
                BLAS.gemm(.columnMajor, .none, .none, m: lowCount, n: highCount, k: states, alpha: 1,
                          a: a.baseAddress!, lda: lowCount, b: bm.baseAddress!, ldb: states, beta: 0,
                          c: c.baseAddress!, ldc: lowCount)
            } } }
        }
    }
}
