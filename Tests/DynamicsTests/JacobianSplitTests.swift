import Foundation
import Testing
import LinearAlgebra
@testable import Dynamics

/// The Jacobian split of Eq. 22 (``JacobianSplit``): the analytic Jacobian against the Ridders reference to ≤ 1e-12,
/// J_A = (β/2)[C, W_S] − (β/2){C, W_A} to rounding, ∇·f of Eq. 20 = tr F, the anticommutator exactly zero after
/// W → W_S, the linear drift's note.
@Suite struct JacobianSplitTests {
    static let points: [[Double]] = [[0, 0], [0.3, -0.2], [1.1, 0.7], [-1.6, 0.4], [2.2, -1.9], [-0.5, -2.5]]

    @Test("softmax toy (β = 2, α ∈ {0, 1, 3}): residual ≤ 1e-12, split to rounding, divergence = tr F")
    func softmaxToy() throws {
        for alpha in [0.0, 1, 3] {
            let f = try SoftmaxAttentionDrift.paperToy(alpha: alpha)
            for x in Self.points {
                let s = try JacobianSplit(of: f, at: x)
                #expect(s.finiteDifferenceResidual <= 1e-12, "α = \(alpha), x = \(x): \(s.finiteDifferenceResidual)")
                #expect(try #require(s.splitResidual) <= 1e-14)
                #expect(abs(s.divergence - s.jacobian.trace) <= 1e-13)
                #expect(s.note == nil)
                #expect(s.antisymmetric.maxAbsDifference(try s.jacobian.antisymmetricPart()) == 0)
                // The toy's W_S = I: the commutator term vanishes identically (up to rounding).
                #expect(try #require(s.commutatorTerm).maxAbsEntry <= 1e-15)
            }
        }
    }

    /// The spec's check (d = 3, M = 6 keys, non-symmetric W, β = 1.3, leak 0.7): every term present and consistent.
    @Test("d = 3, M = 6, non-symmetric W: residual ≤ 1e-12, both split terms non-zero, W → W_S zeroes the anticommutator")
    func threeDimensional() throws {
        let w = try Matrix([[0.9, -0.6, 0.3], [0.5, 1.2, -0.4], [-0.2, 0.7, 0.6]])
        let keys = try Matrix([[1, 0.2, -0.5], [-0.7, 1.1, 0.3], [0.4, -0.9, 0.8], [-1.2, -0.3, -0.6], [0.1, 0.5, 1.3], [0.8, 0.9, -1.0]])
        let f = try SoftmaxAttentionDrift(scores: w, keys: keys, beta: 1.3, leak: 0.7)
        for x in [[0.2, -0.1, 0.4], [1.0, 0.5, -0.8], [-1.5, 0.9, 1.1]] {
            let s = try JacobianSplit(of: f, at: x)
            #expect(s.finiteDifferenceResidual <= 1e-12, "x = \(x): \(s.finiteDifferenceResidual)")
            #expect(try #require(s.splitResidual) <= 1e-14)
            #expect(abs(s.divergence - s.jacobian.trace) <= 1e-13)
            #expect(try #require(s.commutatorTerm).maxAbsEntry > 1e-3 && (try #require(s.anticommutatorTerm)).maxAbsEntry > 1e-3)
            let sym = try JacobianSplit(of: f.symmetrized(), at: x)
            #expect(try #require(sym.anticommutatorTerm).storage.allSatisfy { $0 == 0 })
            #expect(sym.antisymmetric.maxAbsDifference(try #require(sym.commutatorTerm)) <= 1e-15)
            #expect(sym.antisymmetric.maxAbsEntry > 1e-3)  // [C, W_S] survives symmetrization
            #expect(sym.finiteDifferenceResidual <= 1e-12)
        }
    }

    @Test("linear drift: no attention terms, a note, divergence tr B, exact Jacobian")
    func linear() throws {
        let b = try Matrix([[-1, 2], [-0.5, -0.3]])
        let s = try JacobianSplit(of: try LinearDrift(matrix: b), at: [0.4, -2])
        #expect(s.commutatorTerm == nil && s.anticommutatorTerm == nil && s.splitResidual == nil && s.note != nil)
        #expect(s.divergence == b.trace && s.jacobian == b)
        #expect(s.finiteDifferenceResidual <= 1e-13)
        #expect(abs(s.antisymmetric[0, 1] - 1.25) <= 1e-15)
        let bs = try #require(JacobianSplit.symmetrized(try LinearDrift(matrix: b)) as? LinearDrift)
        #expect(bs.matrix == (try b.symmetricPart()))
    }

    @Test("Ridders reference on a nonlinear closure with a known Jacobian (≤ 1e-11)")
    func riddersClosure() throws {
        let f = try ClosureDrift(dimension: 2) { x, out in
            out[0] = sin(x[0]) * x[1]
            out[1] = exp(x[0] / 2) - x[1] * x[1] * x[1]
        }
        for x in [[0.3, -1.2], [2.5, 0.8], [-4, 3]] {
            let r = try FiniteDifferenceJacobian(of: f, at: x)
            let exact = try Matrix([[cos(x[0]) * x[1], sin(x[0])], [0.5 * exp(x[0] / 2), -3 * x[1] * x[1]]])
            #expect(r.jacobian.maxAbsDifference(exact) <= 1e-11 * max(1, exact.maxAbsEntry), "x = \(x)")
        }
        #expect(throws: DynamicsError.self) { try FiniteDifferenceJacobian(of: f, at: [1]) }
        #expect(throws: DynamicsError.self) { try JacobianSplit(of: f, at: [.nan, 0]) }
    }
}
