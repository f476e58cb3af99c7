import Foundation
import Testing
import LinearAlgebra
@testable import Thermodynamics

/// N of Eq. 29 over samples (``SampledNonNormality``): the three definitions coincide for a constant Jacobian and
/// differ by hand-computed amounts when it varies.
@Suite struct SampledNonNormalityTests {
    static func stack(_ ms: [[[Double]]]) -> [Double] { ms.flatMap { $0.flatMap { $0 } } }

    @Test("constant Jacobian (linear drift): N = ⟨‖J_A‖/‖F‖⟩ = N of ⟨F⟩ = ‖B_A‖/‖B‖")
    func linearCoincides() throws {
        let b = [[-0.5, 1.5], [-0.7, -0.5]]
        let s = try SampledNonNormality(jacobians: Self.stack(Array(repeating: b, count: 7)), dimension: 2)
        let direct = try NonNormality(try Matrix(b)).antisymmetricRatio
        #expect(abs(s.index - direct) <= 1e-15 && abs(s.meanRatio - direct) <= 1e-15)
        #expect(abs(s.meanJacobianIndices.antisymmetricRatio - direct) <= 1e-15 && s.samples == 7)
    }

    @Test("opposite rotations cancel in ⟨F⟩ (N_mean = 0) but not in N = N_ratio = 1")
    func cancellation() throws {
        let s = try SampledNonNormality(jacobians: Self.stack([[[0, -1], [1, 0]], [[0, 1], [-1, 0]]]), dimension: 2)
        #expect(s.index == 1 && s.meanRatio == 1 && s.meanJacobianIndices.antisymmetricRatio == 0)
    }

    @Test("hand example: F₁ = I, F₂ = [[0, 1], [0, 0]], F₃ = 0")
    func handExample() throws {
        let s = try SampledNonNormality(jacobians: Self.stack([[[1, 0], [0, 1]], [[0, 1], [0, 0]], [[0, 0], [0, 0]]]), dimension: 2)
        let a2 = 0.5.squareRoot()  // ‖J_A(F₂)‖ = √(2 · ¼)
        #expect(abs(s.index - a2 / (2.0.squareRoot() + 1)) <= 1e-15)
        #expect(abs(s.meanRatio - a2 / 3) <= 1e-15)
    }

    @Test("errors: no samples, ragged buffer, non-finite entries")
    func errors() {
        #expect(throws: ThermodynamicsError.self) { try SampledNonNormality(jacobians: [], dimension: 2) }
        #expect(throws: ThermodynamicsError.self) { try SampledNonNormality(jacobians: [1, 2, 3], dimension: 2) }
        #expect(throws: ThermodynamicsError.self) { try SampledNonNormality(jacobians: [1, .nan, 0, 1], dimension: 2) }
    }
}
