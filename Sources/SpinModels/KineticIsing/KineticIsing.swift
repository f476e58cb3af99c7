#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import LinearAlgebra
import Stochastics

/// The kinetic (synchronous, discrete-time) Ising model, the binary template of the vector-spin EP
/// (docs/theory/kinetic-ising.md §1). Spins s_i ∈ {−1, +1}, i = 1…N, all updated in parallel:
///
///     W(s′|s) = Π_i exp(s′_i h_i(s)) / (2 cosh h_i(s)),     h_i(s) = β (H_i + Σ_j J_ij s_j),
///
/// with β multiplying both the couplings J (N × N, in general asymmetric) and the fields H. Every transition has
/// positive probability, so the chain is ergodic with one stationary law p. Reference: Aguilera, Moosavi &
/// Shimazaki, Nat. Commun. 12, 1197 (2021); M. Bal (2026).
///
/// State index convention (enumeration, chain): state k ∈ [0, 2^N) has s_i = +1 where bit i of k is set, else −1.
public struct KineticIsing: Sendable {
    /// J, N × N.
    public let couplings: Matrix
    /// H, N entries.
    public let fields: [Double]
    /// β > 0.
    public let beta: Double

    /// The largest N accepted by the model itself: the mean field holds a few N × N matrices (134 MB each at
    /// N = 4096); the enumeration has its own limit (``exactMaximumSites``).
    public static let maximumSites = 1 << 12

    /// - Throws: ``SpinModelsError`` for an empty or non-square J, H of another length, β ≤ 0 or not finite,
    ///   non-finite entries, N above ``maximumSites``.
    public init(couplings: Matrix, fields: [Double], beta: Double = 1) throws(SpinModelsError) {
        guard couplings.rows == couplings.columns else {
            throw .dimensionMismatch("couplings J must be square, got \(couplings.rows)×\(couplings.columns)")
        }
        guard couplings.rows > 0 else { throw .invalidArgument("couplings J are empty (0 sites)") }
        guard couplings.rows <= Self.maximumSites else {
            throw .invalidArgument("kinetic Ising: N = \(couplings.rows) sites exceeds the limit \(Self.maximumSites)")
        }
        guard fields.count == couplings.rows else {
            throw .dimensionMismatch("fields H have \(fields.count) entries, couplings J have \(couplings.rows) sites")
        }
        try SpinSpace.checkBeta(beta)
        guard couplings.storage.allSatisfy(\.isFinite) else { throw .nonFinite("couplings J") }
        guard fields.allSatisfy(\.isFinite) else { throw .nonFinite("fields H") }
        self.couplings = couplings
        self.fields = fields
        self.beta = beta
    }

    /// The number of sites N.
    public var sites: Int { couplings.rows }

    /// h(s) = β(H + J s) for a spin vector s (N entries, each ±1; any reals are accepted), written into `out`.
    /// Cost O(N²); the sum runs over j in index order (thread-invariant bits).
    func localFields(_ s: UnsafePointer<Double>, into out: UnsafeMutablePointer<Double>) {
        let n = sites
        couplings.withUnsafeBufferPointer { jp in
            for i in 0..<n { out[i] = fields[i] }
            for j in 0..<n {
                let sj = s[j]
                let column = j * n
                for i in 0..<n { out[i] += jp[column + i] * sj }
            }
            for i in 0..<n { out[i] *= beta }
        }
    }

    /// ln(2 cosh h), computed as |h| + log1p(e^{−2|h|}) (no overflow for large |h|).
    static func logTwoCosh(_ h: Double) -> Double {
        let a = abs(h)
        return a + log1p(exp(-2 * a)) + 0.693_147_180_559_945_3  // + ln 2
    }

    /// P(s′_i = +1 | h) = 1/(1 + e^{−2h}) (= (1 + tanh h)/2 without cancellation).
    static func upProbability(_ h: Double) -> Double { 1 / (1 + exp(-2 * h)) }

    /// Gaussian couplings J_ij = scale · g_ij / √N with g_ij i.i.d. standard normal from the counter-based generator
    /// (seed, stream 0, step 0; entry (i, j) is component i + jN), asymmetric in general. The usual random kinetic
    /// Ising ensemble of Aguilera et al. (2021) at coupling scale `scale`.
    public static func gaussianCouplings(sites n: Int, scale: Double, seed: UInt64) throws(SpinModelsError) -> Matrix {
        guard n > 0, n <= 256 else { throw .invalidArgument("gaussianCouplings: sites must be in 1…256, got \(n)") }
        guard scale.isFinite else { throw .nonFinite("coupling scale \(scale)") }
        let g: [Double]
        do { g = try CounterRandom.normals(seed: seed, stream: 0, step: 0, dimension: n * n) } catch {
            throw .invalidArgument("gaussianCouplings: \(error)")
        }
        let factor = scale / Double(n).squareRoot()
        do { return try Matrix(rows: n, columns: n, columnMajor: g.map { factor * $0 }) } catch {
            throw .invalidArgument("gaussianCouplings: \(error)")
        }
    }
}
