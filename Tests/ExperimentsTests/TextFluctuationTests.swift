import ArrayIO
import Autoregressive
import Foundation
import Testing
@testable import Experiments
@testable import LanguageModel

/// The fluctuation-theorem experiment on the small random llama of ``TextSamplingTests`` (vocabulary 13, ids 3 and 7
/// sentence ends): its tables are `FluctuationConvergence.table` of the σ's of `TextSamplingExperiment` at each τ
/// (the same texts and σ's, bit for bit), independent of the batch size, checkpointed, written and read back; the
/// exact theorem holds for the llama adapter by enumeration; bad configurations are `ExperimentError`s.
struct TextFluctuationTests {
    static func configuration(samples: Int = 20, temperatures: [Double] = [1, 2.5], batch: Int = 7) -> TextFluctuationConfiguration {
        var c = TextFluctuationConfiguration()
        c.samples = samples; c.length = 6; c.temperatures = temperatures; c.bootstrapResamples = 200; c.seed = 31
        c.batchSize = batch; c.prefix = [0]
        return c
    }

    static func experiment(_ c: TextFluctuationConfiguration) throws -> TextFluctuationExperiment {
        try TextFluctuationExperiment(c, model: TextSamplingTests.model, sentenceEnds: TextSamplingTests.ends)
    }

    @Test func tablesAreThoseOfTheSampledTexts() throws {
        let c = Self.configuration()
        let e = try Self.experiment(c)
        let r = try e.run()
        #expect(r.temperatures.map(\.temperature) == [1, 2.5] && r.temperatures.allSatisfy { $0.complete && $0.samples == 20 })
        for (k, t) in r.temperatures.enumerated() {
            let sampled = try TextSamplingExperiment(c.sampling(temperature: t.temperature), model: TextSamplingTests.model,
                                                     sentenceEnds: TextSamplingTests.ends).run()
            #expect(t.texts == sampled.texts)
            let token = try FluctuationConvergence.table(sigmas: sampled.texts.map(\.sigmaToken), resamples: 200,
                                                         seed: e.bootstrapSeed(temperatureIndex: k, level: 0))
            #expect(t.token == token && t.token.map(\.samples) == [8, 16, 20])
            let blockSigmas = sampled.texts.compactMap(\.sigmaBlock)
            #expect(t.blockTexts == blockSigmas.count)
            if blockSigmas.count >= 2 {
                #expect(t.block == (try FluctuationConvergence.table(sigmas: blockSigmas, resamples: 200,
                                                                     seed: e.bootstrapSeed(temperatureIndex: k, level: 1))))
            }
            // The last row's mean and stderr are text-sample-ep's ⟨e^{−σ}⟩ of the same texts.
            #expect(t.token.last?.fluctuationMean == sampled.token.fluctuationMean)
            #expect(t.token.last?.fluctuationStderr == sampled.token.fluctuationStderr)
            #expect(t.sigmaMin == sampled.texts.map(\.sigmaToken).min())
        }
        // Bootstrap streams differ between temperatures and levels.
        #expect(Set([e.bootstrapSeed(temperatureIndex: 0, level: 0), e.bootstrapSeed(temperatureIndex: 0, level: 1),
                     e.bootstrapSeed(temperatureIndex: 1, level: 0)]).count == 3)
    }

    /// Batch size 1, 7 and 20: the same result apart from wall times, bit for bit.
    @Test func batchSizeDoesNotChangeResults() throws {
        func strip(_ r: TextFluctuationResult) -> [TextFluctuationTemperature] {
            r.temperatures.map { t in
                TextFluctuationTemperature(temperature: t.temperature, samples: t.samples, complete: t.complete, token: t.token,
                                           block: t.block, blockTexts: t.blockTexts, singleSentenceTexts: t.singleSentenceTexts,
                                           sigmaMin: t.sigmaMin, sigmaMax: t.sigmaMax, texts: t.texts, samplingSeconds: 0,
                                           scoringSeconds: 0)
            }
        }
        let base = strip(try Self.experiment(Self.configuration(samples: 12, batch: 1)).run())
        for batch in [5, 12] {
            #expect(strip(try Self.experiment(Self.configuration(samples: 12, batch: batch)).run()) == base, "batch \(batch)")
        }
    }

    /// Checkpoints: mid-temperature when a batch completes a new row (n = 8, 16), after each temperature; each a
    /// prefix of the final result.
    @Test func checkpointsAndFiles() throws {
        final class Seen: @unchecked Sendable { var results: [TextFluctuationResult] = [] }
        let seen = Seen()
        let r = try Self.experiment(Self.configuration(samples: 20, batch: 5)).run(checkpoint: { seen.results.append($0) })
        // Batches of 5: row n = 8 is complete after 10 texts (a checkpoint), n = 16 only at N = 20 (the temperature's own).
        #expect(seen.results.map { $0.temperatures.map(\.samples) } == [[10], [20], [20, 10], [20, 20]])
        #expect(seen.results.map { $0.temperatures.map(\.complete) } == [[false], [true], [true, false], [true, true]])
        #expect(seen.results.last?.temperatures == r.temperatures)
        #expect(seen.results[0].temperatures[0].texts == Array(r.temperatures[0].texts.prefix(10)))

        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("text-fluctuation-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try r.write(to: dir)
        let back = try ResultJSON.decode(TextFluctuationResult.self,
                                         from: Data(contentsOf: URL(fileURLWithPath: dir + "/" + TextFluctuationResult.jsonName)))
        #expect(back.temperatures.map(\.token) == r.temperatures.map(\.token) && back.configuration == r.configuration)
        let conv = try String(contentsOfFile: dir + "/" + TextFluctuationResult.convergenceCSVName, encoding: .utf8)
        let expectedRows = r.temperatures.reduce(0) { $0 + $1.token.count + $1.block.count }
        #expect(conv.split(separator: "\n").count == 1 + expectedRows)
        #expect(conv.hasPrefix("temperature,level,N,fluctuation_mean,fluctuation_stderr,band_lower,band_upper"))
        let texts = try String(contentsOfFile: dir + "/" + TextFluctuationResult.textsCSVName, encoding: .utf8)
        #expect(texts.split(separator: "\n").count == 1 + 40)
        #expect(r.withoutTexts().temperatures.allSatisfy { $0.texts.isEmpty } && r.withoutTexts().temperatures.map(\.token) == r.temperatures.map(\.token))
    }

    /// The exact theorem for the language-model adapter: all 13³ continuations of the prefix at τ = 3, each scored by
    /// whole passes; Σ P e^{−σ} is Σ P over the same terms reordered (1e-12), and Σ P = 1 to the Float32 logits'
    /// normalisation (1e-6).
    @Test func exactTheoremOnTheLlamaAdapter() throws {
        let lm = try LlamaTokenModel(model: TextSamplingTests.model, prefix: [0], temperature: 3)
        let exact = try ExactFluctuationTheorem(lm, length: 3)
        #expect(exact.sequences == 2197)
        #expect(abs(exact.fluctuationMean - exact.totalProbability) < 1e-12 && abs(exact.totalProbability - 1) < 1e-6)
        #expect(exact.sigmaMean > 0)
    }

    @Test func badConfigurations() throws {
        func configError(_ edit: (inout TextFluctuationConfiguration) -> Void) -> Bool {
            var c = Self.configuration()
            edit(&c)
            do { _ = try Self.experiment(c); return false } catch is ExperimentError { return true } catch { return false }
        }
        #expect(!configError { _ in })
        #expect(configError { $0.temperatures = [] })
        #expect(configError { $0.temperatures = [3, 0] })
        #expect(configError { $0.temperatures = [-1] })
        #expect(configError { $0.temperatures = [.nan] })
        #expect(configError { $0.temperatures = [.infinity] })
        #expect(configError { $0.temperatures = [3, 3] })
        #expect(configError { $0.temperatures = Array(repeating: 0, count: 65).enumerated().map { Double($0.offset + 1) } })
        #expect(configError { $0.samples = 7 })
        #expect(!configError { $0.samples = 8 })
        #expect(configError { $0.bootstrapResamples = 0 })
        #expect(configError { $0.bootstrapResamples = 10_000_001 })
        #expect(configError { $0.confidenceLevel = 1 })
        #expect(configError { $0.length = 0 })
        #expect(configError { $0.length = 64 })   // prefix + T > context 64
        #expect(configError { $0.batchSize = 0 })
        #expect(configError { $0.prefix = [13] })
        var missing = Self.configuration()
        missing.modelPath = "/nonexistent/model.gguf"
        #expect(throws: ExperimentError.invalidConfiguration("model file /nonexistent/model.gguf not found: run scripts/fetch_model.sh to download it")) {
            try TextFluctuationExperiment(missing)
        }
        // The plan: texts of every temperature, the bootstrap means, one row's copies.
        var big = TextFluctuationConfiguration()
        big.samples = 1000; big.length = 9; big.bootstrapResamples = 50
        #expect(try big.memoryPlan().bytes() == 2 * 1000 * 10 * 3 * 8 + 50 * 8 + 4 * 1000 * 8)
    }
}
