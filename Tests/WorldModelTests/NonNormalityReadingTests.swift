import Foundation
import Testing
import Dynamics
import LinearAlgebra
@testable import WorldModel

/// ``NonNormalityReading/init(drift:points:)``: the batched Jacobians give the same N as a per-point loop over
/// `jacobian(at:)`; for a linear drift the primary N, the p-average of the ratio and N of ⟨∇f⟩ coincide.
@Suite struct NonNormalityReadingTests {
    static let points: [Double] = (0..<2_500).flatMap { i -> [Double] in
        let t = Double(i)
        return [2 * sin(0.37 * t) + 0.3 * cos(1.9 * t), 1.5 * cos(0.53 * t) - 0.4 * sin(2.3 * t)]
    }

    @Test("linear drift: N = N_ratio = N_mean = ‖B_A‖/‖B‖")
    func linearDefinitionsCoincide() throws {
        let b = try Matrix([[-0.5, 1.0], [-1.0, -0.5]])
        let r = try NonNormalityReading(drift: try LinearDrift(matrix: b), points: Self.points)
        let exact = 1 / (0.25 + 1).squareRoot()
        // Equal up to the rounding of 2 500-term sums (≈ n·ε).
        #expect(abs(r.index - exact) <= 1e-12 && abs(r.meanRatio - exact) <= 1e-12 && abs(r.meanJacobian - exact) <= 1e-12,
                "\(r.index) \(r.meanRatio) \(r.meanJacobian) vs \(exact)")
        #expect(r.samples == 2_500)
    }

    @Test("softmax: the batched N equals a per-point loop over jacobian(at:) (≤ 1e-12), and N_mean is the averaged Jacobian's")
    func softmaxMatchesPointLoop() throws {
        let model = try AttentionWorldModel(scores: try Matrix([[1.2, -0.4], [0.9, 0.7]]),
                                            keys: try Matrix([[2, 0.1], [-0.3, 1.8], [-1.9, -0.2], [0.2, -2.1], [1.3, 1.2]]),
                                            beta: 1, leak: 1)
        let r = try model.nonNormality(points: Self.points)
        var sumA = 0.0, sumF = 0.0, sumRatio = 0.0
        for i in 0..<(Self.points.count / 2) {
            let j = try model.drift.jacobian(at: [Self.points[2 * i], Self.points[2 * i + 1]])
            let a = try j.antisymmetricPart().frobeniusNorm, f = j.frobeniusNorm
            sumA += a; sumF += f; sumRatio += a / f
        }
        #expect(abs(r.index - sumA / sumF) <= 1e-12)
        #expect(abs(r.meanRatio - sumRatio / 2_500) <= 1e-12)
        let mean = try model.averagedJacobian(points: Self.points)
        #expect(abs(r.meanJacobian - (try mean.antisymmetricPart().frobeniusNorm / mean.frobeniusNorm)) <= 1e-12)
        #expect(r.index > 0 && r.index < 1)
        #expect(throws: WorldModelError.self) { try model.nonNormality(points: [1, 2, 3]) }
        #expect(throws: WorldModelError.self) { try model.nonNormality(points: [.nan, 0]) }
    }
}
