import Foundation
import Dynamics
import LinearAlgebra
import ResourceLimits
import TestSupport
import Testing
@testable import PathSpace

/// `predictiveCovariance(about:boundary:)` on the action itself: for a linear drift (Euler scheme) its Hessian is
/// the hand-assembled Euler OU Hessian, so the covariance is the Euler chain's; for a nonlinear drift about its
/// instanton or plan the blocks match the dense inverse of the action's own Hessian.
@Suite struct PathCovarianceActionTests {
    /// 1-D f = −0.7x, D = 0.4, T = 2, 4000 steps about the rollout: Var[x_T] = the discrete closed form (1e-10
    /// relative, the tolerance of `PathCovarianceTests`), 0.53679 to its five digits.
    @Test func ornsteinUhlenbeckVarianceFromTheAction() throws {
        let action = try OnsagerMachlupAction(drift: try LinearDrift(matrix: try Matrix([[-0.7]])), diffusionMatrix: try Matrix([[0.4]]))
        let steps = 4000, dt = 2.0 / 4000
        let path = try action.rollout(from: [1.3], steps: steps, timeStep: dt)
        let cov = try action.predictiveCovariance(about: path, boundary: .freeEnd)
        let a = 1 - 0.7 * dt
        let discrete = 2 * 0.4 * dt * (1 - pow(a, 2 * Double(steps))) / (1 - a * a)
        #expect(abs(cov.finalCovariance[0, 0] - discrete) <= 1e-10 * discrete)
        #expect(abs(cov.finalCovariance[0, 0] - 0.53679) < 5e-6)
    }

    /// 2-D linear drift, anisotropic D: the action's Hessian is the Euler OU Hessian (1e-12 relative per block), and
    /// both boundaries give the covariance of ``PathCovariance/init(hessian:boundary:)`` on it.
    @Test func linearActionHessianIsTheEulerOUHessian() throws {
        let b = try Matrix([[-0.8, 0.9], [-0.5, -1.1]])
        let diffusion = try Matrix([[0.5, 0.1], [0.1, 0.2]])
        let action = try OnsagerMachlupAction(drift: try LinearDrift(matrix: b), diffusionMatrix: diffusion)
        let steps = 200, dt = 0.01
        let path = try action.rollout(from: [1, -1], steps: steps, timeStep: dt)
        let h = try action.hessian(of: path)
        let reference = try eulerOUHessian(drift: b, diffusion: diffusion, timeStep: dt, steps: steps)
        for k in 0...steps {
            let scale = maxAbsValue(reference.diagonal[k])
            #expect(maxAbsValue(zip(h.diagonal[k], reference.diagonal[k]).map(-)) <= 1e-12 * scale)
            if k < steps { #expect(maxAbsValue(zip(h.subdiagonal[k], reference.subdiagonal[k]).map(-)) <= 1e-12 * scale) }
        }
        let chain = eulerChainCovariances(drift: b, diffusion: diffusion, timeStep: dt, steps: steps)
        let free = try action.predictiveCovariance(about: path, boundary: .freeEnd)
        #expect(free.finalCovariance.relativeError(to: chain[steps]) < 1e-10)
        let pinned = try action.predictiveCovariance(about: path, boundary: .dirichlet)
        let expected = try PathCovariance(hessian: reference, boundary: .dirichlet)
        for k in 0...steps {
            #expect(maxAbsValue(zip(pinned.marginalCovariances[k], expected.marginalCovariances[k]).map(-))
                    <= 1e-10 * maxAbsValue(expected.marginalCovariances[k]))
        }
        #expect(abs(pinned.logDeterminant - expected.logDeterminant) <= 1e-10 * abs(expected.logDeterminant))
    }

    /// A nonlinear drift about its instanton (free end) and a plan (Dirichlet), both schemes: every diagonal block
    /// and ln det against the dense inverse and dense Cholesky of the action's Hessian on the free nodes.
    @Test func nonlinearCovarianceMatchesTheDenseInverse() throws {
        let drift = CubicTestDrift(b: try Matrix([[-0.5, 1.2], [-0.8, -0.3]]), c: 0.4)
        for scheme in PathDiscretisation.allCases {
            let action = try OnsagerMachlupAction(drift: drift, diffusion: try .isotropic(0.2), discretisation: scheme)
            let instanton = try action.instanton(from: [0.8, -0.4], horizon: 1, steps: 25)
            let plan = try action.plan(from: [0.8, -0.4], to: [-0.2, 0.5], horizon: 1, steps: 25)
            for (path, boundary) in [(instanton.path, PathBoundary.freeEnd), (plan.path, .dirichlet)] {
                let cov = try action.predictiveCovariance(about: path, boundary: boundary)
                let dense = try action.hessian(of: path).dense()
                let d = 2, last = boundary == .dirichlet ? 24 : 25
                var restricted = Matrix(rows: last * d, columns: last * d)
                for i in 0..<(last * d) { for j in 0..<(last * d) { restricted[i, j] = dense[d + i, d + j] } }
                let inverse = try restricted.inverse()
                for k in 1...last {
                    var reference = [Double]()
                    for r in 0..<d { for c in 0..<d { reference.append(inverse[(k - 1) * d + r, (k - 1) * d + c]) } }
                    #expect(maxAbsValue(zip(cov.marginalCovariances[k], reference).map(-)) <= 1e-10 * maxAbsValue(reference),
                            "\(scheme) \(boundary) node \(k)")
                }
                let logDet = try CholeskyFactorization(restricted).logDeterminant
                #expect(abs(cov.logDeterminant - logDet) <= 1e-10 * max(1, abs(logDet)))
            }
        }
    }

    @Test func badInputIsRefused() throws {
        let action = try OnsagerMachlupAction(drift: try LinearDrift(matrix: try Matrix([[-1, 0], [0, -2]])), diffusionMatrix: .identity(2))
        let wrongDimension = try DiscretePath(points: [0, 1, 2, 3, 4, 5], dimension: 3, timeStep: 0.1)
        #expect(throws: PathSpaceError.self) { try action.predictiveCovariance(about: wrongDimension, boundary: .freeEnd) }
        let oneStep = try action.rollout(from: [1, 1], steps: 1, timeStep: 0.1)
        #expect(try action.predictiveCovariance(about: oneStep, boundary: .freeEnd).marginalVariances.count == 4)
        #expect(throws: PathSpaceError.self) { try action.predictiveCovariance(about: oneStep, boundary: .dirichlet) }
        let path = try action.rollout(from: [1, 1], steps: 100, timeStep: 0.01)
        let result = Result { () throws(PathSpaceError) in
            try action.predictiveCovariance(about: path, boundary: .freeEnd, budget: MemoryBudget(bytes: 1000))
        }
        if case let .failure(.invalidArgument(detail)) = result {
            #expect(detail.contains("path covariance") && detail.contains("memory budget"), "\(detail)")
        } else {
            Issue.record("a covariance over the memory budget was not refused: \(result)")
        }
    }
}

func maxAbsValue(_ x: [Double]) -> Double { x.reduce(0) { max($0, abs($1)) } }
