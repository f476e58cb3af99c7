import Foundation
import TestSupport
import Testing
@testable import LinearAlgebra

/// The Scharfetter–Gummel generator of dx = g(x) dt + √2 dW on n^d cells of [−L, L]^d (zero flux at the walls), one
/// equation per cell, Σ_j (w_ij P_i − w_ji P_j) = 0, with the cell `pinned` fixed to P = 1 (its row → identity, its
/// column moved to b): a nonsingular, column-diagonally-dominant, nonsymmetric M-matrix, as FokkerPlanck assembles it.
/// `g(x, face axis e)` gives the face-normal drift component.
func scharfetterGummelSystem(dimension d: Int, cells n: Int, halfWidth l: Double,
                             drift: ([Double], Int) -> Double) throws -> (a: SparseMatrix, b: [Double], pinned: Int) {
    let h = 2 * l / Double(n)
    var count = 1
    for _ in 0..<d { count *= n }
    var strides = [Int](repeating: 1, count: d)
    for e in 1..<d { strides[e] = strides[e - 1] * n }
    var pinned = 0
    for e in 0..<d { pinned += (n / 2) * strides[e] }
    func bernoulli(_ z: Double) -> Double { abs(z) < 1e-10 ? 1 - z / 2 : z / expm1(z) }
    var triplets: [(row: Int, column: Int, value: Double)] = []
    var b = [Double](repeating: 0, count: count)
    triplets.append((pinned, pinned, 1))
    b[pinned] = 1
    for i in 0..<count {
        var c = [Int](repeating: 0, count: d)
        var r = i
        for e in 0..<d { c[e] = r % n; r /= n }
        for e in 0..<d where c[e] + 1 < n {
            let j = i + strides[e]
            var face = (0..<d).map { -l + (Double(c[$0]) + 0.5) * h }
            face[e] += h / 2
            let z = drift(face, e) * h
            let wij = bernoulli(-z) / (h * h), wji = bernoulli(z) / (h * h)
            // Row i loses w_ij P_i, gains w_ji P_j; row j the reverse.
            for (row, other, out, into) in [(i, j, wij, wji), (j, i, wji, wij)] where row != pinned {
                triplets.append((row, row, out))
                if other == pinned { b[row] += into } else { triplets.append((row, other, -into)) }
            }
        }
    }
    return (try SparseMatrix(rows: count, columns: count, triplets: triplets), b, pinned)
}

/// x from dense LU (LAPACK dgetrf/dgetrs), the reference.
func denseSolve(_ a: SparseMatrix, _ b: [Double]) throws -> [Double] {
    var m = Matrix(rows: a.rows, columns: a.columns)
    for i in 0..<a.rows { for k in a.rowStarts[i]..<a.rowStarts[i + 1] { m[i, a.columnIndices[k]] = a.values[k] } }
    let x = try LUFactorization(m).solve(try Matrix(rows: b.count, columns: 1, columnMajor: b))
    return (0..<b.count).map { x[$0, 0] }
}

func relativeDifference(_ x: [Double], _ y: [Double]) -> Double {
    var num = 0.0, den = 0.0
    for i in 0..<x.count { num += (x[i] - y[i]) * (x[i] - y[i]); den += y[i] * y[i] }
    return (num / den).squareRoot()
}

@Suite("Sparse solve: UMFPACK LU and ILU(0)-BiCGSTAB against dense LU and exact stationary laws")
struct SparseSolveTests {
    /// Random nonsymmetric, strictly row-diagonally-dominant systems (6 off-diagonal entries per row at random
    /// columns, diagonal = Σ|off-diagonal| + 1): every method agrees with dense LU to 1e-10 relative.
    @Test(arguments: [SparseSolveMethod.direct, .iterative, .automatic])
    func randomDiagonallyDominantMatchesDenseLU(method: SparseSolveMethod) throws {
        var rng = SplitMix64(seed: 15)
        let n = 400
        var triplets: [(row: Int, column: Int, value: Double)] = []
        for i in 0..<n {
            var sum = 0.0
            for _ in 0..<6 {
                let j = Int(rng.next() % UInt64(n))
                guard j != i else { continue }
                let v = 2 * rng.nextDouble() - 1
                sum += abs(v)
                triplets.append((i, j, v))
            }
            triplets.append((i, i, (sum + 1) * (rng.nextDouble() < 0.5 ? -1 : 1)))
        }
        let a = try SparseMatrix(rows: n, columns: n, triplets: triplets)
        let b = (0..<n).map { _ in 2 * rng.nextDouble() - 1 }
        let solution = try a.solve(b, options: SparseSolveOptions(method: method))
        #expect(relativeDifference(solution.x, try denseSolve(a, b)) <= 1e-10)
        #expect(solution.relativeResidual <= 1e-12)
        #expect(method == .automatic || solution.method == method)
        #expect((solution.method == .iterative) == (solution.iterations > 0))
    }

    /// 2-D (24²) and 3-D (8³) convection–diffusion M-matrices with a strong rotation, g = −x + 3 R₉₀ x in the
    /// (x₁, x₂) plane: direct and iterative against dense LU.
    @Test(arguments: [(2, 24), (3, 8)])
    func rotatingConvectionDiffusionMatchesDenseLU(dimension: Int, cells: Int) throws {
        let (a, b, _) = try scharfetterGummelSystem(dimension: dimension, cells: cells, halfWidth: 4) { x, e in
            -x[e] + (e == 0 ? 3 * x[1] : e == 1 ? -3 * x[0] : 0)
        }
        let reference = try denseSolve(a, b)
        for method in [SparseSolveMethod.direct, .iterative] {
            let solution = try a.solve(b, options: SparseSolveOptions(method: method))
            #expect(relativeDifference(solution.x, reference) <= 1e-10, "\(method)")
        }
    }

    /// A gradient drift g = −∇U whose face value is the exact potential difference, −(U_j − U_i)/h, satisfies
    /// detailed balance on the grid, so P_i = exp(U_pinned − U_i) exactly: 2-D 120² (the direct path) and 3-D 20³
    /// (the iterative path) against that law, 1e-9 relative.
    @Test(arguments: [(2, 120, SparseSolveMethod.direct), (3, 20, .iterative)])
    func gradientDriftGivesTheBoltzmannLaw(dimension: Int, cells: Int, expected: SparseSolveMethod) throws {
        let l = 4.0, h = 2 * l / Double(cells)
        func potential(_ x: [Double]) -> Double {
            let r2 = x.reduce(0) { $0 + $1 * $1 }
            return 0.25 * r2 * r2 - r2 + 0.3 * x[0] + 0.5 * (x.count > 2 ? x[2] * x[2] : 0)
        }
        let (a, b, pinned) = try scharfetterGummelSystem(dimension: dimension, cells: cells, halfWidth: l) { face, e in
            var lo = face, hi = face
            lo[e] -= h / 2
            hi[e] += h / 2
            return -(potential(hi) - potential(lo)) / h
        }
        let solution = try a.solve(b)
        #expect(solution == (try a.solve(b, options: SparseSolveOptions())).x)
        let report = try a.solve(b, options: SparseSolveOptions())
        #expect(report.method == expected)
        func centre(_ i: Int) -> [Double] {
            var r = i
            return (0..<dimension).map { _ in
                let c = r % cells
                r /= cells
                return -l + (Double(c) + 0.5) * h
            }
        }
        let uPinned = potential(centre(pinned))
        let exact = (0..<a.rows).map { exp(uPinned - potential(centre($0))) }
        #expect(relativeDifference(solution, exact) <= 1e-9)
    }

    /// One factorization, several right-hand sides.
    @Test func factorizationSolvesSeveralRightHandSides() throws {
        let (a, b, _) = try scharfetterGummelSystem(dimension: 2, cells: 16, halfWidth: 3) { x, e in -2 * x[e] }
        let lu = try SparseLUFactorization(a)
        #expect(lu.factorEntries >= a.storedCount && lu.flops > 0 && lu.reciprocalPivotRatio > 0)
        for scale in [1.0, -2.5] {
            let rhs = b.map { $0 * scale }
            #expect(relativeDifference(try lu.solve(rhs), try denseSolve(a, rhs)) <= 1e-10)
        }
        #expect(try a.solve([Double](repeating: 0, count: a.rows)) == [Double](repeating: 0, count: a.rows))
    }

    @Test func badInputThrowsTypedErrors() throws {
        let rect = try SparseMatrix(rows: 2, columns: 3, triplets: [(0, 0, 1), (1, 1, 1)])
        #expect(throws: LinearAlgebraError.notSquare(operation: "sparse solve", rows: 2, columns: 3)) {
            try rect.solve([1, 1])
        }
        #expect(throws: LinearAlgebraError.notSquare(operation: "sparse LU factorization", rows: 2, columns: 3)) {
            try SparseLUFactorization(rect)
        }
        let a = try SparseMatrix(rows: 2, columns: 2, triplets: [(0, 0, 2), (1, 1, 3), (0, 1, 1)])
        #expect(throws: LinearAlgebraError.self) { try a.solve([1, 2, 3]) }
        #expect(throws: LinearAlgebraError.nonFinite(operation: "sparse solve")) { try a.solve([1, .nan]) }
        #expect(throws: LinearAlgebraError.self) { try a.solve([1, 1], options: SparseSolveOptions(residualTolerance: 0)) }
        #expect(throws: LinearAlgebraError.self) { try SparseLUFactorization(a).solve([1]) }
        // Two equal rows: numerically singular.
        let singular = try SparseMatrix(rows: 3, columns: 3, triplets: [
            (0, 0, 1), (0, 1, 2), (1, 0, 1), (1, 1, 2), (2, 2, 1), (0, 2, 1), (1, 2, 1),
        ])
        do {
            _ = try singular.solve([1, 2, 3], options: SparseSolveOptions(method: .direct))
            Issue.record("a singular matrix was solved")
        } catch let error {
            guard case .singular = error else { Issue.record("expected .singular, got \(error)"); return }
        }
        // The iterative path cannot solve it either, and says so: ILU(0) pivot or non-convergence, never a trap.
        do {
            _ = try singular.solve([1, 2, 3], options: SparseSolveOptions(method: .iterative, maxIterations: 50))
            Issue.record("a singular matrix was solved iteratively")
        } catch let error {
            guard case .notConverged = error else { Issue.record("expected .notConverged, got \(error)"); return }
        }
        // A structurally singular matrix (an empty row) through the automatic path.
        let emptyRow = try SparseMatrix(rows: 2, columns: 2, triplets: [(0, 0, 1), (0, 1, 1)])
        #expect(throws: LinearAlgebraError.self) { try emptyRow.solve([1, 1]) }
    }

    @Test func tripletsSumDuplicatesAndRejectBadEntries() throws {
        let a = try SparseMatrix(rows: 3, columns: 2, triplets: [(2, 1, 1.5), (0, 0, 1), (2, 1, -0.5), (0, 0, 2), (1, 0, 4)])
        #expect(a.rowStarts == [0, 1, 2, 3] && a.columnIndices == [0, 0, 1] && a.values == [3, 4, 1])
        #expect(a[2, 1] == 1 && a[2, 0] == 0)
        #expect(try a.apply(to: [1, 2]) == [3, 4, 2])
        for bad in [(3, 0), (0, 2), (-1, 0), (0, -1)] {
            #expect(throws: LinearAlgebraError.self) {
                try SparseMatrix(rows: 3, columns: 2, triplets: [(bad.0, bad.1, 1.0)])
            }
        }
        #expect(throws: LinearAlgebraError.nonFinite(operation: "sparse matrix")) {
            try SparseMatrix(rows: 1, columns: 1, triplets: [(0, 0, .infinity)])
        }
        #expect(throws: LinearAlgebraError.self) { try SparseMatrix(rows: 0, columns: 1, triplets: []) }
    }
}
