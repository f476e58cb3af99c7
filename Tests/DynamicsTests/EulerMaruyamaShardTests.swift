import ArrayIO
import Dynamics
import LinearAlgebra
import Testing

/// `firstRollout` (issue 19, item 2): rollouts k ..< k + B of a run are a run of B rollouts from k, bit for bit,
/// for any split into shards, threads and chunk, isotropic or matrix diffusion.
@Suite("Euler–Maruyama shards")
struct EulerMaruyamaShardTests {
    /// Every recorded state of a run, rollout-major (rollouts × steps × d), through a recorder into memory.
    static func states(_ drift: some Drift, diffusion: Diffusion, rollouts: Int, firstRollout: Int, threads: Int,
                       chunk: Int) throws -> [Double] {
        let (t, d) = (7, drift.dimension)
        // burn-in 40 and thin 20: runs of ≥ 16 steps, which the fused 2-D kernel takes (EulerMaruyama.fusedMinimum).
        let engine = try EulerMaruyama(timeStep: 0.01, diffusion: diffusion, rollouts: rollouts, steps: t, burnIn: 40,
                                       thin: 20, seed: 2026, threads: threads, chunk: chunk, firstRollout: firstRollout)
        var out = [Double](repeating: .nan, count: rollouts * t * d)
        try out.withUnsafeMutableBytes { raw in
            let recorder = try StridedTrajectoryRecorder(base: raw.baseAddress!, dtype: .float64, rollouts: rollouts,
                                                         steps: t, dimension: d, strides: (t * d, d, 1))
            _ = try engine.run(drift, observer: StateMomentsObserver(dimension: d, steps: t, allStates: false),
                               recorder: recorder)
        }
        return out
    }

    /// 3-D with isotropic and matrix D (the general kernels), and 2-D isotropic with a long burn-in (the fused 2-D
    /// linear kernel, which draws its noise itself).
    @Test(arguments: [(3, false), (3, true), (2, false)])
    func shardsConcatenateToTheWholeRun(dimension: Int, matrixDiffusion: Bool) throws {
        let drift = dimension == 2 ? try LinearDrift(matrix: Matrix([[-1, 2], [-2, -1]]))
            : try LinearDrift(matrix: Matrix([[-1, 2, 0], [-2, -1, 0.5], [0, -0.5, -2]]))
        let diffusion = matrixDiffusion
            ? try Diffusion(matrix: Matrix([[1, 0.2, 0], [0.2, 0.5, 0.1], [0, 0.1, 0.7]])) : try Diffusion.isotropic(0.5)
        let whole = try Self.states(drift, diffusion: diffusion, rollouts: 10, firstRollout: 0, threads: 2, chunk: 3)
        #expect(!whole.contains { $0.isNaN })
        for split in [[10], [4, 6], [1, 2, 3, 4], [9, 1]] {
            var first = 0, joined: [Double] = []
            for (k, b) in split.enumerated() {
                joined += try Self.states(drift, diffusion: diffusion, rollouts: b, firstRollout: first,
                                          threads: k % 2 + 1, chunk: k + 1)
                first += b
            }
            #expect(joined == whole, "split \(split)")
        }
        // A shard is not the first rollouts again: rollouts 4 ..< 6 differ from 0 ..< 2.
        let shard = try Self.states(drift, diffusion: diffusion, rollouts: 2, firstRollout: 4, threads: 1, chunk: 1)
        #expect(shard != Array(whole.prefix(shard.count)))
    }

    @Test func firstRolloutIsChecked() {
        #expect(throws: DynamicsError.self) {
            _ = try EulerMaruyama(timeStep: 0.01, diffusion: 1, rollouts: 2, steps: 2, seed: 1, firstRollout: -1)
        }
        #expect(throws: DynamicsError.self) {
            _ = try EulerMaruyama(timeStep: 0.01, diffusion: 1, rollouts: 2, steps: 2, seed: 1, firstRollout: Int.max)
        }
    }
}
