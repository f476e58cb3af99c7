import ArrayIO
import Dispatch
import Dynamics
import LinearAlgebra
import Parallel
import ResourceLimits

/// `pt_simulate_linear` / `pt_simulate_softmax`: `paththermo simulate` into the caller's (rollouts, steps, d) array
/// instead of a `.npy` (``EulerMaruyama`` with a ``StridedTrajectoryRecorder``; Sources/Dynamics/README.md, Eq. 19 of
/// arXiv:2606.28751). The recorded states are the bits of `paththermo simulate --out` for the same arguments (float32
/// outputs: the bits of `--out --float32`), and `*json_out` receives the CLI's `--json` report
/// (``SimulationReport``) with `seconds` and `particle_steps_per_second` as this call measured them and no
/// `out`/`dtype`. Validation is the CLI's: count ranges (``EulerMaruyama/requireCountRanges``), the engine's own
/// checks, the diffusion (``Diffusion``: square, finite, symmetric, positive definite, the drift's dimension) and the
/// engine's memory plan; the output view must have shape (rollouts, steps, d). A null `out` asks for these checks
/// only (and the budget of a (rollouts, steps, d) array of `out_dtype`): nothing runs, `json_out` may be NULL and `*json_out` stays NULL, so
/// a caller (the Python package) can check the sizes before it allocates the array.
/// Cost: rollouts × (burn-in + (steps − 1)·thin) drift evaluations and updates, spread over `threads` workers
/// (0: one per core); the call holds no lock and can run while other threads call the library.
struct ABISimulation {
    let dt: Double
    let rollouts: Int64
    let steps: Int64
    let burnIn: Int64
    let thin: Int64
    let seed: UInt64
    let threads: Int64
    let chunk: Int64
    /// Global index of the first rollout (`--first-rollout`): rollout i draws noise stream firstRollout + i.
    let firstRollout: Int64
    let output: (data: UnsafeMutableRawPointer?, dtype: Int32, shape: (Int64, Int64, Int64), strides: (Int64, Int64, Int64))

    /// Runs `drift` with the diffusion `diffusion` (a d × d matrix; exactly s·I is the CLI's `--diffusion s`, see
    /// ``Diffusion/init(matrix:)``) and writes the report to `jsonOut`.
    func run<F: Drift>(_ drift: F, family: String, diffusion: Matrix,
                       jsonOut: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) throws {
        let d = drift.dimension
        let noise = try Diffusion(matrix: diffusion)
        try noise.requireDimension(d)
        // The engine's checks first (counts below their minimum: a library error), then the CLI's upper limits.
        let engine = try EulerMaruyama(
            timeStep: dt, diffusion: noise, rollouts: Self.int(rollouts), steps: Self.int(steps),
            burnIn: Self.int(burnIn), thin: Self.int(thin), seed: seed, threads: Self.int(threads), chunk: Self.int(chunk),
            firstRollout: Self.int(firstRollout))
        try EulerMaruyama.requireCountRanges(rollouts: engine.rollouts, steps: engine.steps, burnIn: engine.burnIn,
                                             thin: engine.thin, chunk: engine.chunk, threads: engine.threads, prefix: "")
        try CountLimit.require(engine.firstRollout, "first_rollout", atLeast: 0, atMost: 1 << 62)
        _ = try MemoryBudget.standard.check(engine.memoryPlan(dimension: d, workers: engine.workerCount))
        guard output.data != nil else {
            // Validate only: the (rollouts, steps, d) array the caller is about to allocate, against the budget.
            guard output.dtype == ABIDType.float64 || output.dtype == ABIDType.float32 else {
                throw ABIArgumentError("out: unknown dtype code \(output.dtype) (0: float64, 1: float32)")
            }
            _ = try MemoryBudget.standard.check(AllocationPlan("out").adding(
                .init(engine.rollouts, "rollouts"), .init(engine.steps, "steps"), .init(d, "d"),
                .init(output.dtype == ABIDType.float32 ? 4 : 8, "bytes")))
            return
        }
        guard jsonOut != nil else { throw ABIArgumentError("json_out: null output pointer") }
        let view = try ABITrajectoryView(name: "out", data: output.data.map { UnsafeRawPointer($0) }, dtype: output.dtype,
                                         shape: output.shape, strides: output.strides)
        guard view.rollouts == engine.rollouts, view.steps == engine.steps, view.dimension == d else {
            throw ABIArgumentError("out: shape (\(view.rollouts), \(view.steps), \(view.dimension)) but the run produces (\(engine.rollouts), \(engine.steps), \(d))")
        }
        let recorder = try view.recorder()
        let start = DispatchTime.now().uptimeNanoseconds
        let moments = try engine.run(drift, observer: StateMomentsObserver(dimension: d, steps: engine.steps, allStates: false),
                                     recorder: recorder)
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        let report = SimulationReport(drift: family, engine: engine, dimension: d, moments: moments, allStates: false,
                                      seconds: seconds)
        try writeJSON(report, to: jsonOut)
    }

    /// An Int64 count as Int (the same width on the 64-bit platforms the library supports).
    static func int(_ value: Int64) -> Int { Int(truncatingIfNeeded: value) }
}

/// `pt_simulate_linear`: `paththermo simulate --drift B --diffusion D …` into `out` (see ``ABISimulation``).
/// drift B: d × d; diffusion D: d × d symmetric positive definite (s·I for the CLI's scalar `--diffusion s`).
@_cdecl("pt_simulate_linear")
public func pt_simulate_linear(
    _ drift: UnsafeRawPointer?, _ driftDType: Int32, _ driftRows: Int64, _ driftColumns: Int64,
    _ driftRowStride: Int64, _ driftColumnStride: Int64,
    _ diffusion: UnsafeRawPointer?, _ diffusionDType: Int32, _ diffusionRows: Int64, _ diffusionColumns: Int64,
    _ diffusionRowStride: Int64, _ diffusionColumnStride: Int64,
    _ dt: Double, _ rollouts: Int64, _ steps: Int64, _ burnIn: Int64, _ thin: Int64, _ seed: UInt64,
    _ threads: Int64, _ chunk: Int64, _ firstRollout: Int64,
    _ out: UnsafeMutableRawPointer?, _ outDType: Int32, _ outRollouts: Int64, _ outSteps: Int64, _ outDimension: Int64,
    _ outStride0: Int64, _ outStride1: Int64, _ outStride2: Int64,
    _ jsonOut: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?,
    _ message: UnsafeMutablePointer<CChar>?, _ messageCapacity: Int64
) -> Int32 {
    abiCall(message: message, capacity: messageCapacity) {
        jsonOut?.pointee = nil
        let b = try abiMatrix("drift", drift, driftDType, driftRows, driftColumns, driftRowStride, driftColumnStride)
        let dm = try abiMatrix("diffusion", diffusion, diffusionDType, diffusionRows, diffusionColumns, diffusionRowStride, diffusionColumnStride)
        let simulation = ABISimulation(
            dt: dt, rollouts: rollouts, steps: steps, burnIn: burnIn, thin: thin, seed: seed, threads: threads, chunk: chunk,
            firstRollout: firstRollout,
            output: (out, outDType, (outRollouts, outSteps, outDimension), (outStride0, outStride1, outStride2)))
        try simulation.run(try LinearDrift(matrix: b), family: "linear", diffusion: dm, jsonOut: jsonOut)
    }
}

/// `pt_simulate_softmax`: `paththermo simulate --family softmax --w W --keys K --beta b --leak l --diffusion D …` into
/// `out` (see ``ABISimulation``): f(x) = Σ_m softmax_m(b xᵀW k_m) k_m − l x. w: d × d; keys: M × d (one key per row).
@_cdecl("pt_simulate_softmax")
public func pt_simulate_softmax(
    _ w: UnsafeRawPointer?, _ wDType: Int32, _ wRows: Int64, _ wColumns: Int64, _ wRowStride: Int64, _ wColumnStride: Int64,
    _ keys: UnsafeRawPointer?, _ keysDType: Int32, _ keysRows: Int64, _ keysColumns: Int64,
    _ keysRowStride: Int64, _ keysColumnStride: Int64,
    _ beta: Double, _ leak: Double,
    _ diffusion: UnsafeRawPointer?, _ diffusionDType: Int32, _ diffusionRows: Int64, _ diffusionColumns: Int64,
    _ diffusionRowStride: Int64, _ diffusionColumnStride: Int64,
    _ dt: Double, _ rollouts: Int64, _ steps: Int64, _ burnIn: Int64, _ thin: Int64, _ seed: UInt64,
    _ threads: Int64, _ chunk: Int64, _ firstRollout: Int64,
    _ out: UnsafeMutableRawPointer?, _ outDType: Int32, _ outRollouts: Int64, _ outSteps: Int64, _ outDimension: Int64,
    _ outStride0: Int64, _ outStride1: Int64, _ outStride2: Int64,
    _ jsonOut: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?,
    _ message: UnsafeMutablePointer<CChar>?, _ messageCapacity: Int64
) -> Int32 {
    abiCall(message: message, capacity: messageCapacity) {
        jsonOut?.pointee = nil
        let scores = try abiMatrix("w", w, wDType, wRows, wColumns, wRowStride, wColumnStride)
        let k = try abiMatrix("keys", keys, keysDType, keysRows, keysColumns, keysRowStride, keysColumnStride)
        let dm = try abiMatrix("diffusion", diffusion, diffusionDType, diffusionRows, diffusionColumns, diffusionRowStride, diffusionColumnStride)
        let simulation = ABISimulation(
            dt: dt, rollouts: rollouts, steps: steps, burnIn: burnIn, thin: thin, seed: seed, threads: threads, chunk: chunk,
            firstRollout: firstRollout,
            output: (out, outDType, (outRollouts, outSteps, outDimension), (outStride0, outStride1, outStride2)))
        try simulation.run(try SoftmaxAttentionDrift(scores: scores, keys: k, beta: beta, leak: leak), family: "softmax",
                           diffusion: dm, jsonOut: jsonOut)
    }
}
