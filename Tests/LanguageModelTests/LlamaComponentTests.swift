import Foundation
import Testing
import TestSupport
@testable import LanguageModel
import Autoregressive

/// Pieces of the llama forward pass checked without the model file: RoPE, RMSNorm, causal grouped-query
/// attention against a naive Double triple loop, log-softmax with huge logits, input validation.
struct LlamaComponentTests {
    /// Seeded uniform values in [−1, 1) (SplitMix64), so every run sees the same numbers.
    static func random(_ n: Int, seed: UInt64) -> [Float] { SplitMix64.uniformFloats(n, seed: seed) }

    /// D = 4, base 100, positions 0 and 1: pair 0 turns by 1·100⁰ = 1 rad, pair 1 by 100^(−2/4) = 0.1 rad;
    /// position 0 is the identity. Float rounding of cos/sin and one product: tolerance 1e-6.
    @Test func rotaryEmbeddingKnownVector() {
        let rope = RotaryEmbedding(headDimension: 4, base: 100, positions: 2)
        var x: [Float] = [1, 0, 0, 1,  1, 0, 0, 1]
        x.withUnsafeMutableBufferPointer { rope.apply($0.baseAddress!, rows: 2, heads: 1) }
        let expected: [Double] = [1, 0, 0, 1, cos(1), sin(1), -sin(0.1), cos(0.1)]
        for (a, b) in zip(x, expected) { #expect(abs(Double(a) - b) < 1e-6) }
        // Two heads per row get the same rotation; norms are preserved (rotation), to Float rounding 1e-5.
        var y = Self.random(3 * 8, seed: 3)
        let before = y
        let r2 = RotaryEmbedding(headDimension: 4, base: 100, positions: 3)
        y.withUnsafeMutableBufferPointer { r2.apply($0.baseAddress!, rows: 3, heads: 2) }
        for p in 0..<12 {
            let n0 = before[2 * p] * before[2 * p] + before[2 * p + 1] * before[2 * p + 1]
            let n1 = y[2 * p] * y[2 * p] + y[2 * p + 1] * y[2 * p + 1]
            #expect(abs(n0 - n1) < 1e-5)
        }
        #expect(Array(y[0..<8]) == Array(before[0..<8]))
    }

    /// x = (3, 4): mean square 12.5, so y = g·x/√12.5 = (0.848528, 2.262742) for g = (1, 2); Float: 1e-6.
    @Test func rmsNormKnownValues() {
        let y = RMSNorm.apply([3, 4, 0, 0], gain: [1, 2], epsilon: 0)
        #expect(abs(Double(y[0]) - 3 / 12.5.squareRoot()) < 1e-6)
        #expect(abs(Double(y[1]) - 8 / 12.5.squareRoot()) < 1e-6)
        // ε keeps an all-zero row finite: 0 / √ε = 0.
        let z = RMSNorm.apply([0, 0], gain: [1, 1], epsilon: 1e-5)
        #expect(z == [0, 0])
    }

    /// Naive Double attention: for each head, position i, softmax over j ≤ i of q_i·k_j/√D, weighted sum of v_j.
    static func naiveAttention(q: [Float], k: [Float], v: [Float], t: Int, heads: Int, kvHeads: Int, dh: Int) -> [Double] {
        var out = [Double](repeating: 0, count: t * heads * dh)
        for h in 0..<heads {
            let g = h / (heads / kvHeads)
            for i in 0..<t {
                var s = [Double](repeating: 0, count: i + 1)
                for j in 0...i {
                    for e in 0..<dh { s[j] += Double(q[i * heads * dh + h * dh + e]) * Double(k[j * kvHeads * dh + g * dh + e]) }
                    s[j] /= Double(dh).squareRoot()
                }
                let m = s.max()!
                let w = s.map { exp($0 - m) }, z = w.reduce(0, +)
                for j in 0...i {
                    for e in 0..<dh { out[i * heads * dh + h * dh + e] += w[j] / z * Double(v[j * kvHeads * dh + g * dh + e]) }
                }
            }
        }
        return out
    }

    /// T = 7, 6 query heads over 2 kv heads (groups of 3), D = 8, inputs scaled ×3 so the softmax is peaked.
    /// Float32 sgemm over ≤ 8 and ≤ 7 terms of size ≤ 9: |Δ| ≲ 1e-5; tolerance 1e-5 absolute on outputs ≤ 1.
    /// Causality is checked too: changing the last position leaves all earlier outputs bit-identical.
    @Test func causalGroupedAttentionMatchesNaive() {
        let t = 7, heads = 6, kvHeads = 2, dh = 8
        let q = Self.random(t * heads * dh, seed: 11).map { $0 * 3 }
        var k = Self.random(t * kvHeads * dh, seed: 12).map { $0 * 3 }
        let v = Self.random(t * kvHeads * dh, seed: 13)
        func run(_ k: [Float]) -> [Float] {
            var out = [Float](repeating: .nan, count: t * heads * dh)
            var scores = [Float](repeating: 0, count: t * t)
            q.withUnsafeBufferPointer { qb in k.withUnsafeBufferPointer { kb in v.withUnsafeBufferPointer { vb in
                scores.withUnsafeMutableBufferPointer { sb in out.withUnsafeMutableBufferPointer { ob in
                    CausalAttention.apply(query: qb.baseAddress!, key: kb.baseAddress!, value: vb.baseAddress!, rows: t,
                                          heads: heads, kvHeads: kvHeads, headDimension: dh,
                                          scores: sb.baseAddress!, into: ob.baseAddress!)
                } }
            } } }
            return out
        }
        let fast = run(k)
        let naive = Self.naiveAttention(q: q, k: k, v: v, t: t, heads: heads, kvHeads: kvHeads, dh: dh)
        let maxDiff = zip(fast, naive).map { abs(Double($0) - $1) }.max()!
        #expect(maxDiff < 1e-5, "max |Δ| = \(maxDiff)")
        // Position 0 attends only to itself: its output is v_0 of its kv head exactly (weight 1).
        #expect(Array(fast[0..<dh]) == Array(v[0..<dh]))
        for j in (t - 1) * kvHeads * dh..<t * kvHeads * dh { k[j] += 5 }
        let changed = run(k)
        #expect(Array(changed[0..<(t - 1) * heads * dh]) == Array(fast[0..<(t - 1) * heads * dh]))
        #expect(changed != fast)
    }

    /// Logits ±1000 overflow a naive exp (e^1000 = ∞ in Float); the stable form gives 0, −1000, −2000 (to the
    /// Float spacing at 1000, 6e-5); four equal logits 3e38 give −ln 4 to Double rounding (1e-12); the
    /// probabilities of 1000 random logits sum to 1 within 1e-6 (each e^{z−m} is a Float `expf`, relative 1e-7).
    @Test func logSoftmaxIsStableForHugeLogits() {
        let l = LogSoftmax.apply([1000, 0, -1000])
        #expect(abs(l[0]) < 1e-12 && abs(l[1] + 1000) < 1e-4 && abs(l[2] + 2000) < 1e-4)
        let equal = LogSoftmax.apply([Float](repeating: 3e38, count: 4))
        for v in equal { #expect(abs(v + log(4.0)) < 1e-12) }
        let r = LogSoftmax.apply(Self.random(1000, seed: 5).map { $0 * 50 })
        #expect(abs(r.map { exp($0) }.reduce(0, +) - 1) < 1e-6)
        #expect(r.allSatisfy { $0 <= 0 && $0.isFinite })
    }

    /// silu(z)·u at z = 0, 1, −100 (e^100 overflows Float: silu → −0).
    @Test func swiGLU() {
        var g: [Float] = [0, 1, -100]
        let u: [Float] = [5, 2, 1]
        g.withUnsafeMutableBufferPointer { SwiGLU.apply(gate: $0.baseAddress!, up: u, count: 3) }
        #expect(g[0] == 0 && abs(Double(g[1]) - 2 / (1 + exp(-1))) < 1e-6 && g[2] == 0)
    }

    /// A tiny random model: valid input works and gives log-probabilities ≤ 0; bad inputs throw typed errors.
    static func tinyModel(vocab: Int = 11, context: Int = 8) throws -> LlamaModel {
        let c = try LlamaConfiguration(layerCount: 2, embeddingLength: 8, feedForwardLength: 12, headCount: 2, kvHeadCount: 1,
                                       ropeFrequencyBase: 10_000, rmsEpsilon: 1e-5, contextLength: context, vocabularySize: vocab)
        let layers = (0..<2).map { n in
            let s = UInt64(100 * n)
            return LlamaLayerWeights(attentionNorm: random(8, seed: s + 8).map { 1 + $0 / 2 }, feedForwardNorm: random(8, seed: s + 9).map { 1 + $0 / 2 },
                                     query: random(64, seed: s + 1), key: random(32, seed: s + 2), value: random(32, seed: s + 3),
                                     output: random(64, seed: s + 4), gate: random(96, seed: s + 5), up: random(96, seed: s + 6),
                                     down: random(96, seed: s + 7))
        }
        return try LlamaModel(configuration: c, weights: LlamaWeights(tokenEmbedding: random(vocab * 8, seed: 99), layers: layers,
                                                                      outputNorm: random(8, seed: 98).map { 1 + $0 / 2 }))
    }

    @Test func tinyModelAndInputErrors() throws {
        let m = try Self.tinyModel()
        let e = try m.evaluate(tokens: [0, 3, 10, 4])
        #expect(e.logProbabilities.count == 3 && e.logProbabilities.allSatisfy { $0 < 0 })
        #expect(e.lastLogits.count == 11)
        // Prefix consistency: the log-probs of a prefix equal the first values of the longer sequence (causality;
        // same sgemm shapes differ only in T, so allow Float rounding 1e-5).
        let p = try m.logProbabilities(tokens: [0, 3, 10])
        for i in 0..<2 { #expect(abs(p[i] - e.logProbabilities[i]) < 1e-5) }
        let single = try m.logProbabilities(tokens: [5])
        #expect(single.isEmpty)
        #expect(languageModelError { try m.logProbabilities(tokens: []) } == .invalidArgument("empty token sequence"))
        #expect(languageModelError { try m.logProbabilities(tokens: [0, 11]) } != nil)
        #expect(languageModelError { try m.logProbabilities(tokens: [-1]) } != nil)
        #expect(languageModelError { try m.logProbabilities(tokens: [Int](repeating: 1, count: 9)) }
            == .invalidArgument("9 tokens exceed the context length 8"))
        // Wrong weight sizes and inconsistent configurations are rejected.
        #expect(languageModelError { try LlamaConfiguration(layerCount: 1, embeddingLength: 8, feedForwardLength: 4, headCount: 3,
                                                           kvHeadCount: 1, ropeFrequencyBase: 1e4, rmsEpsilon: 1e-5,
                                                           contextLength: 4, vocabularySize: 4) } != nil)
        var w = m.weights
        w.layers[1].down.removeLast()
        #expect(languageModelError { try LlamaModel(configuration: m.configuration, weights: w) }
            == .invalidArgument("layer 1 ffn_down has 95 values, expected 96"))
    }
}

/// The `Autoregressive` adapter on the tiny random model: the batched `stepLogDensities` equals the per-step
/// protocol path (update + logDensity, each a fresh forward pass), sampling is a pure function of the noise.
struct LlamaTokenModelTests {
    /// Batched vs per-step: the same arithmetic on different T (sgemm blocking may differ): Float rounding,
    /// tolerance 1e-5 on log-probabilities of size ~2.
    @Test func batchedMatchesStepwise() throws {
        let lm = try LlamaTokenModel(model: LlamaComponentTests.tinyModel(), prefix: [0])
        let seq = [3, 7, 1, 10, 2]
        let batched = try lm.stepLogDensities(of: seq)
        var state = lm.initialState
        for (t, y) in seq.enumerated() {
            #expect(abs(try lm.logDensity(of: y, given: state) - batched[t]) < 1e-5)
            state = try lm.update(state, with: y)
        }
        // Temperature 2 goes through the per-step path: ln p_τ must still normalize over the alphabet (1e-6).
        let hot = try LlamaTokenModel(model: lm.model, temperature: 2)
        let total = try (0..<hot.alphabetSize).map { exp(try hot.logDensity(of: $0, given: [0, 3])) }.reduce(0, +)
        #expect(abs(total - 1) < 1e-6)
        let noise = SampleNoise(seed: 7, stream: 1)
        let a = try lm.sample(length: 6, noise: noise), b = try lm.sample(length: 6, noise: noise)
        #expect(a == b && a.allSatisfy { (0..<11).contains($0) })
        #expect(languageModelError { try LlamaTokenModel(model: lm.model, prefix: []) } != nil)
        #expect(languageModelError { try LlamaTokenModel(model: lm.model, temperature: 0) } != nil)
        #expect(languageModelError { try lm.update([0], with: 11) } != nil)
    }
}

/// The whole tiny random model against a naive Double forward pass written from the equations of docs/theory/language-models.md §2
/// (matrix–vector loops, per-position attention, half-angle-free adjacent-pair RoPE), so the wiring — pre-norm
/// residuals, grouped heads, SwiGLU, tied head — is checked without the model file. Float32 vs Double over
/// 2 layers of width 8 with weights in [−1, 1): a few dozen Float roundings (1.2e-7 each) of O(1) values,
/// observed 6e-7; tolerance 1e-5.
struct LlamaNaiveForwardTests {
    static func naiveLogProbabilities(_ m: LlamaModel, _ tokens: [Int]) -> [Double] {
        let c = m.configuration, w = m.weights, d = c.embeddingLength, dh = c.headDimension, t = tokens.count
        func matvec(_ a: [Float], _ x: [Double], rows: Int) -> [Double] {
            (0..<rows).map { r in (0..<x.count).reduce(0.0) { $0 + Double(a[r * x.count + $1]) * x[$1] } }
        }
        func rms(_ x: [Double], _ g: [Float]) -> [Double] {
            let s = (x.map { $0 * $0 }.reduce(0, +) / Double(x.count) + c.rmsEpsilon).squareRoot()
            return x.indices.map { x[$0] / s * Double(g[$0]) }
        }
        func rope(_ v: [Double], pos: Int) -> [Double] {
            var o = v
            for h in 0..<(v.count / dh) { for i in 0..<(dh / 2) {
                let th = Double(pos) * pow(c.ropeFrequencyBase, -Double(2 * i) / Double(dh))
                let a = v[h * dh + 2 * i], b = v[h * dh + 2 * i + 1]
                o[h * dh + 2 * i] = a * cos(th) - b * sin(th); o[h * dh + 2 * i + 1] = a * sin(th) + b * cos(th)
            } }
            return o
        }
        var x = tokens.map { id in (0..<d).map { Double(w.tokenEmbedding[id * d + $0]) } }
        for l in w.layers {
            let h = x.map { rms($0, l.attentionNorm) }
            let q = h.enumerated().map { rope(matvec(l.query, $1, rows: d), pos: $0) }
            let k = h.enumerated().map { rope(matvec(l.key, $1, rows: c.kvLength), pos: $0) }
            let v = h.map { matvec(l.value, $0, rows: c.kvLength) }
            for i in 0..<t {
                var o = [Double](repeating: 0, count: d)
                for hd in 0..<c.headCount {
                    let g = hd / c.groupSize
                    let s = (0...i).map { j in (0..<dh).reduce(0.0) { $0 + q[i][hd * dh + $1] * k[j][g * dh + $1] } / Double(dh).squareRoot() }
                    let mx = s.max()!, e = s.map { exp($0 - mx) }, z = e.reduce(0, +)
                    for j in 0...i { for a in 0..<dh { o[hd * dh + a] += e[j] / z * v[j][g * dh + a] } }
                }
                let proj = matvec(l.output, o, rows: d)
                for a in 0..<d { x[i][a] += proj[a] }
            }
            for i in 0..<t {
                let hh = rms(x[i], l.feedForwardNorm)
                let gate = matvec(l.gate, hh, rows: c.feedForwardLength), up = matvec(l.up, hh, rows: c.feedForwardLength)
                let down = matvec(l.down, gate.indices.map { gate[$0] / (1 + exp(-gate[$0])) * up[$0] }, rows: d)
                for a in 0..<d { x[i][a] += down[a] }
            }
        }
        return (0..<(t - 1)).map { i in
            let z = matvec(w.tokenEmbedding, rms(x[i], w.outputNorm), rows: c.vocabularySize)
            let mx = z.max()!
            return z[tokens[i + 1]] - mx - log(z.map { exp($0 - mx) }.reduce(0, +))
        }
    }

    @Test func tinyModelMatchesNaiveDoubleForward() throws {
        let m = try LlamaComponentTests.tinyModel()
        let tokens = [0, 3, 10, 4, 4, 7, 1, 9]
        let fast = try m.logProbabilities(tokens: tokens)
        let naive = Self.naiveLogProbabilities(m, tokens)
        let diff = zip(fast, naive).map { abs($0 - $1) }.max()!
        #expect(fast.count == 7 && diff < 1e-5, "max |Δ log p| = \(diff)")
        print("tiny llama vs naive Double forward: max |Δ log p| = \(diff)")
    }
}
