/// A 2×2 real matrix held in registers: the allocation-free type of the closed-form and batched paths.
///
/// Entries are named by position: `[[a11, a12], [a21, a22]]`.
@frozen
public struct Matrix2x2: Equatable, Hashable, Sendable {
    public var a11: Double, a12: Double, a21: Double, a22: Double

    @inlinable
    public init(_ a11: Double, _ a12: Double, _ a21: Double, _ a22: Double) {
        self.a11 = a11; self.a12 = a12; self.a21 = a21; self.a22 = a22
    }

    /// The 2×2 matrix of a `Matrix` of that shape.
    public init(_ m: Matrix) throws {
        guard m.rows == 2, m.columns == 2 else {
            throw LinearAlgebraError.dimensionMismatch(operation: "Matrix2x2", detail: "expected 2×2, got \(m.rows)×\(m.columns)")
        }
        self.init(m[0, 0], m[0, 1], m[1, 0], m[1, 1])
    }

    /// As a general `Matrix`.
    public var matrix: Matrix {
        var m = Matrix(rows: 2, columns: 2)
        m[0, 0] = a11; m[0, 1] = a12; m[1, 0] = a21; m[1, 1] = a22
        return m
    }

    @inlinable public var trace: Double { a11 + a22 }
    @inlinable public var determinant: Double { a11 * a22 - a12 * a21 }
    @inlinable public var transposed: Matrix2x2 { Matrix2x2(a11, a21, a12, a22) }
    @inlinable public var isFinite: Bool { a11.isFinite && a12.isFinite && a21.isFinite && a22.isFinite }

    @inlinable
    public static func * (l: Matrix2x2, r: Matrix2x2) -> Matrix2x2 {
        Matrix2x2(l.a11 * r.a11 + l.a12 * r.a21, l.a11 * r.a12 + l.a12 * r.a22,
                  l.a21 * r.a11 + l.a22 * r.a21, l.a21 * r.a12 + l.a22 * r.a22)
    }

    @inlinable
    public static func + (l: Matrix2x2, r: Matrix2x2) -> Matrix2x2 {
        Matrix2x2(l.a11 + r.a11, l.a12 + r.a12, l.a21 + r.a21, l.a22 + r.a22)
    }

    @inlinable
    public static func * (s: Double, m: Matrix2x2) -> Matrix2x2 {
        Matrix2x2(s * m.a11, s * m.a12, s * m.a21, s * m.a22)
    }
}

/// Closed-form solutions of 2×2 Lyapunov equations (no LAPACK call, no allocation).
public enum Lyapunov2x2 {
    /// Solves **A X + X Aᵀ = Q** for 2×2 A, Q by
    ///
    ///     X = [ δ Q + (A − τI) Q (A − τI)ᵀ ] / (2 τ δ),    τ = tr A,  δ = det A
    ///
    /// (docs/theory/ou-exact.md §2; follows from Cayley–Hamilton, A² = τA − δI).
    /// Unique iff τ ≠ 0 and δ ≠ 0 (the eigenvalue sums λ₁+λ₂, 2λ₁, 2λ₂ are non-zero).
    /// Returns `nil` when τδ = 0 or the result is not finite.
    @inlinable
    public static func solveContinuous(_ a: Matrix2x2, _ q: Matrix2x2) -> Matrix2x2? {
        let tau = a.trace, delta = a.determinant
        let denominator = 2 * tau * delta
        guard denominator != 0 else { return nil }
        let shifted = Matrix2x2(a.a11 - tau, a.a12, a.a21, a.a22 - tau)
        let x = (1 / denominator) * (delta * q + shifted * q * shifted.transposed)
        return x.isFinite ? x : nil
    }

    /// Throwing `Matrix` front end of ``solveContinuous(_:_:)-(Matrix2x2,Matrix2x2)``.
    public static func solveContinuous(_ a: Matrix, _ q: Matrix) throws -> Matrix {
        guard let x = solveContinuous(try Matrix2x2(a), try Matrix2x2(q)) else {
            throw LinearAlgebraError.noUniqueSolution(
                operation: "continuous Lyapunov", detail: "2×2 coefficient has tr A · det A = 0")
        }
        return x.matrix
    }
}
