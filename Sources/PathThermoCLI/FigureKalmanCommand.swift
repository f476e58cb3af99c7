import ArgumentParser
import Autoregressive
import Experiments
import Foundation
import ResourceLimits

/// `paththermo figure-kalman`: exact vs Monte Carlo entropy production of the Kalman innovation model
/// (Sagawa 2026, Figure 5).
struct FigureKalmanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "figure-kalman",
        abstract: "Exact S_y(T) of the Kalman innovation model vs Monte Carlo (scalar: saturates; a 2-D rotation and the authors' 2-D system: linear).",
        discussion: """
            Scalar case A = 0.9, C = Q = R = 1 and a 2-D case A = [[0.7,-0.5],[0.5,0.7]], C = Q = R = I. The exact curve
            S_y(1..T_max) (zero start, linear-time recursions) against Monte Carlo means ± standard errors at several T
            (full: T_max = 100, N = 20 000 per point; --quick: T_max = 30, N = 2 000). Writes figure-kalman.json,
            figure-kalman-curve.csv, figure-kalman-monte-carlo.csv and figure-kalman.png to --out.
            """
    )

    @Flag(help: "Small run (T ≤ 30, 2 000 trajectories per point).")
    var quick = false

    @Option(help: "Output directory.")
    var out: String = "results/figure-kalman"

    @Option(help: "Base seed of the Monte Carlo points.")
    var seed: UInt64?

    @Option(help: "Trajectories per Monte Carlo point (overrides the preset).")
    var samples: Int?

    @Option(help: "Worker threads (0: one per core); results do not depend on it.")
    var threads: Int = 0

    @OptionGroup var output: FigureOutputOptions

    @OptionGroup var resources: ResourceOptions

    func run() throws {
        var c: FigureKalmanConfiguration = quick ? .quick : .full
        if let seed { c.seed = seed }
        if let samples { c.samples = samples }
        c.threads = threads
        do { try c.validate() } catch { throw CLIError("\(error)") }
        // Each Monte Carlo point and the exact curve, against --max-memory, before any runs.
        let workers = threads > 0 ? threads : ProcessInfo.processInfo.activeProcessorCount
        try resources.check(MonteCarloEntropyProduction.memoryPlan(length: c.maxHorizon, samples: c.samples, tokenLevel: true,
                                                                   workers: workers, what: "figure-kalman"))
        try resources.check(AllocationPlan("figure-kalman curve").adding(.init(c.maxHorizon, "T"), .init(256, "bytes")))
        let result: FigureKalmanResult
        do {
            result = try FigureKalmanExperiment(c).run()
            try result.write(to: out)
        } catch let error as ExperimentError {
            throw CLIError("\(error)")
        } catch let error as AutoregressiveError {
            throw CLIError("\(error)")
        }
        guard let plotNote = try output.finish(result, command: "figure-kalman", png: FigureKalmanResult.pngName, render: {
            try FigureKalmanResult.renderFigure(in: out)
        }) else { return }
        print("Figure Kalman (\(quick ? "quick" : "full"): T_max = \(c.maxHorizon), N = \(c.samples) per point) in \(String(format: "%.2f", result.seconds)) s")
        for r in result.cases {
            print("  \(r.name) (n_y = \(r.observationDimension)): S_y(T_max) = \(fmt(r.curve.last ?? .nan)), last increment \(fmt(r.finalIncrement))")
            print("    T      exact        Monte Carlo ± SE          z")
            for p in r.monteCarlo {
                print(String(format: "    %-5d  %-11.6g  %-11.6g ± %-10.4g  %+.2f", p.horizon, p.analytic, p.mean, p.stderr, p.z))
            }
        }
        print("wrote \(out)/\(FigureKalmanResult.jsonName), \(FigureKalmanResult.curveCSVName), \(FigureKalmanResult.monteCarloCSVName) \(plotNote)")
    }
}
