import Foundation
import LinearAlgebra

/// Softmax attention over M fixed memory slots with values tied to keys, as a drift
/// (docs/theory/path-space.md §5 Eq. 19, docs/theory/world-model.md §1):
///
///     f(x) = Σ_m a_m(x) k_m − λ x,     a_m(x) = softmax_m( β xᵀ W k_m ),
///
/// with W the d × d query–key ("score") matrix, k_m ∈ ℝᵈ the keys (rows of `keys`), β the
/// inverse temperature and λ the leak (λ = 1 in the paper: "relaxation toward the readout").
///
/// Batched evaluation of n points X (n × d, row-major) is two matrix products and a row-wise
/// softmax (the `dgemm`s run in fixed blocks of 16 rows, ``RowBlockedProduct``, so that a point's
/// drift never depends on the batch size; for d ≤ 4 the thin readout product is a plain loop,
/// see ``loopReadoutLimit``):
/// G = β W Kᵀ (d × M) is precomputed once; the scores are S = X·G (n × M), each row of S goes
/// through a numerically stable softmax (subtract the row maximum before `exp`), giving P; the
/// readout is P·K (n × d), and λX is subtracted.
///
/// Jacobian (Eqs. 21–22): F(x) = β C(x) Wᵀ − λ I with the attention-weighted key covariance
/// C(x) = Σ_m a_m (k_m − k̄)(k_m − k̄)ᵀ, k̄ = Σ_m a_m k_m.
public struct SoftmaxAttentionDrift: Drift {
    /// The query–key matrix W (d × d).
    public let scores: Matrix
    /// The keys, one per row (M × d); the values are tied to them.
    public let keys: Matrix
    /// Inverse temperature β > 0.
    public let beta: Double
    /// Leak λ of the relaxation term −λx.
    public let leak: Double
    public let dimension: Int
    /// Number of memory slots M.
    public let slotCount: Int
    /// G = β W Kᵀ, row-major d × M.
    let projected: [Double]
    /// K, row-major M × d.
    let keysRowMajor: [Double]

    /// - Throws: ``DynamicsError`` when W is not square or 0 × 0, the keys have another width
    ///   than W or no rows, an entry is non-finite, β is not finite and positive, or λ is not finite.
    public init(scores w: Matrix, keys: Matrix, beta: Double, leak: Double = 1) throws(DynamicsError) {
        guard w.rows == w.columns else { throw .notSquare(name: "score matrix W", rows: w.rows, columns: w.columns) }
        guard w.rows > 0 else { throw .zeroDimension }
        guard keys.rows > 0 else { throw .zeroSlots }
        guard keys.columns == w.rows else {
            throw .dimensionMismatch(detail: "keys are \(keys.rows)×\(keys.columns) (one key per row) but W is \(w.rows)×\(w.columns)")
        }
        guard w.isFinite else { throw .nonFinite(name: "score matrix W") }
        guard keys.isFinite else { throw .nonFinite(name: "keys") }
        try DynamicsError.requirePositive(beta, "beta")
        try DynamicsError.requireFinite(leak, "leak")
        self.init(validatedScores: w, keys: keys, beta: beta, leak: leak)
    }

    /// Builds the drift from inputs already checked by the public initializer.
    private init(validatedScores w: Matrix, keys: Matrix, beta: Double, leak: Double) {
        let d = w.rows, m = keys.rows
        scores = w
        self.keys = keys
        self.beta = beta
        self.leak = leak
        dimension = d
        slotCount = m
        var g = [Double](repeating: 0, count: d * m)
        for j in 0..<d {
            for s in 0..<m {
                var acc = 0.0
                for l in 0..<d { acc += w[j, l] * keys[s, l] }
                g[j * m + s] = beta * acc
            }
        }
        projected = g
        keysRowMajor = keys.transposed.storage
    }

    /// The paper's softmax toy (docs/theory/world-model.md §1): W = sI + α R90 with
    /// R90 = [[0, −1], [1, 0]], M keys on a circle k_m = radius·(cos 2πm/M, sin 2πm/M),
    /// m = 0…M−1, and leak λ. Defaults M = 8, radius 2, β = 2, s = 1, λ = 1.
    public static func paperToy(
        alpha: Double, slots: Int = 8, radius: Double = 2, beta: Double = 2, s: Double = 1, leak: Double = 1
    ) throws(DynamicsError) -> SoftmaxAttentionDrift {
        try DynamicsError.requireFinite(alpha, "alpha")
        try DynamicsError.requireFinite(s, "s")
        try DynamicsError.requireFinite(radius, "radius")
        guard slots > 0 else { throw .zeroSlots }
        var w = Matrix(rows: 2, columns: 2)
        w[0, 0] = s; w[1, 1] = s
        w[0, 1] = -alpha; w[1, 0] = alpha
        var k = Matrix(rows: slots, columns: 2)
        for m in 0..<slots {
            let angle = 2 * Double.pi * Double(m) / Double(slots)
            k[m, 0] = radius * cos(angle)
            k[m, 1] = radius * sin(angle)
        }
        return try SoftmaxAttentionDrift(scores: w, keys: k, beta: beta, leak: leak)
    }

    /// The intervention W → W_S = (W + Wᵀ)/2 (docs/theory/world-model.md §1, P4): same keys, β, λ.
    public func symmetrized() -> SoftmaxAttentionDrift {
        // W is square (checked at init), so symmetricPart() cannot throw; W_S is finite because W is.
        let ws = (try? scores.symmetricPart()) ?? scores
        return SoftmaxAttentionDrift(validatedScores: ws, keys: keys, beta: beta, leak: leak)
    }

    // MARK: Batched evaluation

    /// Scratch: n × M scores and the row-block padding (one per thread).
    public func makeWorkspace(capacity: Int) -> DriftScratch {
        let r = RowBlockedProduct.rowBlock
        return DriftScratch(capacity: capacity, padIn: r * max(dimension, slotCount), padOut: r * max(dimension, slotCount),
                            scores: capacity * slotCount)
    }

    public func evaluate(
        _ points: UnsafeBufferPointer<Double>, count: Int,
        into output: UnsafeMutableBufferPointer<Double>, workspace: inout DriftScratch
    ) {
        guard count > 0, let x = points.baseAddress, let y = output.baseAddress else { return }
        let d = dimension, m = slotCount
        let s = workspace.scores
        // S = X · G  (n × M), G = β W Kᵀ.
        projected.withUnsafeBufferPointer { g in
            RowBlockedProduct.multiply(x, rows: count, inner: d, g.baseAddress!, columns: m, transposed: false,
                                       into: s, padIn: workspace.padIn, padOut: workspace.padOut)
        }
        // Row-wise stable softmax: p = exp(s − max s) / Σ exp(s − max s).
        for i in 0..<count {
            let row = s + i * m
            var top = row[0]
            for j in 1..<m where row[j] > top { top = row[j] }
            var total = 0.0
            for j in 0..<m { let e = exp(row[j] - top); row[j] = e; total += e }
            let inv = 1 / total
            for j in 0..<m { row[j] *= inv }
        }
        // Y = P · K (n × d), then Y −= λ X.
        keysRowMajor.withUnsafeBufferPointer { kb in
            let k = kb.baseAddress!
            if d > Self.loopReadoutLimit {
                RowBlockedProduct.multiply(s, rows: count, inner: m, k, columns: d, transposed: false,
                                           into: y, padIn: workspace.padIn, padOut: workspace.padOut)
            } else if d == 2 {
                for i in 0..<count {
                    let p = s + i * m
                    var y0 = 0.0, y1 = 0.0
                    for slot in 0..<m { let a = p[slot]; y0 += a * k[2 * slot]; y1 += a * k[2 * slot + 1] }
                    y[2 * i] = y0
                    y[2 * i + 1] = y1
                }
            } else {
                for i in 0..<count {
                    let p = s + i * m, row = y + i * d
                    for j in 0..<d { row[j] = 0 }
                    for slot in 0..<m {
                        let a = p[slot], key = k + slot * d
                        for j in 0..<d { row[j] += a * key[j] }
                    }
                }
            }
        }
        let lambda = leak
        for i in 0..<(count * d) { y[i] -= lambda * x[i] }
    }

    /// Up to this dimension the readout P·K is a plain loop rather than a `dgemm`: such thin
    /// products (n × M times M × d, d ≤ 4) are dominated by BLAS call overhead, and OpenBLAS
    /// 0.3.21 calls `malloc` inside `dgemm` for output width ≤ 4 with inner dimension ≥ 16, which
    /// would break the engine's no-allocation-per-step rule. The loop sums over slots in a fixed
    /// order per point, so it is batch-size independent too.
    static let loopReadoutLimit = 4

    // MARK: Jacobian (Eqs. 20–22)

    /// The attention weights a_m(x) (the softmax of β xᵀ W k_m), computed stably.
    public func attention(at point: [Double]) throws -> [Double] {
        try checkPoint(point, dimension: dimension)
        let d = dimension, m = slotCount
        var logits = [Double](repeating: 0, count: m)
        for s in 0..<m {
            var acc = 0.0
            for j in 0..<d { acc += point[j] * projected[j * m + s] }
            logits[s] = acc
        }
        let top = logits.max()!
        let e = logits.map { exp($0 - top) }
        let total = e.reduce(0, +)
        return e.map { $0 / total }
    }

    /// C(x) = Σ_m a_m (k_m − k̄)(k_m − k̄)ᵀ, k̄ = Σ_m a_m k_m (Eq. 22): symmetric positive semidefinite.
    public func keyCovariance(at point: [Double]) throws -> Matrix {
        let a = try attention(at: point)
        let d = dimension
        var mean = [Double](repeating: 0, count: d)
        for s in 0..<slotCount { for j in 0..<d { mean[j] += a[s] * keys[s, j] } }
        var c = Matrix(rows: d, columns: d)
        for s in 0..<slotCount {
            for i in 0..<d {
                let ui = keys[s, i] - mean[i]
                for j in 0..<d { c[i, j] += a[s] * ui * (keys[s, j] - mean[j]) }
            }
        }
        return c
    }

    /// F(x) = β C(x) Wᵀ − λ I (Eqs. 21–22).
    public func jacobian(at point: [Double]) throws -> Matrix {
        let c = try keyCovariance(at: point)
        var f = try Matrix.product(c, .none, scores, .transpose, alpha: beta)
        for i in 0..<dimension { f[i, i] -= leak }
        return f
    }

    /// The two terms of the antisymmetric Jacobian J_A = (F − Fᵀ)/2 in the value-tied case
    /// (Eq. 22): J_A = (β/2)[C, W_S] − (β/2){C, W_A}, with [X, Y] = XY − YX, {X, Y} = XY + YX.
    /// Returns `commutator` = (β/2)[C, W_S] (survives symmetrization; zero when W_S ∝ I) and
    /// `anticommutator` = −(β/2){C, W_A} (removed by W → W_S), which sum to J_A.
    public func antisymmetricJacobianSplit(at point: [Double]) throws -> (commutator: Matrix, anticommutator: Matrix) {
        let c = try keyCovariance(at: point)
        let ws = try scores.symmetricPart(), wa = try scores.antisymmetricPart()
        let h = beta / 2
        let commutator = c * ws - ws * c
        let anticommutator = c * wa + wa * c
        return (h * commutator, -h * anticommutator)
    }
}
