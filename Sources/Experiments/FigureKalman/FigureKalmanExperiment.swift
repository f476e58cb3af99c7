import Autoregressive
import Dispatch
import Foundation
import LinearAlgebra

/// Runs Figure 5 (see ``FigureKalmanConfiguration``): per case, the Kalman innovation model from the
/// DARE, the exact zero-start curve S_y(1…T_max) by the linear-time recursions, and at each Monte Carlo
/// horizon N trajectories sampled from the model, σ = ½Σ e^Bᵀ S⁻¹ e^B − ½Σ eᵀ S⁻¹ e each
/// (``MonteCarloEntropyProduction``, thread-count-independent).
public struct FigureKalmanExperiment: Sendable {
    public let configuration: FigureKalmanConfiguration

    public init(_ configuration: FigureKalmanConfiguration) throws {
        try configuration.validate()
        self.configuration = configuration
    }

    /// The innovation model of one case (shape, finiteness and DARE errors propagate typed).
    public static func model(_ c: FigureKalmanCase) throws -> KalmanInnovationModel {
        try KalmanInnovationModel(a: try Matrix(c.a), c: try Matrix(c.c), q: try Matrix(c.q), r: try Matrix(c.r))
    }

    public func run() throws -> FigureKalmanResult {
        let start = DispatchTime.now().uptimeNanoseconds
        let cfg = configuration
        let threads = cfg.threads  // ThreadCount: 0 = every active processor
        var cases = [FigureKalmanCaseResult]()
        for (j, c) in cfg.cases.enumerated() {
            let model = try Self.model(c)
            let curve = try model.entropyProduction(horizon: cfg.maxHorizon, start: .zero, method: .linear).curve
            var points = [FigureKalmanPoint]()
            for (k, t) in cfg.monteCarloHorizons.enumerated() {
                let seed = cfg.seed &+ UInt64(1000 * j + k)
                let mc = try MonteCarloEntropyProduction.run(model, length: t, samples: cfg.samples, seed: seed, threads: threads)
                let exact = curve[t - 1]
                let z = mc.standardError > 0 ? (mc.mean - exact) / mc.standardError : (mc.mean == exact ? 0 : .infinity)
                points.append(FigureKalmanPoint(
                    horizon: t, analytic: exact, mean: mc.mean, stderr: mc.standardError,
                    bootstrapCI: [mc.bootstrapInterval.lowerBound, mc.bootstrapInterval.upperBound], z: z,
                    fluctuationMean: mc.fluctuationMean, fluctuationStderr: mc.fluctuationStandardError,
                    samples: cfg.samples, seed: seed))
            }
            let n = curve.count
            cases.append(FigureKalmanCaseResult(
                name: c.name, observationDimension: model.observationDimension, stateDimension: model.stateDimension,
                innovationCovariance: model.innovationCovariance.rowArrays, gain: model.gain.rowArrays, curve: curve,
                finalIncrement: n >= 2 ? curve[n - 1] - curve[n - 2] : curve[0], monteCarlo: points))
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        return FigureKalmanResult(configuration: cfg, cases: cases, seconds: seconds)
    }
}
