import ArrayIO
import Foundation
import Testing
import TestSupport
@testable import Experiments

/// Issue 19: Figure 1 resumed from any of its checkpoints (the part after every run, as written to figure1.part and
/// read back), and the merge of parts of any split, equal the uninterrupted run, bit for bit (`seconds` aside); a
/// checkpoint of other settings is refused.
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
        var checkpoints = [[UInt8]]()
        let whole = try experiment.run(part: experiment.part(0..<experiment.units, software: "test")) {
            checkpoints.append(try $0.encoded())
        }
        let full = Figure1Experiment.result(of: whole)
        #expect(full.complete && checkpoints.count == experiment.units && experiment.units == 16)
        #expect(try full.exactText().contains("\"nan\""), "the run should exercise non-finite values")
        #expect(try Self.untimed(full).exactText() == (try Self.untimed(try experiment.run()).exactText()))
        for (k, bytes) in checkpoints.enumerated() {
            let partial = try Figure1Experiment.Part(decoding: bytes, name: "checkpoint \(k)", command: "figure1")
            var other = Self.configuration
            other.threads = 1 + k % 3     // the thread count may differ
            let resumed = try Figure1Experiment(other).run(part: partial)
            var expected = Self.untimed(full)
            expected.configuration.threads = other.threads   // the resumed run records its own thread count
            // Compared as exact text: the current fields hold NaN (empty bins), which == would call unequal to itself.
            #expect(try Self.untimed(Figure1Experiment.result(of: resumed)).exactText() == (try expected.exactText()),
                    "resumed from checkpoint \(k) of \(checkpoints.count)")
        }
        // Parts of any split, merged in any order, are the whole run too.
        for n in [2, 5, 16, 20] {
            var parts = try (0..<n).map { i in
                try experiment.run(part: experiment.part(ShardSplit.range(part: i, of: n, total: experiment.units), software: "test"))
            }
            parts.reverse()
            let merged = try Figure1Experiment.Part.merge(parts, names: parts.indices.map { "p\($0)" }, equivalent: Figure1Experiment.isEquivalent)
            #expect(try Self.untimed(Figure1Experiment.result(of: merged)).exactText() == (try Self.untimed(full).exactText()), "\(n) parts")
        }
        // A checkpoint made with other settings is refused.
        var changed = Self.configuration
        changed.seed += 1
        let partial = try Figure1Experiment.Part(decoding: checkpoints[2], name: "c", command: "figure1")
        #expect(throws: ExperimentError.self) { try Figure1Experiment(changed).run(part: partial) }
    }
}
