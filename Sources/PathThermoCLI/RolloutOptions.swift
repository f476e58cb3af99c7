import ArgumentParser

/// The Euler–Maruyama run of `simulate` and `measure`: D, Δt, B rollouts of T recorded states after a burn-in, `thin`
/// steps apart, and the seed (``EulerMaruyama``; the noise of rollout i, step k depends only on (seed, i, k)).
struct RolloutOptions: ParsableArguments {
    @Option(help: "Diffusion: a scalar s > 0 (D = s·I) or a d × d symmetric positive-definite matrix (JSON literal, .npy or .json).")
    var diffusion: String

    @Option(help: "Time step Δt > 0.")
    var dt: Double

    @Option(help: "Number of rollouts B.")
    var rollouts: Int

    @Option(help: "Recorded states per rollout T.")
    var steps: Int

    @Option(name: .customLong("burn-in"), help: "Unrecorded steps before the first recorded state.")
    var burnIn: Int = 0

    @Option(help: "Euler–Maruyama steps between recorded states.")
    var thin: Int = 1

    @Option(help: "Seed of the counter-based generator.")
    var seed: UInt64
}

/// A command with ``RolloutOptions``: their values by their option names.
protocol RolloutCommand {
    var rollout: RolloutOptions { get }
}

extension RolloutCommand {
    var diffusion: String { rollout.diffusion }
    var dt: Double { rollout.dt }
    var rollouts: Int { rollout.rollouts }
    var steps: Int { rollout.steps }
    var burnIn: Int { rollout.burnIn }
    var thin: Int { rollout.thin }
    var seed: UInt64 { rollout.seed }
}
