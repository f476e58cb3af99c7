import ArrayIO
import Foundation
import LinearAlgebra
import SpinModels
import Testing
@testable import Experiments

@Suite("Figure spin experiment")
struct FigureSpinTests {
    /// A small configuration: N = 8, D ∈ {3, 16}, a 2 × 2 grid (β below β_c), 4 replicates, no demo, a 3 × 3 fine grid.
    static var small: FigureSpinConfiguration {
        var c = FigureSpinConfiguration.quick
        c.sites = 8
        c.dimensions = [3, 16]
        c.drives = [0.5, 2]
        c.betas = [0.5, 1.5]
        c.replicates = 4
        c.finePoints = 3
        c.demo = nil
        return c
    }

    /// A synthetic chain whose replicates are (1 + ε) × the exact mean field plus small pseudo-random noise: the
    /// noise-corrected errors of the exact prediction must read ε/(1 + ε) for m, D and σ (the noise is 10⁻⁵ of the
    /// signal, far below the tolerance 10⁻³).
    static func scaledMeanField(_ eps: Double, configuration: FigureSpinConfiguration) -> FigureSpinSampler {
        FigureSpinSampler(name: "scaled-mean-field") { request in
            let experiment = try FigureSpinExperiment(configuration, sampler: .chain)
            let mf = try NaiveMeanField(couplings: request.couplings, inputs: request.inputs, beta: request.beta,
                                        space: request.space, response: .exact)
            let p = try experiment.predict(mf)
            return (0..<request.replicates).map { r in
                func noisy(_ v: [Double], _ salt: Int) -> [Double] {
                    let scale = (v.map(abs).max() ?? 0) * 1e-5
                    return v.enumerated().map { k, x in (1 + eps) * x + scale * sin(Double(k * 7919 + r * 104_729 + salt)) }
                }
                return ChainReplicateEstimate(magnetizations: noisy(p.state.magnetizations.storage, 1),
                                              delayedCorrelation: noisy(p.delayed.storage, 2), chainMagnetizationNorm: nil)
            }
        }
    }

    @Test("a chain that is (1 + ε) × the mean field reads error ε/(1 + ε) for m, D and σ; files, JSON and PNG")
    func syntheticChain() throws {
        let c = Self.small, eps = 0.1
        let result = try FigureSpinExperiment(c, sampler: Self.scaledMeanField(eps, configuration: c)).run()
        #expect(result.complete && result.cells.count == 8 && result.fine.count == 2 * 9)
        for cell in result.cells {
            let e = try #require(cell.exact.errors, "D = \(cell.dimension) u = \(cell.drive) β = \(cell.beta): \(cell.failure ?? "")")
            for x in [e.magnetization, e.delayedCorrelation, e.entropyProduction] {
                #expect(abs(try #require(x.error) - eps / (1 + eps)) < 1e-3, "\(cell.dimension) \(cell.drive) \(cell.beta): \(x)")
            }
            // The split parts' squares add up to the whole.
            let parts = [e.symmetric, e.antisymmetricOrthogonal, e.projection].compactMap(\.unclampedSquare).reduce(0, +)
            #expect(abs(parts - (e.delayedCorrelation.unclampedSquare ?? .nan)) < 1e-9)
            #expect(cell.branches >= 1)
            #expect(abs(cell.lipschitzLargeDimension - cell.beta / 2) < 1e-12)  // J is row-stochastic
        }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("figure-spin-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try result.write(to: dir)
        let cells = try String(contentsOfFile: dir + "/" + FigureSpinResult.cellsCSVName, encoding: .utf8)
        #expect(cells.split(separator: "\n").count == 1 + 2 * 8)
        let back = try ResultJSON.decode(FigureSpinResult.self, from: Data(contentsOf: URL(fileURLWithPath: dir + "/" + FigureSpinResult.jsonName)))
        #expect(back.cells == result.cells)
        try FigureSpinResult.renderFigure(in: dir)
        let png = try Data(contentsOf: URL(fileURLWithPath: dir + "/" + FigureSpinResult.pngName))
        #expect(Array(png.prefix(4)) == [0x89, 0x50, 0x4E, 0x47])
    }

    /// The experiment's fixed point reproduces the reference m* of docs/theory/spin-transformers.md §7 (an
    /// independent NumPy Picard run, 10 digits) on the reference system D = 8, N = 3.
    @Test func fixedPointMatchesReference() throws {
        let space = try SpinSpace(dimension: 8)
        let j = try Matrix([[0.5, 0.3, 0.2], [0.1, 0.6, 0.3], [0.4, 0.4, 0.2]])
        var x = Matrix(rows: 3, columns: 8)
        x[0, 0] = 1; x[1, 1] = 1; x[2, 0] = 0.6; x[2, 2] = 0.8
        let mf = try NaiveMeanField(couplings: j, inputs: x, beta: 1, space: space)
        let p = try FigureSpinExperiment(Self.small, sampler: .chain).predict(mf)
        #expect(p.converged)
        let want = [[0.6189747135, 0.1180864016, 0.0578310271], [0.1115414697, 0.6175024689, 0.0753880611],
                    [0.4284167719, 0.1412850585, 0.4097288521]]
        for i in 0..<3 { for k in 0..<3 { #expect(abs(p.state.magnetizations[i, k] - want[i][k]) < 1e-9) } }
        #expect(abs(p.entropyProduction - 0.1284852356) < 1e-9)  // σ_hk at m*
    }

    /// The problem: J row-stochastic and asymmetric, every drive of norm (u/β)R, the same J for every D.
    @Test func problemIsAsSpecified() throws {
        let a = try SpinFidelityProblem(sites: 6, dimension: 16, seed: 7), b = try SpinFidelityProblem(sites: 6, dimension: 3, seed: 7)
        #expect(a.couplings == b.couplings)
        for i in 0..<6 {
            #expect(abs((0..<6).reduce(0) { $0 + a.couplings[i, $1] } - 1) < 1e-14)
            let x = a.inputs(drive: 1.5, beta: 0.5)
            #expect(abs((0..<16).reduce(0) { $0 + x[i, $1] * x[i, $1] }.squareRoot() - 3 * a.space.radius) < 1e-12)
        }
        #expect(abs(a.couplings[0, 1] - a.couplings[1, 0]) > 1e-6)
    }

    /// The demo through the experiment at its quick size: σ per layer for the initial weights and every accepted
    /// ascent step (the summed σ rises at each, by construction of the step-halving), the gradient check small.
    @Test func demoThroughTheExperiment() throws {
        var c = Self.small
        c.dimensions = [3]
        c.drives = [1]
        c.betas = [1]
        c.finePoints = 0
        c.demo = .quick
        let r = try FigureSpinExperiment(c, sampler: Self.scaledMeanField(0, configuration: c)).run()
        let demo = try #require(r.demo)
        #expect(demo.sigma.count == 1 + demo.stepSizes.count && demo.sigma.allSatisfy { $0.count == 2 })
        #expect(demo.sigmaPerHead.count == 2 && demo.sigmaPerHead.allSatisfy { $0.count == 2 })
        for k in 1..<demo.sigma.count { #expect(demo.sigma[k].reduce(0, +) > demo.sigma[k - 1].reduce(0, +)) }
        #expect(demo.stepSizes.count == c.demo!.ascentSteps || demo.stalled)
        #expect(try #require(demo.gradientCheck) < 1e-4)
    }

    /// Bad configurations are one-line errors before any work.
    @Test func badConfigurations() throws {
        var c = Self.small
        c.dimensions = [2]
        #expect(throws: ExperimentError.self) { try FigureSpinExperiment(c) }
        c = Self.small
        c.replicates = 1
        #expect(throws: ExperimentError.self) { try FigureSpinExperiment(c) }
        c = Self.small
        c.betas = [0]
        #expect(throws: ExperimentError.self) { try FigureSpinExperiment(c) }
    }
}
