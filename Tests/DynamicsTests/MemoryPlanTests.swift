import ResourceLimits
import Testing
@testable import Dynamics

@Suite("Euler–Maruyama memory plan")
struct EngineMemoryPlanTests {
    @Test func planCountsEachWorkersBuffers() throws {
        let e = try EulerMaruyama(timeStep: 0.01, diffusion: 1, rollouts: 1000, steps: 1000, seed: 1, threads: 2, chunk: 64)
        // d = 2: per rollout 2·2 (x, f) + 16·2 (noise) + 256·2 + 8 (tile) = 556 doubles, and 2·4 + 2·2 = 12 moments.
        #expect(try e.memoryPlan(dimension: 2, workers: 2).bytes() == 2 * 64 * 556 * 8 + 2 * 64 * 12 * 8)
        #expect(e.workerCount == 2)
        let drift = try LinearDrift(matrix: .init([[-1, 0], [0, -1]]))
        #expect(throws: ResourceLimitError.self) {
            try e.run(drift, observer: StateMomentsObserver(dimension: 2, steps: 1000), budget: MemoryBudget(bytes: 1000))
        }
    }

    @Test func chunkCountDoesNotOverflow() throws {
        let e = try EulerMaruyama(timeStep: 0.01, diffusion: 1, rollouts: Int.max, steps: 1, seed: 1, threads: 1, chunk: 64)
        #expect(e.chunkCount == Int.max / 64 + 1)
        let one = try EulerMaruyama(timeStep: 0.01, diffusion: 1, rollouts: 128, steps: 1, seed: 1, chunk: 64)
        #expect(one.chunkCount == 2)
    }
}
