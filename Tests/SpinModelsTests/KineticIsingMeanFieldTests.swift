import LinearAlgebra
import SpinModels
import Testing

/// The Plefka[t−1,t] mean field against the exact enumeration, its two EP forms, and the Hebbian rule.
@Suite struct KineticIsingMeanFieldTests {
    /// Random asymmetric J = g·G/√N at N = 10, H_i = 0.3 cos(1.7i + 0.3), β = 1: the mean-field σ over the exact σ
    /// tends to 1 as g → 0. Prints the table of docs/theory/kinetic-ising.md (g, exact σ, mean-field σ, ratio).
    /// Tolerance: |ratio − 1| falls at every halving of g and is below 0.01 at g = 0.1.
    @Test func meanFieldOverExactTendsToOneAtWeakCoupling() throws {
        let scales = [0.8, 0.4, 0.2, 0.1]
        var deviations: [Double] = []
        print("kinetic Ising N = 10, β = 1, J = g·G/√N (seed 7), H_i = 0.3 cos(1.7 i + 0.3)")
        print("| g | exact σ | mean-field σ | ratio | ratio − 1 |")
        print("| --- | --- | --- | --- | --- |")
        for g in scales {
            let model = try IsingFixture.asymmetric(sites: 10, scale: g)
            let exact = try model.exactEntropyProduction()
            let meanField = try model.meanFieldSteadyState()
            let ratio = meanField.entropyProduction / exact.entropyProduction
            deviations.append(abs(ratio - 1))
            print("| \(g) | \(exact.entropyProduction) | \(meanField.entropyProduction) | \(ratio) | \(ratio - 1) |")
        }
        for k in 1..<deviations.count { #expect(deviations[k] < deviations[k - 1], "\(deviations)") }
        #expect(deviations.last! < 0.01, "\(deviations)")
    }

    /// At the steady state σ = β Σ(J − Jᵀ)∘D equals σ_hk = (β²/2) Σ (J_ij − J_ji)²(1 − m_i²)(1 − m_j²) (to 1e-14
    /// relative), m is a fixed point of tanh(β(H + Jm)), and symmetric J gives σ = 0 exactly (to 1e-15).
    @Test func steadyStateFormsAgreeAndSymmetricIsZero() throws {
        let model = try IsingFixture.asymmetric(sites: 12, scale: 0.6, beta: 1.3)
        let state = try model.meanFieldSteadyState()
        #expect(state.entropyProduction > 0)
        #expect(abs(state.entropyProduction - state.housekeepingEntropyProduction) <= 1e-14 * state.entropyProduction)
        let step = try model.meanFieldStep(from: state.magnetizations)
        #expect(zip(step.magnetizations, state.magnetizations).allSatisfy { abs($0 - $1) <= 1e-13 })
        let symmetric = try IsingFixture.symmetric(sites: 12, scale: 0.6)
        #expect(abs(try symmetric.meanFieldSteadyState().entropyProduction) <= 1e-15)
    }

    /// The Hebbian update β(D − Dᵀ) is ∂σ/∂J with D held (central differences of σ(J) = β Σ(J − Jᵀ)∘D, to 1e-7), and
    /// at the mean-field steady state it equals β²(J − Jᵀ)∘(1 − m_i²)(1 − m_j²) (to 1e-14).
    @Test func hebbianRuleIsTheStopGradientOfSigma() throws {
        let beta = 0.9
        let model = try IsingFixture.asymmetric(sites: 6, scale: 0.7, beta: beta)
        let state = try model.meanFieldSteadyState()
        let update = try model.hebbianUpdate(delayedCorrelation: state.delayedCorrelation)
        let eps = 1e-5
        for b in 0..<6 {
            for a in 0..<6 where a != b {
                var plus = model.couplings, minus = model.couplings
                plus[a, b] += eps
                minus[a, b] -= eps
                let sp = try SpinEntropyProduction.steadyStateRelation(couplings: plus, delayedCorrelation: state.delayedCorrelation, beta: beta)
                let sm = try SpinEntropyProduction.steadyStateRelation(couplings: minus, delayedCorrelation: state.delayedCorrelation, beta: beta)
                #expect(abs((sp - sm) / (2 * eps) - update[a, b]) <= 1e-7)
                let c = (1 - state.magnetizations[a] * state.magnetizations[a]) * (1 - state.magnetizations[b] * state.magnetizations[b])
                let closed = beta * beta * (model.couplings[a, b] - model.couplings[b, a]) * c
                #expect(abs(update[a, b] - closed) <= 1e-14)
            }
        }
    }

    @Test func badInputIsATypedError() throws {
        #expect(throws: SpinModelsError.self) { try KineticIsing(couplings: Matrix(rows: 2, columns: 3), fields: [0, 0]) }
        #expect(throws: SpinModelsError.self) { try KineticIsing(couplings: Matrix(rows: 2, columns: 2), fields: [0]) }
        #expect(throws: SpinModelsError.self) { try KineticIsing(couplings: Matrix(rows: 2, columns: 2), fields: [0, 0], beta: 0) }
        #expect(throws: SpinModelsError.self) { try KineticIsing(couplings: Matrix(rows: 2, columns: 2), fields: [.nan, 0]) }
        let model = try IsingFixture.asymmetric(sites: 4, scale: 0.5)
        #expect(throws: SpinModelsError.self) { try model.meanFieldStep(from: [2, 0, 0, 0]) }
        // A strongly coupled antisymmetric pair oscillates (period 4) and never settles.
        let rotor = try KineticIsing(couplings: Matrix([[0, 5], [-5, 0]]), fields: [0.1, 0], beta: 1)
        #expect(throws: SpinModelsError.self) { try rotor.meanFieldSteadyState(options: .init(maximumIterations: 500)) }
    }
}
