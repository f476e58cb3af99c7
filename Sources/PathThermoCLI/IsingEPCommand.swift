import ArgumentParser
import Foundation
import LinearAlgebra
import SpinModels

/// `paththermo ising-ep`: the entropy production of the kinetic (synchronous Glauber) Ising model with couplings J,
/// fields H and inverse temperature β — the first-order Plefka[t−1,t] mean field at its steady state, optionally the
/// exact σ by enumeration of the 2^N states (N ≤ 16) and the sampled chain's path log-ratio
/// (docs/theory/kinetic-ising.md). Parsing and printing only; the work is in SpinModels' `KineticIsing`.
struct IsingEPCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ising-ep",
        abstract: "Entropy production of the kinetic Ising model: mean field, exact enumeration (N ≤ 16), sampled chain.",
        discussion: """
            The synchronous kinetic Ising model W(s′|s) = Π_i exp(s′_i h_i)/(2cosh h_i), h_i = β(H_i + Σ_j J_ij s_j), \
            s_i = ±1. Always: the first-order Plefka[t−1,t] mean field run to its steady state m = tanh(β(H + Jm)), \
            D_ij = (1 − m_i²)βJ_ij(1 − m_j²) and σ = β Σ_ij (J_ij − J_ji) D_ij (entropy_production_mean_field). With \
            --exact: the stationary law of the 2^N-state transition matrix (power iteration; dense up to N = 12, \
            matrix-free beyond; memory checked against --max-memory first) and σ = Σ p(s)W(s′|s) ln[W(s′|s)/W(s|s′)] \
            (entropy_production_exact); N > 16 is an error. With --chains C: C seeded synchronous Glauber chains of \
            --steps T after --burn-in B, and the path log-ratio σ̂ ± stderr (entropy_production_chain, \
            entropy_production_chain_stderr). Results do not depend on --threads.
            """
    )

    @Option(help: "Couplings J: an N × N matrix (JSON literal, .npy or .json); need not be symmetric.")
    var couplings: String

    @Option(help: "Fields H: a list of N numbers, or one number for every site.")
    var fields: String

    @Option(help: "Inverse temperature β > 0 (multiplies J and H).")
    var beta: Double = 1

    @Flag(help: "Also compute the exact σ by enumerating the 2^N states (N ≤ 16).")
    var exact = false

    @Option(help: "Sampled chains C ≥ 2 for the path log-ratio estimate (default 0: no chain).")
    var chains: Int = 0

    @Option(help: "Measured steps T per chain.")
    var steps: Int = 1000

    @Option(name: .customLong("burn-in"), help: "Discarded steps per chain before measuring.")
    var burnIn: Int = 100

    @Option(help: "Seed of the chains' counter-based generator.")
    var seed: UInt64 = 1

    @Option(help: "Worker threads for the chains (0: one per core); results do not depend on it.")
    var threads: Int = 0

    @Flag(help: "Print one JSON object instead of a report.")
    var json = false

    @OptionGroup var resources: ResourceOptions

    /// The result, as printed with --json. The exact and chain keys are present only with --exact / --chains.
    struct Report: Encodable {
        let sites: Int
        let beta: Double
        let magnetizations: [Double]
        let delayed_correlation: [[Double]]
        let entropy_production_mean_field: Double
        let housekeeping_entropy_production_mean_field: Double
        let mean_field_iterations: Int
        var magnetizations_exact: [Double]?
        var entropy_production_exact: Double?
        var entropy_production_exact_relation: Double?
        var stationary_iterations: Int?
        var stationary_residual: Double?
        var transition_storage: String?
        var entropy_production_chain: Double?
        var entropy_production_chain_stderr: Double?
        var chains: Int?
        var steps: Int?
        var burn_in: Int?
        var seed: UInt64?
    }

    func run() throws {
        try resources.checkInput(couplings, option: "--couplings")
        let j = try MatrixOption.matrix(couplings, option: "--couplings")
        guard j.rows == j.columns else { throw CLIError("--couplings: J must be square, got \(j.rows)×\(j.columns)") }
        let n = j.rows
        let h: [Double]
        switch try MatrixOption.load(fields, option: "--fields") {
        case .scalar(let s): h = [Double](repeating: s, count: n)
        case .vector(let v):
            guard v.count == n else { throw CLIError("--fields: expected \(n) numbers (J is \(n)×\(n)), got \(v.count)") }
            h = v
        case .matrix(let m): throw CLIError("--fields: expected a list of \(n) numbers, got a \(m.rows) × \(m.columns) matrix")
        }
        if exact, n > KineticIsing.exactMaximumSites {
            throw CLIError("ising-ep: --exact enumerates 2^N states and needs N ≤ \(KineticIsing.exactMaximumSites), got N = \(n) (drop --exact for the mean field)")
        }
        if chains != 0 {
            try requireCount(chains, "--chains", atLeast: 2, atMost: 1 << 24)
            try requireCount(steps, "--steps", atLeast: 1)
            try requireCount(burnIn, "--burn-in", atLeast: 0)
            try requireCount(threads, "--threads", atLeast: 0, atMost: 4096)
        }
        let budget = try resources.budget()
        var report: Report
        do {
            let model = try KineticIsing(couplings: j, fields: h, beta: beta)
            let meanField = try model.meanFieldSteadyState()
            report = Report(
                sites: n, beta: beta, magnetizations: meanField.magnetizations,
                delayed_correlation: meanField.delayedCorrelation.json,
                entropy_production_mean_field: meanField.entropyProduction,
                housekeeping_entropy_production_mean_field: meanField.housekeepingEntropyProduction,
                mean_field_iterations: meanField.iterations)
            if exact {
                let solution = try model.exactEntropyProduction(options: .init(budget: budget))
                report.magnetizations_exact = solution.magnetizations
                report.entropy_production_exact = solution.entropyProduction
                report.entropy_production_exact_relation = solution.entropyProductionRelation
                report.stationary_iterations = solution.iterations
                report.stationary_residual = solution.residual
                report.transition_storage = solution.storage.rawValue
            }
            if chains != 0 {
                let chain = try model.sampleChain(.init(chains: chains, burnIn: burnIn, steps: steps, seed: seed, threads: threads, budget: budget))
                report.entropy_production_chain = chain.entropyProduction
                report.entropy_production_chain_stderr = chain.entropyProductionStandardError
                report.chains = chains
                report.steps = steps
                report.burn_in = burnIn
                report.seed = seed
            }
        } catch {
            throw CLIError("ising-ep: \(error)")
        }
        if json { return try JSONOutput.print(report) }
        print("kinetic Ising           N = \(n), β = \(fmt(beta)), synchronous Glauber dynamics")
        print("mean field σ            \(fmt(report.entropy_production_mean_field)) (Plefka[t−1,t] steady state, \(report.mean_field_iterations) iterations)")
        print("magnetizations          \(report.magnetizations.map(fmt).joined(separator: " "))")
        if let sigma = report.entropy_production_exact {
            print("exact σ                 \(fmt(sigma)) (2^\(n) states, \(report.transition_storage ?? ""), \(report.stationary_iterations ?? 0) iterations, residual \(fmt(report.stationary_residual ?? 0)))")
            print("exact magnetizations    \((report.magnetizations_exact ?? []).map(fmt).joined(separator: " "))")
        }
        if let sigma = report.entropy_production_chain {
            print("chain σ                 \(fmt(sigma)) ± \(fmt(report.entropy_production_chain_stderr ?? 0)) (\(chains) chains × \(steps) steps after \(burnIn), seed \(seed))")
        }
        JSONOutput.printWarnings(JSONOutput.warnings(for: report))
    }
}

extension IsingEPCommand: ProvenanceDescribing {
    var provenanceParameters: ProvenanceParameters { .init(seed: chains != 0 ? seed : nil, units: ResultUnits.nats) }
}
