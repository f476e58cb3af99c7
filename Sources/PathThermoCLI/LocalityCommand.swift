import ArgumentParser
import Foundation
import PathThermo

/// `paththermo locality`: the locality test P1 of arXiv:2606.28751 §VI from trajectories
/// (``LocalityEstimator``, docs/theory/locality.md). The command parses and prints; the fit is the library's.
struct LocalityCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "locality",
        abstract: "Locality (P1): how much conditioning the fitted drift on x(t−τ) changes it, ε̂(τ), from trajectories.",
        discussion: """
            Fits the drift by least squares on the increments (x(t+Δt) − x(t))/Δt with monomials of x(t) up to
            --degree (constant included), once alone (Markov) and once with the same monomials of the lagged
            state x(t−τ) (no constant), and reports per lag τ = k·Δt (k in steps, --lags):
            epsilon = <|f(x_t, x_{t−τ}) − f(x_t)|²>^½ / <|f(x_t)|²>^½ (raw), stderr (jackknife over --blocks
            contiguous blocks of the pairs: whole rollouts, or blocks of time for one rollout), bias (the value
            epsilon takes when the drift has no history dependence: fitted noise), debiased
            (sqrt(max(0, epsilon² − bias²))) and z = (epsilon − bias)/stderr: |z| <= 2 is consistent with a Markov
            drift, z > 2 detects history dependence. A lag must be shorter than the longest rollout (k <= T − 2).
            Trajectory files and --columns are read as by `paththermo estimate`.
            """
    )

    @OptionGroup var input: TrajectoryInputOptions

    @Option(help: "Lags in steps, comma-separated (τ = lag · dt), each >= 1.")
    var lags: String

    @Option(help: "Monomials of the state up to this total degree (1 = constant + linear).")
    var degree: Int = 1

    @Option(help: "Jackknife blocks G for stderr (contiguous blocks of the pairs in rollout order).")
    var blocks: Int = 10

    @Option(help: "Worker threads (0 = one per core); results do not depend on it.")
    var threads: Int = 0

    @Flag(help: "Print one JSON object instead of a table.")
    var json = false

    @OptionGroup var resources: ResourceOptions

    /// `--lags` as whole numbers.
    func lagSteps() throws -> [Int] {
        let steps = try CommaList.integers(lags, option: "--lags", example: "1,2,5,10")
        for k in steps { try requireCount(k, "--lags", atLeast: 1) }
        return steps
    }

    func validate() throws {
        let steps = try lagSteps()
        guard Set(steps).count == steps.count else { throw ValidationError("--lags: a lag is repeated in '\(lags)'") }
        try requireCount(degree, "--degree", atLeast: 1, atMost: 16)
        try requireCount(blocks, "--blocks", atLeast: 2, atMost: SampleLayout.maximumBlocks)
        try requireCount(threads, "--threads", atLeast: 0, atMost: 4096)
    }

    func run() throws {
        try resources.checkInput(input.trajectories, option: "locality --trajectories")
        let data = try input.load(threads: threads)
        let report: LocalityReport
        do {
            let estimator = try LocalityEstimator(dimension: data.dimension, degree: degree, timeStep: input.dt,
                                                  lags: try lagSteps(), blocks: blocks)
            report = try estimator.estimate(data, threads: threads, budget: try resources.budget())
        } catch let error as CLIError {
            throw error
        } catch {
            throw CLIError("locality: \(error)")
        }
        let output = Output(report, data: data)
        if json { return try JSONOutput.print(output) }
        print(Self.text(report, data: data), terminator: "")
        JSONOutput.printWarnings(JSONOutput.warnings(for: output))
    }

    /// The `--json` object: one array per key, entry i for lag i.
    struct Output: Encodable {
        var lags: [Int], lagTimes: [Double], epsilon: [Double], stderr: [Double], bias: [Double], debiased: [Double]
        var z: [Double], samples: [Int], diffusion: [Double]
        var historyCoefficients: [[[Double]]], historyCoefficientStderr: [[[Double]]]
        var dimension: Int, degree: Int, basisSize: Int, dt: Double, blocks: Int, rollouts: Int, segments: Int

        enum CodingKeys: String, CodingKey {
            case lags, epsilon, stderr, bias, debiased, z, samples, diffusion, dimension, degree, dt, blocks, rollouts, segments
            case lagTimes = "lag_times", basisSize = "basis_size"
            case historyCoefficients = "history_coefficients", historyCoefficientStderr = "history_coefficient_stderr"
        }

        init(_ r: LocalityReport, data: TrajectoryData) {
            let e = r.estimates
            lags = e.map(\.lag); lagTimes = e.map(\.lagTime); epsilon = e.map(\.epsilon); stderr = e.map(\.standardError)
            bias = e.map(\.bias); debiased = e.map(\.debiased); z = e.map(\.zScore); samples = e.map(\.samples)
            diffusion = e.map(\.diffusion)
            historyCoefficients = e.map(\.historyCoefficients.json); historyCoefficientStderr = e.map(\.historyCoefficientErrors.json)
            dimension = r.dimension; degree = r.degree; basisSize = r.basisSize; dt = r.timeStep; blocks = r.blocks
            rollouts = data.rollouts; segments = data.segments.count
        }
    }

    /// The table for a person.
    static func text(_ r: LocalityReport, data: TrajectoryData) -> String {
        var out = "trajectories   \(data.rollouts) rollouts, \(data.segments.count) segments, \(data.pairCount) pairs, d = \(data.dimension)\n"
        out += "fit            monomials of degree ≤ \(r.degree) (K = \(r.basisSize)), history: the same of x(t−τ) without the constant\n"
        let header = ["lag", "tau", "epsilon", "stderr", "bias", "debiased", "z", "samples"]
        var rows = [header]
        for e in r.estimates {
            rows.append([String(e.lag), fmt(e.lagTime), fmt(e.epsilon), fmt(e.standardError), fmt(e.bias), fmt(e.debiased),
                         fmt(e.zScore), String(e.samples)])
        }
        let widths = header.indices.map { c in rows.map { $0[c].count }.max() ?? 0 }
        for row in rows {
            out += row.indices.map { c in String(repeating: " ", count: widths[c] - row[c].count) + row[c] }.joined(separator: "  ") + "\n"
        }
        out += "|z| ≤ 2: consistent with a Markov drift; z > 2: the drift depends on x(t−τ)\n"
        return out
    }
}

extension LocalityCommand: ProvenanceDescribing {
    var provenanceParameters: ProvenanceParameters {
        .init(dt: input.dt, units: "epsilon, bias and z dimensionless; lag_times in the units of dt, coefficients per unit time")
    }
}
