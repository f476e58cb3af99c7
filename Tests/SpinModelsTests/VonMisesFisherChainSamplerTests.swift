import Foundation
import LinearAlgebra
import SpinModels
import Testing

/// Wood's sampler against the exact vMF moments (docs/theory/spin-chain.md §1): for s = R u, u ~ vMF(μ, κ), the
/// component along μ has mean R·A_D(κ) and variance ρ = R²(1 − (D − 1)A_D/κ − A_D²), every component orthogonal to μ
/// has mean 0 and variance τ = R²A_D/κ, and ‖s‖ = R exactly. Each sample estimate must lie within 5 of its own
/// standard errors (estimated from the same draws) of the exact value; the seed is fixed, so the test is
/// deterministic, and a sampler bias of a few per cent of the spread would fail it (checked by perturbing b).
@Suite struct VonMisesFisherChainSamplerTests {
    /// (D, κ) from nearly uniform to strongly concentrated; the field is a fixed non-axis direction.
    @Test(arguments: [(3, 0.3), (3, 4.0), (16, 10.0), (64, 2.0), (128, 400.0)])
    func momentsMatchExactVonMisesFisher(dimension: Int, kappa: Double) throws {
        let space = try SpinSpace(dimension: dimension)
        let count = 20_000, beta = 0.7, r = space.radius
        var direction = (0..<dimension).map { Double(($0 * 7) % 5) - 1.9 }
        let norm = direction.reduce(0) { $0 + $1 * $1 }.squareRoot()
        direction = direction.map { $0 / norm }
        let field = direction.map { $0 * kappa / (beta * r) }  // κ = βR‖h‖
        let draws = try VonMisesFisherSampler.sample(field: field, beta: beta, space: space, count: count, seed: 11)
        #expect(draws.rows == count && draws.columns == dimension)

        let a = space.besselRatio(kappa)
        let wantMean = r * a, wantRadial = space.radiusSquared * (1 - Double(dimension - 1) * a / kappa - a * a)
        let wantTangential = space.radiusSquared * a / kappa
        var along = [Double](repeating: 0, count: count), worstNorm = 0.0
        // Tangential components: the first two coordinates after removing μ (projections onto two fixed unit vectors ⊥ μ).
        var e1 = [Double](repeating: 0, count: dimension); e1[0] = 1
        var e2 = [Double](repeating: 0, count: dimension); e2[1] = 1
        func orthogonalise(_ v: inout [Double], against us: [[Double]]) {
            for u in us { let p = zip(v, u).reduce(0) { $0 + $1.0 * $1.1 }; for k in 0..<v.count { v[k] -= p * u[k] } }
            let n = v.reduce(0) { $0 + $1 * $1 }.squareRoot(); v = v.map { $0 / n }
        }
        orthogonalise(&e1, against: [direction]); orthogonalise(&e2, against: [direction, e1])
        var t1 = along, t2 = along
        for n in 0..<count {
            var p = 0.0, q1 = 0.0, q2 = 0.0, ss = 0.0
            for k in 0..<dimension {
                let v = draws[n, k]
                p += v * direction[k]; q1 += v * e1[k]; q2 += v * e2[k]; ss += v * v
            }
            along[n] = p; t1[n] = q1; t2[n] = q2
            worstNorm = max(worstNorm, abs(ss.squareRoot() - r))
        }
        #expect(worstNorm < 1e-12 * r)
        func check(_ x: [Double], mean wantM: Double, variance wantV: Double, _ label: String) {
            let n = Double(x.count)
            let m = x.reduce(0, +) / n
            let c2 = x.reduce(0) { $0 + ($1 - m) * ($1 - m) } / n
            let c4 = x.reduce(0) { $0 + pow4($1 - m) } / n
            let seMean = (c2 / n).squareRoot(), seVar = ((c4 - c2 * c2) / n).squareRoot()
            #expect(abs(m - wantM) < 5 * seMean, "\(label) mean \(m) vs \(wantM) (SE \(seMean)), D \(dimension) κ \(kappa)")
            #expect(abs(c2 - wantV) < 5 * seVar, "\(label) variance \(c2) vs \(wantV) (SE \(seVar)), D \(dimension) κ \(kappa)")
        }
        check(along, mean: wantMean, variance: wantRadial, "radial")
        check(t1, mean: 0, variance: wantTangential, "tangential 1")
        check(t2, mean: 0, variance: wantTangential, "tangential 2")
    }

    /// A zero field gives uniform directions: mean 0, covariance (R²/D) I.
    @Test func zeroFieldIsUniform() throws {
        let space = try SpinSpace(dimension: 5)
        let draws = try VonMisesFisherSampler.sample(field: [0, 0, 0, 0, 0], beta: 1, space: space, count: 20_000, seed: 3)
        let want = space.radiusSquared / 5
        for k in 0..<5 {
            var m = 0.0, v = 0.0
            for n in 0..<draws.rows { m += draws[n, k]; v += draws[n, k] * draws[n, k] }
            m /= Double(draws.rows); v /= Double(draws.rows)
            #expect(abs(m) < 5 * (want / Double(draws.rows)).squareRoot())
            #expect(abs(v - want) < 0.05 * want)
        }
    }

    /// The chain's boundary terms ln C_D(κ_a) − ln C_D(κ_b), computed on the interval itself: against the closed
    /// form ln(κ/sinh κ) at D = 3 (short intervals and many panels, κ ≤ 45, 1e-12 relative; beyond, the Bessel
    /// ratio's own accuracy at κ ≫ ν is the limit, the vMF primitives' business), and against the difference of the
    /// 64-node log-normalisers on short intervals for D = 16 … 512 (1e-10 relative).
    @Test func logNormaliserChangeMatchesDifference() throws {
        let three = try SpinSpace(dimension: 3)
        func exact3(_ k: Double) -> Double { k == 0 ? 0 : log(k) - (k + log1p(-exp(-2 * k)) - log(2.0)) }
        for (a, b) in [(0.0, 0.5), (3.0, 3.2), (40.0, 37.5), (0.0, 30.0), (45.0, 2.0)] {
            let want = exact3(a) - exact3(b)
            let got = three.logNormaliserChange(from: a, to: b)
            #expect(abs(got - want) < 1e-12 * max(1, abs(exact3(a)), abs(exact3(b))), "D 3 [\(a), \(b)]: \(got) vs \(want)")
        }
        for d in [16, 64, 512] {
            let space = try SpinSpace(dimension: d)
            for (a, b) in [(0.0, 0.5), (3.0, 3.2), (40.0, 37.5), (150.0, 152.0)] {
                let want = space.logNormaliserDifference(a) - space.logNormaliserDifference(b)
                let got = space.logNormaliserChange(from: a, to: b)
                let scale = max(1, abs(space.logNormaliserDifference(a)), abs(space.logNormaliserDifference(b)))
                #expect(abs(got - want) < 1e-10 * scale, "D \(d) [\(a), \(b)]: \(got) vs \(want)")
            }
        }
    }

    /// Same seed ⇒ same bits; a different seed ⇒ different draws; bad input ⇒ typed errors.
    @Test func seededAndChecked() throws {
        let space = try SpinSpace(dimension: 8)
        let h = [1.0, 0, 0, 0, 0, 0, 0, 0]
        let a = try VonMisesFisherSampler.sample(field: h, beta: 1, space: space, count: 50, seed: 5)
        let b = try VonMisesFisherSampler.sample(field: h, beta: 1, space: space, count: 50, seed: 5)
        let c = try VonMisesFisherSampler.sample(field: h, beta: 1, space: space, count: 50, seed: 6)
        #expect(a == b)
        #expect(a != c)
        #expect(throws: SpinModelsError.self) { try VonMisesFisherSampler.sample(field: [1, 0], beta: 1, space: space, count: 5, seed: 0) }
        #expect(throws: SpinModelsError.self) { try VonMisesFisherSampler.sample(field: h, beta: 0, space: space, count: 5, seed: 0) }
        #expect(throws: SpinModelsError.self) { try VonMisesFisherSampler.sample(field: h, beta: 1, space: space, count: 0, seed: 0) }
        #expect(throws: SpinModelsError.self) {
            try VonMisesFisherSampler.sample(field: [.nan, 0, 0, 0, 0, 0, 0, 0], beta: 1, space: space, count: 5, seed: 0)
        }
    }
}

private func pow4(_ x: Double) -> Double { let y = x * x; return y * y }
