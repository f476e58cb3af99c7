import Foundation
import Testing
@testable import LanguageModel
import Autoregressive

/// The KV-cached batched decoder (`LlamaModel.sample`, `LlamaModel.logProbabilities(sequences:…)`) on a tiny random
/// llama (2 layers, width 8, 2 query heads over 1 kv head, vocabulary 23, context 40) against the whole-sequence
/// pass and the `Autoregressive` adapter. Tolerance 1e-5 nats throughout: both paths do the same Float32 arithmetic
/// on O(1) values and differ only in how sgemm blocks the sums (different row counts, attention split per row
/// instead of one T × T block), i.e. a few dozen roundings of 6e-8 relative — observed ≲ 1e-6; a wiring mistake
/// (wrong RoPE position, a row reading another row's cache, padding leaking backwards) changes values by ≳ 1e-2.
struct LlamaDecoderTests {
    static let model: LlamaModel = try! LlamaComponentTests.tinyModel(vocab: 23, context: 40)   // fixed test fixture

    static func maxDifference(_ a: [[Double]], _ b: [[Double]]) -> Double {
        zip(a, b).map { x, y in x.count == y.count ? zip(x, y).map { abs($0 - $1) }.max() ?? 0 : .infinity }.max() ?? 0
    }

    /// Deterministic test sequences of different lengths (including an empty one).
    static let sequences: [[Int]] = [[3, 7, 1, 22, 2, 9], [], [5], [0, 0, 4, 18, 11, 6, 6, 13, 21, 1, 2, 3],
                                     [17, 16, 15], [8, 9, 10, 11, 12, 13, 14, 15, 16]]

    /// Teacher forcing at τ = 1 equals `logProbabilities(tokens: prefix + y)` from position P − 1 on, for a
    /// one- and a three-token prefix, in one variable-length batch.
    @Test func teacherForcedMatchesWholeSequence() throws {
        let m = Self.model
        for prefix in [[0], [4, 19, 2]] {
            let batched = try m.logProbabilities(sequences: Self.sequences, prefix: prefix, temperature: 1)
            let whole = try Self.sequences.map { s in s.isEmpty ? [] : Array(try m.logProbabilities(tokens: prefix + s)[(prefix.count - 1)...]) }
            let diff = Self.maxDifference(batched, whole)
            #expect(diff < 1e-5, "prefix \(prefix): max |Δ log p| = \(diff)")
            #expect(batched[1].isEmpty && batched[3].count == 12)
        }
    }

    /// Variable-length batches (padding inside a batch, batches split at i / B) equal one-by-one scoring, at τ = 1
    /// and τ = 2.5.
    @Test func variableLengthBatchesEqualOneByOne() throws {
        let m = Self.model
        for tau in [1.0, 2.5] {
            let single = try Self.sequences.map { try m.logProbabilities(sequences: [$0], prefix: [0], temperature: tau, batchSize: 1)[0] }
            for b in [1, 4, 32] {
                let batched = try m.logProbabilities(sequences: Self.sequences, prefix: [0], temperature: tau, batchSize: b)
                #expect(Self.maxDifference(batched, single) < 1e-5, "τ = \(tau), batch \(b)")
            }
        }
    }

    /// ln p_τ = naive log-softmax(z/τ) of `nextTokenLogits` (Double arithmetic on the whole-pass logits), for the
    /// incremental sampler (τ = 0.7) and the teacher-forced scorer (τ = 2.5).
    @Test func temperatureMatchesNaiveLogSoftmax() throws {
        let m = Self.model, prefix = [0, 6]
        func naive(_ context: [Int], _ y: Int, _ tau: Double) throws -> Double {
            let z = try m.nextTokenLogits(tokens: context).map { Double($0) / tau }
            let mx = z.max()!
            return z[y] - mx - log(z.map { exp($0 - mx) }.reduce(0, +))
        }
        let texts = try m.sample(count: 5, length: 10, prefix: prefix, temperature: 0.7, seed: 3)
        var worst = 0.0
        for (y, lp) in zip(texts.tokens, texts.logProbabilities) {
            for t in 0..<y.count { worst = max(worst, abs(try naive(prefix + y[..<t], y[t], 0.7) - lp[t])) }
        }
        let scored = try m.logProbabilities(sequences: Self.sequences, prefix: prefix, temperature: 2.5)
        for (y, lp) in zip(Self.sequences, scored) {
            for t in 0..<y.count { worst = max(worst, abs(try naive(prefix + y[..<t], y[t], 2.5) - lp[t])) }
        }
        #expect(worst < 1e-5, "max |Δ log p_τ| = \(worst)")
        // Sampling log-probabilities are the teacher-forced ones of the sampled tokens.
        let rescored = try m.logProbabilities(sequences: texts.tokens, prefix: prefix, temperature: 0.7)
        #expect(Self.maxDifference(rescored, texts.logProbabilities) < 1e-5)
    }

    /// The same draws as the `Autoregressive` path (`LlamaTokenModel.sample(length:noise:)`, which
    /// `MonteCarloEntropyProduction` calls with stream i), at τ = 1 and 1.8; a different seed changes them.
    @Test func samplesEqualTokenModelDraws() throws {
        let m = Self.model
        for tau in [1.0, 1.8] {
            let lm = try LlamaTokenModel(model: m, prefix: [0], temperature: tau)
            let texts = try m.sample(count: 12, length: 15, prefix: [0], temperature: tau, seed: 42, batchSize: 5)
            for i in 0..<12 {
                let y = try lm.sample(length: 15, noise: SampleNoise(seed: 42, stream: UInt64(i)))
                #expect(texts.tokens[i] == y, "τ = \(tau), stream \(i)")
                // ln P_τ(y) equals the adapter's log-likelihood (1e-5 per token, 15 tokens).
                #expect(abs(texts.logProbabilities[i].reduce(0, +) - (try lm.logLikelihood(of: y))) < 15e-5)
            }
            let other = try m.sample(count: 12, length: 15, prefix: [0], temperature: tau, seed: 43)
            #expect(other.tokens != texts.tokens)
        }
    }

    /// Batch composition changes nothing beyond rounding: batch sizes 1, 7 and 32 give the same tokens and
    /// log-probabilities (1e-5); progress counts every drawn token.
    @Test func batchSizeDoesNotChangeResults() throws {
        let m = Self.model
        let counter = Counter()
        let one = try m.sample(count: 20, length: 9, prefix: [1, 2], temperature: 1.3, seed: 5, batchSize: 1,
                               progress: { counter.set($0) })
        #expect(counter.value == 180)
        for b in [7, 32] {
            let other = try m.sample(count: 20, length: 9, prefix: [1, 2], temperature: 1.3, seed: 5, batchSize: b)
            #expect(other.tokens == one.tokens)
            #expect(Self.maxDifference(other.logProbabilities, one.logProbabilities) < 1e-5)
        }
    }

    /// `LlamaTokenModel.stepLogDensities` at τ ≠ 1 now runs the batched scorer: same values as the per-step
    /// protocol path (update + logDensity, each a fresh whole pass).
    @Test func tokenModelStepLogDensitiesAtTemperature() throws {
        let lm = try LlamaTokenModel(model: Self.model, prefix: [0, 3], temperature: 0.6)
        let seq = [3, 7, 1, 22, 2, 9, 14]
        let batched = try lm.stepLogDensities(of: seq)
        var state = lm.initialState
        for (t, y) in seq.enumerated() {
            #expect(abs(try lm.logDensity(of: y, given: state) - batched[t]) < 1e-5)
            state = try lm.update(state, with: y)
        }
        #expect(languageModelError { try lm.stepLogDensities(of: [1, 23]) } != nil)
    }

    /// Bad inputs throw typed errors, never trap.
    @Test func badInputsThrow() throws {
        let m = Self.model
        func err(_ body: () throws -> Any) -> LanguageModelError? { languageModelError(body) }
        #expect(err { try m.sample(count: 0, length: 3, prefix: [0], temperature: 1, seed: 1) }
            == .invalidArgument("sample count must be ≥ 1, got 0"))
        #expect(err { try m.sample(count: 2, length: 0, prefix: [0], temperature: 1, seed: 1) } != nil)
        #expect(err { try m.sample(count: 2, length: 3, prefix: [], temperature: 1, seed: 1) }
            == .invalidArgument("the prefix must hold at least one token"))
        #expect(err { try m.sample(count: 2, length: 3, prefix: [23], temperature: 1, seed: 1) } != nil)
        #expect(err { try m.sample(count: 2, length: 3, prefix: [-1], temperature: 1, seed: 1) } != nil)
        #expect(err { try m.sample(count: 2, length: 39, prefix: [0, 1], temperature: 1, seed: 1) }
            == .invalidArgument("prefix (2) + 39 tokens exceed the context length 40"))
        #expect(err { try m.sample(count: 2, length: 38, prefix: [0, 1], temperature: 1, seed: 1) } == nil)
        for tau in [0, -1, Double.nan, .infinity] {
            #expect(err { try m.sample(count: 2, length: 3, prefix: [0], temperature: tau, seed: 1) } != nil)
            #expect(err { try m.logProbabilities(sequences: [[1]], prefix: [0], temperature: tau) } != nil)
        }
        #expect(err { try m.sample(count: 2, length: 3, prefix: [0], temperature: 1, seed: 1, batchSize: 0) } != nil)
        #expect(err { try m.logProbabilities(sequences: [[1, 2], [3, 23]], prefix: [0], temperature: 1) }
            == .invalidArgument("token id 23 at position 1 of sequence 1 is outside 0..<23"))
        #expect(err { try m.logProbabilities(sequences: [[1]], prefix: [], temperature: 1) } != nil)
        #expect(err { try m.logProbabilities(sequences: [[Int](repeating: 1, count: 40)], prefix: [0], temperature: 1) } != nil)
        #expect(try m.logProbabilities(sequences: [], prefix: [0], temperature: 1).isEmpty)
        #expect(try m.logProbabilities(sequences: [[], []], prefix: [0], temperature: 1) == [[], []])
    }
}

/// A progress sink for tests.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var latest = 0
    func set(_ v: Int) { lock.lock(); latest = v; lock.unlock() }
    var value: Int { lock.lock(); defer { lock.unlock() }; return latest }
}
