import ArgumentParser
import LinearAlgebra
import Thermodynamics

/// `paththermo ou`: exact stationary thermodynamics of dx = B x dt + √(2D) dW.
struct OUCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ou",
        abstract: "Exact stationary covariance, current and entropy production of a linear (OU) model.",
        discussion: """
            Model: dx = B x dt + sqrt(2D) dW with B Hurwitz and D symmetric positive definite.
            Matrices are JSON literals like '[[-1,2],[-2,-1]]' or paths to .npy/.json files;
            --diffusion may also be a scalar d (isotropic D = d I).
            """
    )

    @Option(help: "Drift matrix B (JSON literal, .npy or .json).")
    var drift: String

    @Option(help: "Diffusion matrix D, or a scalar for D = d I.")
    var diffusion: String = "1"

    @Flag(help: "Print one JSON object instead of a report.")
    var json = false

    struct Report: Encodable {
        let dimension: Int
        let stationary_covariance: [[Double]]
        let entropy_production_rate: Double
        let irreversible_drift: [[Double]]
        let reversible_drift: [[Double]]
        let probability_current_matrix: [[Double]]
        let eigenvalues: [[Double]]
        let non_normality: NonNormalityReport
    }

    struct NonNormalityReport: Encodable {
        let antisymmetric_ratio: Double
        let henrici: Double
        let henrici_relative: Double
        let commutator: Double
    }

    func run() throws {
        let b = try MatrixOption.matrix(drift, option: "--drift")
        let d = try MatrixOption.matrixOrIsotropic(diffusion, option: "--diffusion", dimension: b.rows)
        let ou = try OrnsteinUhlenbeck(drift: b, diffusion: d)
        let nn = try NonNormality(b)
        let report = Report(
            dimension: ou.dimension,
            stationary_covariance: ou.stationaryCovariance.json,
            entropy_production_rate: ou.entropyProductionRate,
            irreversible_drift: try ou.irreversibleDrift.json,
            reversible_drift: try ou.reversibleDrift.json,
            probability_current_matrix: ou.probabilityCurrentMatrix.json,
            eigenvalues: eigenvaluePairs(ou.eigenvalues),
            non_normality: NonNormalityReport(
                antisymmetric_ratio: nn.antisymmetricRatio, henrici: nn.henrici,
                henrici_relative: nn.henriciRelative, commutator: nn.commutator))
        if json { return try JSONOutput.print(report) }
        defer { JSONOutput.printWarnings(JSONOutput.warnings(for: report)) }
        print("dimension                 \(report.dimension)")
        print("entropy production rate   \(fmt(report.entropy_production_rate))")
        print("eigenvalues of B          " + ou.eigenvalues.map(fmt).joined(separator: ", "))
        print("non-normality             antisymmetric ratio \(fmt(nn.antisymmetricRatio)), "
              + "Henrici \(fmt(nn.henrici)) (relative \(fmt(nn.henriciRelative))), commutator \(fmt(nn.commutator))")
        if ou.dimension <= 8 {
            print("stationary covariance     \(report.stationary_covariance.map { $0.map(fmt) })")
            print("irreversible drift Ω      \(report.irreversible_drift.map { $0.map(fmt) })")
            print("current matrix ΩΣ         \(report.probability_current_matrix.map { $0.map(fmt) })")
        }
    }
}
