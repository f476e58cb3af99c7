import Foundation
import Testing
import LinearAlgebra
import Dynamics
import TestSupport
@testable import PathSpace

/// Plans (Eqs. 13–15): the Euler plan of a linear drift against a dense solve of its normal equations, the free
/// energy against the exact Gaussian propagator of the Euler chain, terminal costs and bad input.
@Suite struct PlanTests {
    /// The dense Hessian and right-hand side of the Euler kinetic action of f = Bx over nodes `1…last`
    /// (x₀ fixed; x_n fixed too when last = n − 1; a terminal weight W with target on node n when last = n).
    static func denseMinimiser(b: Matrix, p: Matrix, h: Double, n: Int, x0: [Double], xn: [Double]?,
                               weight: Matrix?, target: [Double]?) throws -> [Double] {
        let d = b.rows
        let a = Matrix.identity(d) + h * b
        let last = xn == nil ? n : n - 1
        let size = last * d
        var hm = Matrix(rows: size, columns: size)
        var rhs = [Double](repeating: 0, count: size)
        let ata = a.transposed * p * a, pa = p * a
        func add(_ r: Int, _ c: Int, _ m: Matrix, _ s: Double) {
            guard r >= 1, r <= last, c >= 1, c <= last else { return }
            for i in 0..<d { for j in 0..<d { hm[(r - 1) * d + i, (c - 1) * d + j] += s * m[i, j] } }
        }
        for k in 0..<n {
            add(k, k, ata, 1 / (2 * h)); add(k + 1, k + 1, p, 1 / (2 * h))
            add(k + 1, k, pa, -1 / (2 * h)); add(k, k + 1, pa.transposed, -1 / (2 * h))
        }
        // Linear terms from the pinned ends: −(∂/∂y of the cross terms at y = 0).
        for i in 0..<d { for j in 0..<d { rhs[i] += pa[i, j] * x0[j] / (2 * h) } }
        if let xn {
            for i in 0..<d { for j in 0..<d { rhs[(last - 1) * d + i] += pa[j, i] * xn[j] / (2 * h) } }
        }
        if let weight, let target {
            add(n, n, weight, 1)
            for i in 0..<d { for j in 0..<d { rhs[(n - 1) * d + i] += weight[i, j] * target[j] } }
        }
        let sol = try hm.solve(try Matrix(rows: size, columns: 1, rowMajor: rhs))
        return (0..<size).map { sol[$0, 0] }
    }

    @Test func eulerPlanOfALinearDriftSolvesItsNormalEquations() throws {
        var rng = SplitMix64(seed: 9)
        let d = 3, n = 40, horizon = 1.2
        let b = Matrix.randomStable(d, &rng), dm = PathTestSupport.randomSPD(d, &rng)
        let action = try OnsagerMachlupAction(drift: try LinearDrift(matrix: b), diffusionMatrix: dm)
        let x0 = [1.0, -0.5, 0.25], x1 = [-0.3, 0.8, 0.1]
        let plan = try action.plan(from: x0, to: x1, horizon: horizon, steps: n)
        let expected = try Self.denseMinimiser(b: b, p: try dm.inverse(), h: horizon / Double(n), n: n, x0: x0, xn: x1,
                                               weight: nil, target: nil)
        let got = Array(plan.path.points[d..<(n * d)])
        let err = PathTestSupport.maxAbs(zip(got, expected).map { $0 - $1 })
        #expect(err <= 1e-8, "plan vs dense solve: \(err)")
        #expect(plan.path.state(0) == x0 && plan.path.state(n) == x1)

        let w = try Matrix([[4, 1, 0], [1, 3, 0.5], [0, 0.5, 2]])
        let target = [0.5, 0.5, -0.5]
        let soft = try action.plan(from: x0, terminalCost: TerminalCost(target: target, weight: w), horizon: horizon, steps: n)
        let expectedSoft = try Self.denseMinimiser(b: b, p: try dm.inverse(), h: horizon / Double(n), n: n, x0: x0, xn: nil,
                                                   weight: w, target: target)
        let errSoft = PathTestSupport.maxAbs(zip(Array(soft.path.points[d...]), expectedSoft).map { $0 - $1 })
        #expect(errSoft <= 1e-8, "terminal-cost plan vs dense solve: \(errSoft)")
        let phi = TerminalCost(target: target, weight: w).value(at: soft.path.state(n))
        #expect(abs(soft.terminalCost - phi) <= 1e-14 && soft.terminalCost > 0)
    }

    /// Linear drift, Euler scheme: freeEnergy + ½ ln det(4πDT) − (T/2) tr B = −ln P(x_n | x₀) of the Euler chain,
    /// N((I + ΔtB)ⁿx₀, Σ_k (I + ΔtB)^k 2DΔt (I + ΔtB)^{kᵀ}); and the kinetic action = ½ eᵀΣ⁻¹e (the Laplace exponent).
    @Test func freeEnergyIsTheEulerChainPropagator() throws {
        var rng = SplitMix64(seed: 12)
        for d in [1, 2, 4] {
            let n = 25, horizon = 0.8, h = horizon / Double(n)
            let b = Matrix.randomStable(d, &rng), dm = PathTestSupport.randomSPD(d, &rng)
            let action = try OnsagerMachlupAction(drift: try LinearDrift(matrix: b), diffusionMatrix: dm)
            let x0 = (0..<d).map { _ in 2 * rng.nextDouble() - 1 }, x1 = (0..<d).map { _ in 2 * rng.nextDouble() - 1 }
            let plan = try action.plan(from: x0, to: x1, horizon: horizon, steps: n)
            let a = Matrix.identity(d) + h * b
            var ak = Matrix.identity(d), sigma = Matrix(rows: d, columns: d)
            for _ in 0..<n {
                sigma = sigma + ak * (2 * h * dm) * ak.transposed
                ak = a * ak
            }
            let mean = (0..<d).map { i in (0..<d).reduce(0) { $0 + ak[i, $1] * x0[$1] } }
            let e = try Matrix(rows: d, columns: 1, rowMajor: zip(x1, mean).map { $0 - $1 })
            let quad = 0.5 * (e.transposed * (try sigma.solve(e)))[0, 0]
            let logDet = try CholeskyFactorization(sigma).logDeterminant
            let nll = quad + 0.5 * (Double(d) * log(2 * Double.pi) + logDet)
            let fourPiDT = try CholeskyFactorization((4 * Double.pi * horizon) * dm).logDeterminant
            let predicted = plan.freeEnergy + 0.5 * fourPiDT - 0.5 * horizon * b.trace
            #expect(abs(predicted - nll) <= 1e-8, "d = \(d): \(predicted) vs −ln P = \(nll)")
            #expect(abs(plan.kineticAction - quad) <= 1e-8 * max(1, quad), "d = \(d): \(plan.kineticAction) vs \(quad)")
        }
    }

    /// A nonlinear drift, both schemes: the plan is a stationary point (gradient ≤ 1e-9 at the interior nodes),
    /// keeps its ends, and has a positive-definite Hessian (finite log-determinant).
    @Test func nonlinearPlansAreStationary() throws {
        for scheme in PathDiscretisation.allCases {
            let action = try OnsagerMachlupAction(drift: InstantonTests.cubic, diffusion: try .isotropic(0.3), discretisation: scheme)
            let plan = try action.plan(from: [1, 0.5], to: [-0.5, 0.8], horizon: 2, steps: 200)
            let g = try action.gradient(of: plan.path)
            #expect(PathTestSupport.maxAbs(Array(g[2..<(200 * 2)])) <= 1e-9)
            #expect(plan.path.state(200) == [-0.5, 0.8])
            #expect(plan.logDeterminant.isFinite)
            #expect(abs(plan.freeEnergy - plan.action.total - 0.5 * plan.logDeterminant) <= 1e-12 * max(1, abs(plan.freeEnergy)))
        }
    }

    /// Where the Hessian at the start is not positive definite (1-D f = −x − 2x³, Euler, x: 3 → −3 in T = 0.3, three
    /// steps: the curvature term −Δt w f″ is negative), Newton takes Levenberg-shifted steps and still ends at a
    /// stationary point with a positive-definite Hessian.
    @Test func levenbergShiftWhereTheStartIsNotConvex() throws {
        let action = try OnsagerMachlupAction(drift: CubicTestDrift(b: try Matrix([[-1.0]]), c: 2), diffusion: try .isotropic(1))
        let start = try DiscretePath(points: [3, 1, -1, -3], dimension: 1, timeStep: 0.1)
        let (diag, sub) = try action.hessianBlocks(of: start, threads: 1)
        #expect(NewtonStep.cholesky(try NewtonStep.blocks(Array(diag[1...2]), [sub[1]], d: 1, m: 2)) == nil)
        let plan = try action.plan(from: [3], to: [-3], horizon: 0.3, steps: 3)
        let g = try action.gradient(of: plan.path)
        #expect(abs(g[1]) <= 1e-9 && abs(g[2]) <= 1e-9, "gradient \(g)")
        #expect(plan.logDeterminant.isFinite)
    }

    @Test func badInputIsRefused() throws {
        let action = try OnsagerMachlupAction(drift: InstantonTests.cubic, diffusion: try .isotropic(0.3))
        #expect(throws: PathSpaceError.self) { try action.plan(from: [0, 0], to: [1], horizon: 1, steps: 10) }
        #expect(throws: PathSpaceError.self) { try action.plan(from: [0, 0], to: [1, .nan], horizon: 1, steps: 10) }
        #expect(throws: PathSpaceError.self) { try action.plan(from: [0, 0], to: [1, 1], horizon: .nan, steps: 10) }
        #expect(throws: PathSpaceError.self) { try action.plan(from: [0, 0], to: [1, 1], horizon: 1, steps: 0) }
        let notSPD = TerminalCost(target: [0, 0], weight: try Matrix([[1, 2], [2, 1]]))
        #expect(throws: PathSpaceError.self) { try action.plan(from: [0, 0], terminalCost: notSPD, horizon: 1, steps: 10) }
        let wrong = TerminalCost(target: [0, 0, 0], weight: .identity(3))
        #expect(throws: PathSpaceError.self) { try action.plan(from: [0, 0], terminalCost: wrong, horizon: 1, steps: 10) }
    }
}
