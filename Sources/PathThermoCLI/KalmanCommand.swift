import ArgumentParser
import Autoregressive
import Dispatch
import Foundation
import LinearAlgebra
import ResourceLimits

/// `paththermo kalman`: exact (and Monte Carlo) entropy production of the Kalman innovation model.
struct KalmanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kalman",
        abstract: "Entropy production of the linear-Gaussian autoregressive (Kalman innovation) model.",
        discussion: """
            Signal model x' = A x + w, y = C x + v (w ~ N(0,Q), v ~ N(0,R)) through the Riccati equation,
            or the innovation model given directly by A, C, K, S. S_y(T) = KL(P→ ‖ P←) with the backward
            process = the same filter on the reversed sequence. Matrices are JSON literals, .npy or .json
            files; a scalar s means s·I (A: a 1×1 matrix).
            """
    )

    @Option(help: "A (n_x × n_x).") var a: String
    @Option(help: "C (n_y × n_x).") var c: String
    @Option(help: "Process noise covariance Q (with --r).") var q: String?
    @Option(help: "Observation noise covariance R (with --q).") var r: String?
    @Option(help: "Gain K (n_x × n_y, with --s).") var k: String?
    @Option(help: "Innovation covariance S (n_y × n_y, SPD, with --k).") var s: String?
    @Option(help: "Horizon T ≥ 1.") var horizon: Int
    @Option(help: "dense (innovation reversal matrix) or linear (O(T n³) recursions).") var method: Method = .linear
    @Option(help: "zero (ĥ_1 = 0) or stationary (ĥ_1 ~ N(0, Π∞)).") var start: Start = .zero
    @Option(name: .customLong("monte-carlo"), help: "Also estimate S_y(T) from this many sampled trajectories.") var monteCarlo: Int?
    @Option(help: "Seed of the Monte Carlo trajectories.") var seed: UInt64 = 1
    @Flag(help: "Also compute the retrospective decomposition (D, L, M, bound; zero start).") var decompose = false
    @Flag(help: "Print one JSON object instead of a report.") var json = false
    @OptionGroup var resources: ResourceOptions

    enum Method: String, ExpressibleByArgument, CaseIterable {
        case dense, linear
        var value: KalmanEPMethod { self == .dense ? .dense : .linear }
    }

    enum Start: String, ExpressibleByArgument, CaseIterable {
        case zero, stationary
        var value: KalmanStart { self == .zero ? .zero : .stationary }
    }

    struct MonteCarloReport: Encodable {
        let mean: Double
        let stderr: Double
        let bootstrap_ci: [Double]
        let per_token_mean: Double
        let fluctuation_mean: Double
        let fluctuation_stderr: Double
        let samples: Int
        let seed: UInt64
    }

    struct DecompositionReport: Encodable {
        let D: [Double]
        let L: [Double]
        let M: [Double]
        let bound: [Double]
        let bound_total: Double
    }

    struct Report: Encodable {
        let horizon: Int
        let method: String
        let start: String
        let innovation_covariance: [[Double]]
        let gain: [[Double]]
        let entropy_production: Double
        let curve: [[Double]]
        let step_terms: [Double]
        let seconds: Double
        let monte_carlo: MonteCarloReport?
        let decomposition: DecompositionReport?
    }

    /// `[[a, b], [c, d]]` with `%.6g` entries.
    static func text(_ m: Matrix) -> String {
        "[" + m.rowArrays.map { "[" + $0.map(fmt).joined(separator: ", ") + "]" }.joined(separator: ", ") + "]"
    }

    /// Argument checks, thrown as one-line `CLIError`s (a `ValidationError` would add usage lines).
    func checkArguments() throws {
        let signal = q != nil || r != nil, direct = k != nil || s != nil
        guard signal != direct else {
            throw CLIError("give either --q and --r (signal model) or --k and --s (innovation model)")
        }
        if signal, q == nil || r == nil { throw CLIError("--q and --r go together") }
        if direct, k == nil || s == nil { throw CLIError("--k and --s go together") }
        try requireCount(horizon, "--horizon", atLeast: 1)
        if let monteCarlo { try requireCount(monteCarlo, "--monte-carlo", atLeast: 2) }
        if decompose, start == .stationary { throw CLIError("--decompose needs --start zero") }
    }

    func model() throws -> KalmanInnovationModel {
        let am = try MatrixOption.matrixOrIsotropic(a, option: "--a", dimension: 1)
        let cm = try MatrixOption.matrixOrIsotropic(c, option: "--c", dimension: am.rows)
        if let q, let r {
            let qm = try MatrixOption.matrixOrIsotropic(q, option: "--q", dimension: am.rows)
            let rm = try MatrixOption.matrixOrIsotropic(r, option: "--r", dimension: cm.rows)
            return try KalmanInnovationModel(a: am, c: cm, q: qm, r: rm)
        }
        let km = try MatrixOption.matrixOrIsotropic(k ?? "", option: "--k", dimension: am.rows)
        let sm = try MatrixOption.matrixOrIsotropic(s ?? "", option: "--s", dimension: cm.rows)
        return try KalmanInnovationModel(a: am, c: cm, gain: km, innovationCovariance: sm)
    }

    /// Every buffer that grows with T or N, against `--max-memory`, before any is allocated: the exact method's
    /// (dense: 4 (T n_y)² doubles; linear: O(T n²)), the Monte Carlo's and the decomposition's dense retrodiction
    /// (2 (T n_y)² doubles). The dense method's own T·n_y ≤ 12 000 limit is checked first (it points to
    /// `--method linear`).
    func checkPlan(_ model: KalmanInnovationModel, budget: MemoryBudget) throws {
        do {
            var plans = [model.memoryPlan(horizon: horizon, start: start.value, method: method.value)]
            if let monteCarlo {
                plans.append(MonteCarloEntropyProduction.memoryPlan(length: horizon, samples: monteCarlo, tokenLevel: true,
                                                                    workers: ProcessInfo.processInfo.activeProcessorCount,
                                                                    what: "kalman --monte-carlo"))
            }
            if decompose {
                plans.append(AllocationPlan("kalman --decompose, T = \(horizon)").adding(
                    .init(2, "matrices"), .init(horizon, "T"), .init(model.observationDimension, "n_y"), .init(horizon, "T"),
                    .init(model.observationDimension, "n_y"), .init(8, "bytes")))
            }
            for plan in plans { try budget.check(plan) }
        } catch {
            throw CLIError("\(error)")
        }
    }

    func run() throws {
        try checkArguments()
        let model = try model()
        let budget = try resources.budget()
        if method == .dense {
            do { try model.requireDenseSize(horizon) } catch { throw CLIError("\(error)") }
        }
        try checkPlan(model, budget: budget)
        let (ep, seconds) = try fastest(of: 1) {
            try model.entropyProduction(horizon: horizon, start: start.value, method: method.value, budget: budget)
        }
        var mc: MonteCarloReport?
        if let monteCarlo {
            guard start == .zero else { throw CLIError("--monte-carlo samples the model from ĥ = 0: use --start zero") }
            let res = try MonteCarloEntropyProduction.run(model, length: horizon, samples: monteCarlo, seed: seed, budget: budget)
            mc = MonteCarloReport(mean: res.mean, stderr: res.standardError,
                                  bootstrap_ci: [res.bootstrapInterval.lowerBound, res.bootstrapInterval.upperBound],
                                  per_token_mean: res.perTokenMean, fluctuation_mean: res.fluctuationMean,
                                  fluctuation_stderr: res.fluctuationStandardError, samples: monteCarlo, seed: seed)
        }
        var dec: DecompositionReport?
        if decompose {
            let d = try model.retrospectiveDecomposition(horizon: horizon)
            dec = DecompositionReport(D: d.d, L: d.compressionLoss, M: d.modelMismatch, bound: d.bound, bound_total: d.boundTotal)
        }
        let report = Report(
            horizon: horizon, method: method.rawValue, start: start.rawValue,
            innovation_covariance: model.innovationCovariance.json, gain: model.gain.json,
            entropy_production: ep.entropyProduction,
            curve: ep.curve.enumerated().map { [Double($0.offset + 1), $0.element] },
            step_terms: ep.stepTerms, seconds: seconds, monte_carlo: mc, decomposition: dec)
        if json { return try JSONOutput.print(report) }
        print("model           n_x = \(model.stateDimension), n_y = \(model.observationDimension), start \(start.rawValue)")
        print("innovation cov  S = \(Self.text(model.innovationCovariance))")
        print("gain            K = \(Self.text(model.gain))")
        print("EP S_y(T)       \(fmt(ep.entropyProduction))   (T = \(horizon), \(method.rawValue), \(fmt(seconds)) s)")
        if horizon > 1 { print("S_y(T) − S_y(T−1)  \(fmt(ep.curve[horizon - 1] - ep.curve[horizon - 2]))") }
        if let mc {
            print("Monte Carlo     \(fmt(mc.mean)) ± \(fmt(mc.stderr))   (N = \(mc.samples), seed \(mc.seed); ⟨e^−σ⟩ = \(fmt(mc.fluctuation_mean)) ± \(fmt(mc.fluctuation_stderr)))")
        }
        if let dec {
            print("decomposition   ΣD = \(fmt(dec.D.reduce(0, +))), ΣL = \(fmt(dec.L.reduce(0, +))), ΣM = \(fmt(dec.M.reduce(0, +))), bound = \(fmt(dec.bound_total))")
        }
    }
}
