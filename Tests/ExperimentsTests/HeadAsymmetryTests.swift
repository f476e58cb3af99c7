import ArrayIO
import Foundation
import LanguageModel
import LinearAlgebra
import Testing
import TestSupport
import Thermodynamics
@testable import Experiments

/// P3 on a real model (issue 15 item 6): the per-head query–key form W = W_Q^hᵀ W_K^{g(h)} through d_head-sized
/// products (``QueryKeyForm``) against the dense n × n W (`NonNormality`, `attentionAsymmetryIndex` of
/// Thermodynamics), against closed forms on a GGUF fixture with known heads, and on SmolLM2 when present.
///
/// Tolerances: the reduced and dense computations are two float64 evaluations of the same quantities on O(1)
/// entries; their difference is rounding (observed ≲ 1e-14), bounded here by 1e-12 relative. The exception is
/// Henrici's departure and the commutator where they vanish: the reduced form reads them off a difference
/// ‖W‖² − Σ|λ|² with absolute error ~ε‖W‖², so a zero comes out as ≲ √ε ≈ 1e-8 (1e-7 allowed).
@Suite("head-asymmetry: per-head query-key form")
struct HeadAsymmetryTests {
    static func random(_ rows: Int, _ columns: Int, _ rng: inout SplitMix64) -> Matrix {
        Matrix.random(rows, columns, &rng)
    }

    static func relative(_ a: Double, _ b: Double) -> Double { abs(a - b) / Swift.max(abs(b), 1e-300) }

    /// Reduced vs dense on random heads of several shapes (n ≥ 2·d_head and n < 2·d_head), with and without a
    /// diagonal gain: A, dep/‖W‖, commutator, ‖W‖_F and dep agree to 1e-12 relative.
    @Test(arguments: [(40, 6), (12, 4), (5, 4), (9, 1)])
    func reducedMatchesDense(_ n: Int, _ dHead: Int) throws {
        var rng = SplitMix64(seed: UInt64(100 * n + dHead))
        for _ in 0..<3 {
            let xq = Self.random(n, dHead, &rng), xk = Self.random(n, dHead, &rng)
            let form = try QueryKeyForm(queryTransposed: xq, keyTransposed: xk)
            let w = try Matrix.product(xq, .none, xk, .transpose)
            let dense = try NonNormality(w)
            #expect(Self.relative(form.asymmetry, try attentionAsymmetryIndex(w)) < 1e-12)
            #expect(Self.relative(form.asymmetry, dense.antisymmetricRatio) < 1e-12)
            #expect(Self.relative(form.henriciRelative, dense.henriciRelative) < 1e-12, "\(form.henriciRelative) vs \(dense.henriciRelative)")
            #expect(Self.relative(form.henrici, dense.henrici) < 1e-12)
            #expect(Self.relative(form.commutator, dense.commutator) < 1e-12, "\(form.commutator) vs \(dense.commutator)")
            #expect(Self.relative(form.frobeniusNorm, w.frobeniusNorm) < 1e-12)
            #expect((0...1).contains(form.asymmetry))
        }
    }

    /// X_q = X_k gives A = 0 exactly (bits), for any X; X_k = −X_q is symmetric too (W = −X Xᵀ); scaling X_q and
    /// X_k by 2¹⁰⁰⁰ or 2⁻¹⁰⁰⁰ changes no index; the zero form scores 0.
    @Test func exactZeroScaleAndZeroForm() throws {
        var rng = SplitMix64(seed: 7)
        let x = Self.random(30, 5, &rng), y = Self.random(30, 5, &rng)
        #expect(try QueryKeyForm(queryTransposed: x, keyTransposed: x).asymmetry == 0)
        #expect(try QueryKeyForm(queryTransposed: x, keyTransposed: x.scaled(byPowerOfTwo: 3)).asymmetry < 1e-15)
        let base = try QueryKeyForm(queryTransposed: x, keyTransposed: y)
        for k in [1000, -1000] {
            let big = try QueryKeyForm(queryTransposed: x.scaled(byPowerOfTwo: k), keyTransposed: y.scaled(byPowerOfTwo: k))
            #expect(big.asymmetry == base.asymmetry && big.henriciRelative == base.henriciRelative && big.commutator == base.commutator)
        }
        let zero = try QueryKeyForm(queryTransposed: Matrix(rows: 30, columns: 5), keyTransposed: y)
        #expect([zero.asymmetry, zero.henrici, zero.henriciRelative, zero.commutator, zero.frobeniusNorm] == [0, 0, 0, 0, 0])
        #expect(throws: LinearAlgebraError.self) { try QueryKeyForm(queryTransposed: x, keyTransposed: Matrix(rows: 30, columns: 4)) }
    }

    /// The GGUF row permutation for RoPE (llama.cpp `permute`: within each head, row 2i+j ← row j·d_head/2 + i)
    /// applied to Q and K alike leaves every index unchanged; applied to Q alone it changes A (so the check can fail).
    @Test func ropePermutationLeavesTheFormUnchanged() throws {
        var rng = SplitMix64(seed: 11)
        let n = 24, dHead = 8
        let xq = Self.random(n, dHead, &rng), xk = Self.random(n, dHead, &rng)
        func permuted(_ x: Matrix) throws -> Matrix {   // columns of X = rows of the head's block
            var columns = [Double](repeating: 0, count: n * dHead)
            for i in 0..<(dHead / 2) {
                for j in 0..<2 {
                    for r in 0..<n { columns[r + (2 * i + j) * n] = x[r, j * dHead / 2 + i] }
                }
            }
            return try Matrix(rows: n, columns: dHead, columnMajor: columns)
        }
        let base = try QueryKeyForm(queryTransposed: xq, keyTransposed: xk)
        let both = try QueryKeyForm(queryTransposed: permuted(xq), keyTransposed: permuted(xk))
        #expect(Self.relative(both.asymmetry, base.asymmetry) < 1e-12)
        #expect(Self.relative(both.henriciRelative, base.henriciRelative) < 1e-12)
        #expect(Self.relative(both.commutator, base.commutator) < 1e-12)
        #expect(Self.relative(both.frobeniusNorm, base.frobeniusNorm) < 1e-12)
        let one = try QueryKeyForm(queryTransposed: permuted(xq), keyTransposed: xk)
        #expect(abs(one.asymmetry - base.asymmetry) > 1e-3)
    }

    /// The GGUF fixture (TestSupport `HeadAsymmetryFixture`) through the whole path — file, `QueryKeyProjections`,
    /// grouped-query mapping, both gain conventions: layer 0 (W_Q = W_K) is exactly 0; layer 1 gives the closed forms.
    @Test func fixtureGivesTheClosedForms() throws {
        let projections = try QueryKeyProjections(file: GGUFFile(bytes: HeadAsymmetryFixture.file().bytes))
        #expect(projections.headCount == 4 && projections.kvHeadCount == 2 && projections.headDimension == 2)
        #expect((0..<4).map(projections.kvHead(forQueryHead:)) == [0, 0, 1, 1])
        let r = try HeadAsymmetryAnalysis.run(projections, model: "fixture")
        for map in [r.withNormGain, r.withoutNormGain] {
            #expect(map.asymmetry[0] == [0, 0, 0, 0])
            for (h, e) in HeadAsymmetryFixture.layer1.enumerated() {
                #expect(abs(map.asymmetry[1][h] - e.asymmetry) < 1e-12, "head \(h): A = \(map.asymmetry[1][h]), expected \(e.asymmetry)")
                #expect(abs(map.henriciRelative[1][h] - e.henriciRelative) < 1e-7, "head \(h): \(map.henriciRelative[1][h])")
                #expect(abs(map.commutator[1][h] - e.commutator) < 1e-7, "head \(h): \(map.commutator[1][h])")
            }
        }
        #expect(r.withNormGain.asymmetry[1][3] == 1)
        // Gain 2 on layer 1: ‖W_eff‖ = 4‖W‖ exactly (powers of two).
        #expect(r.withNormGain.frobeniusNorm[1] == r.withoutNormGain.frobeniusNorm[1].map { 4 * $0 })
        let s = try #require(r.withNormGain.summary["asymmetry"])
        #expect(s.count == 8 && s.min == 0 && s.max == 1 && s.argmax == [1, 3] && s.argmin == [0, 0])
        #expect(abs(s.perLayerMean[1] - HeadAsymmetryFixture.layer1.map(\.asymmetry).reduce(0, +) / 4) < 1e-12)
    }

    /// Layer 0 of the fixture with its random gain g: the reduced form of diag(g) W diag(g) matches the dense one.
    @Test func gainConventionMatchesDense() throws {
        let projections = try QueryKeyProjections(file: GGUFFile(bytes: HeadAsymmetryFixture.file(seed: 3).bytes))
        var layer = try projections.layer(0)
        var rng = SplitMix64(seed: 5)
        layer.query = layer.query.map { $0 + Float(rng.nextDouble() - 0.5) }   // break W_Q = W_K
        let forms = try HeadAsymmetryAnalysis.forms(layer, projections, includeGain: true)
        let n = 8, g = Matrix.diagonal(layer.normGain.map(Double.init))
        for h in 0..<4 {
            let q = try Matrix(rows: 2, columns: n, rowMajor: layer.query[(h * 2 * n)..<((h + 1) * 2 * n)].map(Double.init))
            let kv = h / 2
            let k = try Matrix(rows: 2, columns: n, rowMajor: layer.key[(kv * 2 * n)..<((kv + 1) * 2 * n)].map(Double.init))
            let w = try g.multiplied(by: Matrix.product(q, .transpose, k, .none)).multiplied(by: g)
            #expect(Self.relative(forms[h].asymmetry, try attentionAsymmetryIndex(w)) < 1e-12)
            #expect(Self.relative(forms[h].commutator, try NonNormality(w).commutator) < 1e-12)
        }
    }

    /// The JSON carries the documented keys (top level: the gain-included map) and the CSV one row per head.
    @Test func filesHaveTheDocumentedKeys() throws {
        let r = try HeadAsymmetryAnalysis.run(QueryKeyProjections(file: GGUFFile(bytes: HeadAsymmetryFixture.file().bytes)), model: "fixture")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(try ResultJSON(r).text.utf8)) as? [String: Any])
        for key in ["asymmetry", "henrici", "henrici_relative", "commutator", "frobenius_norm", "summary", "conventions",
                    "layers", "heads", "kv_heads", "head_dimension", "embedding_length", "norm_gain", "without_norm_gain", "model"] {
            #expect(object[key] != nil, "\(key)")
        }
        let conventions = try #require(object["conventions"] as? [String: String])
        #expect(conventions["rope"]?.contains("offset 0") == true)
        #expect(try r.headsTable().text.split(separator: "\n").count == 1 + 8)
    }

    /// SmolLM2-135M: 30 × 9 heads, A ∈ [0, 1] and finite everywhere under both conventions; two heads (one per
    /// key head of layer 0 and the last layer) against the dense 576 × 576 W with the gain.
    @Test(.enabled(if: DownloadedModel.isPresent, "models/SmolLM2-135M-Instruct.Q4_1.gguf is absent: run scripts/fetch_model.sh"))
    func smolLM2MapIsInRange() throws {
        let projections = try QueryKeyProjections(contentsOf: DownloadedModel.path)
        let r = try HeadAsymmetryAnalysis.run(projections, model: DownloadedModel.path)
        #expect(r.layers == 30 && r.heads == 9 && r.kvHeads == 3 && r.headDimension == 64)
        for map in [r.withNormGain, r.withoutNormGain] {
            #expect(map.asymmetry.count == 30 && map.asymmetry.allSatisfy { $0.count == 9 })
            #expect(map.asymmetry.joined().allSatisfy { $0.isFinite && $0 >= 0 && $0 <= 1 })
            #expect(map.henriciRelative.joined().allSatisfy { $0.isFinite && $0 >= 0 && $0 <= 1 })
            #expect(map.commutator.joined().allSatisfy { $0.isFinite && $0 >= 0 })
        }
        for (l, h) in [(0, 4), (29, 8)] {
            let layer = try projections.layer(l)
            let form = try HeadAsymmetryAnalysis.forms(layer, projections, includeGain: true)[h]
            let d = 576, g = Matrix.diagonal(layer.normGain.map(Double.init))
            let q = try Matrix(rows: 64, columns: d, rowMajor: layer.query[(h * 64 * d)..<((h + 1) * 64 * d)].map(Double.init))
            let kv = h / 3
            let k = try Matrix(rows: 64, columns: d, rowMajor: layer.key[(kv * 64 * d)..<((kv + 1) * 64 * d)].map(Double.init))
            let w = try g.multiplied(by: Matrix.product(q, .transpose, k, .none)).multiplied(by: g)
            #expect(Self.relative(form.asymmetry, try attentionAsymmetryIndex(w)) < 1e-12)
            #expect(Self.relative(form.asymmetry, r.withNormGain.asymmetry[l][h]) == 0)
        }
        let s = try #require(r.withNormGain.summary["asymmetry"])
        print("SmolLM2 head asymmetry (gain included): mean \(s.mean), sd \(s.sd), min \(s.min) at \(s.argmin), max \(s.max) at \(s.argmax)")
    }
}
