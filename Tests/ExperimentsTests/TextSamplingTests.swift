import ArrayIO
import Autoregressive
import Foundation
import Testing
import TestSupport
@testable import Experiments
@testable import LanguageModel

/// The sampled-text Monte Carlo on a small random llama (2 layers, width 16, vocabulary 13, context 64) with ids 3
/// and 7 declared sentence ends, checked against the `Autoregressive` engine: the same texts as
/// `LlamaTokenModel.sample`, σ_token and σ_block equal to `PathEntropyProduction` / `MonteCarloEntropyProduction`
/// on `LlamaTokenModel`, statistics equal to a direct computation.
///
/// Tolerances: per-token log-probabilities of the batched decoder and the whole-sequence pass agree to ~1e-6 (Float
/// rounding of differently shaped sgemms on O(1) values; `LlamaDecoderTests`), so a σ over ≤ 2·12 terms agrees to
/// 1e-4; statistics computed from the same σ values agree to 1e-12.
struct TextSamplingTests {
    static func random(_ n: Int, seed: UInt64, scale: Float = 1) -> [Float] {
        SplitMix64.uniformFloats(n, seed: seed, scale: scale)
    }

    static let model: LlamaModel = {
        let d = 16, f = 24, vocab = 13, kv = 8
        let c = try! LlamaConfiguration(layerCount: 2, embeddingLength: d, feedForwardLength: f, headCount: 4, kvHeadCount: 2,
                                        ropeFrequencyBase: 10_000, rmsEpsilon: 1e-5, contextLength: 64, vocabularySize: vocab)
        let layers = (0..<2).map { n in
            let s = UInt64(100 * n)
            return LlamaLayerWeights(attentionNorm: random(d, seed: s + 8).map { 1 + $0 / 2 }, feedForwardNorm: random(d, seed: s + 9).map { 1 + $0 / 2 },
                                     query: random(d * d, seed: s + 1), key: random(kv * d, seed: s + 2), value: random(kv * d, seed: s + 3),
                                     output: random(d * d, seed: s + 4, scale: 0.5), gate: random(f * d, seed: s + 5),
                                     up: random(f * d, seed: s + 6), down: random(d * f, seed: s + 7, scale: 0.5))
        }
        return try! LlamaModel(configuration: c, weights: LlamaWeights(tokenEmbedding: random(vocab * d, seed: 99, scale: 2),
                                                                        layers: layers, outputNorm: random(d, seed: 98).map { 1 + $0 / 2 }))
    }()

    static let ends = SentenceEndTokens(closes: (0..<13).map { $0 == 3 || $0 == 7 })

    static func configuration(samples: Int = 24, length: Int = 12, temperature: Double = 1) -> TextSamplingConfiguration {
        var c = TextSamplingConfiguration()
        c.samples = samples; c.length = length; c.temperature = temperature; c.seed = 77; c.batchSize = 5; c.prefix = [0]
        return c
    }

    @Test func matchesAutoregressiveEngine() throws {
        for tau in [1.0, 1.6] {
            let c = Self.configuration(temperature: tau)
            let r = try TextSamplingExperiment(c, model: Self.model, sentenceEnds: Self.ends).run()
            let lm = try LlamaTokenModel(model: Self.model, prefix: [0], temperature: tau)
            // Per-step reference ln P_τ: each factor from a fresh whole-sequence pass (independent of the decoder).
            func logP(_ y: [Int]) throws -> Double {
                var s = 0.0
                for t in 0..<y.count { s += try lm.logDensity(of: y[t], given: [0] + y[..<t]) }
                return s
            }
            #expect(r.texts.count == 24)
            for rec in r.texts {
                #expect(rec.tokens == (try lm.sample(length: 12, noise: SampleNoise(seed: 77, stream: UInt64(rec.index)))))
                #expect(abs(rec.sigmaToken - (try logP(rec.tokens) - logP(rec.tokens.reversed()))) < 1e-4)
                #expect(abs(rec.sigmaToken - (try PathEntropyProduction.sigma(lm, rec.tokens))) < 1e-4)
                if let cut = BlockPartition.truncatedAtLastDelimiter(rec.tokens, closesBlock: Self.ends.closesBlock) {
                    let want = try PathEntropyProduction.sigma(lm, cut.prefix, blocks: cut.blocks)
                    #expect(rec.truncatedLength == cut.prefix.count && rec.blocks == cut.blocks.count)
                    #expect(abs(rec.sigmaBlock! - want) < 1e-4)
                    #expect(abs(rec.sigmaBlock! - (try logP(cut.prefix) - logP(cut.blocks.reverse(cut.prefix)))) < 1e-4)
                    if cut.blocks.count == 1 { #expect(rec.sigmaBlock == 0) }
                } else {
                    #expect(rec.sigmaBlock == nil && rec.truncatedLength == 0)
                }
            }
            // The generic Monte Carlo engine on the adapter gives the same σ's (token level and block level).
            let mc = try MonteCarloEntropyProduction.run(lm, length: 12, samples: 24, seed: 77, bootstrapResamples: 10)
            #expect(zip(mc.sigmas, r.texts).allSatisfy { abs($0 - $1.sigmaToken) < 1e-4 })
            let mcBlocks = try MonteCarloEntropyProduction.run(lm, length: 12, samples: 24, seed: 77,
                                                               level: .blocks(closesBlock: { Self.ends.closesBlock($0) }),
                                                               bootstrapResamples: 10)
            #expect(zip(mcBlocks.sigmas, r.texts).allSatisfy { abs($0 - ($1.sigmaBlock ?? 0)) < 1e-4 })
            #expect(abs(mc.perTokenMean - r.token.perTokenMean) < 1e-5)
            // The fixture exercises all three block cases over both temperatures.
            #expect(r.textsWithoutSentenceEnd + r.singleSentenceTexts < 24)
            print("TextSampling τ = \(tau): no end \(r.textsWithoutSentenceEnd), single \(r.singleSentenceTexts), σ_token/T \(r.token.perTokenMean), σ_block/T' \(r.block.perTokenMean)")
        }
    }

    @Test func statisticsEqualDirectComputation() throws {
        let r = try TextSamplingExperiment(Self.configuration(samples: 21), model: Self.model, sentenceEnds: Self.ends).run()
        func meanSE(_ x: [Double]) -> (Double, Double) {
            let m = x.reduce(0, +) / Double(x.count)
            let v = x.map { ($0 - m) * ($0 - m) }.reduce(0, +) / Double(x.count - 1)
            return (m, (v / Double(x.count)).squareRoot())
        }
        let tok = meanSE(r.texts.map { $0.sigmaToken / 12 })
        #expect(abs(r.token.perTokenMean - tok.0) < 1e-12 && abs(r.token.perTokenStderr - tok.1) < 1e-12)
        let fl = meanSE(r.texts.map { exp(-$0.sigmaToken) })
        #expect(abs(r.token.fluctuationMean - fl.0) < 1e-12 && abs(r.token.fluctuationStderr - fl.1) < 1e-12)
        let withEnd = r.texts.filter { $0.sigmaBlock != nil }
        let blk = meanSE(withEnd.map { $0.sigmaBlock! / Double($0.truncatedLength) })
        #expect(r.block.texts == withEnd.count && r.block.texts + r.textsWithoutSentenceEnd == 21)
        #expect(abs(r.block.perTokenMean - blk.0) < 1e-12 && abs(r.block.perTokenStderr - blk.1) < 1e-12)
        #expect(abs(r.block.sigmaMean - meanSE(withEnd.map { $0.sigmaBlock! }).0) < 1e-12)
        // Convergence rows at 8, 16, 21: the first-n summaries; the last equals the whole.
        #expect(r.convergence.map(\.samples) == [8, 16, 21])
        let first8 = meanSE(r.texts[..<8].map { $0.sigmaToken / 12 })
        #expect(abs(r.convergence[0].token.perTokenMean - first8.0) < 1e-12)
        #expect(r.convergence.last!.token == r.token && r.convergence.last!.block == r.block)
        #expect(TextSamplingResult.convergenceSizes(8) == [8] && TextSamplingResult.convergenceSizes(100) == [8, 16, 32, 64, 100])
        #expect(TextSamplingResult.convergenceSizes(3) == [3])
    }

    /// The run goes batch by batch (5 texts each here): one checkpoint per batch with the texts so far, each a
    /// prefix of the final result (same records, bit for bit), and the last one is the result.
    @Test func checkpointsAfterEveryBatch() throws {
        final class Seen: @unchecked Sendable { var results: [TextSamplingResult] = [] }
        let seen = Seen()
        let r = try TextSamplingExperiment(Self.configuration(samples: 12, length: 6), model: Self.model, sentenceEnds: Self.ends)
            .run { seen.results.append($0) }
        #expect(seen.results.map(\.texts.count) == [5, 10, 12])
        for partial in seen.results { #expect(partial.texts == Array(r.texts.prefix(partial.texts.count))) }
        #expect(seen.results.last == r && r.texts.map(\.index) == Array(0..<12))
        // Chunks start at multiples of the batch size, so streams continue across them: the texts of chunk 2
        // are those of one call drawing 10 texts.
        let whole = try Self.model.sample(count: 10, length: 6, prefix: [0], temperature: 1, seed: 77, batchSize: 5)
        #expect(Array(r.texts[5..<10].map(\.tokens)) == Array(whole.tokens[5..<10]))
        #expect(throws: LanguageModelError.self) {
            try Self.model.sample(count: 1, length: 2, prefix: [0], temperature: 1, seed: 1, firstStream: -1)
        }
    }

    @Test func writesFiles() throws {
        let r = try TextSamplingExperiment(Self.configuration(samples: 10, length: 6), model: Self.model, sentenceEnds: Self.ends).run()
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("text-sample-ep-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try r.write(to: dir)
        let decoded = try ResultJSON.decode(TextSamplingResult.self,
                                               from: Data(contentsOf: URL(fileURLWithPath: dir + "/" + TextSamplingResult.jsonName)))
        #expect(decoded.texts.map(\.tokens) == r.texts.map(\.tokens))
        let csv = try String(contentsOfFile: dir + "/" + TextSamplingResult.textsCSVName, encoding: .utf8)
        #expect(csv.split(separator: "\n").count == 11)
        let conv = try String(contentsOfFile: dir + "/" + TextSamplingResult.convergenceCSVName, encoding: .utf8)
        #expect(conv.split(separator: "\n").count == 3)   // header, N = 8, N = 10
    }

    @Test func sentenceEndsAndBadConfigurations() throws {
        #expect(SentenceEndTokens.endsSentence(Array(" end.".utf8)) && SentenceEndTokens.endsSentence(Array("?\n ".utf8)))
        #expect(SentenceEndTokens.endsSentence(Array("!".utf8)))
        #expect(!SentenceEndTokens.endsSentence(Array(" Mr".utf8)) && !SentenceEndTokens.endsSentence([]))
        #expect(!SentenceEndTokens.endsSentence(Array(".)".utf8)) && !SentenceEndTokens.endsSentence(Array("  ".utf8)))
        func configError(_ edit: (inout TextSamplingConfiguration) -> Void) -> Bool {
            var c = Self.configuration()
            edit(&c)
            do { _ = try TextSamplingExperiment(c, model: Self.model, sentenceEnds: Self.ends); return false } catch is ExperimentError { return true } catch { return false }
        }
        #expect(configError { $0.samples = 1 })
        #expect(configError { $0.length = 0 })
        #expect(configError { $0.temperature = 0 })
        #expect(configError { $0.temperature = .nan })
        #expect(configError { $0.batchSize = 0 })
        #expect(configError { $0.prefix = [] })
        #expect(configError { $0.prefix = [13] })
        #expect(configError { $0.length = 64 })
        #expect(!configError { $0.length = 63 })
        #expect(throws: ExperimentError.self) {
            try TextSamplingExperiment(Self.configuration(), model: Self.model, sentenceEnds: SentenceEndTokens(closes: [true]))
        }
        var missing = Self.configuration()
        missing.modelPath = "/nonexistent/model.gguf"
        #expect(throws: ExperimentError.invalidConfiguration("model file /nonexistent/model.gguf not found: run scripts/fetch_model.sh to download it")) {
            try TextSamplingExperiment(missing)
        }
    }
}
