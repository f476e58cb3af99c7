import ArgumentParser
import ArrayIO
import Autoregressive
import Experiments
import Foundation
import ResourceLimits

/// `paththermo ar-ep`: Monte Carlo entropy production of a token model with seeded random weights.
struct AREPCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ar-ep",
        abstract: "Monte Carlo entropy production of an autoregressive token model (Elman RNN or causal transformer).",
        discussion: """
            Samples N trajectories of T tokens from the model itself (trajectory i from counter stream i under
            --seed) and scores each forward and reversed: σ = ln P→(y_1..y_T) − ln P→(y_T..y_1), S = E[σ] ≥ 0,
            E[e^{−σ}] = 1. Weights are seeded random (rnn: Elman, hidden size --hidden; transformer: one layer,
            one head, model dimension --hidden, context T + 1). Results do not depend on --threads.

            --out DIR also writes ar-ep.json there, and ar-ep.part (the σ of every trajectory so far), saved every
            30 s (--resume continues it). --shard i/n --out DIR samples only the blocks of 64 trajectories
            ⌊i·B/n⌋ ..< ⌊(i + 1)·B/n⌋ of the B = ⌈N/64⌉ blocks and writes only ar-ep.part; 'paththermo merge' joins
            the parts into the report of one run, bit for bit (the bootstrap runs on all σ's after the merge).
            """
    )

    /// A string checked by ``checkArguments()`` (an enum option would print usage lines on a bad value).
    @Option(help: "rnn (Elman, O(T) scoring) or transformer (causal attention, O(T²) scoring).") var architecture: String?
    @Option(name: .customLong("model"), help: DeprecatedSpelling.help(of: "--architecture")) var deprecatedModel: String?
    @Option(help: "Alphabet size K ≥ 2.") var alphabet: Int
    @Option(help: "Trajectory length T ≥ 1.") var length: Int
    @Option(help: "Number of sampled trajectories N ≥ 2.") var samples: Int
    @Option(help: "Seed of the weights and of the trajectories.") var seed: UInt64 = 1
    @Option(help: "Hidden size (rnn) or model dimension (transformer), ≥ 1.") var hidden: Int = 32
    @Option(help: "Sampling and scoring temperature τ > 0.") var temperature: Double = 1
    @Option(help: "Worker threads (default: all cores); results do not depend on it.") var threads: Int?
    @Flag(help: "Print one JSON object instead of a report.") var json = false
    @Option(help: "Output directory of ar-ep.json and ar-ep.part (default: none, the report only).") var out: String?
    @OptionGroup var resources: ResourceOptions
    @OptionGroup var parts: SweepPartOptions

    enum Kind: String, CaseIterable { case rnn, transformer }

    struct Estimate: Encodable {
        let mean: Double
        let stderr: Double
        let bootstrap_ci: [Double]
    }

    struct Fluctuation: Encodable {
        let mean: Double
        let stderr: Double
    }

    struct Report: Encodable {
        let model: String
        let alphabet: Int
        let length: Int
        let samples: Int
        let seed: UInt64
        let hidden: Int
        let temperature: Double
        let threads: Int
        /// σ per trajectory (nats).
        let per_trajectory: Estimate
        /// σ/T (nats per token); every trajectory has length T, so the CI is the trajectory CI / T.
        let per_token: Estimate
        /// ⟨e^{−σ}⟩ (1 in expectation).
        let fluctuation: Fluctuation
        let seconds: Double
        let samples_per_second: Double
    }

    /// Folds the deprecated `--model` into `--architecture`, which is required.
    mutating func validate() throws {
        architecture = try DeprecatedSpelling.merge(architecture, "--architecture", deprecatedModel, "--model")
        guard architecture != nil else { throw ValidationError("missing --architecture (rnn or transformer)") }
    }

    /// `--architecture` as a ``Kind``.
    func kind() throws -> Kind {
        guard let kind = Kind(rawValue: architecture ?? "") else {
            throw CLIError("--architecture must be rnn or transformer, got '\(architecture ?? "")'")
        }
        return kind
    }

    /// Argument checks, thrown as one-line `CLIError`s.
    func checkArguments() throws {
        _ = try kind()
        // Ranges (one-line errors): K, T and N up to 2⁴⁰, the hidden size up to 2²⁰, threads up to 4096; the memory
        // plan (checkPlan) bounds their products.
        try requireCount(alphabet, "--alphabet", atLeast: 2)
        try requireCount(length, "--length", atLeast: 1)
        try requireCount(samples, "--samples", atLeast: 2)
        try requireCount(hidden, "--hidden", atLeast: 1, atMost: 1 << 20)
        guard temperature.isFinite, temperature > 0 else { throw CLIError("--temperature must be finite and > 0, got \(temperature)") }
        if let threads { try requireCount(threads, "--threads", atLeast: 1, atMost: 4096) }
    }

    /// The run's buffers against `--max-memory`, before any is allocated: the Monte Carlo's
    /// (``MonteCarloEntropyProduction/memoryPlan(length:samples:tokenLevel:workers:)``) and each worker's scoring
    /// workspace: the RNN's hidden states and logits over the trajectory (T × (H + K) doubles), the transformer's
    /// causal attention scores and weights (2 (T + 1)² doubles) and its logits (T × K). The weights are checked by
    /// the model's initializer against the same budget.
    func checkPlan(_ kind: Kind, workers: Int, budget: MemoryBudget) throws {
        var plan = MonteCarloEntropyProduction.memoryPlan(length: length, samples: samples, tokenLevel: true, workers: workers,
                                                          what: "ar-ep")
        switch kind {
        case .rnn:
            plan.add(.init(workers, "workers"), .init(length, "steps"), .init(hidden, "hidden"), .init(8, "bytes"))
            plan.add(.init(workers, "workers"), .init(length, "steps"), .init(alphabet, "tokens"), .init(8, "bytes"))
        case .transformer:
            plan.add(.init(2, "matrices"), .init(workers, "workers"), .init(length, "T"), .init(length, "T"), .init(8, "bytes"))
            plan.add(.init(workers, "workers"), .init(length, "steps"), .init(alphabet, "tokens"), .init(8, "bytes"))
        }
        do { try budget.check(plan) } catch { throw CLIError("\(error)") }
    }

    func run() throws {
        try checkArguments()
        if parts.shard != nil || parts.resume, out == nil {
            throw CLIError("--shard and --resume need --out (the folder of ar-ep.part)")
        }
        let kind = try kind()
        let workers = threads ?? ProcessInfo.processInfo.activeProcessorCount
        let budget = try resources.budget()
        try checkPlan(kind, workers: workers, budget: budget)
        let c = TokenModelMonteCarloConfiguration(architecture: kind.rawValue, alphabet: alphabet, length: length, samples: samples,
                                                  seed: seed, hidden: hidden, temperature: temperature, threads: workers)
        let fresh = TokenModelMonteCarlo.part(c, parts.range(total: c.blockCount), software: CommandProvenance.versionLine)
        func sample(_ start: TokenModelMonteCarlo.Part, checkpoint: (TokenModelMonteCarlo.Part) throws -> Void) throws
            -> TokenModelMonteCarlo.Part {
            do {
                switch kind {
                case .rnn:
                    let m = try ElmanTokenModel(alphabetSize: alphabet, hiddenSize: hidden, seed: seed, temperature: temperature, budget: budget)
                    return try TokenModelMonteCarlo.run(part: start, model: m, configuration: c, budget: budget, checkpoint: checkpoint)
                case .transformer:
                    let m = try CausalTransformerTokenModel(alphabetSize: alphabet, modelDimension: hidden, contextLength: length + 1,
                                                            seed: seed, temperature: temperature, budget: budget)
                    return try TokenModelMonteCarlo.run(part: start, model: m, configuration: c, budget: budget, checkpoint: checkpoint)
                }
            } catch let error as ExperimentError { throw CLIError(error.detail) }
        }
        let report: Report?
        if let out {
            report = try parts.run(fresh, out: out, unit: "blocks of 64 trajectories", equivalent: TokenModelMonteCarlo.isEquivalent,
                                   writeAtCheckpoints: false, run: sample, result: Self.report) {
                _ = try ResultFile.writeJSON($0, to: out + "/ar-ep.json")
            }
        } else {
            report = try Self.report(try sample(fresh) { _ in })
        }
        guard let report else { return }
        try Self.printReport(report, json: json)
    }

    /// `paththermo merge` of ar-ep parts: the report of one run, and with `out` its ar-ep.json and ar-ep.part there.
    static func merge(_ parts: [TokenModelMonteCarlo.Part], names: [String], out: String?, json: Bool) throws {
        guard let out else {
            return try printReport(try report(try SweepPartOptions.merge(parts, names: names, equivalent: TokenModelMonteCarlo.isEquivalent)),
                                   json: json)
        }
        let merged = try SweepPartOptions.merge(parts, names: names, out: out, equivalent: TokenModelMonteCarlo.isEquivalent,
                                                result: report) { _ = try ResultFile.writeJSON($0, to: out + "/ar-ep.json") }
        try printReport(merged.result, json: json)
    }

    /// The report of a complete run's part.
    static func report(_ part: TokenModelMonteCarlo.Part) throws -> Report {
        let c = part.configuration
        let res: MonteCarloEntropyProductionResult
        do { res = try TokenModelMonteCarlo.result(of: part) } catch let error as ExperimentError { throw CLIError(error.detail) }
        let t = Double(c.length), seconds = part.seconds
        let ci = [res.bootstrapInterval.lowerBound, res.bootstrapInterval.upperBound]
        return Report(
            model: c.architecture, alphabet: c.alphabet, length: c.length, samples: c.samples, seed: c.seed, hidden: c.hidden,
            temperature: c.temperature, threads: c.threads,
            per_trajectory: Estimate(mean: res.mean, stderr: res.standardError, bootstrap_ci: ci),
            per_token: Estimate(mean: res.perTokenMean, stderr: res.perTokenStandardError, bootstrap_ci: ci.map { $0 / t }),
            fluctuation: Fluctuation(mean: res.fluctuationMean, stderr: res.fluctuationStandardError),
            seconds: seconds, samples_per_second: Double(c.samples) / max(seconds, 1e-12))
    }

    /// Prints the report of a complete run: JSON, or lines for a person.
    static func printReport(_ report: Report, json: Bool) throws {
        if json { return try JSONOutput.print(report) }
        let name = report.model == Kind.rnn.rawValue ? "Elman RNN, hidden \(report.hidden)" : "causal transformer, d = \(report.hidden)"
        let p = report.per_trajectory, ci = p.bootstrap_ci
        print("model           \(name), K = \(report.alphabet), τ = \(fmt(report.temperature)), seed \(report.seed)")
        print("trajectories    N = \(report.samples) × T = \(report.length), \(report.threads) thread(s), \(fmt(report.seconds)) s (\(fmt(report.samples_per_second)) /s)")
        print("σ per trajectory  \(fmt(p.mean)) ± \(fmt(p.stderr))   95% bootstrap [\(fmt(ci[0])), \(fmt(ci[1]))]")
        print("σ/T per token     \(fmt(report.per_token.mean)) ± \(fmt(report.per_token.stderr))")
        print("⟨e^−σ⟩            \(fmt(report.fluctuation.mean)) ± \(fmt(report.fluctuation.stderr))   (1 by the fluctuation theorem)")
    }
}
