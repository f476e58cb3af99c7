import LinearAlgebra
import SpinModels
import Testing

/// ``SpinSpace/exactResponse(fields:beta:)`` row by row against the 80-digit moments of VonMisesFisherReference, and
/// its input checks.
@Suite struct VonMisesFisherExactResponseTests {
    /// Sites with fields whose concentrations κ = βR‖h‖ hit reference points (D = 16, 64, 512; β = 0.5): m = R A ĥ,
    /// τ = R²A/κ, δ = R²(A′ − A/κ), all to 1e-14 relative; a zero-field site gives m = 0, τ = R²/D, δ = 0.
    @Test func responseMatchesReference() throws {
        let beta = 0.5
        for d in [16, 64, 512] {
            let space = try SpinSpace(dimension: d)
            let rows = VonMisesFisherReference.moments.filter { $0.0 == d && $0.1 <= 1e8 }
            var fields = Matrix(rows: rows.count + 1, columns: d)
            for (i, row) in rows.enumerated() {
                // ‖h‖ = κ/(βR), spread over two components (3:4 split) so the direction is not a basis vector.
                let norm = row.1 / (beta * space.radius)
                fields[i, 1] = 0.6 * norm; fields[i, d - 1] = -0.8 * norm
            }
            let step = try space.exactResponse(fields: fields, beta: beta)
            let r2 = space.radiusSquared
            for (i, row) in rows.enumerated() {
                let (_, kappa, a, aPrime, excess) = row
                let mNorm = space.radius * a
                #expect(abs(step.magnetizations[i, 1] - 0.6 * mNorm) <= 1e-14 * mNorm, "D = \(d), κ = \(kappa)")
                #expect(abs(step.magnetizations[i, d - 1] + 0.8 * mNorm) <= 1e-14 * mNorm)
                #expect(step.magnetizations[i, 0] == 0)
                #expect(abs(step.tangentialVariance[i] - r2 * a / kappa) <= 1e-14 * r2 * a / kappa)
                #expect(abs(step.radialExcess[i] - r2 * excess) <= 1e-14 * abs(r2 * excess))
                // ρ = τ + δ (ρ ≪ τ at κ ≫ ν, so to 1e-14 of τ).
                #expect(abs(step.tangentialVariance[i] + step.radialExcess[i] - r2 * aPrime) <= 1e-14 * r2 * a / kappa)
                let h2 = (row.1 / (beta * space.radius)) * (row.1 / (beta * space.radius))
                #expect(abs(step.stiffness[i] - space.stiffness(fieldNormSquared: h2, beta: beta)) <= 1e-14 * step.stiffness[i])
            }
            let z = rows.count
            #expect(step.magnetizations[z, 1] == 0 && step.radialExcess[z] == 0)
            #expect(step.tangentialVariance[z] == r2 / Double(d))
        }
    }

    /// The trace of the exact covariance is Tr Σ = R² − ‖m‖² (‖s‖ = R), i.e. Dτ + δ = R²(1 − A²), to 1e-13.
    @Test func traceIdentity() throws {
        for d in [3, 8, 100] {
            let space = try SpinSpace(dimension: d)
            var fields = Matrix(rows: 5, columns: d)
            for (i, h) in [0.01, 0.7, 3, 40, 2e3].enumerated() { fields[i, 0] = h }
            let step = try space.exactResponse(fields: fields, beta: 1.3)
            let m2 = step.magnetizationNormsSquared
            for i in 0..<5 {
                let trace = Double(d) * step.tangentialVariance[i] + step.radialExcess[i]
                let want = space.radiusSquared - m2[i]
                #expect(abs(trace - want) <= 1e-13 * space.radiusSquared, "D = \(d), site \(i): \(trace) vs \(want)")
            }
        }
    }

    /// Bad input: wrong column count, a non-finite field, β ≤ 0 or non-finite are one-line errors; a field of norm
    /// 1e200 (whose square overflows) still gives a finite, saturated response.
    @Test func badInput() throws {
        let space = try SpinSpace(dimension: 6)
        #expect(throws: SpinModelsError.self) { try space.exactResponse(fields: Matrix(rows: 2, columns: 5), beta: 1) }
        var bad = Matrix(rows: 2, columns: 6)
        bad[1, 3] = .nan
        #expect(throws: SpinModelsError.self) { try space.exactResponse(fields: bad, beta: 1) }
        bad[1, 3] = .infinity
        #expect(throws: SpinModelsError.self) { try space.exactResponse(fields: bad, beta: 1) }
        #expect(throws: SpinModelsError.self) { try space.exactResponse(fields: Matrix(rows: 2, columns: 6), beta: 0) }
        #expect(throws: SpinModelsError.self) { try space.exactResponse(fields: Matrix(rows: 2, columns: 6), beta: .nan) }
        var huge = Matrix(rows: 1, columns: 6)
        huge[0, 2] = 1e200
        let step = try space.exactResponse(fields: huge, beta: 1)
        #expect(abs(step.magnetizations[0, 2] - space.radius) < 1e-12 && step.stiffness[0].isFinite)
        #expect(step.tangentialVariance[0] >= 0 && step.tangentialVariance[0] < 1e-190)
    }
}
