import ArgumentParser
import ArrayIO
import Foundation
import ResourceLimits
import LinearAlgebra
import Thermodynamics

/// `paththermo ou-batch`: entropy-production rates of a stack of drift matrices.
struct OUBatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ou-batch",
        abstract: "Entropy-production rates of many OU drifts (an .npy stack of shape (N, n, n)) with one D.",
        discussion: """
            2-D drifts use the closed form (no LAPACK call, no allocation); larger ones Bartels–Stewart.
            Reports the evaluation time (excluding file I/O) and the rate in models per second.
            """
    )

    @Option(help: "Stack of drift matrices B_k: .npy of shape (N, n, n).")
    var drifts: String

    @Option(help: "Diffusion matrix D shared by all models, or a scalar for D = d I.")
    var diffusion: String = "1"

    @Option(help: "Write the N rates here as a 1-D .npy.")
    var out: String?

    @Option(help: "Worker threads (0: one per core). Results do not depend on it.")
    var threads: Int = 0

    @Option(name: .customLong("repeat"), help: "Evaluate this many times and report the fastest.")
    var repeats: Int = 1

    @Flag(name: .customLong("skip-invalid"),
          help: "Give invalid models (unstable drift, non-finite entries or σ) the rate NaN and list them, instead of failing.")
    var skipInvalid = false

    @Flag(help: "Print one JSON object instead of a report.")
    var json = false

    @OptionGroup var resources: ResourceOptions

    /// Count ranges (one-line errors): --repeat up to 10⁶, --threads up to 4096.
    func validate() throws {
        try requireCount(repeats, "--repeat", atLeast: 1, atMost: 1_000_000)
        try requireCount(threads, "--threads", atLeast: 0, atMost: 4096)
    }

    struct Report: Encodable {
        let count: Int
        let dimension: Int
        let seconds: Double
        let evaluations_per_second: Double
        /// Mean, min and max over the valid models (NaN, written as null, when none is valid).
        let mean: Double
        let min: Double
        let max: Double
        let invalid_indices: [Int]
        let out: String?
    }

    func run() throws {
        try resources.checkInput(drifts, option: "ou-batch --drifts")
        let stack: NPYArray
        do { stack = try NPY.read(contentsOf: drifts) } catch { throw CLIError("--drifts: \(error)") }
        guard stack.rank == 3, stack.shape[1] == stack.shape[2], stack.shape[1] > 0 else {
            throw CLIError("--drifts: expected an array of shape (N, n, n) with n ≥ 1, got shape \(stack.shape)")
        }
        guard stack.shape[0] > 0 else { throw CLIError("--drifts: the stack is empty (N = 0 models)") }
        let (count, n) = (stack.shape[0], stack.shape[1])
        // The N matrices copied out of the stack and the N rates, against --max-memory.
        try resources.check(AllocationPlan("ou-batch").adding(.init(count, "models"), .init(n * n + 1, "doubles"), .init(8, "bytes")))
        let d = try MatrixOption.matrixOrIsotropic(diffusion, option: "--diffusion", dimension: n)
        let v = stack.values
        let evaluate: () throws -> (rates: [Double], invalid: [InvalidBatchElement])
        if n == 2 {  // the allocation-free closed form, straight from the C-ordered stack
            let drifts2 = (0..<count).map { k in Matrix2x2(v[4 * k], v[4 * k + 1], v[4 * k + 2], v[4 * k + 3]) }
            let d2 = try Matrix2x2(d)
            evaluate = { try OrnsteinUhlenbeck2D.entropyProductionRatesSkippingInvalid(drifts: drifts2, diffusion: d2, threads: threads) }
        } else {
            let matrices = try (0..<count).map { k in
                try Matrix(rows: n, columns: n, rowMajor: Array(v[(k * n * n)..<((k + 1) * n * n)]))
            }
            evaluate = { try OrnsteinUhlenbeck.entropyProductionRatesSkippingInvalid(drifts: matrices, diffusion: d, threads: threads) }
        }
        let ((rates, invalid), seconds) = try fastest(of: repeats, evaluate)
        if let first = invalid.first, !skipInvalid {
            let more = invalid.count > 1 ? " (\(invalid.count) of \(count) models are invalid; --skip-invalid gives them NaN)" : ""
            throw CLIError("--drifts: model \(first.index): \(first.reason)\(more)")
        }
        if let out { try NPY.write(NPYArray(vector: rates), to: out) }
        let valid = rates.filter(\.isFinite)
        let report = Report(
            count: count, dimension: n, seconds: seconds, evaluations_per_second: Double(count) / seconds,
            mean: valid.isEmpty ? .nan : valid.reduce(0, +) / Double(valid.count),
            min: valid.min() ?? .nan, max: valid.max() ?? .nan, invalid_indices: invalid.map(\.index), out: out)
        // One warning per invalid model, up to 20 (all of them are in invalid_indices).
        var warnings = invalid.prefix(20).map { "model \($0.index) is invalid: \($0.reason)" }
        if invalid.count > 20 { warnings.append("\(invalid.count - 20) more models are invalid (see invalid_indices)") }
        if json { return try JSONOutput.print(report, warnings: warnings) }
        print("models     \(count) of dimension \(n)" + (invalid.isEmpty ? "" : ", \(invalid.count) invalid (rate NaN)"))
        print("σ          mean \(fmt(report.mean)), min \(fmt(report.min)), max \(fmt(report.max))"
              + (invalid.isEmpty ? "" : " over the \(valid.count) valid models"))
        print("seconds    \(fmt(seconds))  (\(fmt(report.evaluations_per_second)) models/s)")
        if let out { print("wrote      \(out)") }
        JSONOutput.printWarnings(JSONOutput.warnings(for: report, warnings: warnings))
    }
}
