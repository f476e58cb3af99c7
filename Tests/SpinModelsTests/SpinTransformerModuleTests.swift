import LinearAlgebra
import SpinModels
import Testing

/// The spin-transformer module forward (docs/theory/spin-transformer-module.md): the per-head kernels against the
/// reference numbers of docs/theory/spin-transformers.md §7 (exact answers to 1e-9), the identity property of HEAD,
/// masks, the post's stored θ_prev, batching, seeded weights and the one-line errors.
@Suite struct SpinTransformerModuleTests {
    static let j = try! Matrix([[0.5, 0.3, 0.2], [0.1, 0.6, 0.3], [0.4, 0.4, 0.2]])
    static var x: Matrix {
        var x = Matrix(rows: 3, columns: 8)
        x[0, 0] = 1; x[1, 1] = 1; x[2, 0] = 0.6; x[2, 2] = 0.8
        return x
    }

    /// Post head, θ_prev = ones, K = 1: D_post and σ = 0.0743667732 of the reference system.
    @Test func postHeadReferenceNumbers() throws {
        let r = try SpinTransformerModule.postHead(couplings: Self.j, drive: Self.x,
                                                   previousFields: Matrix(rows: 3, columns: 8, repeating: 1),
                                                   steps: 1, space: SpinSpace(dimension: 8), beta: 1)
        #expect(abs(r.entropyProduction - 0.0743667732) < 1e-9)
        #expect(abs(r.delayedCorrelation[0, 0] - 0.4210221962) < 1e-9)
        #expect(abs(r.delayedCorrelation[2, 1] - 0.3320936831) < 1e-9)
        #expect(abs(r.magnetizations[0, 0] - 0.5667830909) < 1e-9)
    }

    /// HEAD head from m_0 = 0 at the fixed point (Picard to 1e-13): m* and σ_hk = 0.1284852356.
    @Test func headHeadFixedPointReferenceNumbers() throws {
        let r = try SpinTransformerModule.headHead(couplings: Self.j, drive: Self.x, initial: Matrix(rows: 3, columns: 8),
                                                   steps: nil, space: SpinSpace(dimension: 8), beta: 1,
                                                   maxIterations: 500, tolerance: 1e-13)
        #expect(abs(r.entropyProduction - 0.1284852356) < 1e-9)
        #expect(abs(r.magnetizations[0, 0] - 0.6189747135) < 1e-9)
        #expect(abs(r.magnetizations[2, 2] - 0.4097288521) < 1e-9)
        #expect((r.fixedPointResidual ?? 1) < 1e-13)
        // Too few iterations: a one-line notConverged error, never a silent state.
        #expect(throws: SpinModelsError.self) {
            try SpinTransformerModule.headHead(couplings: Self.j, drive: Self.x, initial: Matrix(rows: 3, columns: 8),
                                               steps: nil, space: SpinSpace(dimension: 8), beta: 1, maxIterations: 3, tolerance: 1e-13)
        }
    }

    /// HEAD with input mode magnetization, reset init, no FFN, K = 1 is the identity, and so is its Jacobian
    /// (central differences, step 1e-6, to 1e-8).
    @Test func identityProperty() throws {
        let config = SpinTransformerConfiguration(variant: .head, dim: 24, heads: 2, steps: 1, ffn: false,
                                                  initMode: .reset, inputMode: .magnetization)
        var module = try SpinTransformerModule(configuration: config, seed: 7)
        let x = try Self.ball(rows: 5, columns: 24, radius: 0.8 * 5.0.squareRoot(), seed: 3)  // R_head² = 5
        let out = try module([x]).outputs[0]
        for k in 0..<x.storage.count { #expect(abs(out.storage[k] - x.storage[k]) < 1e-12) }
        let h = 1e-6
        for (r, c) in [(0, 0), (2, 13), (4, 23)] {
            var plus = x, minus = x
            plus[r, c] += h; minus[r, c] -= h
            let fp = try module([plus]).outputs[0], fm = try module([minus]).outputs[0]
            for i in 0..<5 { for k in 0..<24 {
                let jac = (fp[i, k] - fm[i, k]) / (2 * h)
                #expect(abs(jac - ((i == r && k == c) ? 1 : 0)) < 1e-8)
            } }
        }
    }

    /// Row-stochastic J; causal mask zeroes the upper triangle; a padding key gets zero weight; a row with no key is
    /// an error.
    @Test func masks() throws {
        var config = SpinTransformerConfiguration(variant: .head, dim: 16, heads: 2, causal: true)
        var module = try SpinTransformerModule(configuration: config, seed: 1)
        let x = try Self.ball(rows: 6, columns: 16, radius: 2, seed: 9)
        var mask = [Bool](repeating: true, count: 6)
        mask[3] = false
        let out = try module([x], keyMasks: [mask])
        for head in out.heads[0] {
            let jm = head.couplings
            for i in 0..<6 {
                var s = 0.0
                for k in 0..<6 { s += jm[i, k]; if k > i || k == 3 { #expect(jm[i, k] == 0) } }
                #expect(abs(s - 1) < 1e-14)
            }
        }
        config.causal = false
        module = try SpinTransformerModule(configuration: config, seed: 1)
        #expect(throws: SpinModelsError.self) { try module([x], keyMasks: [[Bool](repeating: false, count: 6)]) }
    }

    /// Post: the second call's previous state is the first call's θ; shape changes are errors until resetState.
    @Test func postStoredPreviousFields() throws {
        let config = SpinTransformerConfiguration(variant: .post, dim: 16, heads: 2, steps: 2)
        var module = try SpinTransformerModule(configuration: config, seed: 2)
        let x = try Self.ball(rows: 5, columns: 16, radius: 1, seed: 4)
        let first = try module([x])
        #expect(first.heads[0][0].previous.fields.storage.allSatisfy { $0 == 1 })
        let second = try module([x])
        for h in 0..<2 { #expect(second.heads[0][h].previous.fields == first.heads[0][h].current.fields) }
        #expect(throws: SpinModelsError.self) { try module([x, x]) }
        module.resetState()
        #expect(try module([x, x]).heads.count == 2)
    }

    /// A batch gives, sequence by sequence, the bits of separate calls; σ is finite per (sequence, head).
    @Test func batchEqualsSeparateCalls() throws {
        for variant in SpinTransformerConfiguration.Variant.allCases {
            let config = SpinTransformerConfiguration(variant: variant, dim: 16, heads: 4 / 2, steps: 2)
            let a = try Self.ball(rows: 7, columns: 16, radius: 1.5, seed: 5), b = try Self.ball(rows: 7, columns: 16, radius: 1.5, seed: 6)
            var batched = try SpinTransformerModule(configuration: config, seed: 3)
            var single = batched
            let both = try batched([a, b])
            single.resetState()
            let onlyB = try single([b])
            #expect(both.outputs[1] == onlyB.outputs[0])
            #expect(both.entropyProduction[1] == onlyB.entropyProduction[0])
            let allFinite = both.entropyProduction.joined().allSatisfy { $0.isFinite }
            #expect(allFinite)
        }
    }

    /// The R_full quirk uses R_full² = dim/2 − 1 in φ; the default uses R_head².
    @Test func postRadiusQuirk() throws {
        let quirk = SpinTransformerConfiguration(variant: .post, dim: 32, heads: 4, postRadius: .full)
        #expect(try quirk.validated().radiusSquared == 15)
        #expect(try SpinTransformerConfiguration(variant: .post, dim: 32, heads: 4).validated().radiusSquared == 3)
        var m = try SpinTransformerModule(configuration: quirk, seed: 1)
        let out = try m([Self.ball(rows: 4, columns: 32, radius: 3, seed: 8)])
        // Per-head magnetizations stay inside the R_full ball but may leave the R_head ball.
        for head in out.heads[0] { for n2 in head.current.magnetizationNormsSquared { #expect(n2 < 15) } }
        var bad = quirk
        bad.response = .exact
        #expect(throws: SpinModelsError.self) { try bad.validated() }
    }

    /// Seeded weights: a pure function of (seed, layer), inside U(−1/√in, 1/√in).
    @Test func seededWeights() throws {
        let config = SpinTransformerConfiguration(variant: .post, dim: 16, heads: 2)
        let a = try SpinTransformerWeights(configuration: config, seed: 11, layer: 1)
        #expect(a == (try SpinTransformerWeights(configuration: config, seed: 11, layer: 1)))
        #expect(a.query != (try SpinTransformerWeights(configuration: config, seed: 11, layer: 2)).query)
        #expect(a.query.storage.allSatisfy { abs($0) < 0.25 })
        #expect(a.ffnOut!.storage.allSatisfy { abs($0) < 0.125 })
    }

    /// One-line errors for bad configurations and inputs.
    @Test func errors() throws {
        #expect(throws: SpinModelsError.self) { try SpinTransformerConfiguration(variant: .post, dim: 10, heads: 4).validated() }
        #expect(throws: SpinModelsError.self) { try SpinTransformerConfiguration(variant: .head, dim: 8, heads: 4).validated() }
        #expect(throws: SpinModelsError.self) { try SpinTransformerConfiguration(variant: .head, dim: 8, heads: 1, beta: 0).validated() }
        var post = try SpinTransformerModule(configuration: SpinTransformerConfiguration(variant: .post, dim: 8, heads: 1, preMix: false), seed: 1)
        #expect(throws: SpinModelsError.self) { try post([Matrix(rows: 3, columns: 8)]) }   // zero token: no direction
        #expect(throws: SpinModelsError.self) { try post([Matrix(rows: 3, columns: 7, repeating: 1)]) }
        var lift = try SpinTransformerModule(configuration: SpinTransformerConfiguration(variant: .head, dim: 8, heads: 1,
                                                                                         inputMode: .magnetization), seed: 1)
        #expect(throws: SpinModelsError.self) { try lift([Matrix(rows: 2, columns: 8, repeating: 1)]) }  // ‖x‖ ≥ R
    }

    /// n × w rows of norm `radius` in seeded directions.
    static func ball(rows: Int, columns: Int, radius: Double, seed: UInt64) throws -> Matrix {
        var m = Matrix(rows: rows, columns: columns)
        var state = seed &* 0x9E37_79B9_7F4A_7C15 | 1
        for i in 0..<rows {
            var row = [Double](repeating: 0, count: columns)
            for k in 0..<columns {
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                row[k] = Double(state >> 11) / Double(1 << 53) - 0.5
            }
            let n = row.reduce(0) { $0 + $1 * $1 }.squareRoot()
            for k in 0..<columns { m[i, k] = radius * row[k] / n }
        }
        return m
    }
}
