import LinearAlgebra

/// The paper's controlled 2-D linear-attention model (docs/theory/world-model.md §1; docs/theory/ou-exact.md).
///
/// Query–key product W(α) = S + α R90 with S symmetric and R90 = [[0, −1], [1, 0]] the planar
/// rotation generator; the drift is f(x) = −W x, i.e. B = −W, with isotropic diffusion D.
/// Stable for every α (eigenvalues −s ± iα when S = sI). Exact EP: σ(α) = 4α² / tr S (= 2α²/s for
/// S = sI), independent of D; attention asymmetry η(W) = α/√(s² + α²) for S = sI.
public struct LinearAttentionToy: Sendable {
    /// Symmetric part S of the query–key product.
    public let symmetricPart: Matrix
    /// Scalar diffusion D.
    public let diffusion: Double

    /// Defaults are the reconstructed paper values: S = I, D = 0.5 (docs/theory/world-model.md §1).
    public init(symmetricPart: Matrix = .identity(2), diffusion: Double = 0.5) throws {
        guard symmetricPart.rows == 2, symmetricPart.columns == 2 else {
            throw ThermodynamicsError.dimensionMismatch(detail: "S must be 2×2, got \(symmetricPart.rows)×\(symmetricPart.columns)")
        }
        guard symmetricPart.relativeAsymmetry <= 1e-12 else {
            throw ThermodynamicsError.invalidArgument(name: "S", detail: "must be symmetric")
        }
        self.symmetricPart = symmetricPart
        self.diffusion = diffusion
    }

    /// The α sweep of the paper's Figure 1: {0, 0.25, 0.5, 1, 1.5, 2, 2.5, 3}.
    public static let paperAlphas: [Double] = [0, 0.25, 0.5, 1, 1.5, 2, 2.5, 3]

    /// R90 = [[0, −1], [1, 0]].
    public static let rotationGenerator: Matrix = {
        var r = Matrix(rows: 2, columns: 2)
        r[0, 1] = -1
        r[1, 0] = 1
        return r
    }()

    /// W(α) = S + α R90.
    public func queryKey(alpha: Double) -> Matrix {
        var w = symmetricPart
        w[0, 1] -= alpha
        w[1, 0] += alpha
        return w
    }

    /// The OU process dx = −W(α) x dt + √(2D) dW.
    public func process(alpha: Double) throws -> OrnsteinUhlenbeck {
        try OrnsteinUhlenbeck(drift: -queryKey(alpha: alpha), diffusion: diffusion)
    }

    /// The closed form σ(α) = 4α² / tr S.
    public func closedFormEntropyProduction(alpha: Double) -> Double {
        4 * alpha * alpha / symmetricPart.trace
    }
}
