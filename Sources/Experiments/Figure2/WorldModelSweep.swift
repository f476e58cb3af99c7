import Dynamics
import Foundation
import Parallel
import WorldModel

/// A result of the ω sweep of Figures 2 and 3, rewritten after every ω.
protocol WorldModelSweepResult {
    /// Wall time so far.
    var seconds: Double { get set }
    /// True once every ω is done.
    var complete: Bool { get set }
}

extension Figure2Result: WorldModelSweepResult {}
extension Figure3Result: WorldModelSweepResult {}

extension WorldModelSetup {
    /// Readout settings with the data's D, Δt and this setup's threads.
    func filled(_ settings: SymmetrizationReadout.Settings) -> SymmetrizationReadout.Settings {
        var s = settings
        s.diffusion = diffusion
        s.timeStep = timeStep
        s.threads = threads
        return s
    }

    /// The ω loop shared by Figures 2 and 3 (same models, same seeds): for ω number i, simulate the data
    /// and train (``train(index:probe:initial:progress:checkpoint:)``, `probe` at the checkpoints), take
    /// the W vs W_S readout on the validation states with the readout seed of run 1 000 + 2i, and hand the
    /// trained model, the readout and that seed to `add`; `checkpoint` gets the result after every ω and
    /// once more when it is complete. `progress` advances by one per training step and is finished at the end.
    /// `indices` (default: every ω) runs only those ω — a shard or the rest of a resumed part
    /// (``Figure2Experiment/run(part:progress:checkpoint:)``); each ω's seeds come from its index alone.
    func sweep<R: WorldModelSweepResult>(
        into start: R, indices: Range<Int>? = nil, probe: (any EntropyProductionProbe)?, settings: SymmetrizationReadout.Settings,
        progress: ProgressReporter?, checkpoint: (R) throws -> Void,
        add: (inout R, TrainedWorldModel, SymmetrizationReadout, UInt64) throws -> Void
    ) throws -> R {
        defer { progress?.finish() }
        let clock = ContinuousClock.now
        var result = start
        for index in indices ?? omegas.indices {
            let trained = try train(index: index, probe: probe, progress: progress)
            let readoutSeed = Figure1Experiment.seed(base: seed, run: UInt64(1_000 + 2 * index))
            let readout = try SymmetrizationReadout(model: trained.model, dataDrift: trained.dataDrift,
                                                    states: trained.validation.points, settings: filled(settings), seed: readoutSeed)
            try add(&result, trained, readout, readoutSeed)
            result.seconds = (ContinuousClock.now - clock).seconds
            try checkpoint(result)
        }
        result.complete = true
        result.seconds = (ContinuousClock.now - clock).seconds
        try checkpoint(result)
        return result
    }
}
