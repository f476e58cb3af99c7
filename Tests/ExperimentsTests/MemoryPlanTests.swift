import ResourceLimits
import Testing
@testable import Experiments

@Suite("Experiment configuration limits")
struct ExperimentLimitTests {
    @Test func figure1RefusesOutOfRangeCountsAndLargePilots() throws {
        var c = Figure1Configuration.quick
        c.steps = Int.max
        #expect(throws: ExperimentError.self) { try Figure1Experiment(c) }
        c.steps = 1_000_000_000
        // Pilot: 2 × 25 rollouts × 2.5 × 10⁸ states × 2 × 8 bytes = 200 GB.
        #expect(throws: ResourceLimitError.self) { try Figure1Experiment(c, budget: MemoryBudget(bytes: 8 << 30)) }
        c.steps = Figure1Configuration.quick.steps
        _ = try Figure1Experiment(c, budget: MemoryBudget(bytes: 8 << 30))
    }

    @Test func progressTotalsSaturateInsteadOfTrapping() throws {
        var c = Figure1Configuration.quick
        c.rollouts = CountLimit.defaultMaximum
        c.steps = CountLimit.defaultMaximum
        #expect(try Figure1Experiment(c, budget: .unlimited).totalParticleSteps == Int.max)
    }

    @Test func worldModelPlanIsExact() throws {
        var s = WorldModelSetup()
        s.trainingRollouts = 10; s.validationRollouts = 2; s.dataSteps = 101; s.slots = 8
        s.training.batchSize = 100; s.training.steps = 50
        // 12 × 101 × 6 × 8 + 100 × 10 × 64 + 50 × 32.
        #expect(try s.memoryPlan().bytes() == 12 * 101 * 48 + 100 * 10 * 64 + 50 * 32)
        s.trainingRollouts = Int.max
        #expect(throws: ExperimentError.self) { try s.validate() }
    }

    @Test func textSamplingCountsAreBounded() throws {
        var c = TextSamplingConfiguration()
        c.length = 1 << 21
        #expect(throws: ExperimentError.self) { try c.validate() }
        c.length = 120; c.samples = 1_000_000_000
        try c.validate()
        #expect(try c.memoryPlan().bytes() == 1_000_000_000 * 121 * 24)
    }
}
