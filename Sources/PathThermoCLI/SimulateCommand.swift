import ArgumentParser
import ArrayIO
import Dispatch
import Dynamics
import LinearAlgebra
import Parallel
import ResourceLimits
#if canImport(Glibc)
import Glibc
#endif

/// `paththermo simulate`: batched Euler–Maruyama rollouts of a linear or softmax-attention drift.
struct SimulateCommand: ParsableCommand, RolloutCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Simulate B rollouts × T steps of dx = f(x) dt + sqrt(2D) dW (Euler–Maruyama).",
        discussion: """
            Drifts: [--family linear] --drift B      f(x) = B x
                    --family softmax --w W --keys K --beta b [--leak l]
                                                     f(x) = Σ_m softmax_m(b xᵀW k_m) k_m − l x  (K: one key per row)
            Matrices are JSON literals like '[[-1,2],[-2,-1]]' or paths to .npy/.json files.
            --diffusion is a scalar s (D = s·I) or a d × d symmetric positive-definite matrix D; the noise
            of a step is sqrt(2Δt) L ξ with D = L Lᵀ (Cholesky).
            Every rollout starts at the origin, takes --burn-in steps, then records --steps states
            --thin steps apart. The noise of rollout i, step k depends only on (--seed, i, k), so
            results are identical for any --threads and --chunk, and --first-rollout k makes this run
            rollouts k ..< k + B of a larger one (shards: their --out files concatenated along the first
            axis, in order, are the larger run's file, bit for bit).
            With --out the states go to a (rollouts, steps, d) .npy as they are produced, under a temporary
            name that becomes --out only when the run completes (an interrupted run leaves --out as it was); without it
            only a summary is printed (mean and covariance of the final states, particle-steps,
            seconds, particle-steps/s), so timing it measures the engine; --all-states adds the mean
            and covariance of all recorded states pooled (which costs a copy of every state).
            A progress bar is drawn on stderr when it is a terminal (or PATHTHERMO_PROGRESS=1).
            """
    )

    enum DriftKind: String, ExpressibleByArgument, CaseIterable { case linear, softmax }

    @Option(help: "Drift family: linear (the default) or softmax.")
    var family: DriftKind?

    @Option(help: "Drift matrix B of the linear family (JSON literal, .npy or .json).")
    var drift: String?

    /// Deprecated: the drift matrix (now `--drift`).
    @Option(help: DeprecatedSpelling.help(of: "--drift")) var matrix: String?

    @Option(help: "Query–key score matrix W, d × d (softmax drift).")
    var w: String?

    @Option(help: "Keys K, M × d, one memory slot per row (softmax drift).")
    var keys: String?

    @Option(help: "Inverse temperature β > 0 (softmax drift).")
    var beta: Double?

    @Option(help: "Leak λ of the relaxation term −λx (softmax drift).")
    var leak: Double = 1

    @OptionGroup var rollout: RolloutOptions

    @Option(name: .customLong("first-rollout"),
            help: "Global index of the first rollout k: these --rollouts B are rollouts k ..< k + B of a larger run with the same seed, bit for bit (a shard; concatenate the shards' --out files in order).")
    var firstRollout: Int = 0

    @Option(help: "Worker threads (0: one per core).")
    var threads: Int = 0

    @Option(help: "Rollouts stepped together by one worker.")
    var chunk: Int = 64

    @Option(help: "Write the recorded states here as a (rollouts, steps, d) .npy.")
    var out: String?

    @Flag(help: "Write --out as float32 instead of float64.")
    var float32 = false

    @Flag(name: .customLong("all-states"),
          help: "Also report mean and covariance of all recorded states pooled (default: final states only).")
    var allStates = false

    @Flag(help: "Print one JSON object instead of a report.")
    var json = false

    @OptionGroup var resources: ResourceOptions

    /// The deprecated spellings first: `--drift linear|softmax` (the family, now `--family`; no drift matrix is
    /// spelled `linear` or `softmax`, so the value tells the two meanings apart) and `--matrix B` (now `--drift B`).
    /// Then count ranges (one-line errors): rollouts, steps, burn-in and thin up to 2⁴⁰ (the engine also caps
    /// burn-in + (steps − 1)·thin at 2⁴⁸ − 1), chunk up to 2²⁰ rollouts, threads up to 4096.
    mutating func validate() throws {
        if let value = drift, let old = DriftKind(rawValue: value) {
            if let family, family != old {
                throw ValidationError("--drift \(value) (the deprecated spelling of --family \(value)) contradicts --family \(family.rawValue)")
            }
            family = old
            drift = nil
        }
        drift = try DeprecatedSpelling.merge(drift, "--drift", matrix, "--matrix")
        matrix = nil
        do {
            try EulerMaruyama.requireCountRanges(rollouts: rollouts, steps: steps, burnIn: burnIn, thin: thin,
                                                 chunk: chunk, threads: threads, prefix: "--")
        } catch { throw CLIError("\(error)") }
        // Up to 2⁶² (the noise streams are 64-bit; first + rollouts must not overflow).
        try requireCount(firstRollout, "--first-rollout", atLeast: 0, atMost: 1 << 62)
    }

    /// The engine's buffers against `--max-memory`, and the `--out` file (rollouts × steps × d × item size) against
    /// the free space of its file system, before any buffer or file exists.
    func checkPlan(_ engine: EulerMaruyama, dimension d: Int) throws {
        try resources.check(engine.memoryPlan(dimension: d, workers: engine.workerCount))
        guard let out else { return }
        let file = AllocationPlan("simulate --out").adding(
            .init(rollouts, "rollouts"), .init(steps, "steps"), .init(d, "d"), .init(float32 ? 4 : 8, "bytes"))
        do { try DiskSpace.check(file, path: out) } catch { throw CLIError("\(error)") }
    }

    /// The `--json` document (shared with the C ABI's `pt_simulate_*`).
    typealias Report = SimulationReport

    /// The drift family (`--family`, linear by default).
    var kind: DriftKind { family ?? .linear }

    func run() throws {
        do {
            switch kind {
            case .linear:
                guard w == nil, keys == nil, beta == nil else {
                    throw CLIError("--w, --keys and --beta belong to --family softmax; the linear drift takes --drift B")
                }
                guard let drift else { throw CLIError("the linear drift needs --drift B (the drift matrix)") }
                try simulate(try LinearDrift(matrix: MatrixOption.matrix(drift, option: "--drift")))
            case .softmax:
                guard drift == nil else { throw CLIError("--drift B belongs to --family linear; the softmax drift takes --w and --keys") }
                guard let w, let keys, let beta else { throw CLIError("--family softmax needs --w W, --keys K and --beta b") }
                let scores = try MatrixOption.matrix(w, option: "--w")
                let k = try MatrixOption.matrix(keys, option: "--keys")
                try simulate(try SoftmaxAttentionDrift(scores: scores, keys: k, beta: beta, leak: leak))
            }
        } catch let error as DynamicsError {
            throw CLIError(error.description)
        } catch let error as ArrayIOError {
            throw CLIError(error.description)
        }
    }

    /// Stops OpenBLAS's idle worker threads, if this process runs OpenBLAS. They start when the
    /// library is loaded and busy-wait (`sched_yield`) for about 0.1 s before they sleep, taking a
    /// core from the engine's own threads for the whole of a short run (measured: ≈ 15% of a
    /// 0.07 s run on 2 cores, best and median of 7). The engine runs its own threads and its BLAS calls are 16-row
    /// products that OpenBLAS computes on the calling thread; should a later call want the pool,
    /// OpenBLAS starts it again (`exec_blas` re-initializes a shut-down server). Results do not
    /// change: OpenBLAS splits a product over rows and columns, never over its inner sums.
    static func releaseIdleBLASThreads() {
        #if canImport(Glibc)
        guard let handle = dlopen(nil, RTLD_NOW) else { return }
        defer { dlclose(handle) }
        typealias Shutdown = @convention(c) () -> Int32
        if let symbol = dlsym(handle, "blas_thread_shutdown_") { _ = unsafeBitCast(symbol, to: Shutdown.self)() }
        #endif
    }

    /// `--diffusion` as a ``Diffusion``: a scalar s is s·I, a matrix is validated (square, finite,
    /// symmetric, positive definite) and must match the drift's dimension.
    static func diffusionModel(_ argument: String, dimension: Int) throws -> Diffusion {
        do {
            switch try MatrixOption.load(argument, option: "--diffusion") {
            case .scalar(let s): return try Diffusion.isotropic(s)
            case .vector: throw CLIError("--diffusion: expected a scalar or a d × d matrix, got a 1-D list")
            case .matrix(let m):
                let model = try Diffusion(matrix: m)
                try model.requireDimension(dimension)
                return model
            }
        } catch let error as DynamicsError {
            throw CLIError("--diffusion: \(error)")
        }
    }

    func simulate<F: Drift>(_ f: F) throws {
        let d = f.dimension
        let noise = try Self.diffusionModel(diffusion, dimension: d)
        let engine = try EulerMaruyama(timeStep: dt, diffusion: noise, rollouts: rollouts, steps: steps,
                                       burnIn: burnIn, thin: thin, seed: seed, threads: threads, chunk: chunk, firstRollout: firstRollout)
        try checkPlan(engine, dimension: d)
        let dtype: NPYDType = float32 ? .float32 : .float64
        // Created (and sized) only after the engine has checked the plan. The file is built under a temporary name
        // and renamed to --out by close(); an error or a signal on the way leaves --out as it was.
        let recorder = try out.map { try NPYStreamWriter(path: $0, rollouts: rollouts, steps: steps, dimension: d, dtype: dtype) }
        defer { recorder?.discard() }  // no-op after a successful close()
        let progress = ProgressReporter(total: engine.particleSteps, label: "simulate")
        Self.releaseIdleBLASThreads()
        let start = DispatchTime.now().uptimeNanoseconds
        let moments = try engine.run(f, observer: StateMomentsObserver(dimension: d, steps: steps, allStates: allStates),
                                     recorder: recorder, progress: progress, budget: try resources.budget())
        try recorder?.close()
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        progress.finish()
        let report = Report(
            drift: kind.rawValue, engine: engine, dimension: d, moments: moments, allStates: allStates, seconds: seconds,
            out: out, dtype: out == nil ? nil : (float32 ? "float32" : "float64"))
        if json { return try JSONOutput.print(report) }
        print("drift                 \(kind.rawValue), d = \(d)")
        let dText = noise.isIsotropic ? fmt(noise.scale) : fmtRows(noise.matrix(dimension: d).json)
        print("rollouts × steps      \(rollouts) × \(steps)  (burn-in \(burnIn), thin \(thin), Δt \(fmt(dt)), D \(dText))")
        print("particle-steps        \(engine.particleSteps)")
        print("seconds               \(fmt(seconds))")
        print("particle-steps/s      \(fmt(report.particle_steps_per_second))")
        if d <= 8 {
            print("final mean            \(report.final_mean.map(fmt))")
            print("final covariance      \(report.final_covariance.map { $0.map(fmt) })")
            if let mean = report.mean, let covariance = report.covariance {
                print("mean (all states)     \(mean.map(fmt))")
                print("covariance (all)      \(covariance.map { $0.map(fmt) })")
            }
        }
        if let out { print("wrote                 \(out)  (\(rollouts), \(steps), \(d)) \(float32 ? "float32" : "float64")") }
        JSONOutput.printWarnings(JSONOutput.warnings(for: report))
    }
}
