import ArgumentParser
import Experiments
import LinearAlgebra
import PathThermo

/// The `"provenance"` object of every JSON result `paththermo` writes (``Provenance``): the version
/// (``PathThermoVersion``), the git commit of the build (`BuildCommit`, generated at build time), the command
/// line, and the seed, Δt and units of the command that ran (``ProvenanceDescribing``). Set process-wide once
/// the arguments are parsed (``record(_:arguments:)``), so every ``ResultJSON`` of the run — stdout and files,
/// written by the CLI or by the library's experiments — carries it.
enum CommandProvenance {
    /// `paththermo 0.1.0 (fcc3377)`: what `paththermo --version` prints.
    static var versionLine: String { "paththermo \(PathThermoVersion.string) (\(BuildCommit.commit))" }

    /// Sets ``Provenance/current`` for `command`, run with `arguments` (program name first).
    static func record(_ command: ParsableCommand, arguments: [String] = CommandLine.arguments) {
        let p = (command as? ProvenanceDescribing)?.provenanceParameters ?? ProvenanceParameters()
        Provenance.current = Provenance(version: PathThermoVersion.string, commit: BuildCommit.commit, arguments: arguments,
                                        seed: p.seed, dt: p.dt, units: p.units, blasCore: BLAS.coreName)
    }
}

/// A command's seed, Δt and units for its provenance (each `nil` where the command has none).
struct ProvenanceParameters {
    var seed: UInt64?
    var dt: Double?
    var units: String?
}

/// A command that records a seed, a Δt or units in the provenance of its results.
protocol ProvenanceDescribing {
    var provenanceParameters: ProvenanceParameters { get }
}

/// The units of results, in words.
enum ResultUnits {
    /// Continuous time: entropy production rates.
    static let rate = "entropy in nats, rates per unit time"
    /// Trajectories of the dynamics.
    static let trajectories = "time in the units of dt"
    /// Discrete time (token models, Kalman innovations): entropy per trajectory, per_token per token.
    static let nats = "entropy and log-probabilities in nats (natural logarithm)"
}

extension OUCommand: ProvenanceDescribing {
    var provenanceParameters: ProvenanceParameters { .init(units: ResultUnits.rate) }
}

extension OUBatchCommand: ProvenanceDescribing {
    var provenanceParameters: ProvenanceParameters { .init(units: ResultUnits.rate) }
}

extension SimulateCommand: ProvenanceDescribing {
    var provenanceParameters: ProvenanceParameters { .init(seed: seed, dt: dt, units: ResultUnits.trajectories) }
}

extension EstimateCommand: ProvenanceDescribing {
    var provenanceParameters: ProvenanceParameters { .init(dt: input.dt, units: ResultUnits.rate + " (time in the units of dt)") }
}

extension ReproduceCommand: ProvenanceDescribing {
    var provenanceParameters: ProvenanceParameters { .init(units: ResultUnits.rate) }
}

extension Figure1Command: ProvenanceDescribing {
    var provenanceParameters: ProvenanceParameters {
        let preset: Figure1Configuration = quick ? .quick : .full
        return .init(seed: seed ?? preset.seed, dt: preset.timeStep, units: ResultUnits.rate)
    }
}

extension WorldModelSweepOptions {
    /// Seed and Δt of the training data of `preset` (the figure's preset setup), the seed as `--seed` sets it.
    func provenanceParameters(preset: WorldModelSetup) -> ProvenanceParameters {
        .init(seed: seed ?? preset.seed, dt: preset.timeStep, units: ResultUnits.rate)
    }
}

extension Figure2Command: ProvenanceDescribing {
    var provenanceParameters: ProvenanceParameters {
        sweep.provenanceParameters(preset: (sweep.quick ? Figure2Configuration.quick : .full).setup)
    }
}

extension Figure3Command: ProvenanceDescribing {
    var provenanceParameters: ProvenanceParameters {
        sweep.provenanceParameters(preset: (sweep.quick ? Figure3Configuration.quick : .full).setup)
    }
}

extension TrainCommand: ProvenanceDescribing {
    var provenanceParameters: ProvenanceParameters { .init(seed: seed, dt: WorldModelSetup().timeStep, units: ResultUnits.rate) }
}

extension KalmanCommand: ProvenanceDescribing {
    /// The seed only draws the Monte Carlo trajectories.
    var provenanceParameters: ProvenanceParameters { .init(seed: monteCarlo == nil ? nil : seed, units: ResultUnits.nats) }
}

extension FigureKalmanCommand: ProvenanceDescribing {
    var provenanceParameters: ProvenanceParameters {
        let preset: FigureKalmanConfiguration = quick ? .quick : .full
        return .init(seed: seed ?? preset.seed, units: ResultUnits.nats)
    }
}

extension AREPCommand: ProvenanceDescribing {
    var provenanceParameters: ProvenanceParameters { .init(seed: seed, units: ResultUnits.nats) }
}

extension TextEPCommand: ProvenanceDescribing {
    var provenanceParameters: ProvenanceParameters { .init(units: ResultUnits.nats) }
}

extension TextCompareCommand: ProvenanceDescribing {
    /// The seed draws the bootstrap interval of the effect size.
    var provenanceParameters: ProvenanceParameters { .init(seed: seed, units: ResultUnits.nats) }
}

extension TextSampleEPCommand: ProvenanceDescribing {
    var provenanceParameters: ProvenanceParameters { .init(seed: seed, units: ResultUnits.nats) }
}

extension TextFluctuationCommand: ProvenanceDescribing {
    var provenanceParameters: ProvenanceParameters { .init(seed: seed, units: ResultUnits.nats) }
}

extension FigureSpinCommand: ProvenanceDescribing {
    var provenanceParameters: ProvenanceParameters { .init(seed: seed ?? (quick ? FigureSpinConfiguration.quick : .full).seed, units: ResultUnits.nats) }
}

extension CompareScoresCommand: ProvenanceDescribing {
    /// The seed draws the bootstrap intervals of the effect sizes; the scores' units are the user's.
    var provenanceParameters: ProvenanceParameters { .init(seed: seed) }
}
