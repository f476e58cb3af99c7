import ArgumentParser
import Autoregressive
import Experiments
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

    /// `[[a, b], [c, d]]` with `%.6g` entries.
    static func text(_ m: Matrix) -> String {
        "[" + m.rowArrays.map { "[" + $0.map(fmt).joined(separator: ", ") + "]" }.joined(separator: ", ") + "]"
    }

    /// The options as the library's (``KalmanReportOptions``).
    var options: KalmanReportOptions {
        KalmanReportOptions(horizon: horizon, method: method.value, start: start.value, monteCarloSamples: monteCarlo,
                            seed: seed, decompose: decompose)
    }

    /// Parameter names in messages: `--monte-carlo` for the library's `monte_carlo`.
    static func spelling(_ name: String) -> String { "--" + name.replacingOccurrences(of: "_", with: "-") }

    /// Argument checks (``KalmanInnovationModel/checkInputs(q:r:k:s:spelling:)``,
    /// ``KalmanReportOptions/validate(spelling:)``), thrown as one-line `CLIError`s (a `ValidationError` would add
    /// usage lines).
    func checkArguments() throws {
        do {
            try KalmanInnovationModel.checkInputs(q: q != nil, r: r != nil, k: k != nil, s: s != nil, spelling: Self.spelling)
            try options.validate(spelling: Self.spelling)
        } catch {
            throw CLIError("\(error)")
        }
    }

    /// The matrices (a scalar s is s·I: A 1 × 1; C, Q, K n_x × n_x; R, S n_y × n_y) and the model of
    /// ``KalmanInnovationModel/init(a:c:q:r:k:s:)``.
    func model() throws -> KalmanInnovationModel {
        let am = try MatrixOption.matrixOrIsotropic(a, option: "--a", dimension: 1)
        let cm = try MatrixOption.matrixOrIsotropic(c, option: "--c", dimension: am.rows)
        let qm = try q.map { try MatrixOption.matrixOrIsotropic($0, option: "--q", dimension: am.rows) }
        let rm = try r.map { try MatrixOption.matrixOrIsotropic($0, option: "--r", dimension: cm.rows) }
        let km = try k.map { try MatrixOption.matrixOrIsotropic($0, option: "--k", dimension: am.rows) }
        let sm = try s.map { try MatrixOption.matrixOrIsotropic($0, option: "--s", dimension: cm.rows) }
        return try KalmanInnovationModel(a: am, c: cm, q: qm, r: rm, k: km, s: sm)
    }

    func run() throws {
        try checkArguments()
        let model = try model()
        let budget = try resources.budget()
        // Every buffer against --max-memory before any is allocated (``KalmanInnovationModel/checkReportPlan``).
        do { try model.checkReportPlan(options, budget: budget) } catch { throw CLIError("\(error)") }
        let report = try model.report(options, budget: budget)
        let (seconds, mc, dec) = (report.seconds, report.monte_carlo, report.decomposition)
        if json { return try JSONOutput.print(report) }
        print("model           n_x = \(model.stateDimension), n_y = \(model.observationDimension), start \(start.rawValue)")
        print("innovation cov  S = \(Self.text(model.innovationCovariance))")
        print("gain            K = \(Self.text(model.gain))")
        print("EP S_y(T)       \(fmt(report.entropy_production))   (T = \(horizon), \(method.rawValue), \(fmt(seconds)) s)")
        if horizon > 1 { print("S_y(T) − S_y(T−1)  \(fmt(report.curve[horizon - 1][1] - report.curve[horizon - 2][1]))") }
        if let mc {
            print("Monte Carlo     \(fmt(mc.mean)) ± \(fmt(mc.stderr))   (N = \(mc.samples), seed \(mc.seed); ⟨e^−σ⟩ = \(fmt(mc.fluctuation_mean)) ± \(fmt(mc.fluctuation_stderr)))")
        }
        if let dec {
            print("decomposition   ΣD = \(fmt(dec.D.reduce(0, +))), ΣL = \(fmt(dec.L.reduce(0, +))), ΣM = \(fmt(dec.M.reduce(0, +))), bound = \(fmt(dec.bound_total))")
        }
    }
}
