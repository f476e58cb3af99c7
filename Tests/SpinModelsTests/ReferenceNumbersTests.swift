import LinearAlgebra
import SpinModels
import Testing

/// The reference system of docs/theory/spin-transformers.md §7: D = 8 (R² = 3), N = 3, β = 1,
/// J = [[0.5, 0.3, 0.2], [0.1, 0.6, 0.3], [0.4, 0.4, 0.2]], x₁ = e₁, x₂ = e₂, x₃ = 0.6e₁ + 0.8e₃. The numbers come from
/// an independent float64 NumPy implementation of the same formulas; tolerance 1e-9 absolute (they are quoted to 10
/// digits).
enum ReferenceSystem {
    static let space = try! SpinSpace(dimension: 8)
    static let couplings = try! Matrix([[0.5, 0.3, 0.2], [0.1, 0.6, 0.3], [0.4, 0.4, 0.2]])
    static var inputs: Matrix {
        var x = Matrix(rows: 3, columns: 8)
        x[0, 0] = 1; x[1, 1] = 1; x[2, 0] = 0.6; x[2, 2] = 0.8
        return x
    }
    static var meanField: NaiveMeanField { try! NaiveMeanField(couplings: couplings, inputs: inputs, beta: 1, space: space) }
}

@Suite struct ReferenceNumbersTests {
    /// Post/v0.0.1 step from θ_prev = ones: m0, γ0, γ₁, m₁[0], D_post, σ = 0.0743667732 and HEAD's 0.0938382028.
    @Test func postStep() throws {
        let space = ReferenceSystem.space
        let previous = try space.response(fields: Matrix(rows: 3, columns: 8, repeating: 1), beta: 1)
        #expect(abs(previous.magnetizations[0, 0] - 0.3430703308) < 1e-9)
        #expect(abs(previous.stiffness[0] - 1.9148542155) < 1e-9)
        let current = try ReferenceSystem.meanField.step(from: previous.magnetizations)
        for (g, want) in zip(current.stiffness, [1.3696372606, 1.3696372606, 1.4026373898]) { #expect(abs(g - want) < 1e-9) }
        #expect(abs(current.magnetizations[0, 0] - 0.5667830909) < 1e-9)
        for c in 1..<8 { #expect(abs(current.magnetizations[0, c] - 0.1447775727) < 1e-9) }
        let d = try space.postDelayedCorrelation(couplings: ReferenceSystem.couplings, current: current, previous: previous, beta: 1)
        let want = [[0.4210221962, 0.2526133177, 0.1684088785],
                    [0.0842044392, 0.5052266355, 0.2526133177],
                    [0.3320936831, 0.3320936831, 0.1660468415]]
        for a in 0..<3 { for b in 0..<3 { #expect(abs(d[a, b] - want[a][b]) < 1e-9) } }
        let sigma = try SpinEntropyProduction.steadyStateRelation(couplings: ReferenceSystem.couplings, delayedCorrelation: d, beta: 1)
        #expect(abs(sigma - 0.0743667732) < 1e-9)
        let c = try space.traceProduct(current: current, previous: previous)
        let dHead = try SpinEntropyProduction.delayedCorrelation(couplings: ReferenceSystem.couplings, traceProduct: c, beta: 1)
        let sigmaHead = try SpinEntropyProduction.steadyStateRelation(couplings: ReferenceSystem.couplings, delayedCorrelation: dHead, beta: 1)
        #expect(abs(sigmaHead - 0.0938382028) < 1e-9)
    }

    /// The fixed point m* = φ(x + J m*) by plain Picard iteration (500 steps), C* there and σ_hk = 0.1284852356,
    /// which equals β Σ (J − Jᵀ)∘(βJC*) to 1e-15.
    @Test func fixedPointHousekeeping() throws {
        let mf = ReferenceSystem.meanField
        var m = Matrix(rows: 3, columns: 8)
        for _ in 0..<500 { m = try mf.step(from: m).magnetizations }
        let star = try mf.step(from: m)
        let want: [[Double]] = [[0.6189747135, 0.1180864016, 0.0578310271], [0.1115414697, 0.6175024689, 0.0753880611],
                                [0.4284167719, 0.1412850585, 0.4097288521]]
        for i in 0..<3 {
            for c in 0..<3 { #expect(abs(star.magnetizations[i, c] - want[i][c]) < 1e-9) }
            for c in 3..<8 { #expect(abs(star.magnetizations[i, c]) < 1e-15) }
        }
        let cStar = try ReferenceSystem.space.traceProduct(current: star, previous: star)
        let wantC = [[1.42373, 1.41534, 1.43818], [1.41534, 1.42496, 1.43446], [1.43818, 1.43446, 1.46022]]
        for a in 0..<3 { for b in 0..<3 { #expect(abs(cStar[a, b] - wantC[a][b]) < 5e-6) } }
        let hk = try SpinEntropyProduction.housekeeping(couplings: ReferenceSystem.couplings, traceProduct: cStar, beta: 1)
        #expect(abs(hk - 0.1284852356) < 1e-9)
        let d = try SpinEntropyProduction.delayedCorrelation(couplings: ReferenceSystem.couplings, traceProduct: cStar, beta: 1)
        let relation = try SpinEntropyProduction.steadyStateRelation(couplings: ReferenceSystem.couplings, delayedCorrelation: d, beta: 1)
        #expect(abs(relation - hk) < 1e-15)
    }

    /// σ_hk = 0 for a symmetric J to 1e-14 (at its own fixed point).
    @Test func housekeepingVanishesForSymmetricCouplings() throws {
        let j = try Matrix([[0.5, 0.3, 0.2], [0.3, 0.4, 0.3], [0.2, 0.3, 0.5]])
        let mf = try NaiveMeanField(couplings: j, inputs: ReferenceSystem.inputs, beta: 1, space: ReferenceSystem.space)
        var m = Matrix(rows: 3, columns: 8)
        for _ in 0..<200 { m = try mf.step(from: m).magnetizations }
        let star = try mf.step(from: m)
        let c = try ReferenceSystem.space.traceProduct(current: star, previous: star)
        #expect(abs(try SpinEntropyProduction.housekeeping(couplings: j, traceProduct: c, beta: 1)) < 1e-14)
    }

    /// D ≤ 2 and β ≤ 0 are one-line errors.
    @Test func badInput() {
        #expect(throws: SpinModelsError.self) { try SpinSpace(dimension: 2) }
        #expect(throws: SpinModelsError.self) {
            try NaiveMeanField(couplings: ReferenceSystem.couplings, inputs: ReferenceSystem.inputs, beta: 0, space: ReferenceSystem.space)
        }
        #expect(throws: SpinModelsError.self) {
            try NaiveMeanField(couplings: Matrix(rows: 3, columns: 2), inputs: ReferenceSystem.inputs, beta: 1, space: ReferenceSystem.space)
        }
    }
}
