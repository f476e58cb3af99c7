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
        let mean: Double
        let min: Double
        let max: Double
        let out: String?
    }

    func run() throws {
        try resources.checkInput(drifts, option: "ou-batch --drifts")
        let stack: NPYArray
        do { stack = try NPY.read(contentsOf: drifts) } catch { throw CLIError("--drifts: \(error)") }
        guard stack.rank == 3, stack.shape[1] == stack.shape[2], stack.shape[1] > 0 else {
            throw CLIError("--drifts: expected an array of shape (N, n, n), got shape \(stack.shape)")
        }
        let (count, n) = (stack.shape[0], stack.shape[1])
        // The N matrices copied out of the stack and the N rates, against --max-memory.
        try resources.check(AllocationPlan("ou-batch").adding(.init(count, "models"), .init(n * n + 1, "doubles"), .init(8, "bytes")))
        let d = try MatrixOption.matrixOrIsotropic(diffusion, option: "--diffusion", dimension: n)
        let v = stack.values
        let evaluate: () throws -> [Double]
        if n == 2 {  // the allocation-free closed form, straight from the C-ordered stack
            let drifts2 = (0..<count).map { k in Matrix2x2(v[4 * k], v[4 * k + 1], v[4 * k + 2], v[4 * k + 3]) }
            let d2 = try Matrix2x2(d)
            evaluate = { try OrnsteinUhlenbeck2D.entropyProductionRates(drifts: drifts2, diffusion: d2, threads: threads) }
        } else {
            let matrices = try (0..<count).map { k in
                try Matrix(rows: n, columns: n, rowMajor: Array(v[(k * n * n)..<((k + 1) * n * n)]))
            }
            evaluate = { try OrnsteinUhlenbeck.entropyProductionRates(drifts: matrices, diffusion: d, threads: threads) }
        }
        let (rates, seconds) = try fastest(of: repeats, evaluate)
        if let out { try NPY.write(NPYArray(vector: rates), to: out) }
        let report = Report(
            count: count, dimension: n, seconds: seconds, evaluations_per_second: Double(count) / seconds,
            mean: rates.isEmpty ? 0 : rates.reduce(0, +) / Double(count),
            min: rates.min() ?? 0, max: rates.max() ?? 0, out: out)
        if json { return try JSONOutput.print(report) }
        print("models     \(count) of dimension \(n)")
        print("σ          mean \(fmt(report.mean)), min \(fmt(report.min)), max \(fmt(report.max))")
        print("seconds    \(fmt(seconds))  (\(fmt(report.evaluations_per_second)) models/s)")
        if let out { print("wrote      \(out)") }
    }
}
