import ArgumentParser
import Foundation
import PathThermo

/// `paththermo measure`: simulate and estimate without storing trajectories, in shards that merge bit for bit
/// (issue 19; docs/scaling.md).
struct MeasureCommand: ParsableCommand, RolloutCommand {
    static let configuration = CommandConfiguration(
        commandName: "measure",
        abstract: "Simulate rollouts of dx = f(x) dt + sqrt(2D) dW and estimate their entropy production without storing them.",
        discussion: """
            The drift options are simulate's ([--family linear] --drift B, or --family softmax --w W --keys K --beta b
            [--leak l], or --model model.json); every rollout starts at the origin, takes --burn-in steps, then
            records --steps states --thin steps apart (sampling interval Δt·thin). The estimator options are
            estimate's; the grid needs --bounds L (its quantile box would need the data first: without it the grid is
            skipped); for a linear drift the pathwise estimator uses the simulated model itself. One simulation
            feeds every method, each with the numbers it has alone.
            --shard i/n runs rollouts ⌊i·B/n⌋ ..< ⌊(i+1)·B/n⌋ of the B-rollout run and, with --save-state F, saves
            the estimators' partial sums; 'paththermo merge' of all shards' states prints bit for bit what one run
            over all B rollouts prints (for any --threads and --chunk). Results are nats per unit time.
            """
    )

    @OptionGroup var source: DriftOptions

    @OptionGroup var rollout: RolloutOptions

    @OptionGroup var estimator: EstimatorOptions

    @Option(help: "Part i of n equal consecutive parts of the rollouts (0 <= i < n); needs --save-state.")
    var shard: ShardOption?

    @Option(name: .customLong("save-state"), help: "Write the estimators' partial sums to this file (for 'paththermo merge') instead of estimating.")
    var saveState: String?

    @Option(help: "Worker threads (0: one per core); results do not depend on it.")
    var threads: Int = 0

    @Option(help: "Rollouts stepped together by one worker; results do not depend on it.")
    var chunk: Int = 64

    @Flag(help: "Print one JSON object instead of a report.")
    var json = false

    @OptionGroup var resources: ResourceOptions

    func validate() throws {
        do {
            try EulerMaruyama.requireCountRanges(rollouts: rollouts, steps: steps, burnIn: burnIn, thin: thin,
                                                 chunk: chunk, threads: threads, prefix: "--")
        } catch { throw CLIError("\(error)") }
        guard steps >= 2 else { throw ValidationError("--steps must be >= 2 (an estimate needs transition pairs)") }
        guard dt.isFinite, dt > 0 else { throw ValidationError("--dt must be finite and > 0") }
        if shard != nil, saveState == nil {
            throw ValidationError("--shard needs --save-state (a part's estimate alone is not the run's; merge the parts' states)")
        }
    }

    func run() throws {
        let drift = try source.load()
        try measure(drift)
    }

    func measure<F: DifferentiableDrift>(_ f: F) throws {
        let d = f.dimension
        let noise = try SimulateCommand.diffusionModel(diffusion, dimension: d)
        let part = shard?.rollouts(of: rollouts) ?? 0..<rollouts
        var request = estimator.request(timeStep: dt * Double(thin), dimension: d)
        request.threads = threads
        request.budget = try resources.budget()
        request.planName = "measure --method"
        if let linear = f as? LinearDrift, estimator.method == .all || estimator.method == .pathwise {
            request.pathwiseModel = .init(drift: linear.matrix, diffusion: noise.matrix(dimension: d))
        }
        let state: EntropyProductionState
        do {
            // An empty shard (more shards than rollouts) runs nothing; the engine still needs one rollout to exist.
            let engine = try EulerMaruyama(timeStep: dt, diffusion: noise, rollouts: max(1, part.count), steps: steps,
                                           burnIn: burnIn, thin: thin, seed: seed, threads: threads, chunk: chunk,
                                           firstRollout: part.lowerBound)
            try resources.check(engine.memoryPlan(dimension: d, workers: engine.workerCount))
            let progress = ProgressReporter(total: engine.particleSteps * request.methods.count, label: "measure")
            defer { progress.finish() }
            state = try EntropyProductionState.measure(
                f, engine: engine, rollouts: part, totalRollouts: rollouts, request: request,
                source: try Self.source(f, noise: noise, dt: dt, steps: steps, burnIn: burnIn, thin: thin, seed: seed),
                software: CommandProvenance.versionLine, progress: progress)
        } catch let error as CLIError { throw error } catch { throw CLIError("\(error)") }
        if let saveState {
            try ResultFile.write(bytes: try state.encoded(), to: saveState)
            return try MergeCommand.printSummary(state, path: saveState, json: json)
        }
        try MergeCommand.printReport(state, json: json)
    }

    /// What the run is, as JSON: the drift (its family and a fingerprint of f at fixed points, so any drift — a
    /// matrix, attention weights, a trained model — is named by what it computes), D, Δt, steps, burn-in, thin, seed.
    static func source<F: Drift>(_ f: F, noise: Diffusion, dt: Double, steps: Int, burnIn: Int, thin: Int,
                                 seed: UInt64) throws -> String {
        let d = f.dimension, n = 8
        var points = [Double](repeating: 0, count: n * d)
        var state: UInt64 = 0x5851_F42D_4C95_7F2D
        for i in points.indices {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            points[i] = Double(Int64(bitPattern: state >> 11) % 2001 - 1000) / 250
        }
        var values = [Double](repeating: 0, count: n * d)
        var workspace = f.makeWorkspace(capacity: n)
        points.withUnsafeBufferPointer { p in
            values.withUnsafeMutableBufferPointer { v in f.evaluate(p, count: n, into: v, workspace: &workspace) }
        }
        var h = FNV1a()
        for v in values { h.add(v.bitPattern) }
        let description: [String: JSONValue] = [
            "drift_fingerprint": .string(h.hex), "dimension": .number(Double(d)),
            "diffusion": .array(noise.matrix(dimension: d).rowArrays.joined().map { .number($0) }),
            "dt": .number(dt), "steps": .number(Double(steps)), "burn_in": .number(Double(burnIn)),
            "thin": .number(Double(thin)), "seed": .string(String(seed)),
        ]
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return "simulation " + String(decoding: try encoder.encode(JSONValue.object(description)), as: UTF8.self)
    }
}

extension MeasureCommand: ProvenanceDescribing {
    var provenanceParameters: ProvenanceParameters {
        .init(seed: seed, dt: dt * Double(thin), units: ResultUnits.rate + " (time in the units of dt)")
    }
}
