import LinearAlgebra

extension Figure1Configuration {
    /// S as a matrix: ``symmetricPart`` when set, s I otherwise.
    ///
    /// - Throws: ``ExperimentError/invalidConfiguration(_:)`` unless S is 2 × 2, finite, symmetric (relative
    ///   asymmetry ≤ 1e-12) and positive definite: W(α) = S + αR90 has tr W = tr S and det W = det S + α², so the
    ///   linear model −W x is stable for every α, α = 0 included, iff S is positive definite.
    public func symmetricMatrix() throws -> Matrix {
        guard let rows = symmetricPart else { return s * Matrix.identity(2) }
        func fail(_ detail: String) -> ExperimentError { .invalidConfiguration("S \(detail)") }
        guard rows.count == 2, rows.allSatisfy({ $0.count == 2 }) else {
            throw fail("must be 2 × 2, got \(rows.count) rows of \(rows.map { String($0.count) }.joined(separator: ", ")) entries")
        }
        guard rows.joined().allSatisfy(\.isFinite) else { throw fail("must be finite") }
        let m = try Matrix(rows: 2, columns: 2, rowMajor: Array(rows.joined()))
        guard m.relativeAsymmetry <= 1e-12 else { throw fail("must be symmetric (got \(rows))") }
        guard Self.smallestEigenvalue(m) > 0 else {
            throw fail("must be positive definite (got \(rows)): the linear model is stable for every α only then")
        }
        return m
    }

    /// Whether S ∝ I (then the symmetrized softmax model is a gradient flow with exact σ = 0, Eq. 22).
    public var symmetricPartIsIsotropic: Bool {
        guard let m = try? symmetricMatrix() else { return false }
        return m[0, 1] == 0 && m[1, 0] == 0 && m[0, 0] == m[1, 1]
    }

    /// The smallest eigenvalue of S: it sets the widest stationary spread √(D/λ_min) of the linear model at α = 0.
    public func smallestSymmetricEigenvalue() throws -> Double {
        symmetricPart == nil ? s : Self.smallestEigenvalue(try symmetricMatrix())
    }

    /// λ_min of a symmetric 2 × 2 matrix: (a + c)/2 − √(((a − c)/2)² + b²).
    static func smallestEigenvalue(_ m: Matrix) -> Double {
        let mean = (m[0, 0] + m[1, 1]) / 2, half = (m[0, 0] - m[1, 1]) / 2
        return mean - (half * half + m[0, 1] * m[0, 1]).squareRoot()
    }

    /// A short label of S for reports: `s·I` or the matrix rows.
    public var symmetricPartLabel: String {
        guard let rows = symmetricPart else { return "\(s)·I" }
        return "[" + rows.map { "[" + $0.map { "\($0)" }.joined(separator: ", ") + "]" }.joined(separator: ", ") + "]"
    }
}
