import LinearAlgebra
import ResourceLimits
import Testing
@testable import Autoregressive

/// Memory plans of the Kalman EP, the Monte Carlo and the seeded token models: exact byte counts, and refusal
/// before allocation (issue 12, item 3).
@Suite("Autoregressive memory plans")
struct MemoryPlanTests {
    @Test func kalmanPlansCountTheHorizonBuffers() throws {
        let m = try scalarTestModel()
        // Linear, zero start: per step 2 doubles + M_t and Σ_tt (1 × 1 each, 64 + 8 bytes) = 160 bytes.
        #expect(try m.memoryPlan(horizon: 1000, start: .zero, method: .linear).bytes() == 160_000)
        // Stationary start: G_s, F_s, V_s⁻¹ too: 16 + 5 × 64 + 5 × 8 = 376 bytes a step.
        #expect(try m.memoryPlan(horizon: 1000, start: .stationary, method: .linear).bytes() == 376_000)
        // Dense: 4 (T n_y)² doubles.
        #expect(try m.memoryPlan(horizon: 100, start: .zero, method: .dense).bytes() == 4 * 100 * 100 * 8)
        #expect(throws: ResourceLimitError.self) { try m.memoryPlan(horizon: Int.max, start: .zero, method: .dense).bytes() }
    }

    @Test func kalmanRefusesAHorizonAboveTheBudgetAtOnce() throws {
        let m = try scalarTestModel()
        let budget = MemoryBudget(bytes: 1 << 30)
        #expect(throws: ResourceLimitError.exceedsBudget(what: "Kalman EP (linear method), T = 1000000000", formula: "1000000000 steps × 160 bytes",
                                                         bytes: 160_000_000_000, budget: 1 << 30, hint: "")) {
            try m.entropyProduction(horizon: 1_000_000_000, budget: budget)
        }
        // The dense method's own size limit comes first (it names --method linear).
        #expect(throws: AutoregressiveError.self) { try m.entropyProduction(horizon: 100_000, method: .dense, budget: budget) }
        // Within the budget the result is the unchecked one.
        let checked = try m.entropyProduction(horizon: 50, budget: budget)
        let plain = try m.entropyProduction(horizon: 50, budget: .unlimited)
        #expect(checked.entropyProduction == plain.entropyProduction)
    }

    @Test func monteCarloPlanAndRefusal() throws {
        // 6 × 100 × 8 + (⌊100/64⌋ + 1) × 10 × 8 + 2 × 10 × 32 = 4800 + 160 + 640.
        #expect(try MonteCarloEntropyProduction.memoryPlan(length: 10, samples: 100, tokenLevel: true, workers: 2).bytes() == 5600)
        #expect(try MonteCarloEntropyProduction.memoryPlan(length: 10, samples: 100, tokenLevel: false, workers: 2).bytes() == 5440)
        let model = MarkovTokenModel(alphabetSize: 3, temperature: 1, seed: 1)
        #expect(throws: ResourceLimitError.self) {
            try MonteCarloEntropyProduction.run(model, length: 10, samples: 1_000_000_000, seed: 1, threads: 1,
                                                budget: MemoryBudget(bytes: 1 << 30))
        }
        #expect(throws: ResourceLimitError.self) {
            try MonteCarloEntropyProduction.run(model, length: Int.max, samples: 10, seed: 1, threads: 1)
        }
    }

    @Test func seededTokenModelsCheckTheirWeights() throws {
        #expect(throws: ResourceLimitError.self) { try ElmanTokenModel(alphabetSize: Int.max, hiddenSize: 32, seed: 1) }
        #expect(throws: ResourceLimitError.self) {
            try ElmanTokenModel(alphabetSize: 1_000_000_000, hiddenSize: 32, seed: 1, budget: MemoryBudget(bytes: 1 << 30))
        }
        #expect(throws: ResourceLimitError.self) {
            try CausalTransformerTokenModel(alphabetSize: 4, modelDimension: 32, contextLength: 1_000_000_001, seed: 1,
                                            budget: MemoryBudget(bytes: 1 << 30))
        }
        _ = try ElmanTokenModel(alphabetSize: 4, hiddenSize: 8, seed: 1, budget: MemoryBudget(bytes: 2 * 8 * 4 * 8 + 8 * 8 * 8))
    }
}
