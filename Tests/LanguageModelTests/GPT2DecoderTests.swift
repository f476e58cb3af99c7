import Foundation
import Testing
import Autoregressive
@testable import LanguageModel

/// The KV-cached GPT-2 decoder (`GPT2Model.sample`, `GPT2Model.logProbabilities(sequences:…)`) against the whole-pass
/// reference on the seeded tiny GPT-2 (`scripts/make_gpt2_fixture.py`): **bit for bit** (`==` on the texts and on
/// the Double log-probabilities), for batch sizes 1, 2, 5, 32 and 1 or 3 worker threads. Exact equality holds
/// because every product is fixed-order (`RowMajorMatrixProduct`) and LayerNorm, GELU and the masked softmax act
/// per row; a wrong position embedding, a row reading another row's cache or a stale cache changes the values by
/// ≳ 1e-3 and flips tokens.
@Suite(.serialized) struct GPT2DecoderTests {
    static let model: Result<GPT2Model, Error> = Result { try GPT2ReferenceTests.ggufModel() }

    /// The whole-pass reference: only the requirements a model must implement, so `sample` and
    /// `logProbabilities(sequences:…)` are the protocol's defaults (one whole pass per token / per sequence).
    final class WholePass: CausalLanguageModel, @unchecked Sendable {
        let m: any CausalLanguageModel
        init(_ m: any CausalLanguageModel) { self.m = m }
        var vocabularySize: Int { m.vocabularySize }
        var contextLength: Int { m.contextLength }
        var defaultPrefix: [Int] { m.defaultPrefix }
        func nextTokenLogits(tokens: [Int]) throws -> [Float] { try m.nextTokenLogits(tokens: tokens) }
        func logProbabilities(of sequence: [Int], after prefix: [Int], temperature: Double) throws -> [Double] {
            try m.logProbabilities(of: sequence, after: prefix, temperature: temperature)
        }
    }

    /// Sampling: cached == whole pass, texts and ln p_τ, at τ = 1 and 0.7, prefixes of 1 and 3 tokens, a length
    /// that fills the whole 32-position context, several batch sizes and thread counts.
    @Test func cachedSamplingEqualsWholePassBitForBit() throws {
        let m = try Self.model.get(), reference = WholePass(m)
        defer { try? LanguageModelThreads.set(0) }
        for (prefix, length, tau) in [([95], 31, 1.0), ([95, 40, 72], 12, 0.7)] {
            let whole = try reference.sample(count: 7, length: length, prefix: prefix, temperature: tau, seed: 2026)
            #expect(whole.tokens.allSatisfy { $0.count == length })
            #expect(Set(whole.tokens).count == 7, "7 different texts")
            for threads in [1, 3] {
                try LanguageModelThreads.set(threads)
                for batch in [1, 2, 5, 32] {
                    let cached = try m.sample(count: 7, length: length, prefix: prefix, temperature: tau, seed: 2026,
                                              batchSize: batch)
                    #expect(cached.tokens == whole.tokens, "prefix \(prefix), τ = \(tau), batch \(batch), \(threads) threads")
                    #expect(cached.logProbabilities == whole.logProbabilities,
                            "prefix \(prefix), τ = \(tau), batch \(batch), \(threads) threads")
                }
            }
        }
    }

    /// Chunks of whole batches (`firstStream`) give the sequences of one call; another seed gives other texts.
    @Test func chunksAndSeeds() throws {
        let m = try Self.model.get()
        let all = try m.sample(count: 6, length: 9, prefix: [95], temperature: 1.3, seed: 5, batchSize: 2)
        let first = try m.sample(count: 4, length: 9, prefix: [95], temperature: 1.3, seed: 5, batchSize: 2)
        let rest = try m.sample(count: 2, length: 9, prefix: [95], temperature: 1.3, seed: 5, batchSize: 2, firstStream: 4)
        #expect(first.tokens + rest.tokens == all.tokens)
        #expect(first.logProbabilities + rest.logProbabilities == all.logProbabilities)
        #expect(try m.sample(count: 6, length: 9, prefix: [95], temperature: 1.3, seed: 6, batchSize: 2).tokens != all.tokens)
    }

    /// Teacher forcing: at τ = 1 the batched scorer equals one whole pass over prefix + y bit for bit; at τ = 2.5
    /// it equals ln softmax(z/τ) of the whole-pass logits scaled as the sampler scales them (bit for bit), for
    /// variable-length batches (padding) of any size.
    @Test func cachedScoringEqualsWholePassBitForBit() throws {
        let m = try Self.model.get(), prefix = [95, 3]
        let sequences: [[Int]] = [[3, 7, 1, 22, 2, 9], [], [5], [0, 0, 4, 18, 11, 6, 6, 13, 21, 1, 2, 3, 90, 91],
                                  [17, 16, 15], Array(0..<30)]
        let whole = try sequences.map { s in
            s.isEmpty ? [] : Array(try m.evaluate(tokens: prefix + s).logProbabilities[(prefix.count - 1)...])
        }
        func scaled(_ s: [Int], _ tau: Double) throws -> [Double] {
            try s.indices.map { t in
                var z = try m.nextTokenLogits(tokens: prefix + s[..<t])
                return z.withUnsafeMutableBufferPointer { zb in
                    TemperatureSoftmax.scale(zb.baseAddress!, count: zb.count, temperature: tau)
                    return LogSoftmax.value(zb.baseAddress!, count: zb.count, at: s[t])
                }
            }
        }
        let hot = try sequences.map { try scaled($0, 2.5) }
        for batch in [1, 2, 32] {
            #expect(try m.logProbabilities(sequences: sequences, prefix: prefix, temperature: 1, batchSize: batch) == whole)
            #expect(try m.logProbabilities(sequences: sequences, prefix: prefix, temperature: 2.5, batchSize: batch) == hot)
        }
        #expect(try m.logProbabilities(of: sequences[0], after: prefix, temperature: 2.5) == hot[0])
    }

    /// Argument errors are one-line `invalidArgument`s, as for the llama decoder.
    @Test func argumentErrors() throws {
        let m = try Self.model.get()
        func fails(_ body: () throws -> Any) -> Bool { (try? body()) == nil }
        #expect(fails { try m.sample(count: 0, length: 3, prefix: [95], temperature: 1, seed: 1) })
        #expect(fails { try m.sample(count: 2, length: 32, prefix: [95], temperature: 1, seed: 1) })   // 33 > context 32
        #expect(fails { try m.sample(count: 2, length: 3, prefix: [96], temperature: 1, seed: 1) })
        #expect(fails { try m.sample(count: 2, length: 3, prefix: [95], temperature: 0, seed: 1) })
        #expect(fails { try m.logProbabilities(sequences: [[1, 200]], prefix: [95], temperature: 1) })
    }
}
