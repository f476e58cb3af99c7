import LinearAlgebra
import SpinModels
import Testing

/// The local contraction ρ and branch counting against exact answers.
@Suite struct FixedPointDiagnosticsTests {
    /// Zero drive: m* = 0 and ∂g/∂m = βτ₀ J ⊗ I with τ₀ = 1/2 (large D) or R²/D (exact), so ρ = βτ₀·s for J = s·softmax
    /// (Perron root s). Power iteration reproduces it to 1e-9.
    @Test(arguments: [SpinResponse.largeDimension, .exact])
    func zeroDriveContraction(response: SpinResponse) throws {
        let space = try SpinSpace(dimension: 10)
        let j = try FixedPointSystems.softmaxCouplings(sites: 12, scale: 1.3, seed: 5)
        let mf = try NaiveMeanField(couplings: j, inputs: Matrix(rows: 12, columns: 10), beta: 1.2, space: space, response: response)
        let solution = try mf.fixedPoint(options: FixedPointOptions(tolerance: 1e-14))
        #expect(solution.converged && solution.magnetizations.maxAbsEntry == 0)
        let tau0 = response == .largeDimension ? 0.5 : space.radiusSquared / 10
        #expect(abs(try mf.localContraction(at: solution) - 1.2 * tau0 * 1.3) < 1e-9)
    }

    /// With drive: ρ from 60 VJPs (Arnoldi on the power sequence) equals the spectral radius of the dense N·D × N·D Jacobian
    /// (assembled column by column from JVPs, eigenvalues by LAPACK dgeev) to 1e-7 relative.
    @Test(arguments: [SpinResponse.largeDimension, .exact])
    func contractionMatchesDenseJacobian(response: SpinResponse) throws {
        let n = 16, d = 8, count = n * d   // 128 > 60: the Krylov space does not span everything
        let mf = try FixedPointSystems.system(sites: n, dimension: d, scale: 1.5, u: 1, beta: 2, seed: 21, response: response)
        let solution = try mf.fixedPoint(options: FixedPointOptions(maxIterations: 100, tolerance: 1e-13))
        #expect(solution.converged)
        var dense = Matrix(rows: count, columns: count)
        for col in 0..<count {
            var e = Matrix(rows: n, columns: d)
            e[col % n, col / n] = 1
            let jv = try mf.jacobianVectorProduct(at: solution.state, e)
            for row in 0..<count { dense[row, col] = jv[row % n, row / n] }
        }
        let exact = try RealSchurDecomposition(dense).spectralRadius
        let rho = try mf.localContraction(at: solution)
        #expect(abs(rho - exact) < 1e-7 * exact, "ρ = \(rho), dense \(exact)")
        #expect(rho < 1)
    }

    /// JVP and VJP are transposes: ⟨u, (∂g/∂m) v⟩ = ⟨u(∂g/∂m), v⟩, and the JVP matches central finite differences of
    /// the map to 1e-8.
    @Test(arguments: [SpinResponse.largeDimension, .exact])
    func jacobianProducts(response: SpinResponse) throws {
        let mf = try FixedPointSystems.system(sites: 7, dimension: 5, scale: 1, u: 1.5, beta: 1, seed: 3, response: response)
        let m = try FixedPointSystems.picard(mf, steps: 3)
        let state = try mf.step(from: m)
        let noise = FixedPointSystems.normals(70, seed: 99)
        let v = try Matrix(rows: 7, columns: 5, columnMajor: Array(noise[0..<35]))
        let u = try Matrix(rows: 7, columns: 5, columnMajor: Array(noise[35..<70]))
        let jv = try mf.jacobianVectorProduct(at: state, v)
        let uj = try mf.vectorJacobianProduct(at: state, u)
        let lhs = zip(u.storage, jv.storage).map(*).reduce(0, +), rhs = zip(uj.storage, v.storage).map(*).reduce(0, +)
        #expect(abs(lhs - rhs) < 1e-12 * max(1, abs(lhs)))
        let h = 1e-5
        let plus = try mf.step(from: m + h * v).magnetizations, minus = try mf.step(from: m - h * v).magnetizations
        let fd = (plus - minus) / (2 * h)
        #expect(fd.maxAbsDifference(jv) < 1e-8)
    }

    /// One site with a strong self-coupling in a weak field (D = 3, J = [[4]], x = 0.05 e₁, β = 1): the fixed points
    /// are m = c e₁ with c a root of c = (h + 4c)/(1 + γ); bisection finds the three roots. Branch counting from
    /// ±0.5R e₁ (twice each) finds the two outer roots (no duplicates), each to 1e-9, with ρ = β·4·τ = 4/(1 + γ)
    /// exactly (τ the tangential variance, which dominates the radial one): < 1 for the root aligned with the field,
    /// > 1 for the anti-aligned one (a saddle: Anderson reaches it because the start has no tangential component).
    @Test func multistableSite() throws {
        let space = try SpinSpace(dimension: 3)
        var x = Matrix(rows: 1, columns: 3)
        x[0, 0] = 0.05
        let mf = try NaiveMeanField(couplings: Matrix([[4.0]]), inputs: x, beta: 1, space: space)
        func excess(_ c: Double) -> Double {
            let h = 0.05 + 4 * c
            return h / (1 + (1 + h * h / space.radiusSquared).squareRoot()) - c
        }
        var roots: [Double] = []
        let grid = (0...2000).map { -space.radius + 2 * space.radius * Double($0) / 2000 }
        for (a, b) in zip(grid, grid.dropFirst()) where excess(a) * excess(b) < 0 {
            var lo = a, hi = b
            for _ in 0..<200 { let mid = 0.5 * (lo + hi); if excess(lo) * excess(mid) <= 0 { hi = mid } else { lo = mid } }
            roots.append(0.5 * (lo + hi))
        }
        #expect(roots.count == 3)
        var plus = Matrix(rows: 1, columns: 3), minus = plus
        plus[0, 0] = 0.5 * space.radius; minus[0, 0] = -0.5 * space.radius
        let starts: [Matrix?] = [plus, minus, plus, minus]
        let branches = try mf.distinctFixedPoints(starts: starts)
        #expect(branches.count == 2)
        for branch in branches {
            let c = branch.magnetizations[0, 0]
            #expect(roots.contains { abs($0 - c) < 1e-9 })
            #expect(abs(branch.magnetizations[0, 1]) < 1e-12 && abs(branch.magnetizations[0, 2]) < 1e-12)
            let rho = try mf.localContraction(at: branch)
            #expect(abs(rho - 4 / (1 + branch.state.stiffness[0])) < 1e-9)
            // Aligned with the field: stable; anti-aligned: a saddle (rotating towards the field grows).
            #expect(c > 0 ? rho < 1 : rho > 1)
        }
        // The seeded starts are reproducible and start 0 is the zero state.
        let s1 = try mf.branchStarts(count: 5, seed: 7), s2 = try mf.branchStarts(count: 5, seed: 7)
        #expect(s1.count == 5 && s1[0] == nil && s1 == s2)
        for s in s1.dropFirst() { #expect(abs(s!.frobeniusNorm - 0.5 * space.radius) < 1e-12) }
        #expect(throws: SpinModelsError.self) { try mf.distinctFixedPoints(starts: starts, matchTolerance: -1) }
        let unconverged = try mf.fixedPoint(options: FixedPointOptions(maxIterations: 1))
        #expect(throws: SpinModelsError.self) { try mf.localContraction(at: unconverged) }
    }
}
