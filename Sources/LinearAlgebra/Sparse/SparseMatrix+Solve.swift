/// How ``SparseMatrix/solve(_:options:)`` solves `A x = b`.
public enum SparseSolveMethod: String, Sendable, Equatable, CaseIterable {
    /// ``direct`` when the matrix is narrow-banded in its given ordering (half-bandwidth w with w² ≤ 4 n: 1-D and 2-D
    /// grids in natural ordering, where sparse LU fills little) or small (n ≤ 1000); ``iterative`` otherwise (3-D
    /// grids, where LU fill grows like n^{4/3} and its work like n²), falling back to ``direct`` when ILU(0) has a
    /// zero pivot or BiCGSTAB does not reach the tolerance.
    case automatic
    /// Sparse LU (UMFPACK, ``SparseLUFactorization``).
    case direct
    /// BiCGSTAB with ILU(0) right preconditioning, to the stated relative residual.
    case iterative
}

/// Options of ``SparseMatrix/solve(_:options:)``.
public struct SparseSolveOptions: Sendable, Equatable {
    /// ``SparseSolveMethod/automatic`` by default.
    public var method: SparseSolveMethod
    /// The accepted relative residual ‖A x − b‖₂ / ‖b‖₂ (default 10⁻¹²): the iterative solver's stopping test and
    /// the check every result passes, whichever method produced it.
    public var residualTolerance: Double
    /// BiCGSTAB iterations at most (default 0: max(500, 10 √n)).
    public var maxIterations: Int

    public init(method: SparseSolveMethod = .automatic, residualTolerance: Double = 1e-12, maxIterations: Int = 0) {
        self.method = method
        self.residualTolerance = residualTolerance
        self.maxIterations = maxIterations
    }
}

/// A solution with the evidence that it solves the system.
public struct SparseSolution: Sendable, Equatable {
    /// x with ‖A x − b‖₂ ≤ residualTolerance · ‖b‖₂.
    public let x: [Double]
    /// ‖A x − b‖₂ / ‖b‖₂, recomputed from x (0 for b = 0).
    public let relativeResidual: Double
    /// The method that produced x (``SparseSolveMethod/direct`` or ``SparseSolveMethod/iterative``).
    public let method: SparseSolveMethod
    /// BiCGSTAB iterations (0 for the direct solve).
    public let iterations: Int
}

extension SparseMatrix {
    /// Solves `A x = b` with the default ``SparseSolveOptions`` (automatic method, relative residual ≤ 10⁻¹²).
    ///
    /// - Throws: as ``solve(_:options:)``.
    public func solve(_ b: [Double]) throws(LinearAlgebraError) -> [Double] {
        try solve(b, options: SparseSolveOptions()).x
    }

    /// Solves `A x = b` for a square, nonsingular A and checks the result: the relative residual
    /// ‖A x − b‖₂ / ‖b‖₂ is recomputed from x and must be ≤ `options.residualTolerance`.
    ///
    /// Checks first: A square, b of length n, b finite, the tolerance in (0, 1), maxIterations ≥ 0. Then
    /// ``SparseSolveMethod`` picks sparse LU (UMFPACK) or ILU(0)-preconditioned BiCGSTAB. Serial apart from
    /// UMFPACK's BLAS 3 (see ``SparseLUFactorization``): the bits do not depend on the project's thread options.
    ///
    /// - Throws: ``LinearAlgebraError/notSquare(operation:rows:columns:)``,
    ///   ``LinearAlgebraError/dimensionMismatch(operation:detail:)`` (length of b),
    ///   ``LinearAlgebraError/nonFinite(operation:)`` (b, or a non-finite result),
    ///   ``LinearAlgebraError/invalidShape(detail:)`` (options out of range),
    ///   ``LinearAlgebraError/singular(operation:pivot:)`` (a zero pivot in the sparse LU),
    ///   ``LinearAlgebraError/notConverged(operation:detail:)`` (the residual check failed, or BiCGSTAB did not reach
    ///   the tolerance with ``SparseSolveMethod/iterative``).
    public func solve(_ b: [Double], options: SparseSolveOptions) throws(LinearAlgebraError) -> SparseSolution {
        let operation = "sparse solve"
        guard rows == columns else { throw .notSquare(operation: operation, rows: rows, columns: columns) }
        guard b.count == rows else {
            throw .dimensionMismatch(operation: operation, detail: "A is \(rows)×\(columns), b has \(b.count) entries")
        }
        guard b.allSatisfy(\.isFinite) else { throw .nonFinite(operation: operation) }
        guard options.residualTolerance > 0, options.residualTolerance < 1, options.maxIterations >= 0 else {
            throw .invalidShape(detail: "sparse solve: residual tolerance must lie in (0, 1) and max iterations be ≥ 0, got \(options.residualTolerance) and \(options.maxIterations)")
        }
        let bNorm = SparseBiCGSTAB.norm(b)
        if bNorm == 0 {
            return SparseSolution(x: [Double](repeating: 0, count: rows), relativeResidual: 0,
                                  method: options.method == .iterative ? .iterative : .direct, iterations: 0)
        }
        let maxIterations = options.maxIterations > 0
            ? options.maxIterations : max(500, 10 * Int(Double(rows).squareRoot().rounded(.up)))
        let useIterative: Bool
        switch options.method {
        case .direct: useIterative = false
        case .iterative: useIterative = true
        case .automatic: useIterative = rows > 1000 && !isNarrowBanded
        }
        if useIterative {
            if let preconditioner = SparseIncompleteLU(self) {
                let outcome = SparseBiCGSTAB.solve(self, b, preconditioner: preconditioner,
                                                   tolerance: options.residualTolerance, maxIterations: maxIterations)
                if outcome.converged {
                    return try checked(outcome.x, b, bNorm, options, .iterative, outcome.iterations)
                }
                if options.method == .iterative {
                    throw .notConverged(operation: operation, detail: "ILU(0)-BiCGSTAB did not reach relative residual \(options.residualTolerance) in \(outcome.iterations) iterations")
                }
            } else if options.method == .iterative {
                throw .notConverged(operation: operation, detail: "ILU(0) preconditioner has a zero or missing diagonal pivot")
            }
        }
        let x = try SparseLUFactorization(self).solve(b)
        return try checked(x, b, bNorm, options, .direct, 0)
    }

    /// True when the half-bandwidth w = max |i − j| over the stored entries satisfies w² ≤ 4 n.
    var isNarrowBanded: Bool {
        var w = 0
        for i in 0..<rows {
            let lo = rowStarts[i], hi = rowStarts[i + 1]
            if lo < hi { w = Swift.max(w, i - columnIndices[lo], columnIndices[hi - 1] - i) }
        }
        return w * w <= 4 * rows
    }

    private func checked(_ x: [Double], _ b: [Double], _ bNorm: Double, _ options: SparseSolveOptions,
                         _ method: SparseSolveMethod, _ iterations: Int) throws(LinearAlgebraError) -> SparseSolution {
        guard x.allSatisfy(\.isFinite) else { throw .nonFinite(operation: "sparse solve (result)") }
        let relative = SparseBiCGSTAB.norm(SparseBiCGSTAB.residual(self, x, b)) / bNorm
        guard relative <= options.residualTolerance else {
            throw .notConverged(operation: "sparse solve (\(method.rawValue))", detail: "relative residual ‖Ax − b‖/‖b‖ = \(relative) exceeds \(options.residualTolerance)")
        }
        return SparseSolution(x: x, relativeResidual: relative, method: method, iterations: iterations)
    }
}
