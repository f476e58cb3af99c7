import Foundation
import Testing
import LinearAlgebra
import Dynamics
import TestSupport
@testable import PathSpace

/// The discretised Onsager–Machlup action: value against a direct evaluation, the analytic gradient and Hessian
/// against central finite differences, the time-reversal identities of Eq. 8–9, thread invariance, bad input.
@Suite struct OnsagerMachlupActionTests {
    /// A linear drift with a full anisotropic D in d = 3, the cubic test drift and the softmax toy (α = 3) in d = 2.
    static func cases() throws -> [(String, any ActionCase)] {
        var rng = SplitMix64(seed: 14)
        let b = Matrix.randomStable(3, &rng)
        let dm = PathTestSupport.randomSPD(3, &rng)
        let linear = try LinearDrift(matrix: b)
        let cubicB = try Matrix([[-0.5, 1.2], [-0.8, -0.3]])
        let cubic = CubicTestDrift(b: cubicB, c: 0.4)
        let d2 = try Matrix([[0.5, 0.15], [0.15, 0.3]])
        let softmax = try SoftmaxAttentionDrift.paperToy(alpha: 3)
        var out: [(String, any ActionCase)] = []
        for scheme in PathDiscretisation.allCases {
            out.append(("linear d=3 \(scheme)", try OnsagerMachlupAction(drift: linear, diffusionMatrix: dm, discretisation: scheme)))
            out.append(("cubic d=2 \(scheme)", try OnsagerMachlupAction(drift: cubic, diffusionMatrix: d2, discretisation: scheme)))
            out.append(("softmax toy \(scheme)", try OnsagerMachlupAction(drift: softmax, diffusionMatrix: d2, discretisation: scheme)))
        }
        return out
    }

    @Test func valueMatchesADirectSum() throws {
        for (name, action) in try Self.cases() {
            var rng = SplitMix64(seed: 3)
            let path = try PathTestSupport.randomPath(d: action.dim, steps: 7, h: 0.1, &rng)
            let v = try action.actionValue(path)
            let ref = try action.reference(path)
            #expect(abs(v.total - ref) <= 1e-12 * max(1, abs(ref)), "\(name): \(v.total) vs \(ref)")
            #expect(abs(v.kinetic + v.divergence - v.total) <= 1e-13 * max(1, abs(v.total)), "\(name)")
            #expect(abs(v.even + v.odd - v.total) <= 1e-12 * max(1, abs(v.total)), "\(name): even + odd ≠ S")
        }
    }

    @Test func gradientMatchesCentralDifferences() throws {
        for (name, action) in try Self.cases() {
            var rng = SplitMix64(seed: 5)
            let path = try PathTestSupport.randomPath(d: action.dim, steps: 6, h: 0.1, &rng)
            let g = try action.grad(path)
            var fd = [Double](repeating: 0, count: g.count)
            for i in 0..<g.count {
                let eps = 1e-5 * max(1, abs(path.points[i]))
                var p = path, m = path
                p.points[i] += eps; m.points[i] -= eps
                fd[i] = (try action.actionValue(p).total - action.actionValue(m).total) / (2 * eps)
            }
            let err = PathTestSupport.maxAbs(zip(g, fd).map { $0 - $1 })
            #expect(err <= 1e-6 * PathTestSupport.maxAbs(g), "\(name): gradient error \(err) of \(PathTestSupport.maxAbs(g))")
        }
    }

    @Test func hessianMatchesCentralDifferencesOfTheGradient() throws {
        for (name, action) in try Self.cases() {
            var rng = SplitMix64(seed: 8)
            let path = try PathTestSupport.randomPath(d: action.dim, steps: 5, h: 0.1, &rng)
            let h = try action.hess(path)
            let d = action.dim, size = path.points.count
            var dense = [Double](repeating: 0, count: size * size)
            for k in 0...path.steps {
                for i in 0..<d { for j in 0..<d {
                    dense[(k * d + i) * size + k * d + j] = h.diagonal[k][i * d + j]
                    if k < path.steps {
                        dense[((k + 1) * d + i) * size + k * d + j] = h.subdiagonal[k][i * d + j]
                        dense[(k * d + j) * size + (k + 1) * d + i] = h.subdiagonal[k][i * d + j]
                    }
                } }
            }
            var err = 0.0
            for c in 0..<size {
                let eps = 1e-5 * max(1, abs(path.points[c]))
                var p = path, m = path
                p.points[c] += eps; m.points[c] -= eps
                let gp = try action.grad(p), gm = try action.grad(m)
                for r in 0..<size { err = max(err, abs((gp[r] - gm[r]) / (2 * eps) - dense[r * size + c])) }
            }
            #expect(err <= 1e-6 * PathTestSupport.maxAbs(dense), "\(name): Hessian error \(err) of \(PathTestSupport.maxAbs(dense))")
        }
    }

    /// Midpoint: S_even even and S_odd odd under reversal, Σ = −2 S_odd = Σ_k f(x̄_k)ᵀD⁻¹Δx_k.
    /// Euler: the boundary term of S_even and the post-point sum of S_odd (see `OnsagerMachlupAction`).
    @Test func timeReversalIdentities() throws {
        for (name, action) in try Self.cases() {
            var rng = SplitMix64(seed: 21)
            let path = try PathTestSupport.randomPath(d: action.dim, steps: 9, h: 0.05, &rng)
            let fwd = try action.actionValue(path), bwd = try action.actionValue(path.reversed)
            let sigma = try action.sigma(path)
            let scale = max(1, abs(fwd.total))
            #expect(abs(sigma - (bwd.total - fwd.total)) <= 1e-12 * scale)
            let (fP, boundary, postSum, midSum) = try action.reversalSums(path)
            if action.isMidpoint {
                #expect(abs(bwd.even - fwd.even) <= 1e-12 * scale, "\(name)")
                #expect(abs(bwd.odd + fwd.odd) <= 1e-12 * scale, "\(name)")
                #expect(abs(sigma + 2 * fwd.odd) <= 1e-12 * scale, "\(name)")
                #expect(abs(sigma - midSum) <= 1e-12 * scale, "\(name)")
            } else {
                #expect(abs(bwd.even - fwd.even - boundary) <= 1e-12 * scale, "\(name)")
                #expect(abs(bwd.odd - postSum) <= 1e-12 * scale, "\(name)")
                #expect(abs(fwd.odd + 0.5 * fP) <= 1e-12 * scale, "\(name)")
            }
        }
    }

    /// Euler, f = Bx: Σ[x] = ½x_nᵀK x_n − ½x_0ᵀK x_0 + Σ_k x_kᵀQ_A x_{k+1}, K = Q_S + (Δt/2)BᵀD⁻¹B.
    @Test func eulerEntropyProductionOfALinearDriftIsTheClosedSum() throws {
        var rng = SplitMix64(seed: 33)
        let d = 3, h = 0.07
        let b = Matrix.randomStable(d, &rng), dm = PathTestSupport.randomSPD(d, &rng)
        let action = try OnsagerMachlupAction(drift: try LinearDrift(matrix: b), diffusionMatrix: dm)
        let path = try PathTestSupport.randomPath(d: d, steps: 11, h: h, &rng)
        let p = try dm.inverse()
        let btp = b.transposed * p, pb = p * b, btpb = b.transposed * p * b
        let x0 = path.state(0), xn = path.state(path.steps)
        func form(_ x: [Double], _ y: [Double], _ m: (Int, Int) -> Double) -> Double {
            var s = 0.0
            for i in 0..<d { for j in 0..<d { s += x[i] * m(i, j) * y[j] } }
            return s
        }
        let k: (Int, Int) -> Double = { 0.5 * (btp[$0, $1] + pb[$0, $1]) + 0.5 * h * btpb[$0, $1] }
        var closed = 0.5 * form(xn, xn, k) - 0.5 * form(x0, x0, k)
        for s in 0..<path.steps { closed += form(path.state(s), path.state(s + 1)) { 0.5 * (btp[$0, $1] - pb[$0, $1]) } }
        let sigma = try action.entropyProduction(of: path)
        #expect(abs(sigma - closed) <= 1e-11 * max(1, abs(closed)), "Σ = \(sigma), closed sum \(closed)")
    }

    /// The same bits for any thread count, over several chunks; the gradient at chunk boundaries by differences.
    @Test func threadCountDoesNotChangeTheBitsAcrossChunks() throws {
        for (name, action) in try Self.cases() {
            var rng = SplitMix64(seed: 2)
            let path = try PathTestSupport.randomPath(d: action.dim, steps: 1300, h: 0.01, &rng)
            let one = try action.valueGrad(path, 1), many = try action.valueGrad(path, 3)
            #expect(one.0 == many.0, "\(name)")
            #expect(one.1 == many.1, "\(name)")
            let h1 = try action.hessThreads(path, 1), h3 = try action.hessThreads(path, 3)
            #expect(h1 == h3, "\(name): Hessian")
            let d = action.dim
            for node in [511, 512, 513, 1024, 1300] {
                let i = node * d
                let eps = 1e-5
                var p = path, m = path
                p.points[i] += eps; m.points[i] -= eps
                let fd = (try action.actionValue(p).total - action.actionValue(m).total) / (2 * eps)
                #expect(abs(fd - one.1[i]) <= 1e-5 * max(1, abs(one.1[i])), "\(name) node \(node): \(fd) vs \(one.1[i])")
            }
        }
    }

    @Test func badInputIsRefusedWithOneLine() throws {
        let drift = try LinearDrift(matrix: try Matrix([[-1, 0.5], [-0.5, -1]]))
        let action = try OnsagerMachlupAction(drift: drift, diffusion: try .isotropic(0.3))
        let wrong = try DiscretePath(points: [0, 0, 0, 1, 1, 1], dimension: 3, timeStep: 0.1)
        #expect(throws: PathSpaceError.self) { try action.value(of: wrong) }
        #expect(throws: PathSpaceError.self) { try action.gradient(of: wrong) }
        #expect(throws: PathSpaceError.self) { try action.hessian(of: wrong) }
        #expect(throws: PathSpaceError.self) { try action.entropyProduction(of: wrong) }
        for bad in [[[1.0, 2.0], [2.0, 1.0]], [[1.0, 0.2], [0.0, 1.0]], [[0.0, 0.0], [0.0, 0.0]], [[1.0, 0.0], [0.0, .nan]]] {
            do {
                _ = try OnsagerMachlupAction(drift: drift, diffusionMatrix: try Matrix(bad))
                Issue.record("D = \(bad) accepted")
            } catch {
                #expect(!"\(error)".contains("\n"))
            }
        }
        #expect(throws: PathSpaceError.self) {
            try OnsagerMachlupAction(drift: drift, diffusion: try Diffusion(matrix: Matrix.identity(3)))
        }
        #expect(throws: PathSpaceError.self) { try action.rollout(from: [0, 0, 0], steps: 3, timeStep: 0.1) }
        #expect(throws: PathSpaceError.self) { try action.rollout(from: [0, 0], steps: 0, timeStep: 0.1) }
        #expect(throws: PathSpaceError.self) { try action.rollout(from: [0, .infinity], steps: 3, timeStep: 0.1) }
    }

    /// The rollout of each scheme has zero kinetic action (r_k = 0 to rounding).
    @Test func rolloutHasNoKineticAction() throws {
        for (name, action) in try Self.cases() {
            let x0 = Array([0.9, -0.4, 0.6].prefix(action.dim))
            let path = try action.roll(x0, 50, 0.02)
            let v = try action.actionValue(path)
            #expect(v.kinetic <= 1e-24, "\(name): kinetic \(v.kinetic)")
        }
    }
}

/// Type-erased access to the actions under test.
protocol ActionCase {
    var dim: Int { get }
    var isMidpoint: Bool { get }
    func actionValue(_ p: DiscretePath) throws -> ActionValue
    func grad(_ p: DiscretePath) throws -> [Double]
    func valueGrad(_ p: DiscretePath, _ threads: Int) throws -> (ActionValue, [Double])
    func hess(_ p: DiscretePath) throws -> BlockTridiagonalMatrix
    func hessThreads(_ p: DiscretePath, _ threads: Int) throws -> BlockTridiagonalMatrix
    func sigma(_ p: DiscretePath) throws -> Double
    func roll(_ x0: [Double], _ n: Int, _ h: Double) throws -> DiscretePath
    /// A direct, loop-by-loop evaluation of S (independent of the batched sweep).
    func reference(_ p: DiscretePath) throws -> Double
    /// (Σ f̂ᵀPΔx, (Δt/4)(f_nᵀPf_n − f_0ᵀPf_0), ½Σ f(x_{k+1})ᵀPΔx_k, Σ f(x̄_k)ᵀPΔx_k).
    func reversalSums(_ p: DiscretePath) throws -> (Double, Double, Double, Double)
}

extension OnsagerMachlupAction: ActionCase {
    var dim: Int { dimension }
    var isMidpoint: Bool { discretisation == .midpoint }
    func actionValue(_ p: DiscretePath) throws -> ActionValue { try value(of: p) }
    func grad(_ p: DiscretePath) throws -> [Double] { try gradient(of: p) }
    func valueGrad(_ p: DiscretePath, _ threads: Int) throws -> (ActionValue, [Double]) {
        let r = try valueAndGradient(of: p, threads: threads)
        return (r.value, r.gradient)
    }
    func hess(_ p: DiscretePath) throws -> BlockTridiagonalMatrix { try hessian(of: p) }
    func hessThreads(_ p: DiscretePath, _ threads: Int) throws -> BlockTridiagonalMatrix { try hessian(of: p, threads: threads) }
    func sigma(_ p: DiscretePath) throws -> Double { try entropyProduction(of: p) }
    func roll(_ x0: [Double], _ n: Int, _ h: Double) throws -> DiscretePath { try rollout(from: x0, steps: n, timeStep: h) }

    func f(_ x: [Double]) -> [Double] {
        var ws = drift.makeWorkspace(capacity: 1)
        var out = [Double](repeating: 0, count: dimension)
        evaluate(x, into: &out, &ws)
        return out
    }

    func pDot(_ a: [Double], _ b: [Double]) throws -> Double {
        let p = try diffusion.inverse()
        var s = 0.0
        for i in 0..<dimension { for j in 0..<dimension { s += a[i] * p[i, j] * b[j] } }
        return s
    }

    func reference(_ p: DiscretePath) throws -> Double {
        var s = 0.0
        let h = p.timeStep
        for k in 0..<p.steps {
            let a = p.state(k), b = p.state(k + 1)
            let m = zip(a, b).map { 0.5 * ($0 + $1) }
            let fh = f(discretisation == .midpoint ? m : a)
            let r = (0..<dimension).map { b[$0] - a[$0] - h * fh[$0] }
            s += try pDot(r, r) / (4 * h) + 0.5 * h * (try drift.jacobian(at: m)).trace
        }
        return s
    }

    func reversalSums(_ p: DiscretePath) throws -> (Double, Double, Double, Double) {
        let h = p.timeStep
        var fP = 0.0, post = 0.0, mid = 0.0
        for k in 0..<p.steps {
            let a = p.state(k), b = p.state(k + 1)
            let dx = zip(b, a).map { $0 - $1 }
            let m = zip(a, b).map { 0.5 * ($0 + $1) }
            fP += try pDot(f(discretisation == .midpoint ? m : a), dx)
            post += 0.5 * (try pDot(f(b), dx))
            mid += try pDot(f(m), dx)
        }
        let fn = f(p.state(p.steps)), f0 = f(p.state(0))
        let boundary = 0.25 * h * (try pDot(fn, fn) - pDot(f0, f0))
        return (fP, boundary, post, mid)
    }
}
