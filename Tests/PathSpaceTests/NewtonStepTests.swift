import Foundation
import Testing
import LinearAlgebra
@testable import PathSpace

/// The Newton step's linear algebra: band Cholesky where H is positive definite, band LU where H is indefinite
/// but its step descends, a Levenberg shift otherwise.
@Suite struct NewtonStepTests {
    @Test func positiveDefiniteUsesCholesky() throws {
        let h = try NewtonStep.blocks([4, 1, 1, 3, 5, 0, 0, 2], [1, 0, 0.5, 1], d: 2, m: 2)
        let factor = try #require(NewtonStep.cholesky(h))
        let rhs = [1.0, -2, 0.5, 3]
        let x = try NewtonStep.solve(h, factor: factor, rhs: rhs, operation: "test")
        let back = try h.apply(to: x)
        for (a, b) in zip(back, rhs) { #expect(abs(a - b) <= 1e-13) }
        #expect(abs(factor.logDeterminant - log(try h.dense().determinant())) <= 1e-12)
    }

    @Test func indefiniteFallsBackToLUOrALevenbergShift() throws {
        // H = diag(1, −1): not positive definite.
        let h = try NewtonStep.blocks([1, -1], [0], d: 1, m: 2)
        #expect(NewtonStep.cholesky(h) == nil)
        // The LU step (1, 0) descends along rhs = (1, 0): kept exactly.
        #expect(try NewtonStep.solve(h, factor: nil, rhs: [1, 0], operation: "test") == [1, 0])
        // Along rhs = (0, 1) the LU step (0, −1) ascends: the shifted solve gives a descent direction instead.
        let shifted = try NewtonStep.solve(h, factor: nil, rhs: [0, 1], operation: "test")
        #expect(shifted[0] == 0 && shifted[1] > 0)
    }
}
