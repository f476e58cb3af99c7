import ArrayIO
import Autoregressive
import Foundation
import Testing
import TestSupport
@testable import Experiments
@testable import LanguageModel

/// The block-scale analysis of the sampled-text Monte Carlo on the small random llama of `TextSamplingTests` (ids 3
/// and 7 end sentences): k = 1 is σ_block of the same run bit for bit, l = 1 and the token reference are the
/// token-level σ of the truncated text (checked against `PathEntropyProduction` on `LlamaTokenModel`, an independent
/// whole-pass computation: 1e-4, see `TextSamplingTests` for the tolerance), every other scale against
/// `PathEntropyProduction` on its partition (1e-4), the table rows against a direct mean ± SE (1e-12).
struct TextSamplingBlockScaleTests {
    static func configuration(samples: Int = 24, length: Int = 12) -> TextSamplingConfiguration {
        var c = TextSamplingTests.configuration(samples: samples, length: length)
        c.superblocks = [1, 2, 3]; c.fixedBlocks = [1, 4, 100]
        return c
    }

    @Test func scalesMatchTheirDefinitions() throws {
        let c = Self.configuration()
        let r = try TextSamplingExperiment(c, model: TextSamplingTests.model, sentenceEnds: TextSamplingTests.ends).run()
        let lm = try LlamaTokenModel(model: TextSamplingTests.model, prefix: [0], temperature: 1)
        let scales = c.blockScales
        #expect(scales == [.token, .superblock(1), .superblock(2), .superblock(3), .fixed(1), .fixed(4), .fixed(100)])
        var multiSentence = 0
        for rec in r.texts {
            guard let cut = BlockPartition.truncatedAtLastDelimiter(rec.tokens, closesBlock: TextSamplingTests.ends.closesBlock) else {
                #expect(rec.blockScaleSigmas == nil && rec.blockScaleBlocks == nil)
                continue
            }
            let s = try #require(rec.blockScaleSigmas)
            #expect(s[1] == rec.sigmaBlock!)                       // k = 1: the sentence level, bit for bit
            #expect(s[0] == s[4])                                   // l = 1: the token reference
            #expect(abs(s[0] - (try PathEntropyProduction.sigma(lm, cut.prefix))) < 1e-4)
            #expect(s[6] == 0 && rec.blockScaleBlocks![6] == 1)    // l = 100 ≥ T': one block
            for (k, scale) in scales.enumerated() {
                let p = try scale.partition(sentences: cut.blocks)
                #expect(abs(s[k] - (try PathEntropyProduction.sigma(lm, cut.prefix, blocks: p))) < 1e-4, "\(scale)")
                #expect(rec.blockScaleBlocks![k] == p.count)
            }
            if cut.blocks.count >= 2 { multiSentence += 1 }
        }
        #expect(multiSentence >= 3)
        // Rows: k = 1 equals the block level's summary; every row equals a direct mean ± SE over the same texts.
        let rows = try #require(r.blockScale)
        #expect(rows.map(\.kind) == scales.map(\.kind) && rows.map(\.size) == scales.map(\.size))
        #expect(rows[1].perTokenMean == r.block.perTokenMean && rows[1].perTokenStderr == r.block.perTokenStderr)
        #expect(rows[1].sigmaMean == r.block.sigmaMean && rows[1].texts == r.block.texts)
        let withEnd = r.texts.filter { $0.blockScaleSigmas != nil }
        for (k, row) in rows.enumerated() {
            let x = withEnd.map { $0.blockScaleSigmas![k] / Double($0.truncatedLength) }
            let m = x.reduce(0, +) / Double(x.count)
            let se = (x.map { ($0 - m) * ($0 - m) }.reduce(0, +) / Double(x.count - 1) / Double(x.count)).squareRoot()
            #expect(abs(row.perTokenMean - m) < 1e-12 && abs(row.perTokenStderr - se) < 1e-12)
            let lengths = withEnd.map { Double($0.truncatedLength) / Double($0.blockScaleBlocks![k]) }
            #expect(abs(row.meanBlockLength - lengths.reduce(0, +) / Double(lengths.count)) < 1e-12)
        }
        #expect(rows[6].perTokenMean == 0 && rows[6].sigmaStderr == 0)
    }

    /// Off by default: no rows, no per-text values, and the rest of the result equal to a run with the scales on.
    @Test func offByDefaultAndTheRestUnchanged() throws {
        let off = try TextSamplingExperiment(TextSamplingTests.configuration(samples: 12, length: 10), model: TextSamplingTests.model,
                                             sentenceEnds: TextSamplingTests.ends).run()
        let on = try TextSamplingExperiment(Self.configuration(samples: 12, length: 10), model: TextSamplingTests.model,
                                            sentenceEnds: TextSamplingTests.ends).run()
        #expect(off.blockScale == nil && off.texts.allSatisfy { $0.blockScaleSigmas == nil })
        #expect(TextSamplingTests.configuration().blockScales.isEmpty)
        #expect(on.token == off.token && on.block == off.block && on.convergence == off.convergence)
        #expect(zip(on.texts, off.texts).allSatisfy { $0.sigmaToken == $1.sigmaToken && $0.sigmaBlock == $1.sigmaBlock })
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("text-sample-bs-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try on.write(to: dir)
        let csv = try String(contentsOfFile: dir + "/" + TextSamplingResult.blockScaleCSVName, encoding: .utf8)
        #expect(csv.split(separator: "\n").count == 1 + 7 && csv.hasPrefix("kind,size,texts,"))
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/" + TextSamplingResult.jsonName))) as? [String: Any]
        let rows = try #require(json?["block_scale"] as? [[String: Any]])
        #expect(rows.count == 7 && rows[2]["kind"] as? String == "superblock" && rows[2]["size"] as? Int == 2)
        for key in ["texts", "per_token_mean", "per_token_stderr", "sigma_mean", "sigma_stderr", "mean_block_length"] {
            #expect(rows[0][key] != nil, "\(key)")
        }
        let offDir = dir + "-off"
        defer { try? FileManager.default.removeItem(atPath: offDir) }
        try off.write(to: offDir)
        #expect(!FileManager.default.fileExists(atPath: offDir + "/" + TextSamplingResult.blockScaleCSVName))
    }

    /// The block-scale numbers, like the rest, do not depend on the batch size (fixed-order products): equal bit for bit.
    @Test func batchSizeDoesNotChangeTheScales() throws {
        var results = [TextSamplingResult]()
        for batch in [1, 5, 24] {
            var c = Self.configuration(samples: 10, length: 12)
            c.batchSize = batch
            results.append(try TextSamplingExperiment(c, model: TextSamplingTests.model, sentenceEnds: TextSamplingTests.ends).run())
        }
        for r in results.dropFirst() {
            #expect(r.blockScale == results[0].blockScale)
            #expect(r.texts.map(\.blockScaleSigmas) == results[0].texts.map(\.blockScaleSigmas))
        }
    }

    @Test func badScales() throws {
        for edit: (inout TextSamplingConfiguration) -> Void in [{ $0.superblocks = [0] }, { $0.fixedBlocks = [10, -1] },
                                                                { $0.fixedBlocks = [10, 10] }, { $0.superblocks = Array(1...65) }] {
            var c = TextSamplingTests.configuration()
            edit(&c)
            #expect(throws: ExperimentError.self) { try c.validate() }
        }
    }
}
