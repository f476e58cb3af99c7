import ArrayIO
import Foundation
import Testing
import TestSupport
@testable import Experiments

/// Issue 19: Figure 1 resumed from any of its checkpoints — the partial result as written to figure1.json and read
/// back — equals the uninterrupted run, bit for bit (`seconds` aside); a checkpoint of other settings is refused.
@Suite("Figure 1: --resume from any checkpoint")
struct Figure1ResumeTests {
    static var configuration: Figure1Configuration {
        var c = Figure1Configuration.quick
        c.rollouts = 6
        c.steps = 801
        c.burnIn = 100
        c.bins = 8
        c.alphas = [0, 1, 2]
        c.currentFieldAlpha = 1
        c.exactCells = 0
        c.resolutionBins = [8, 10]
        c.resolutionFractions = [0.5, 1]
        c.floorSplitBins = [8, 10]
        c.floorSplitFractions = [0.5, 1]
        c.floorSplitFitMinBins = 8
        c.floorSplitFitMaxBins = 10
        c.threads = 2
        return c
    }

    static func untimed(_ r: Figure1Result) -> Figure1Result { var r = r; r.seconds = 0; return r }

    @Test func resumingFromEveryCheckpointGivesTheUninterruptedResult() throws {
        let experiment = try Figure1Experiment(Self.configuration)
        var checkpoints = [String]()
        let full = try experiment.run(checkpoint: { checkpoints.append(try $0.checkpointText()) })
        #expect(full.complete && checkpoints.count >= 8)
        #expect(try full.checkpointText().contains("\"nan\""), "the run should exercise non-finite values")
        for (k, text) in checkpoints.enumerated() {
            let partial = try Figure1Result(checkpoint: Data(text.utf8))
            var other = Self.configuration
            other.threads = 1 + k % 3     // the thread count may differ
            let resumed = try Figure1Experiment(other).run(resume: partial)
            var expected = Self.untimed(full)
            expected.configuration.threads = other.threads
            // Compared as exact text: the current fields hold NaN (empty bins), which == would call unequal to itself.
            #expect(try Self.untimed(resumed).checkpointText() == (try expected.checkpointText()),
                    "resumed from checkpoint \(k) of \(checkpoints.count)")
        }
        // A checkpoint made with other settings is refused.
        var changed = Self.configuration
        changed.seed += 1
        let partial = try Figure1Result(checkpoint: Data(checkpoints[2].utf8))
        #expect(throws: ExperimentError.self) { try Figure1Experiment(changed).run(resume: partial) }
    }
}
