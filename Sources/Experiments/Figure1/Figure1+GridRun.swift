import Dynamics
import Estimators
import LinearAlgebra
import Parallel

/// One simulated run of Figure 1 and its blind grid estimate.
struct GridRun {
    let grid: GridEstimate
    var estimate: EntropyProductionEstimate { grid.estimate }
    var netCirculation: Double { grid.netCirculation ?? .nan }

    /// The current field J_b and density p_b as a plot panel.
    func panel(model: String, state: String, alpha: Double) -> CurrentFieldPanel {
        let n = grid.bins
        var jx = [Double](repeating: .nan, count: n * n), jy = jx, density = jx
        for i in 0..<n {
            for j in 0..<n {
                let b = grid.binIndex([i, j])
                density[i * n + j] = grid.density[b]
                guard grid.used[b] else { continue }
                jx[i * n + j] = grid.current[b * 2]
                jy[i * n + j] = grid.current[b * 2 + 1]
            }
        }
        return CurrentFieldPanel(model: model, state: state, alpha: alpha, x: grid.centers[0], y: grid.centers[1],
                                 jx: jx, jy: jy, density: density)
    }
}

extension Figure1Experiment {
    /// Simulates `drift` (B rollouts × T recorded states after burn-in) straight into a grid
    /// observer on [−L, L]² — the trajectories are never stored — and estimates σ̂.
    func gridRun<F: Drift>(
        _ drift: F, halfWidth: Double, bins: Int, rollouts: Int, seed: UInt64, progress: ProgressReporter?
    ) throws -> GridRun {
        let c = configuration
        let observer = try c.estimateRequest(bins: bins).gridEstimator(bounds: [-halfWidth...halfWidth, -halfWidth...halfWidth])
        let engine = try EulerMaruyama(timeStep: c.timeStep, diffusion: c.diffusion, rollouts: rollouts, steps: c.steps,
                                       burnIn: c.burnIn, seed: seed, threads: c.threads)
        let accumulator = try engine.run(drift, observer: observer, progress: progress)
        return GridRun(grid: try observer.estimate(accumulator))
    }

    /// Grid half-width of the softmax model: the configured quantile of |x_j| over a pilot run
    /// (¼ of the rollouts, at most 50, × ¼ of the steps), docs/theory/world-model.md §1.
    func softmaxHalfWidth(_ drift: SoftmaxAttentionDrift, seed: UInt64, progress: ProgressReporter?) throws -> Double {
        let c = configuration
        let engine = try EulerMaruyama(timeStep: c.timeStep, diffusion: c.diffusion, rollouts: pilotRollouts,
                                       steps: pilotSteps, burnIn: c.burnIn, seed: seed, threads: c.threads)
        let sample = try engine.run(drift, observer: AbsoluteValueObserver(), progress: progress)
        return try sample.quantile(c.softmaxBoundsQuantile)
    }
}

/// Collects |x_j| of every recorded state (pilot runs that size a grid).
struct AbsoluteValueObserver: TrajectoryObserver {
    func makeAccumulator() -> AbsoluteValues { AbsoluteValues() }
}

struct AbsoluteValues: TrajectoryAccumulator {
    var values: [Double] = []

    mutating func consume(_ segment: TrajectorySegment) throws {
        // Segments of a rollout overlap by one state: skip the repeated first state after the first segment.
        let skip = segment.firstStep == 0 ? 0 : segment.dimension
        for v in segment.states.dropFirst(skip).prefix(segment.count * segment.dimension - skip) { values.append(abs(v)) }
    }

    mutating func merge(_ other: AbsoluteValues) throws { values += other.values }

    /// The empirical q-quantile (nearest rank).
    func quantile(_ q: Double) throws -> Double {
        guard !values.isEmpty else { throw ExperimentError.invalidConfiguration("pilot run recorded no states") }
        let sorted = values.sorted()
        return sorted[min(sorted.count - 1, Int((q * Double(sorted.count)).rounded(.up)) - 1)]
    }
}
