import ArgumentParser
import LinearAlgebra
import ResourceLimits
import SpinModels

/// `paththermo spin-ep`: the mean-field entropy production of one vector-spin (spin-transformer) layer, in the post's
/// (v0.0.1) or HEAD's form, optionally at the fixed point m* = φ(x + J m*) (docs/theory/spin-fixed-points.md §6,
/// docs/cli.md "spin-ep"). The CLI parses and prints; the measurement is `NaiveMeanField.measureEntropyProduction`.
struct SpinEPCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "spin-ep",
        abstract: "Mean-field entropy production of a vector-spin layer m = φ(x + J m) (post or HEAD variant, optionally at the fixed point).",
        discussion: """
            Spins live on spheres of radius R = √(D/2 − 1) in R^D; J (N × N) are the couplings, x (N × D) the drive, β \
            the inverse temperature. --variant post (v0.0.1): --previous is θ_prev, the previous call's fields (default \
            all ones, as on v0.0.1's first call, with a warning: σ then compares the step with an arbitrary state); one \
            step θ₁ = x + J φ(θ_prev), D is the post's explicit large-D formula, σ = β Σ (J − Jᵀ)∘D. --variant head \
            (v0.1.1, the default): --previous is m_{K−1} (default zeros, the reset init); m_K = φ(x + J m_{K−1}), \
            C* = Tr(Σ(x + J m_K)Σ(x + J m_{K−1})), D = βJ∘C*, σ = β Σ (J − Jᵀ)∘D. With --fixed-point the state is the \
            Anderson fixed point (from φ(x + J φ(θ_prev)) for post, from --previous for head; an unconverged solve is \
            an error) and local_contraction (ρ of ∂g/∂m) is reported. housekeeping_entropy_production is \
            (β²/2) Σ (J − Jᵀ)²∘C* of the same pair of states (the NESS housekeeping EP at a fixed point); \
            fixed_point_residual is max_i ‖φ(x + J m)_i − m_i‖ of the reported magnetizations.
            """
    )

    @Option(help: "Couplings J: an N × N matrix (JSON literal, .npy or .json).")
    var couplings: String

    @Option(help: "Drive x: an N × D matrix, row i the field on site i (JSON literal, .npy or .json).")
    var inputs: String

    @Option(help: "Spin dimension D > 2 (R² = D/2 − 1).")
    var dim: Int

    @Option(help: "Inverse temperature β > 0.")
    var beta: Double = 1

    @Option(help: "post (v0.0.1: previous = θ_prev, the post's D) or head (v0.1.1: previous = m_{K−1}, D = βJ∘C*).")
    var variant: VariantChoice = .head

    @Option(help: "The previous state, N × D: θ_prev for post (default ones), m_{K−1} for head (default zeros).")
    var previous: String?

    @Flag(help: "Measure at the fixed point m* = φ(x + J m*) (Anderson; not converging is an error).")
    var fixedPoint = false

    @Option(help: "Single-site response: large-d (closed form φ) or exact (vMF Bessel ratio).")
    var response: ResponseChoice = .largeD

    @Option(help: "Fixed point: most map evaluations.")
    var maxIterations: Int = 100

    @Option(help: "Fixed point: tolerance on the worst-site residual max_i ‖φ(x + J m)_i − m_i‖.")
    var tolerance: Double = 1e-10

    @Flag(help: "Print one JSON object instead of a report.")
    var json = false

    @OptionGroup var resources: ResourceOptions

    enum VariantChoice: String, ExpressibleByArgument, CaseIterable {
        case post, head
        var variant: SpinEPVariant { self == .post ? .post : .head }
    }

    enum ResponseChoice: String, ExpressibleByArgument, CaseIterable {
        case largeD = "large-d", exact
        var response: SpinResponse { self == .exact ? .exact : .largeDimension }
    }

    /// The result, as printed with --json.
    struct Report: Encodable {
        let variant: String
        let response: String
        let dim: Int
        let sites: Int
        let beta: Double
        let fixed_point: Bool
        let magnetizations: [[Double]]
        let gamma: [Double]
        let delayed_correlation: [[Double]]
        let entropy_production: Double
        let housekeeping_entropy_production: Double
        let fixed_point_residual: Double
        let fixed_point_iterations: Int?
        let local_contraction: Double?
    }

    func run() throws {
        let j = try MatrixOption.matrix(couplings, option: "--couplings")
        let x = try MatrixOption.matrix(inputs, option: "--inputs")
        let p = try previous.map { try MatrixOption.matrix($0, option: "--previous") }
        guard maxIterations >= 1 else { throw CLIError("--max-iterations must be ≥ 1, got \(maxIterations)") }
        guard tolerance.isFinite, tolerance >= 0 else { throw CLIError("--tolerance must be finite and ≥ 0, got \(tolerance)") }
        let n = j.rows
        // J, x, the previous state, the Anderson workspace ((2·5 + 4)·N·D) and the N × N outputs.
        try resources.check(AllocationPlan("spin-ep").adding(.init(4, "N × N matrices"), .init(n, "N"), .init(n, "N"), .init(8, "bytes"))
            .adding(.init(18, "N × D arrays"), .init(n, "N"), .init(max(dim, 0), "D"), .init(8, "bytes")))
        let measurement: SpinEPMeasurement
        do {
            let space = try SpinSpace(dimension: dim)
            let field = try NaiveMeanField(couplings: j, inputs: x, beta: beta, space: space, response: response.response)
            let options = fixedPoint ? FixedPointOptions(maxIterations: maxIterations, tolerance: tolerance, requireConvergence: true) : nil
            measurement = try field.measureEntropyProduction(variant: variant.variant, previous: p, fixedPoint: options)
        } catch {
            throw CLIError("spin-ep: \(error)")
        }
        let report = Report(
            variant: variant.rawValue, response: response.rawValue, dim: dim, sites: n, beta: beta, fixed_point: fixedPoint,
            magnetizations: measurement.magnetizations.json, gamma: measurement.stiffness,
            delayed_correlation: measurement.delayedCorrelation.json, entropy_production: measurement.entropyProduction,
            housekeeping_entropy_production: measurement.housekeepingEntropyProduction,
            fixed_point_residual: measurement.fixedPointResidual, fixed_point_iterations: measurement.fixedPoint?.iterations,
            local_contraction: measurement.localContraction)
        if json { return try JSONOutput.print(report, warnings: measurement.warnings) }
        print("spin-ep  \(variant.rawValue) variant, \(response.rawValue) response, N = \(n), D = \(dim), β = \(fmt(beta))\(fixedPoint ? ", at the fixed point" : "")")
        print("entropy production σ              \(fmt(measurement.entropyProduction))")
        print("housekeeping σ_hk (same pair)     \(fmt(measurement.housekeepingEntropyProduction))")
        print("fixed-point residual              \(fmt(measurement.fixedPointResidual))")
        if let s = measurement.fixedPoint { print("fixed-point iterations            \(s.iterations)") }
        if let rho = measurement.localContraction { print("local contraction ρ               \(fmt(rho))") }
        let norms = measurement.magnetizations.rowArrays.map { $0.map { $0 * $0 }.reduce(0, +).squareRoot() }
        print("|m_i|/R                           \(norms.map { fmt($0 / ((Double(dim) / 2 - 1).squareRoot())) }.joined(separator: " "))")
        // The library checks σ and σ_hk for finiteness; encoding the N × N report only to scan it would dominate the run.
        JSONOutput.printWarnings(measurement.warnings)
    }
}
