import ArrayIO
import Foundation
import Parallel
import Testing
@testable import Dynamics

@Suite("Recording to .npy and progress reporting")
struct RecorderAndProgressTests {
    static func temporaryPath(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("dynamics-\(UUID().uuidString)-\(name)").path
    }

    @Test(arguments: [NPYDType.float64, .float32])
    func recorderRoundTripsWhatTheObserverSaw(dtype: NPYDType) throws {
        let drift = try SoftmaxAttentionDrift.paperToy(alpha: 1)
        let (rollouts, steps) = (11, 530)  // 530 states: three segments per rollout (tiles of 256)
        let em = try EulerMaruyama(timeStep: 0.01, diffusion: 0.5, rollouts: rollouts, steps: steps, burnIn: 3, thin: 2,
                                   seed: 5, threads: 2, chunk: 4)
        let path = Self.temporaryPath("traj.npy")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let writer = try NPYStreamWriter(path: path, rollouts: rollouts, steps: steps, dimension: 2, dtype: dtype)
        let log = try em.run(drift, observer: SegmentLogObserver(), recorder: writer)
        try writer.close()
        let seen = log.trajectories(rollouts: rollouts, steps: steps, dimension: 2)
        let array = try NPY.read(contentsOf: path)
        #expect(array.shape == [rollouts, steps, 2])
        // float64 is lossless; float32 is round-to-nearest, so the file holds exactly Float(x).
        let expected = dtype == .float64 ? seen : seen.map { Double(Float($0)) }
        let same = bitwiseEqual(array.values, expected)
        #expect(same)
    }

    @Test func recorderOfTheWrongShapeIsRejected() throws {
        let path = Self.temporaryPath("bad.npy")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let writer = try NPYStreamWriter(path: path, rollouts: 3, steps: 10, dimension: 2)
        let em = try EulerMaruyama(timeStep: 0.01, diffusion: 0.5, rollouts: 3, steps: 11, seed: 1)
        #expect(throws: DynamicsError.self) {
            try em.run(LinearDrift.paperToy(alpha: 1), observer: SegmentLogObserver(), recorder: writer)
        }
    }

    @Test func engineReportsEveryParticleStep() throws {
        let em = try EulerMaruyama(timeStep: 0.01, diffusion: 0.5, rollouts: 13, steps: 300, burnIn: 7, thin: 3,
                                   seed: 1, threads: 2, chunk: 5)
        let progress = ProgressReporter(total: em.particleSteps, enabled: true) { _ in }
        _ = try em.run(LinearDrift.paperToy(alpha: 1), observer: SegmentLogObserver(), progress: progress)
        progress.finish()
        #expect(progress.completed == em.particleSteps)
    }
}
