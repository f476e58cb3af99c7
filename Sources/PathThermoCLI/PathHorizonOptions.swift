import ArgumentParser
import PathSpace
import ResourceLimits

/// The time grid and the Newton controls of `instanton`, `plan` and `path-covariance`: `--horizon T`,
/// `--steps n` (Δt = T/n), `--max-iterations`, `--tolerance` and `--max-memory`.
struct PathHorizonOptions: ParsableArguments {
    @Option(help: "Horizon T > 0 of the path (time units of the drift).")
    var horizon: Double

    @Option(help: "Time steps n of the grid (n + 1 states, Δt = T/n).")
    var steps: Int

    @Option(name: .customLong("max-iterations"), help: "Newton iterations before giving up (default 100).")
    var maxIterations: Int = NewtonOptions().maxIterations

    @Option(help: "Newton stops when ‖∇S‖ ≤ tolerance · max(1, ‖∇S at the start‖) (default 1e-10).")
    var tolerance: Double = NewtonOptions().tolerance

    @OptionGroup var resources: ResourceOptions

    /// Ranges first (one-line errors): n between 1 and 2⁴⁰, T finite and > 0 with Δt = T/n > 0, 1 to 10⁶ Newton
    /// iterations, a finite tolerance > 0.
    func validate() throws {
        try requireCount(steps, "--steps", atLeast: 1)
        guard horizon.isFinite, horizon > 0 else { throw CLIError("--horizon must be finite and > 0, got \(horizon)") }
        guard timeStep > 0, timeStep.isNormal else {
            throw CLIError("--horizon \(horizon) over --steps \(steps) gives the time step \(timeStep), too small to use")
        }
        try requireCount(maxIterations, "--max-iterations", atLeast: 1, atMost: 1_000_000)
        guard tolerance.isFinite, tolerance > 0 else { throw CLIError("--tolerance must be finite and > 0, got \(tolerance)") }
    }

    /// Δt = T/n.
    var timeStep: Double { horizon / Double(steps) }

    var newton: NewtonOptions { NewtonOptions(maxIterations: maxIterations, tolerance: tolerance) }

    /// Checks the path-space buffers of a grid of `steps` steps in dimension d against `--max-memory` before any
    /// exists (see ``PathSpaceMemory``).
    func checkMemory(_ command: String, dimension d: Int) throws {
        try resources.check(PathSpaceMemory.plan(command, states: steps + 1, dimension: d))
    }
}

/// The memory of the path-space computations, as an ``AllocationPlan``.
enum PathSpaceMemory {
    /// (n + 1) states × d × (16d + 8) doubles: the d × d blocks of the Newton iteration and the covariance (the
    /// Hessian, its band factor, the drift's Jacobians and curvature, the diagonal covariance blocks: at most 16 a
    /// state, as the library counts them) and the paths, gradients and steps (8 values a component) — O(n·d²).
    /// Checked against `--max-memory` before the library allocates (the library checks the same counts against the
    /// default budget).
    static func plan(_ command: String, states: Int, dimension d: Int) -> AllocationPlan {
        AllocationPlan(command).adding(.init(states, "states"), .init(d, "d"), .init(16 * d + 8, "values"), .init(8, "bytes"))
    }
}
