import Foundation
import Testing
import LinearAlgebra
import Dynamics
import TestSupport
@testable import PathSpace

/// A ``LinearDrift`` that hides its constant Jacobian (`constantJacobian` = nil, the protocol default), so the
/// action sweep takes the general path: firstOrder at every midpoint (and node).
struct OpaqueLinearDrift: DifferentiableDrift {
    let base: LinearDrift
    var dimension: Int { base.dimension }
    func makeWorkspace(capacity: Int) -> DriftScratch { base.makeWorkspace(capacity: capacity) }
    func evaluate(_ points: UnsafeBufferPointer<Double>, count: Int, into output: UnsafeMutableBufferPointer<Double>,
                  workspace: inout DriftScratch) {
        base.evaluate(points, count: count, into: output, workspace: &workspace)
    }
    func jacobian(at point: [Double]) throws -> Matrix { try base.jacobian(at: point) }
    func firstOrder(_ points: UnsafeBufferPointer<Double>, count: Int, jacobians: UnsafeMutableBufferPointer<Double>,
                    divergences: UnsafeMutableBufferPointer<Double>, divergenceGradients: UnsafeMutableBufferPointer<Double>,
                    workspace: inout DriftScratch) {
        base.firstOrder(points, count: count, jacobians: jacobians, divergences: divergences,
                        divergenceGradients: divergenceGradients, workspace: &workspace)
    }
    func secondOrder(at point: UnsafeBufferPointer<Double>, weights: UnsafeBufferPointer<Double>,
                     weightedHessian: UnsafeMutableBufferPointer<Double>, divergenceHessian: UnsafeMutableBufferPointer<Double>,
                     workspace: inout DriftScratch) {
        base.secondOrder(at: point, weights: weights, weightedHessian: weightedHessian,
                         divergenceHessian: divergenceHessian, workspace: &workspace)
    }
}

/// The constant-Jacobian shortcut of the action sweep (``DifferentiableDrift/constantJacobian``) gives the same
/// bits as the general path through `firstOrder`: value parts and gradient, both schemes, d = 2 (unrolled kernel)
/// and d = 3 (general kernel), 1 and 3 threads, on a path that spans several chunks and claims.
@Suite struct ConstantJacobianSweepTests {
    static func bits(_ v: ActionValue) -> [UInt64] {
        [v.total, v.kinetic, v.divergence, v.even, v.odd].map(\.bitPattern)
    }

    @Test func linearDriftDeclaresB() throws {
        let b = try Matrix([[-1, 0.5], [-0.25, -2]])
        let drift = try LinearDrift(matrix: b)
        #expect(drift.constantJacobian == [-1, 0.5, -0.25, -2])
        #expect(OpaqueLinearDrift(base: drift).constantJacobian == nil)
    }

    @Test func shortcutMatchesTheGeneralPathBitForBit() throws {
        var rng = SplitMix64(seed: 1414)
        let steps = OnsagerMachlupAction<LinearDrift>.chunkSteps * (OnsagerMachlupAction<LinearDrift>.chunksPerClaim + 2) + 37
        for d in [2, 3] {
            let drift = try LinearDrift(matrix: Matrix.randomStable(d, &rng))
            let dm = PathTestSupport.randomSPD(d, &rng)
            let path = try PathTestSupport.randomPath(d: d, steps: steps, h: 0.01, &rng)
            for scheme in PathDiscretisation.allCases {
                let fast = try OnsagerMachlupAction(drift: drift, diffusionMatrix: dm, discretisation: scheme)
                let slow = try OnsagerMachlupAction(drift: OpaqueLinearDrift(base: drift), diffusionMatrix: dm, discretisation: scheme)
                let reference = try slow.valueAndGradient(of: path, threads: 1)
                for threads in [1, 3] {
                    let r = try fast.valueAndGradient(of: path, threads: threads)
                    #expect(Self.bits(r.value) == Self.bits(reference.value), "d=\(d) \(scheme) threads=\(threads)")
                    #expect(r.gradient.map(\.bitPattern) == reference.gradient.map(\.bitPattern), "d=\(d) \(scheme) threads=\(threads)")
                    let v = try fast.value(of: path, threads: threads)
                    #expect(Self.bits(v) == Self.bits(reference.value), "d=\(d) \(scheme) threads=\(threads) value only")
                }
            }
        }
    }
}

/// A test drift with f = 0 but a constant Jacobian F = [[0, c], [c, 0]] (inconsistent on purpose: tr F = 0 keeps
/// S finite while a huge c makes Fᵀw, hence ∂S/∂x, overflow). `declares` chooses the shortcut or firstOrder.
struct OverflowingGradientDrift: DifferentiableDrift {
    struct Workspace {}
    let c: Double
    let declares: Bool
    var dimension: Int { 2 }
    var constantJacobian: [Double]? { declares ? [0, c, c, 0] : nil }
    func makeWorkspace(capacity: Int) -> Workspace { Workspace() }
    func evaluate(_ points: UnsafeBufferPointer<Double>, count: Int, into output: UnsafeMutableBufferPointer<Double>,
                  workspace: inout Workspace) {
        for i in 0..<(2 * count) { output[i] = 0 }
    }
    func jacobian(at point: [Double]) throws -> Matrix { try Matrix([[0, c], [c, 0]]) }
    func firstOrder(_ points: UnsafeBufferPointer<Double>, count: Int, jacobians: UnsafeMutableBufferPointer<Double>,
                    divergences: UnsafeMutableBufferPointer<Double>, divergenceGradients: UnsafeMutableBufferPointer<Double>,
                    workspace: inout Workspace) {
        for i in 0..<count {
            jacobians[4 * i] = 0; jacobians[4 * i + 1] = c; jacobians[4 * i + 2] = c; jacobians[4 * i + 3] = 0
            divergences[i] = 0; divergenceGradients[2 * i] = 0; divergenceGradients[2 * i + 1] = 0
        }
    }
    func secondOrder(at point: UnsafeBufferPointer<Double>, weights: UnsafeBufferPointer<Double>,
                     weightedHessian: UnsafeMutableBufferPointer<Double>, divergenceHessian: UnsafeMutableBufferPointer<Double>,
                     workspace: inout Workspace) {
        for e in 0..<4 { weightedHessian[e] = 0; divergenceHessian[e] = 0 }
    }
}

extension ConstantJacobianSweepTests {
    /// The gradient's finiteness is checked as the sweep writes it (interior nodes) and at the chunk boundaries:
    /// an overflowing ∂S/∂x still throws `.nonFinite("action gradient")` while S itself is finite.
    @Test func overflowingGradientThrows() throws {
        var rng = SplitMix64(seed: 7)
        let path = try PathTestSupport.randomPath(d: 2, steps: 1500, h: 0.01, &rng, scale: 1e4)
        for declares in [true, false] {
            for scheme in PathDiscretisation.allCases {
                let action = try OnsagerMachlupAction(drift: OverflowingGradientDrift(c: 1e307, declares: declares),
                                                      diffusionMatrix: Matrix.identity(2), discretisation: scheme)
                #expect(try action.value(of: path, threads: 2).total.isFinite)
                #expect(throws: PathSpaceError.nonFinite("action gradient")) { try action.valueAndGradient(of: path, threads: 2) }
            }
        }
    }
}
