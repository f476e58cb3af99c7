import LinearAlgebra

/// The constant diffusion D of dx = f(x) dt + √(2D) dW: isotropic D = s·I (any dimension), or a full
/// d × d symmetric positive-definite matrix.
///
/// With D = L Lᵀ (Cholesky, L lower triangular) the Euler–Maruyama noise of one step is
/// √(2Δt) L ξ, ξ ~ N(0, I), whose covariance is 2DΔt (Eq. 19 of arXiv:2606.28751 with a matrix D).
/// A matrix that is exactly s·I is stored as isotropic, so `Diffusion(matrix: s·I)` and
/// `.isotropic(s)` drive the engine to the same bits.
public struct Diffusion: Sendable, Equatable, CustomStringConvertible {
    /// D as a matrix; nil for s·I (whose dimension is that of the drift it is used with).
    public let matrix: Matrix?
    /// s for s·I; tr D / d for a matrix.
    public let scale: Double
    /// The Cholesky factor L of ``matrix`` (lower triangular, D = L Lᵀ), nil for s·I.
    public let lower: Matrix?
    /// The dimension d when D was given as a d × d matrix (s·I included), nil for ``isotropic(_:)``.
    public let dimension: Int?

    /// Isotropic D = s·I.
    ///
    /// - Throws: ``DynamicsError/invalidArgument(name:value:requirement:)`` unless s is finite and > 0.
    public static func isotropic(_ s: Double) throws(DynamicsError) -> Diffusion {
        try DynamicsError.requirePositive(s, "diffusion D")
        return Diffusion(matrix: nil, scale: s, lower: nil, dimension: nil)
    }

    private init(matrix: Matrix?, scale: Double, lower: Matrix?, dimension: Int?) {
        self.matrix = matrix; self.scale = scale; self.lower = lower; self.dimension = dimension
    }

    /// A full diffusion matrix: square, finite, symmetric (relative asymmetry ≤ 1e-10, see
    /// `Matrix.relativeAsymmetry`) and positive definite (Cholesky succeeds). Exactly s·I is stored as
    /// ``isotropic(_:)``.
    ///
    /// - Throws: ``DynamicsError/notSquare(name:rows:columns:)``, ``DynamicsError/zeroDimension``,
    ///   ``DynamicsError/nonFinite(name:)``, ``DynamicsError/notSymmetric(name:asymmetry:)`` or
    ///   ``DynamicsError/notPositiveDefinite(name:detail:)``.
    public init(matrix d: Matrix) throws(DynamicsError) {
        guard d.isSquare else { throw .notSquare(name: "diffusion matrix D", rows: d.rows, columns: d.columns) }
        guard d.rows >= 1 else { throw .zeroDimension }
        guard d.isFinite else { throw .nonFinite(name: "diffusion matrix D") }
        let asymmetry = d.relativeAsymmetry
        guard asymmetry <= 1e-10 else { throw .notSymmetric(name: "diffusion matrix D", asymmetry: asymmetry) }
        if let s = d.isotropicScale {
            guard s > 0 else {
                throw .notPositiveDefinite(name: "diffusion matrix D", detail: "it is \(s)·I")
            }
            self.init(matrix: nil, scale: s, lower: nil, dimension: d.rows)
            return
        }
        let factor: CholeskyFactorization
        do {
            factor = try CholeskyFactorization(d)
        } catch LinearAlgebraError.notPositiveDefinite(_, let minor) {
            throw .notPositiveDefinite(name: "diffusion matrix D", detail: "its leading minor of order \(minor) is not positive")
        } catch {
            throw .notPositiveDefinite(name: "diffusion matrix D", detail: "\(error)")
        }
        self.init(matrix: d, scale: d.trace / Double(d.rows), lower: factor.lower, dimension: d.rows)
    }

    /// Whether D = s·I.
    public var isIsotropic: Bool { matrix == nil }

    /// D as a d × d matrix (s·I for the isotropic case).
    public func matrix(dimension: Int) -> Matrix { matrix ?? scale * Matrix.identity(dimension) }

    /// Throws unless D can be used with a drift of dimension `d` (always true for ``isotropic(_:)``).
    public func requireDimension(_ d: Int) throws(DynamicsError) {
        if let dimension, dimension != d {
            throw .dimensionMismatch(detail: "diffusion matrix D is \(dimension)×\(dimension), the drift has dimension \(d)")
        }
    }

    /// √(2Δt) L as a row-major d × d array (the per-step noise factor), nil for s·I.
    func noiseFactor(timeStep: Double) -> [Double]? {
        guard let lower else { return nil }
        let d = lower.rows, a = (2 * timeStep).squareRoot()
        return (0..<(d * d)).map { a * lower[$0 / d, $0 % d] }
    }

    public var description: String {
        matrix.map { "\($0.rowArrays)" } ?? "\(scale)·I"
    }
}
