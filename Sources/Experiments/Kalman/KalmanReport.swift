import Autoregressive
import Dispatch
import Foundation
import LinearAlgebra
import ResourceLimits

/// What `paththermo kalman` computes besides the model: the horizon, the exact method and start, an optional Monte
/// Carlo estimate and the retrospective decomposition. Shared by the CLI and the C ABI (`pt_kalman`), which give
/// the same numbers for the same options (docs/theory/autoregressive.md §5).
public struct KalmanReportOptions: Sendable {
    public var horizon: Int
    public var method: KalmanEPMethod
    public var start: KalmanStart
    /// Trajectories of the Monte Carlo estimate (≥ 2), or `nil` for none.
    public var monteCarloSamples: Int?
    public var seed: UInt64
    /// Also the retrospective decomposition (D, L, M, bound; zero start only).
    public var decompose: Bool

    public init(horizon: Int, method: KalmanEPMethod = .linear, start: KalmanStart = .zero, monteCarloSamples: Int? = nil,
                seed: UInt64 = 1, decompose: Bool = false) {
        self.horizon = horizon
        self.method = method
        self.start = start
        self.monteCarloSamples = monteCarloSamples
        self.seed = seed
        self.decompose = decompose
    }

    /// The checks of the options, in the order the CLI makes them: horizon T ≥ 1, at least 2 Monte Carlo samples,
    /// the decomposition and the Monte Carlo sampling only from the zero start. `spelling` names a parameter in
    /// messages (the CLI: `--horizon`; Python: `horizon`), from its snake_case name.
    ///
    /// - Throws: ``AutoregressiveError/invalidArgument(_:)`` with a one-line message.
    public func validate(spelling: (String) -> String = { $0 }) throws {
        try Self.requireCount(horizon, spelling("horizon"), atLeast: 1)
        if let monteCarloSamples { try Self.requireCount(monteCarloSamples, spelling("monte_carlo"), atLeast: 2) }
        if decompose, start == .stationary {
            throw AutoregressiveError.invalidArgument("\(spelling("decompose")) needs \(spelling("start")) zero")
        }
        if monteCarloSamples != nil, start != .zero {
            throw AutoregressiveError.invalidArgument(
                "\(spelling("monte_carlo")) samples the model from ĥ = 0: use \(spelling("start")) zero")
        }
    }

    /// `CountLimit.require` as an argument error (a count out of range is a bad argument, not a resource limit).
    static func requireCount(_ value: Int, _ name: String, atLeast minimum: Int) throws {
        do { try CountLimit.require(value, name, atLeast: minimum) } catch {
            throw AutoregressiveError.invalidArgument("\(error)")
        }
    }
}

/// The result of ``KalmanInnovationModel/report(_:budget:)``: the document `paththermo kalman --json` prints
/// (snake_case keys; absent optional parts are left out).
public struct KalmanReport: Encodable, Sendable {
    /// The Monte Carlo estimate of S_y(T) from sampled trajectories (``MonteCarloEntropyProduction``).
    public struct MonteCarlo: Encodable, Sendable {
        public let mean: Double
        public let stderr: Double
        public let bootstrap_ci: [Double]
        public let per_token_mean: Double
        public let fluctuation_mean: Double
        public let fluctuation_stderr: Double
        public let samples: Int
        public let seed: UInt64
    }

    /// The retrospective decomposition (``RetrospectiveDecomposition``).
    public struct Decomposition: Encodable, Sendable {
        public let D: [Double]
        public let L: [Double]
        public let M: [Double]
        public let bound: [Double]
        public let bound_total: Double
    }

    public let horizon: Int
    public let method: String
    public let start: String
    public let innovation_covariance: [[Double]]
    public let gain: [[Double]]
    public let entropy_production: Double
    /// (t, S_y(t)) for t = 1…T.
    public let curve: [[Double]]
    public let step_terms: [Double]
    /// Wall-clock seconds of the exact computation (the Monte Carlo and the decomposition are not included).
    public let seconds: Double
    public let monte_carlo: MonteCarlo?
    public let decomposition: Decomposition?
}

extension KalmanInnovationModel {
    /// The signal model (A, C, Q, R) when `q` and `r` are given, the innovation model (A, C, K, S) when `k` and `s`
    /// are: exactly one pair. `spelling` names the parameters in messages (see ``KalmanReportOptions/validate(spelling:)``).
    ///
    /// - Throws: ``AutoregressiveError/invalidArgument(_:)`` for a wrong combination; the model's errors otherwise.
    public static func checkInputs(q: Bool, r: Bool, k: Bool, s: Bool, spelling: (String) -> String = { $0 }) throws {
        let signal = q || r, direct = k || s
        let (qn, rn, kn, sn) = (spelling("q"), spelling("r"), spelling("k"), spelling("s"))
        guard signal != direct else {
            throw AutoregressiveError.invalidArgument("give either \(qn) and \(rn) (signal model) or \(kn) and \(sn) (innovation model)")
        }
        if signal, !(q && r) { throw AutoregressiveError.invalidArgument("\(qn) and \(rn) go together") }
        if direct, !(k && s) { throw AutoregressiveError.invalidArgument("\(kn) and \(sn) go together") }
    }

    /// The model of ``checkInputs(q:r:k:s:spelling:)``'s one valid combination.
    public init(a: Matrix, c: Matrix, q: Matrix?, r: Matrix?, k: Matrix?, s: Matrix?) throws {
        try Self.checkInputs(q: q != nil, r: r != nil, k: k != nil, s: s != nil)
        if let q, let r {
            try self.init(a: a, c: c, q: q, r: r)
        } else if let k, let s {
            try self.init(a: a, c: c, gain: k, innovationCovariance: s)
        } else {
            throw AutoregressiveError.invalidArgument("give either q and r (signal model) or k and s (innovation model)")
        }
    }

    /// Every buffer of ``report(_:budget:)`` that grows with T or N, against `budget`, before any is allocated:
    /// the dense method's T·n_y limit first (it points to the linear method), then the exact method's plan
    /// (dense: 4 (T n_y)² doubles; linear: O(T n²)), the Monte Carlo's and the decomposition's dense retrodiction
    /// (2 (T n_y)² doubles).
    ///
    /// - Throws: ``ResourceLimitError`` beyond the budget; ``AutoregressiveError`` for a dense T·n_y too large.
    public func checkReportPlan(_ options: KalmanReportOptions, budget: MemoryBudget) throws {
        if options.method == .dense { try requireDenseSize(options.horizon) }
        var plans = [memoryPlan(horizon: options.horizon, start: options.start, method: options.method)]
        if let samples = options.monteCarloSamples {
            plans.append(MonteCarloEntropyProduction.memoryPlan(length: options.horizon, samples: samples, tokenLevel: true,
                                                                workers: ProcessInfo.processInfo.activeProcessorCount,
                                                                what: "kalman --monte-carlo"))
        }
        if options.decompose {
            plans.append(AllocationPlan("kalman --decompose, T = \(options.horizon)").adding(
                .init(2, "matrices"), .init(options.horizon, "T"), .init(observationDimension, "n_y"), .init(options.horizon, "T"),
                .init(observationDimension, "n_y"), .init(8, "bytes")))
        }
        for plan in plans { try budget.check(plan) }
    }

    /// `paththermo kalman`'s report: the exact S_y(T) with its curve and step terms (timed), then the Monte Carlo
    /// estimate from `options.seed` and the retrospective decomposition when asked. Options are validated and the
    /// memory plan checked first. Cost: the method's (dense O((T n_y)³), linear O(T n³)) plus N sampled
    /// trajectories of O(T n²) each and, for the decomposition, O((T n_y)³).
    ///
    /// - Throws: ``AutoregressiveError`` for bad options or model failures; ``ResourceLimitError`` beyond `budget`.
    public func report(_ options: KalmanReportOptions, budget: MemoryBudget = .standard) throws -> KalmanReport {
        try options.validate()
        try checkReportPlan(options, budget: budget)
        let begin = DispatchTime.now().uptimeNanoseconds
        let ep = try entropyProduction(horizon: options.horizon, start: options.start, method: options.method, budget: budget)
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - begin) / 1e9
        var mc: KalmanReport.MonteCarlo?
        if let samples = options.monteCarloSamples {
            let res = try MonteCarloEntropyProduction.run(self, length: options.horizon, samples: samples, seed: options.seed,
                                                          budget: budget)
            mc = .init(mean: res.mean, stderr: res.standardError,
                       bootstrap_ci: [res.bootstrapInterval.lowerBound, res.bootstrapInterval.upperBound],
                       per_token_mean: res.perTokenMean, fluctuation_mean: res.fluctuationMean,
                       fluctuation_stderr: res.fluctuationStandardError, samples: samples, seed: options.seed)
        }
        var dec: KalmanReport.Decomposition?
        if options.decompose {
            let d = try retrospectiveDecomposition(horizon: options.horizon)
            dec = .init(D: d.d, L: d.compressionLoss, M: d.modelMismatch, bound: d.bound, bound_total: d.boundTotal)
        }
        return KalmanReport(
            horizon: options.horizon, method: options.method.rawValue, start: options.start.rawValue,
            innovation_covariance: innovationCovariance.rowArrays, gain: gain.rowArrays,
            entropy_production: ep.entropyProduction,
            curve: ep.curve.enumerated().map { [Double($0.offset + 1), $0.element] },
            step_terms: ep.stepTerms, seconds: seconds, monte_carlo: mc, decomposition: dec)
    }
}
