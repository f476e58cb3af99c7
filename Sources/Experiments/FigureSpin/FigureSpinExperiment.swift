import Foundation
import LinearAlgebra
import Parallel
import ResourceLimits
import SpinModels

/// The spin-transformer figure (docs/theory/spin-fidelity.md): how well the naive mean field (exact-vMF and large-D
/// responses) reproduces the sampled vMF chain over a (u, β) grid per spin dimension D — magnetizations, delayed
/// correlations (with their σ-visible split) and EP, by the noise-corrected cross-replicate error with its Monte Carlo
/// floor, beside the diagnostics that explain where it fails (ρ, branches, ergodicity, saturation) — then the finer
/// large-D-vs-exact grid and the per-layer EP-maximisation demo.
///
/// Every random number is addressed by the configuration's seed (the problem, the branch starts, the chain's
/// replicates), so the result is reproducible bit for bit for any thread count.
/// Reference: M. Bal (2026), neqnn experiments/fidelity_compute.py; Aguilera, Moosavi & Shimazaki (2021).
public struct FigureSpinExperiment: Sendable {
    public let configuration: FigureSpinConfiguration
    public let sampler: FigureSpinSampler
    let budget: MemoryBudget

    /// Validates the configuration and checks its memory plan against `budget`.
    public init(_ configuration: FigureSpinConfiguration, sampler: FigureSpinSampler = .chain,
                budget: MemoryBudget = .standard) throws {
        try configuration.validate()
        try budget.check(configuration.memoryPlan())
        self.configuration = configuration
        self.sampler = sampler
        self.budget = budget
    }

    /// Runs the grid (checkpointing after every D), the fine grid and the demo. `progress`, made for
    /// ``FigureSpinConfiguration/totalSiteUpdates`` units, advances by chain site-updates; `status` gets one line per
    /// phase (the CLI prints it on stderr).
    public func run(progress: ProgressReporter? = nil, status: @escaping @Sendable (String) -> Void = { _ in },
                    checkpoint: (FigureSpinResult) throws -> Void = { _ in }) throws -> FigureSpinResult {
        let part = try run(part: self.part(0..<units, software: ""), progress: progress, status: status) {
            try checkpoint(Self.result(of: $0))
        }
        return Self.result(of: part)
    }

    public typealias Part = SweepPart<FigureSpinConfiguration, FigureSpinResult>

    /// The units of the sweep: every (D, β, u) cell (D-major, then β, then u), then the large-D vs exact grid (when
    /// ``FigureSpinConfiguration/finePoints`` > 0), then the demo (when configured). Each cell's seed comes from its
    /// index; the fine grid and the demo take none from the cells.
    public var units: Int { cellCount + (configuration.finePoints > 0 ? 1 : 0) + (configuration.demo == nil ? 0 : 1) }

    var cellsPerDimension: Int { configuration.betas.count * configuration.drives.count }
    var cellCount: Int { configuration.dimensions.count * cellsPerDimension }

    /// The part of this sweep that computes units `range` (a whole run is `0 ..< units`).
    public func part(_ range: Range<Int>, software: String, preset: String = "") -> Part {
        Part(command: "figure-spin", software: software, preset: preset, configuration: configuration, total: units,
             range: range, payload: FigureSpinResult(configuration: configuration, sampler: sampler.name))
    }

    /// Site updates of the cells in `range` (progress units; the fine grid and the demo count none).
    public func siteUpdates(_ range: Range<Int>) -> Int {
        let cells = max(0, min(range.upperBound, cellCount) - range.lowerBound)
        return cellCount == 0 ? 0 : Int((Double(configuration.totalSiteUpdates) * Double(cells) / Double(cellCount)).rounded())
    }

    /// Computes the units of `part` it does not hold yet and returns the complete part; `checkpoint` gets the part
    /// after each dimension's cells, the fine grid and the demo. The parts of any split, merged
    /// (``Part/merge(_:names:equivalent:)``), equal one run bit for bit (seconds aside). Throws
    /// ``ExperimentError/invalidPart(_:)`` for a part of another configuration or sampler.
    public func run(part start: Part, progress: ProgressReporter? = nil, status: @escaping @Sendable (String) -> Void = { _ in },
                    checkpoint: (Part) throws -> Void = { _ in }) throws -> Part {
        defer { progress?.finish() }
        let c = configuration
        guard Self.isEquivalent(start.configuration, c), start.total == units, start.payload.sampler == sampler.name else {
            throw ExperimentError.invalidPart("the part to continue was made with other settings")
        }
        let clock = ContinuousClock.now
        var part = start
        part.configuration = configuration  // a resumed part records this run's settings (its threads, say)
        let earlier = start.seconds
        func save() throws {
            part.seconds = earlier + (ContinuousClock.now - clock).seconds
            try checkpoint(part)
        }
        if part.payload.criticalBetas.isEmpty {
            part.payload.criticalBetas = try c.dimensions.map { d in CriticalBeta(dimension: d, criticalBeta: try SpinSpace(dimension: d).criticalBeta) }
        }
        var unit = part.remaining.lowerBound
        let gridStart = ContinuousClock.now
        while unit < min(part.upper, cellCount) {
            let index = unit / cellsPerDimension, first = index * cellsPerDimension
            let end = min(part.upper, first + cellsPerDimension)
            status("D = \(c.dimensions[index]): \(end - unit) cells")
            let problem = try SpinFidelityProblem(sites: c.sites, dimension: c.dimensions[index], seed: c.seed)
            part.payload.cells += try cells(problem, dimensionIndex: index, range: (unit - first)..<(end - first), progress: progress)
            part.done += end - unit
            unit = end
            part.payload.gridSeconds = start.payload.gridSeconds + (ContinuousClock.now - gridStart).seconds
            try save()
        }
        if c.finePoints > 0, part.remaining.contains(cellCount) {
            status("large-D vs exact: \(c.dimensions.count) × \(c.finePoints)² points")
            part.payload.fine = try fineGrid()
            part.done += 1
            try save()
        }
        if let demo = c.demo, part.remaining.contains(units - 1) {
            status("EP-maximisation demo: \(demo.layers) layers, width \(demo.width), \(demo.heads) heads, \(demo.tokens) tokens")
            let demoStart = ContinuousClock.now
            part.payload.demo = try runDemo(demo, status: status)
            part.payload.demoSeconds = (ContinuousClock.now - demoStart).seconds
            part.done += 1
        }
        try save()
        return part
    }

    /// The result of a part (one run's, the merge of a sharded run's parts, or a checkpoint's partial one).
    public static func result(of part: Part) -> FigureSpinResult {
        var result = part.payload
        result.configuration = part.configuration
        result.seconds = part.seconds
        result.complete = part.isComplete
        return result
    }

    /// Whether two configurations describe the same run: they differ at most in the thread count.
    public static func isEquivalent(_ a: FigureSpinConfiguration, _ b: FigureSpinConfiguration) -> Bool {
        var a = a, b = b
        a.threads = 0
        b.threads = 0
        return a == b
    }

    func cells(_ problem: SpinFidelityProblem, dimensionIndex index: Int, range: Range<Int>, progress: ProgressReporter?) throws -> [FidelityCell] {
        let c = configuration
        let count = c.betas.count * c.drives.count
        let workers = ThreadCount.workers(c.threads, units: range.count)
        let perCell = c.replicates * c.chains * (c.burnIn + c.steps) * c.sites
        let out = ResultBuffer<FidelityCell?>(count: range.count, fill: nil)
        let failure = FirstError()
        let claim = ChunkCounter()
        let blasThreads = BLAS.threadCount
        if workers > 1 { BLAS.setThreadCount(1) }
        defer { if workers > 1 { BLAS.setThreadCount(blasThreads) } }
        ParallelFor.eachWorker(workers) { _ in
            while !failure.hasFailed, let j = claim.next(below: range.count) {
                let k = range.lowerBound + j
                let bi = k / c.drives.count, ui = k % c.drives.count
                let cellSeed = Self.seed(base: c.seed, cell: UInt64(index * count + k))
                do {
                    out[j] = try cell(problem, drive: c.drives[ui], beta: c.betas[bi], seed: cellSeed,
                                      chainThreads: workers > 1 ? 1 : c.threads)
                    progress?.advance(by: perCell)
                } catch { failure.record(error, index: j) }
            }
        }
        try failure.rethrow()
        return try (0..<range.count).map { j in
            guard let cell = out[j] else {
                throw ExperimentError.invalidConfiguration("cell \(range.lowerBound + j) of D = \(problem.space.dimension) was not computed")
            }
            return cell
        }
    }

    /// One cell: both predictions, the diagnostics, the chain (on `chainThreads` threads) and the errors.
    func cell(_ problem: SpinFidelityProblem, drive u: Double, beta: Double, seed: UInt64, chainThreads: Int) throws -> FidelityCell {
        let c = configuration
        let mfLarge = try problem.meanField(drive: u, beta: beta, response: .largeDimension)
        let mfExact = try problem.meanField(drive: u, beta: beta, response: .exact)
        let large = try predict(mfLarge), exact = try predict(mfExact)
        let space = problem.space
        let request = ChainRequest(couplings: problem.couplings, inputs: mfExact.inputs, beta: beta, space: space,
                                   replicates: c.replicates, chains: c.chains, burnIn: c.burnIn, steps: c.steps,
                                   seed: seed, threads: chainThreads, budget: budget)
        let replicates = try sampler.sample(request)
        guard replicates.count == c.replicates else {
            throw ExperimentError.invalidConfiguration("sampler \(sampler.name) returned \(replicates.count) replicates, expected \(c.replicates)")
        }
        let split = DelayedCorrelationSplit(couplings: problem.couplings)
        let chain = try Self.summary(replicates, couplings: problem.couplings, beta: beta, space: space)
        func prediction(_ p: MeanFieldPrediction, _ response: SpinResponse) throws -> FidelityPrediction {
            FidelityPrediction(response: response.rawValue, converged: p.converged, residual: p.residual, iterations: p.iterations,
                               saturation: Self.saturation(p.state.magnetizations.storage, sites: problem.sites, space: space),
                               entropyProduction: p.entropyProduction,
                               errors: p.converged ? try Self.errors(p, replicates, split: split, couplings: problem.couplings, beta: beta) : nil)
        }
        return FidelityCell(
            dimension: space.dimension, drive: u, beta: beta,
            lipschitzLargeDimension: try space.lipschitzBound(couplings: problem.couplings, beta: beta, response: .largeDimension),
            lipschitzExact: try space.lipschitzBound(couplings: problem.couplings, beta: beta, response: .exact),
            contraction: exact.converged ? try localContraction(mfExact, at: exact.state) : nil,
            branches: try branchCount(mfExact),
            largeDimension: try prediction(large, .largeDimension), exact: try prediction(exact, .exact), chain: chain,
            failure: exact.converged ? nil : String(format: "exact fixed point did not converge in %d iterations (residual %.3g)",
                                                     exact.iterations, exact.residual))
    }

    /// The noise-corrected errors of one prediction against the replicates.
    static func errors(_ p: MeanFieldPrediction, _ replicates: [ChainReplicateEstimate], split: DelayedCorrelationSplit,
                       couplings: Matrix, beta: Double) throws -> FidelityErrors {
        let ds = replicates.map(\.delayedCorrelation)
        let ref = p.delayed.storage
        func part(_ q: DelayedCorrelationSplit.Part) throws -> NoiseCorrectedError {
            try NoiseCorrectedError.measure(prediction: ref, replicates: ds, part: { split.part(q, of: $0) }, denominatorOf: ds)
        }
        let sigmas = try replicates.map { [try sigma($0.delayedCorrelation, couplings: couplings, beta: beta)] }
        return FidelityErrors(
            magnetization: try NoiseCorrectedError.measure(prediction: p.state.magnetizations.storage, replicates: replicates.map(\.magnetizations)),
            delayedCorrelation: try NoiseCorrectedError.measure(prediction: ref, replicates: ds),
            symmetric: try part(.symmetric), antisymmetricOrthogonal: try part(.antisymmetricOrthogonal), projection: try part(.projection),
            entropyProduction: try NoiseCorrectedError.measure(prediction: [p.entropyProduction], replicates: sigmas))
    }

    /// σ = β Σ (J − Jᵀ)∘D of a flattened N × N delayed correlation.
    static func sigma(_ d: [Double], couplings j: Matrix, beta: Double) throws -> Double {
        try SpinEntropyProduction.steadyStateRelation(couplings: j, delayedCorrelation: try Matrix(rows: j.rows, columns: j.rows, columnMajor: d),
                                                      beta: beta)
    }

    /// The chain's pooled readings.
    static func summary(_ replicates: [ChainReplicateEstimate], couplings: Matrix, beta: Double, space: SpinSpace) throws -> ChainSummary {
        let r = Double(replicates.count), n = couplings.rows
        func meanAndError(_ v: [Double]) -> (Double, Double) {
            let m = v.reduce(0, +) / Double(v.count)
            let s = v.count > 1 ? (v.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(v.count - 1)).squareRoot() : .nan
            return (m, s / Double(v.count).squareRoot())
        }
        let (sigma, sigmaError) = meanAndError(try replicates.map { try Self.sigma($0.delayedCorrelation, couplings: couplings, beta: beta) })
        let paths = replicates.compactMap(\.pathEntropyProduction)
        let path = paths.count == replicates.count ? meanAndError(paths) : nil
        let pooled = NoiseCorrectedError.mean(replicates.map(\.magnetizations))
        let norms = Self.siteNorms(pooled, sites: n)
        let meanNorm = norms.reduce(0, +) / Double(n)
        let perChain = replicates.compactMap(\.chainMagnetizationNorm)
        let ergodicity: Double? = perChain.count == replicates.count && meanNorm > 0 ? perChain.reduce(0, +) / r / meanNorm : nil
        return ChainSummary(entropyProduction: sigma, entropyProductionStderr: sigmaError, pathEntropyProduction: path?.0,
                            pathStderr: path?.1, saturation: meanNorm / space.radius, ergodicityRatio: ergodicity)
    }

    /// ‖m_i‖ of a flattened column-major N × D state.
    static func siteNorms(_ m: [Double], sites n: Int) -> [Double] {
        var s = [Double](repeating: 0, count: n)
        for k in 0..<m.count { s[k % n] += m[k] * m[k] }
        return s.map { $0.squareRoot() }
    }

    static func saturation(_ m: [Double], sites n: Int, space: SpinSpace) -> Double {
        siteNorms(m, sites: n).reduce(0, +) / Double(n) / space.radius
    }

    /// max_i Σ_j |J_ij|.
    /// Seed of cell `cell`: the base seed mixed with the cell index (SplitMix64 increment), as Figure 1 does.
    static func seed(base: UInt64, cell: UInt64) -> UInt64 { base &+ (cell &+ 1) &* 0x9E37_79B9_7F4A_7C15 }
}
