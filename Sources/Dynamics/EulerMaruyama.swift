import Foundation
import ArrayIO
import LinearAlgebra
import Parallel
import ResourceLimits
import Stochastics

/// The batched Euler–Maruyama integrator of dx = f(x) dt + √(2D) dW (Eq. 19 of arXiv:2606.28751):
///
///     x_{k+1} = x_k + Δt f(x_k) + √(2DΔt) ξ_k          (isotropic D = s·I)
///     x_{k+1} = x_k + Δt f(x_k) + √(2Δt) L ξ_k         (matrix D = L Lᵀ, see ``Diffusion``)
///
/// with ξ_k the d standard normals [k·d, (k + 1)·d) of ``NoiseStream`` stream ``firstRollout`` + `rollout` under
/// `seed` (Philox4x32-10 + float32 Box–Muller; AVX2 or portable kernel, same bits), k the
/// Euler–Maruyama step index counted from 0 at the initial state (burn-in steps included).
/// (Before 2026-11-25 the engine drew ``CounterRandom`` normals at (seed, rollout, step = k);
/// trajectories of a given seed changed then, their law did not.) Every rollout starts at
/// ``initialState`` (the origin by default), takes `burnIn` steps, and then records ``steps`` states spaced `thin` steps apart (recorded spacing Δt·thin),
/// so it takes ``emSteps`` = burnIn + (steps − 1)·thin steps in all. Recorded state j of a rollout
/// is x_{burnIn + j·thin}.
///
/// **Streaming.** Recorded states never accumulate in memory: each rollout's states are
/// buffered in tiles of ``tileLength(dimension:)`` states and handed to that rollout's own
/// accumulator as ``TrajectorySegment``s (consecutive segments overlap by one state, per the
/// contract), optionally also written to a ``TrajectoryRecorder`` of shape (rollouts, steps, d) (a
/// ``NPYStreamWriter`` file or a caller's buffer, ``StridedTrajectoryRecorder``).
/// An observer with ``TrajectoryObserver/observesFinalStateOnly`` (and no recorder) skips the
/// tiles: each rollout's accumulator gets one segment, its final recorded state.
///
/// **Threads and reproducibility.** Workers claim chunks of `chunk` consecutive rollouts in
/// increasing order and step all rollouts of a chunk together (one batched drift evaluation
/// per step). The per-rollout accumulators are folded in rollout order (`OrderedReduction` of the `Parallel`
/// module; `threads` follows its `ThreadCount` convention).
/// Noise depends only on (seed, rollout, normal index), the tile lengths do not depend on the chunk,
/// and the built-in drifts compute each point's drift from that point alone, so the result is
/// bitwise identical for every thread count and chunk size (tested for the built-in drifts).
///
/// **Cost.** After a worker's buffers are allocated, a step allocates nothing: every
/// ``noiseTileLength(dimension:)`` steps one ``NoiseStream/fillSteps(seed:streams:firstStep:steps:dimension:into:)``
/// draws the chunk's noise for those steps (step-major, so each step reads a contiguous slice),
/// then per step one drift evaluation and one fused update loop that also detects non-finite
/// states (the run then throws ``DynamicsError/diverged(rollout:step:)``). The 2-D ``LinearDrift``
/// fuses drift and update in one loop, and for runs of at least 16 unrecorded steps (burn-in,
/// thinning ≥ 16, final-state-only observers) hands whole runs to ``FusedLinearSteps2D``, which
/// generates the noise and steps in registers without any buffer. All paths give the same bits.
/// These fast paths serve isotropic D; a full matrix D steps through the general drift-plus-update
/// loop, whose update adds the noise L ξ row by row (each point from its own normals only, so the
/// thread and chunk invariance holds for a matrix D too).
public struct EulerMaruyama: Sendable {
    /// Δt > 0.
    public let timeStep: Double
    /// The scalar diffusion: s for D = s·I (the noise amplitude is then √(2sΔt)), tr D / d for a
    /// matrix D.
    public let diffusion: Double
    /// The diffusion D: s·I or a full symmetric positive-definite matrix.
    public let diffusionModel: Diffusion
    /// D as a matrix when it is not isotropic, nil for s·I.
    public var diffusionMatrix: Matrix? { diffusionModel.matrix }
    /// Number of independent rollouts B ≥ 1.
    public let rollouts: Int
    /// Recorded states per rollout T ≥ 1.
    public let steps: Int
    /// Unrecorded steps before the first recorded state (≥ 0).
    public let burnIn: Int
    /// Euler–Maruyama steps between consecutive recorded states (≥ 1).
    public let thin: Int
    /// Seed of the counter-based generator.
    public let seed: UInt64
    /// Worker threads (`ThreadCount`): 0 means one per active core, n ≥ 1 at most n.
    public let threads: Int
    /// Rollouts stepped together by one worker (≥ 1).
    public let chunk: Int
    /// Start of every rollout; `nil` is the origin.
    public let initialState: [Double]?
    /// Global index of this engine's first rollout (≥ 0): rollout i draws the noise stream `firstRollout + i`, so a
    /// run of B rollouts from k is rollouts k ..< k + B of a larger run with the same seed, bit for bit (a shard).
    public let firstRollout: Int

    /// An engine with isotropic diffusion D = s·I (`diffusion` = s).
    ///
    /// - Throws: ``DynamicsError`` for Δt or D not finite and positive, rollouts/steps < 1,
    ///   burnIn < 0, thin < 1, threads < 0, chunk < 1, a non-finite initial state, or more
    ///   than 2⁴⁸ − 1 Euler–Maruyama steps.
    public init(
        timeStep: Double, diffusion: Double, rollouts: Int, steps: Int, burnIn: Int = 0, thin: Int = 1,
        seed: UInt64, threads: Int = 0, chunk: Int = 64, initialState: [Double]? = nil, firstRollout: Int = 0
    ) throws(DynamicsError) {
        try DynamicsError.requirePositive(timeStep, "time step Δt")
        try self.init(timeStep: timeStep, diffusion: Diffusion.isotropic(diffusion), rollouts: rollouts, steps: steps,
                      burnIn: burnIn, thin: thin, seed: seed, threads: threads, chunk: chunk, initialState: initialState,
                      firstRollout: firstRollout)
    }

    /// An engine with diffusion `diffusion` (s·I, or a validated matrix whose dimension ``run(_:observer:recorder:progress:)``
    /// checks against the drift's).
    ///
    /// - Throws: as the scalar initializer.
    public init(
        timeStep: Double, diffusion: Diffusion, rollouts: Int, steps: Int, burnIn: Int = 0, thin: Int = 1,
        seed: UInt64, threads: Int = 0, chunk: Int = 64, initialState: [Double]? = nil, firstRollout: Int = 0
    ) throws(DynamicsError) {
        try DynamicsError.requirePositive(timeStep, "time step Δt")
        guard firstRollout >= 0, !firstRollout.addingReportingOverflow(rollouts).overflow else {
            throw .invalidCount(name: "first rollout", value: firstRollout, requirement: "≥ 0, with first rollout + rollouts in range")
        }
        guard rollouts >= 1 else { throw .invalidCount(name: "rollouts", value: rollouts, requirement: "≥ 1") }
        guard steps >= 1 else { throw .invalidCount(name: "steps", value: steps, requirement: "≥ 1") }
        guard burnIn >= 0 else { throw .invalidCount(name: "burn-in", value: burnIn, requirement: "≥ 0") }
        guard thin >= 1 else { throw .invalidCount(name: "thin", value: thin, requirement: "≥ 1") }
        guard threads >= 0 else { throw .invalidCount(name: "threads", value: threads, requirement: "≥ 0 (0 = one per core)") }
        guard chunk >= 1 else { throw .invalidCount(name: "chunk", value: chunk, requirement: "≥ 1") }
        if let initialState, !initialState.allSatisfy(\.isFinite) { throw .nonFinite(name: "initial state") }
        let (span, o1) = (steps - 1).multipliedReportingOverflow(by: thin)
        let (total, o2) = span.addingReportingOverflow(burnIn)
        guard !o1, !o2, UInt64(total) <= Self.maxSteps else {
            throw .invalidCount(name: "burn-in + (steps − 1)·thin", value: o1 || o2 ? Int.max : total,
                                requirement: "≤ 2^48 − 1")
        }
        self.timeStep = timeStep
        self.diffusion = diffusion.scale
        self.diffusionModel = diffusion
        self.rollouts = rollouts
        self.steps = steps
        self.burnIn = burnIn
        self.thin = thin
        self.seed = seed
        self.threads = threads
        self.chunk = chunk
        self.initialState = initialState
        self.firstRollout = firstRollout
    }

    /// Largest number of Euler–Maruyama steps per rollout, 2⁴⁸ − 1 (with d ≤ 2¹⁶ the noise indices
    /// k·d + j stay below 2⁶⁴; larger d is checked in ``run(_:observer:recorder:progress:)``).
    public static let maxSteps: UInt64 = (1 << 48) - 1

    /// Euler–Maruyama steps per rollout: burnIn + (steps − 1)·thin.
    public var emSteps: Int { burnIn + (steps - 1) * thin }

    /// Particle-steps of the whole run, rollouts × ``emSteps`` (saturating at `Int.max`).
    public var particleSteps: Int {
        let (p, o) = rollouts.multipliedReportingOverflow(by: emSteps)
        return o ? Int.max : p
    }

    /// Chunks of `chunk` rollouts, ⌈rollouts / chunk⌉ (written so that it cannot overflow).
    var chunkCount: Int { rollouts / chunk + (rollouts % chunk == 0 ? 0 : 1) }

    /// Worker threads ``run(_:observer:recorder:progress:budget:)`` starts: `threads` (0: one per core), at most one per chunk.
    public var workerCount: Int {
        ThreadCount.workers(threads, units: chunkCount)
    }

    /// The buffers ``run(_:observer:recorder:progress:budget:)`` allocates, per worker for a chunk of
    /// c = min(chunk, rollouts) rollouts: states and drifts (2 c d doubles), noise (c × ``noiseTileLength(dimension:)``
    /// × d), recorded-state tiles (c × (``tileLength(dimension:)`` d + 8)), and the chunk's accumulators, counted as
    /// c × (2d + 2d²) doubles (the moments of ``StateMomentsObserver``; other observers' sums are of that order).
    /// Nothing grows with `steps`: states stream to the observer and the recorder.
    public func memoryPlan(dimension d: Int, workers: Int) -> AllocationPlan {
        let c = min(chunk, rollouts)
        let tile = min(Self.tileLength(dimension: d), steps)
        var plan = AllocationPlan("Euler–Maruyama buffers (\(workers) workers × chunk of \(c) rollouts, d = \(d))")
        let (dd, o) = d.multipliedReportingOverflow(by: d)
        let perRollout = 2 * d + Self.noiseTileLength(dimension: d) * d + tile * d + 8
        plan.add(.init(workers, "workers"), .init(c, "rollouts"), .init(perRollout, "doubles"), .init(8, "bytes"))
        plan.add(.init(workers, "workers"), .init(c, "rollouts"), .init(o ? Int.max : 2 * dd + 2 * d, "doubles"), .init(8, "bytes"))
        return plan
    }

    /// Recorded states per segment handed to accumulators: 256, fewer in high dimension so that a
    /// worker's tile buffer (chunk × tile × d doubles) stays small; at least 2. Depends on d only,
    /// never on threads or chunk, so segment boundaries (and hence results) do not either.
    public static func tileLength(dimension: Int) -> Int { max(2, min(256, 16_384 / max(1, dimension))) }

    /// Euler–Maruyama steps whose noise a worker draws in one call: 16, fewer in high dimension so
    /// that the noise buffer (chunk × steps × d doubles) stays small; at least 1. Noise is addressed
    /// by absolute index, so this changes speed only, never results. (16 rather than 64: for d = 2
    /// and chunk 64 the buffer is then 16 KiB and stays in L1; measured 4% faster, 1 thread.)
    public static func noiseTileLength(dimension: Int) -> Int { max(1, min(16, 4_096 / max(1, dimension))) }

    // Pre-specialized for the CLI's drifts (callers in other modules otherwise run the generic
    // body; measured ≈ 5% faster for the 2-D linear toy).
    /// Runs all rollouts and returns the observer's accumulator folded in rollout order.
    ///
    /// - Parameters:
    ///   - recorder: if given, every recorded state is also written to it; its shape must be
    ///     (rollouts, steps, d). The caller closes it.
    ///   - progress: advanced by particle-steps as the run proceeds; the caller calls `finish()`.
    /// - Throws: ``DynamicsError`` (initial state, diffusion matrix or recorder of the wrong shape, d
    ///   above the generator's limit, a diverging rollout), or whatever the accumulators or recorder throw.
    @_specialize(where F == LinearDrift, O == StateMomentsObserver)
    @_specialize(where F == SoftmaxAttentionDrift, O == StateMomentsObserver)
    public func run<F: Drift, O: TrajectoryObserver>(
        _ drift: F, observer: O, recorder: (any TrajectoryRecorder)? = nil, progress: ProgressReporter? = nil,
        budget: MemoryBudget = .standard
    ) throws -> O.Accumulator {
        try check(drift, recorder: recorder, budget: budget)
        let reduction = OrderedReduction(initial: observer.makeAccumulator())
        try drive(drift, observer: observer, recorder: recorder, progress: progress, into: reduction)
        return try reduction.finish(expecting: rollouts)
    }

    /// The checks before a run: dimension, budget, generator index limit, diffusion, initial state, recorder shape.
    private func check<F: Drift>(_ drift: F, recorder: (any TrajectoryRecorder)?, budget: MemoryBudget) throws {
        let d = drift.dimension
        guard d >= 1 else { throw DynamicsError.zeroDimension }
        try budget.check(memoryPlan(dimension: d, workers: workerCount))
        guard !UInt64(emSteps).multipliedReportingOverflow(by: UInt64(d)).overflow else {
            throw DynamicsError.invalidCount(
                name: "dimension", value: d,
                requirement: "(burn-in + (steps − 1)·thin) · d < 2^64 (the noise generator's index limit)")
        }
        try diffusionModel.requireDimension(d)
        if let initialState, initialState.count != d {
            throw DynamicsError.dimensionMismatch(detail: "initial state has \(initialState.count) components, the drift has dimension \(d)")
        }
        if let recorder, recorder.shape != [rollouts, steps, d] {
            throw DynamicsError.recorderMismatch(
                detail: "recorder shape \(recorder.shape) but the run produces [\(rollouts), \(steps), \(d)]")
        }
    }

    /// Runs all rollouts and reduces the per-rollout accumulators along the canonical pairwise tree over the
    /// **global** rollout indices ``firstRollout`` ..< ``firstRollout`` + ``rollouts`` (``PairwiseTree``,
    /// docs/theory/reproducibility.md): the nodes of this range, bitwise the same for any threads and chunk, and —
    /// appended to the nodes of the neighbouring ranges (other shards of one run) — the nodes of one run over all.
    ///
    /// Segments carry their global rollout index, so a jackknife layout by rollout places a shard's pairs in the
    /// blocks they have in the whole run. Throws as ``run(_:observer:recorder:progress:budget:)``.
    public func runPartial<F: Drift, O: TrajectoryObserver>(
        _ drift: F, observer: O, combine: @escaping @Sendable (inout O.Accumulator, O.Accumulator) throws -> Void,
        progress: ProgressReporter? = nil, budget: MemoryBudget = .standard
    ) throws -> PairwiseTree<O.Accumulator> {
        try check(drift, recorder: nil, budget: budget)
        let reduction = PairwiseTreeReduction<O.Accumulator>(units: rollouts, offset: firstRollout, batch: chunk,
                                                               combine: combine)
        try drive(drift, observer: observer, recorder: nil, progress: progress, into: reduction)
        return try reduction.finish()
    }

    /// Workers claim chunks of rollouts and hand each chunk's accumulators to `reduction`.
    private func drive<F: Drift, O: TrajectoryObserver>(
        _ drift: F, observer: O, recorder: (any TrajectoryRecorder)?, progress: ProgressReporter?,
        into reduction: any UnitSink<O.Accumulator>
    ) throws {
        let chunks = chunkCount
        let claim = ChunkCounter()
        let engine = self
        ParallelFor.eachWorker(workerCount) { _ in
            var worker = Worker(engine: engine, drift: drift, observer: observer, recorder: recorder, progress: progress)
            defer { worker.deallocate() }
            while !reduction.hasFailed, let c = claim.next(below: chunks) {
                let first = c * engine.chunk
                let count = min(engine.rollouts, first + engine.chunk) - first
                do { try worker.simulate(first: first, count: count, reduction: reduction) } catch {
                    // A chunk's error is that of its first rollout: the reduction reports the lowest chunk's.
                    reduction.fail(error, at: first)
                    return
                }
            }
        }
    }
}

/// One thread's buffers and the stepping loop for a chunk of rollouts.
private struct Worker<F: Drift, O: TrajectoryObserver> {
    let engine: EulerMaruyama
    let drift: F
    let observer: O
    let recorder: (any TrajectoryRecorder)?
    let progress: ProgressReporter?
    let d: Int
    let tile: Int
    var workspace: F.Workspace
    /// Current states and drifts of the chunk (chunk × d each), row-major.
    let x, f: UnsafeMutablePointer<Double>
    /// Noise of steps `noiseStart ..< noiseEnd` for the chunk, step-major (step × chunk × d).
    let noise: UnsafeMutablePointer<Double>
    let noiseTile: Int
    var noiseStart = 0, noiseEnd = 0
    /// Recorded-state tiles, rollout-major: rollout i's tile starts at `tiles + i·tileStride`.
    /// `tileStride` = tile·d + 8 doubles: with a power-of-two stride (tile·d = 512 for d = 2) the
    /// per-step copy into 64 tiles hit one cache set and 4 KiB store/load aliasing (measured: 28% of
    /// a 2-D step); one cache line of padding spreads them. Layout only: results are unchanged.
    let tileStride: Int
    let tiles: UnsafeMutablePointer<Double>
    var accumulators: [O.Accumulator] = []
    /// Whether recorded states go through the tiles (false for a final-state-only observer
    /// without a recorder: then only the final state is handed over).
    let streaming: Bool
    /// Noise amplitude √(2DΔt) (isotropic D).
    let amplitude: Double
    /// √(2Δt) L row-major (matrix D = L Lᵀ), nil for isotropic D.
    let noiseFactor: [Double]?
    /// For a 2-D ``LinearDrift``: B row-major (b₀₀, b₀₁, b₁₀, b₁₁), stepped by the fused
    /// ``linearStep2(_:_:count:_:dt:amplitude:)``; `nil` for every other drift.
    let linear2: SIMD4<Double>?

    init(engine: EulerMaruyama, drift: F, observer: O, recorder: (any TrajectoryRecorder)?, progress: ProgressReporter?) {
        self.engine = engine
        self.drift = drift
        self.observer = observer
        self.recorder = recorder
        self.progress = progress
        d = drift.dimension
        amplitude = (2 * engine.diffusion * engine.timeStep).squareRoot()
        noiseFactor = engine.diffusionModel.noiseFactor(timeStep: engine.timeStep)
        let capacity = min(engine.chunk, engine.rollouts)
        tile = min(EulerMaruyama.tileLength(dimension: d), engine.steps)
        workspace = drift.makeWorkspace(capacity: capacity)
        x = .allocate(capacity: capacity * d)
        f = .allocate(capacity: capacity * d)
        noiseTile = EulerMaruyama.noiseTileLength(dimension: d)
        noise = .allocate(capacity: capacity * noiseTile * d)
        tileStride = max(1, tile) * d + 8
        tiles = .allocate(capacity: capacity * tileStride)
        accumulators.reserveCapacity(capacity)
        streaming = recorder != nil || !observer.observesFinalStateOnly
        if d == 2, noiseFactor == nil, let l = drift as? LinearDrift {
            linear2 = SIMD4(l.rowMajor[0], l.rowMajor[1], l.rowMajor[2], l.rowMajor[3])
        } else {
            linear2 = nil
        }
    }

    func deallocate() {
        x.deallocate(); f.deallocate(); noise.deallocate(); tiles.deallocate()
    }

    /// Runs rollouts `first ..< first + count` to the end and submits their accumulators.
    mutating func simulate(first: Int, count n: Int, reduction: any UnitSink<O.Accumulator>) throws {
        let m = n * d
        if let x0 = engine.initialState {
            for i in 0..<n { for j in 0..<d { x[i * d + j] = x0[j] } }
        } else {
            x.update(repeating: 0, count: m)
        }
        accumulators.removeAll(keepingCapacity: true)
        for _ in 0..<n { accumulators.append(observer.makeAccumulator()) }
        noiseStart = 0
        noiseEnd = 0

        var k = 0
        try advance(&k, by: engine.burnIn, first: first, count: n)
        progress?.advance(by: n * engine.burnIn)
        if !streaming {
            // Final-state-only observer: no tiles; step in runs of one tile's worth of steps (for
            // progress and cancellation), then one segment per rollout holding its final state.
            var left = engine.emSteps - engine.burnIn
            let run = max(1, (tile - 1) * engine.thin)
            while left > 0 {
                let s = min(run, left)
                try advance(&k, by: s, first: first, count: n)
                left -= s
                progress?.advance(by: n * s)
                if reduction.hasFailed(before: first) { return }
            }
            for i in 0..<n {
                try accumulators[i].consume(TrajectorySegment(
                    rollout: engine.firstRollout + first + i, firstStep: engine.steps - 1, count: 1, dimension: d,
                    states: UnsafeBufferPointer(start: x + i * d, count: d)))
            }
            reduction.submit(accumulators, firstUnit: first)
            return
        }
        record(at: 0, count: n)
        var filled = 1           // states in each rollout's tile
        var tileFirst = 0        // recorded index of tile slot 0
        var sinceReport = 0
        for _ in 1..<max(1, engine.steps) {
            try advance(&k, by: engine.thin, first: first, count: n)
            sinceReport += engine.thin
            record(at: filled, count: n)
            filled += 1
            if filled == tile {
                try flush(first: first, count: n, states: filled, tileFirst: tileFirst)
                for i in 0..<n {
                    let t = tiles + i * tileStride
                    t.update(from: t + (filled - 1) * d, count: d)
                }
                tileFirst += filled - 1
                filled = 1
                progress?.advance(by: n * sinceReport)
                sinceReport = 0
                if reduction.hasFailed(before: first) { return }
            }
        }
        // The last state of a full tile was already delivered; a lone state is delivered only
        // when it is the whole trajectory (steps = 1).
        if filled > 1 || tileFirst == 0 {
            try flush(first: first, count: n, states: filled, tileFirst: tileFirst)
        }
        progress?.advance(by: n * sinceReport)
        reduction.submit(accumulators, firstUnit: first)
    }

    /// Steps `k ..< k + count` of the whole chunk (k advances). A 2-D ``LinearDrift`` with at least
    /// ``fusedMinimum`` steps to go takes the fused kernel (``FusedLinearSteps2D``: noise made and
    /// used in registers, no buffers); everything else steps one at a time (``step(_:first:count:)``).
    /// Both give the same bits, so the choice changes speed only.
    @inline(__always)
    mutating func advance(_ k: inout Int, by count: Int, first: Int, count n: Int) throws {
        if let b = linear2, count >= Self.fusedMinimum {
            let div = try FusedLinearSteps2D.advance(
                seed: engine.seed, streams: UInt64(engine.firstRollout + first)..<UInt64(engine.firstRollout + first + n), firstStep: UInt64(k), steps: count,
                matrix: b, timeStep: engine.timeStep, amplitude: amplitude,
                states: UnsafeMutableBufferPointer(start: x, count: n * 2))
            if let div { throw DynamicsError.diverged(rollout: engine.firstRollout + first + div.streamOffset, step: Int(div.step)) }
            k += count
            return
        }
        for _ in 0..<count { try step(k, first: first, count: n); k += 1 }
    }

    /// Fewest steps per call for the fused 2-D linear kernel: it draws whole Philox blocks (two
    /// steps each), so runs of one or two steps (thin = 1 while recording) are cheaper through the
    /// noise buffer, which draws many steps per call.
    static var fusedMinimum: Int { 16 }

    /// One Euler–Maruyama step of the whole chunk at step index `k`.
    @inline(__always)
    mutating func step(_ k: Int, first: Int, count n: Int) throws {
        let m = n * d
        if k >= noiseEnd {
            let s = min(noiseTile, engine.emSteps - k)
            try NoiseStream.fillSteps(
                seed: engine.seed, streams: UInt64(engine.firstRollout + first)..<UInt64(engine.firstRollout + first + n), firstStep: UInt64(k), steps: s,
                dimension: d, into: UnsafeMutableBufferPointer(start: noise, count: s * m))
            noiseStart = k
            noiseEnd = k + s
        }
        let xi = noise + (k - noiseStart) * m
        if let b = linear2 {
            if !Self.linearStep2(x, xi, count: n, b, dt: engine.timeStep, amplitude: amplitude) {
                for e in 0..<m where !x[e].isFinite { throw DynamicsError.diverged(rollout: engine.firstRollout + first + e / d, step: k) }
            }
            return
        }
        drift.evaluate(UnsafeBufferPointer(start: x, count: m), count: n,
                       into: UnsafeMutableBufferPointer(start: f, count: m), workspace: &workspace)
        let finite = noiseFactor.map { l in
            l.withUnsafeBufferPointer { Self.correlatedUpdate(x, f, xi, count: n, dimension: d, dt: engine.timeStep, factor: $0.baseAddress!) }
        } ?? Self.update(x, f, xi, count: m, dt: engine.timeStep, amplitude: amplitude)
        if !finite {
            for e in 0..<m where !x[e].isFinite { throw DynamicsError.diverged(rollout: engine.firstRollout + first + e / d, step: k) }
        }
    }

    /// x ← x + Δt·f + a·ξ elementwise, computed as (x + Δt f) + a ξ in every lane (so SIMD and
    /// scalar tail give the same bits); returns whether every result is finite. v − v is 0 for
    /// finite v and NaN for ±Inf/NaN, so one lane-wise compare accumulates the check without a
    /// serial dependence.
    @inline(__always)
    static func update(_ x: UnsafeMutablePointer<Double>, _ f: UnsafePointer<Double>, _ xi: UnsafePointer<Double>,
                       count m: Int, dt: Double, amplitude: Double) -> Bool {
        typealias V = SIMD8<Double>
        let w = V.scalarCount
        let dtv = V(repeating: dt), av = V(repeating: amplitude), zero = V(repeating: 0)
        var bad = SIMDMask<V.MaskStorage>(repeating: false)
        var e = 0
        while e + w <= m {
            let xv = UnsafeRawPointer(x + e).loadUnaligned(as: V.self)
            let fv = UnsafeRawPointer(f + e).loadUnaligned(as: V.self)
            let nv = UnsafeRawPointer(xi + e).loadUnaligned(as: V.self)
            let v = (xv + dtv * fv) + av * nv
            UnsafeMutableRawPointer(x + e).storeBytes(of: v, as: V.self)
            bad .|= (v - v) .!= zero
            e += w
        }
        var finite = !any(bad)
        while e < m {
            let v = (x[e] + dt * f[e]) + amplitude * xi[e]
            x[e] = v
            finite = finite && v.isFinite
            e += 1
        }
        return finite
    }

    /// x ← (x + Δt·f) + F ξ per point, F = √(2Δt) L lower triangular (row-major d × d): row j adds
    /// Σ_{k ≤ j} F_jk ξ_k of the point's own d normals, summed in increasing k. Returns whether every
    /// result is finite.
    @inline(__always)
    static func correlatedUpdate(_ x: UnsafeMutablePointer<Double>, _ f: UnsafePointer<Double>, _ xi: UnsafePointer<Double>,
                                 count n: Int, dimension d: Int, dt: Double, factor: UnsafePointer<Double>) -> Bool {
        var finite = true
        for i in 0..<n {
            let p = x + i * d, fp = f + i * d, z = xi + i * d
            for j in 0..<d {
                let row = factor + j * d
                var noise = 0.0
                for k in 0...j { noise += row[k] * z[k] }
                let v = (p[j] + dt * fp[j]) + noise
                p[j] = v
                finite = finite && v.isFinite
            }
        }
        return finite
    }

    /// The 2-D linear drift fused with the update, one pass over the chunk without the drift
    /// buffer: per point f = (b₀₀x₀ + b₀₁x₁, b₁₀x₀ + b₁₁x₁) and x ← (x + Δt·f) + a·ξ, the same
    /// operations in the same order as ``LinearDrift/evaluate(_:count:into:workspace:)`` followed by
    /// ``update(_:_:_:count:dt:amplitude:)`` (no fused multiply-adds), so the same bits. Four points
    /// per iteration as SIMD4 lanes of x₀ and x₁; returns whether every result is finite.
    @inline(__always)
    static func linearStep2(_ x: UnsafeMutablePointer<Double>, _ xi: UnsafePointer<Double>, count n: Int,
                            _ b: SIMD4<Double>, dt: Double, amplitude: Double) -> Bool {
        typealias V = SIMD4<Double>
        let b00 = V(repeating: b[0]), b01 = V(repeating: b[1]), b10 = V(repeating: b[2]), b11 = V(repeating: b[3])
        let dtv = V(repeating: dt), av = V(repeating: amplitude), zero = V(repeating: 0)
        var bad = SIMDMask<V.MaskStorage>(repeating: false)
        var i = 0
        while i + 4 <= n {
            let xv = UnsafeRawPointer(x + 2 * i).loadUnaligned(as: SIMD8<Double>.self)
            let nv = UnsafeRawPointer(xi + 2 * i).loadUnaligned(as: SIMD8<Double>.self)
            let x0 = xv.evenHalf, x1 = xv.oddHalf
            let f0 = b00 * x0 + b01 * x1
            let f1 = b10 * x0 + b11 * x1
            let y0 = (x0 + dtv * f0) + av * nv.evenHalf
            let y1 = (x1 + dtv * f1) + av * nv.oddHalf
            let out = SIMD8<Double>(y0[0], y1[0], y0[1], y1[1], y0[2], y1[2], y0[3], y1[3])
            UnsafeMutableRawPointer(x + 2 * i).storeBytes(of: out, as: SIMD8<Double>.self)
            bad .|= (y0 - y0) .!= zero
            bad .|= (y1 - y1) .!= zero
            i += 4
        }
        var finite = !any(bad)
        while i < n {
            let x0 = x[2 * i], x1 = x[2 * i + 1]
            let f0 = b[0] * x0 + b[1] * x1
            let f1 = b[2] * x0 + b[3] * x1
            let y0 = (x0 + dt * f0) + amplitude * xi[2 * i]
            let y1 = (x1 + dt * f1) + amplitude * xi[2 * i + 1]
            x[2 * i] = y0; x[2 * i + 1] = y1
            finite = finite && y0.isFinite && y1.isFinite
            i += 1
        }
        return finite
    }

    /// Copies the current states into tile slot `slot` (an explicit loop for d ≤ 4: a `memmove`
    /// call per 16-byte state cost more than the copy).
    @inline(__always)
    func record(at slot: Int, count n: Int) {
        let stride = tileStride
        var dst = tiles + slot * d, src = UnsafePointer(x)
        switch d {
        case 2:
            for _ in 0..<n { dst[0] = src[0]; dst[1] = src[1]; dst += stride; src += 2 }
        case 1...4:
            for _ in 0..<n { for j in 0..<d { dst[j] = src[j] }; dst += stride; src += d }
        default:
            for _ in 0..<n { dst.update(from: src, count: d); dst += stride; src += d }
        }
    }

    /// Hands each rollout its segment of `states` recorded states and writes the new ones.
    mutating func flush(first: Int, count n: Int, states: Int, tileFirst: Int) throws {
        for i in 0..<n {
            let t = UnsafeBufferPointer(start: tiles + i * tileStride, count: states * d)
            try accumulators[i].consume(TrajectorySegment(
                rollout: engine.firstRollout + first + i, firstStep: tileFirst, count: states, dimension: d, states: t))
            if let recorder {
                // Slot 0 repeats the previous segment's last state, already written (except at the start).
                let skip = tileFirst == 0 ? 0 : 1
                try recorder.write(rollout: first + i, firstStep: tileFirst + skip,
                                   states: UnsafeBufferPointer(rebasing: t[(skip * d)...]))
            }
        }
    }
}
