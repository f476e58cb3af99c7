import Foundation
import Parallel
import ResourceLimits

/// The level at which trajectories are reversed.
public enum ReversalLevel<Symbol>: Sendable {
    /// Token level: the whole sequence reversed.
    case token
    /// Block level: blocks closed by delimiter symbols, in reverse order. Sampled trajectories are
    /// truncated at their last delimiter (a trajectory without one has no block and contributes
    /// σ = 0 over T' = 0 tokens; it is counted in `mean` and left out of the per-token mean).
    case blocks(closesBlock: @Sendable (Symbol) -> Bool)
}

/// Monte Carlo estimate of S = E_{y~P→}[σ(y)] (docs/theory/autoregressive.md §3).
public struct MonteCarloEntropyProductionResult: Sendable {
    /// σ of each trajectory, in trajectory (stream) order.
    public let sigmas: [Double]
    /// Length used for each trajectory (T, or T' after truncation at the last delimiter).
    public let lengths: [Int]
    /// Sample mean of σ.
    public let mean: Double
    /// Standard error std/√N (sample std with N − 1).
    public let standardError: Double
    /// Percentile bootstrap interval of the mean.
    public let bootstrapInterval: ClosedRange<Double>
    /// Mean and standard error of σ/T per trajectory (trajectories with T' > 0).
    public let perTokenMean: Double
    public let perTokenStandardError: Double
    /// ⟨e^{−σ}⟩ and its standard error: 1 in expectation (integral fluctuation theorem).
    public let fluctuationMean: Double
    public let fluctuationStandardError: Double
    /// Token level: mean over trajectories of the per-step pairing terms (length T), for plots.
    public let stepMeans: [Double]?
}

/// The Monte Carlo EP engine: N trajectories sampled from the model itself (trajectory i uses
/// ``SampleNoise`` stream i under `seed`), each scored forward and reversed. Trajectories form fixed
/// blocks of ``blockSize``, dealt to threads round-robin (`ParallelFor.strided` of `Parallel`); every σ is written
/// at its own index (`ResultBuffer`), per-step sums per block, and all reductions run afterwards in index order,
/// so the output is identical for any thread count.
public enum MonteCarloEntropyProduction {
    /// Trajectories per work unit.
    public static let blockSize = 64

    /// Samples `samples` (≥ 2) trajectories of `length` (≥ 1) from `model` and scores each at `level`.
    /// `threads` follows `ThreadCount` (0, the default: every active processor; n ≥ 1: at most n); it changes
    /// speed, never results. Throws the error of the lowest-indexed failing trajectory (`FirstError`), or
    /// ``AutoregressiveError/nonFinite(_:)`` if σ overflows.
    public static func run<M: AutoregressiveModel>(
        _ model: M, length: Int, samples: Int, seed: UInt64,
        level: ReversalLevel<M.Symbol> = .token, threads: Int = 0,
        bootstrapResamples: Int = 1000, confidenceLevel: Double = 0.95, budget: MemoryBudget = .standard
    ) throws -> MonteCarloEntropyProductionResult {
        guard length >= 1 else { throw AutoregressiveError.invalidArgument("trajectory length T must be ≥ 1, got \(length)") }
        guard samples >= 2 else { throw AutoregressiveError.invalidArgument("Monte Carlo needs at least 2 samples, got \(samples)") }
        let blocks = try sample(model, length: length, samples: samples, blocks: 0..<blockCount(samples: samples), seed: seed,
                                level: level, threads: threads, budget: budget)
        return try summary(blocks, length: length, seed: seed, bootstrapResamples: bootstrapResamples,
                           confidenceLevel: confidenceLevel)
    }

    /// The number of blocks of ``blockSize`` trajectories among `samples` (the last may be short).
    public static func blockCount(samples: Int) -> Int { samples / blockSize + (samples % blockSize == 0 ? 0 : 1) }

    /// The first half of ``run(_:length:samples:seed:level:threads:bootstrapResamples:confidenceLevel:budget:)``:
    /// samples and scores the trajectories of `blocks` (block b holds trajectories b·64 ..< min(N, (b + 1)·64) of
    /// the run's N = `samples`). Each σ and each block's per-step sums depend only on the model, the seed and their
    /// indices, so the blocks of any split, appended in order (``MonteCarloBlocks/append(_:)``), are the blocks of one
    /// call over all of them, bit for bit: what `ar-ep --shard` relies on.
    public static func sample<M: AutoregressiveModel>(
        _ model: M, length: Int, samples: Int, blocks range: Range<Int>, seed: UInt64,
        level: ReversalLevel<M.Symbol> = .token, threads: Int = 0, budget: MemoryBudget = .standard
    ) throws -> MonteCarloBlocks {
        guard length >= 1 else { throw AutoregressiveError.invalidArgument("trajectory length T must be ≥ 1, got \(length)") }
        guard samples >= 2 else { throw AutoregressiveError.invalidArgument("Monte Carlo needs at least 2 samples, got \(samples)") }
        guard range.lowerBound >= 0, range.upperBound <= blockCount(samples: samples) else {
            throw AutoregressiveError.invalidArgument("blocks \(range.lowerBound)..<\(range.upperBound) of \(blockCount(samples: samples))")
        }
        let tokenLevel: Bool
        if case .token = level { tokenLevel = true } else { tokenLevel = false }
        let first = range.lowerBound * blockSize, count = min(samples, range.upperBound * blockSize) - first
        let workers = ThreadCount.workers(threads, units: max(count, 1))
        try budget.check(memoryPlan(length: length, samples: max(count, 0), tokenLevel: tokenLevel, workers: workers))
        guard count > 0 else { return MonteCarloBlocks(length: length, tokenLevel: tokenLevel) }

        let sigmas = ResultBuffer<Double>(count: count, fill: 0)
        let lengths = ResultBuffer<Int>(count: count, fill: 0)
        // Per-step sums per fixed block of trajectories (independent of the thread count and of the split), added
        // block by block afterwards: O((N / blockSize) · T) memory instead of N · T.
        let stepSums = ResultBuffer<Double>(count: tokenLevel ? range.count * length : 0, fill: 0)
        let failure = FirstError()
        ParallelFor.strided(count: range.count, threads: workers) { j in
            let b = range.lowerBound + j
            // Blocks above a recorded failure cannot change the outcome (the lowest failing index is reported).
            guard !failure.hasFailure(before: b * blockSize) else { return }
            for i in (b * blockSize)..<min(samples, (b + 1) * blockSize) {
                do {
                    let y = try model.sample(length: length, noise: SampleNoise(seed: seed, stream: UInt64(i)))
                    switch level {
                    case .token:
                        let terms = try PathEntropyProduction.stepTerms(model, y)
                        var s = 0.0
                        for (t, x) in terms.enumerated() { stepSums[j * length + t] += x; s += x }
                        sigmas[i - first] = s
                        lengths[i - first] = length
                    case .blocks(let closes):
                        if let (prefix, blocks) = BlockPartition.truncatedAtLastDelimiter(y, closesBlock: closes) {
                            sigmas[i - first] = try PathEntropyProduction.sigma(model, prefix, blocks: blocks)
                            lengths[i - first] = prefix.count
                        }
                    }
                } catch {
                    failure.record(error, index: i)
                    return
                }
            }
        }
        if let error = failure.error { throw error }
        return MonteCarloBlocks(length: length, tokenLevel: tokenLevel, sigmas: sigmas.values, lengths: lengths.values,
                                stepSums: stepSums.values)
    }

    /// The second half of ``run(_:length:samples:seed:level:threads:bootstrapResamples:confidenceLevel:budget:)``:
    /// the estimates from the σ's of all N trajectories (`blocks`: every block, in order). Throws
    /// ``AutoregressiveError/nonFinite(_:)`` if σ overflows.
    public static func summary(_ blocks: MonteCarloBlocks, length: Int, seed: UInt64, bootstrapResamples: Int = 1000,
                               confidenceLevel: Double = 0.95) throws -> MonteCarloEntropyProductionResult {
        let s = blocks.sigmas, lens = blocks.lengths, samples = s.count
        guard samples >= 2, lens.count == samples, blocks.length == length else {
            throw AutoregressiveError.invalidArgument("the Monte Carlo summary needs the σ of at least 2 trajectories of length \(length)")
        }
        let (mean, se) = meanAndStandardError(s)
        guard mean.isFinite, se.isFinite else { throw AutoregressiveError.nonFinite("Monte Carlo entropy production") }
        let perToken = zip(s, lens).compactMap { $1 > 0 ? $0 / Double($1) : nil }
        let (ptMean, ptSE) = perToken.count >= 2 ? meanAndStandardError(perToken) : (perToken.first ?? .nan, .nan)
        let (fMean, fSE) = meanAndStandardError(s.map { exp(-$0) })
        let ci = try Bootstrap.percentileInterval(s, resamples: bootstrapResamples, level: confidenceLevel, seed: seed ^ 0xB007)
        var stepMeans: [Double]?
        if blocks.tokenLevel {
            let st = blocks.stepSums, count = blockCount(samples: samples)
            guard st.count == count * length else {
                throw AutoregressiveError.invalidArgument("the Monte Carlo summary has \(st.count / max(length, 1)) blocks of step sums, not \(count)")
            }
            stepMeans = (0..<length).map { t in (0..<count).reduce(0.0) { $0 + st[$1 * length + t] } / Double(samples) }
        }
        return MonteCarloEntropyProductionResult(
            sigmas: s, lengths: lens, mean: mean, standardError: se, bootstrapInterval: ci,
            perTokenMean: ptMean, perTokenStandardError: ptSE, fluctuationMean: fMean,
            fluctuationStandardError: fSE, stepMeans: stepMeans)
    }

    /// The buffers of ``run(_:length:samples:seed:level:threads:bootstrapResamples:confidenceLevel:budget:)`` that
    /// grow with N and T, in bytes: σ and the length of every trajectory with their copies in the result and the
    /// summaries (6 × N × 8 bytes), the per-step sums of the token level (⌈N / 64⌉ blocks × T × 8 bytes), and
    /// each worker's trajectory with its step terms (workers × T × 32 bytes). A model's own scoring workspace
    /// (logits, attention) is not included: the caller adds it (`ar-ep` does).
    public static func memoryPlan(length: Int, samples: Int, tokenLevel: Bool, workers: Int,
                                  what: String = "Monte Carlo EP") -> AllocationPlan {
        var plan = AllocationPlan(what)
        plan.add(.init(6, "copies"), .init(samples, "samples"), .init(8, "bytes"))
        if tokenLevel {
            plan.add(.init(samples / blockSize + 1, "blocks"), .init(length, "steps"), .init(8, "bytes"))
        }
        plan.add(.init(workers, "workers"), .init(length, "steps"), .init(32, "bytes"))
        return plan
    }

    /// Mean and std/√N (N − 1 in the variance), summed in index order.
    public static func meanAndStandardError(_ x: [Double]) -> (mean: Double, standardError: Double) {
        let n = Double(x.count)
        guard x.count >= 1 else { return (.nan, .nan) }
        let mean = x.reduce(0, +) / n
        guard x.count >= 2 else { return (mean, .nan) }
        let v = x.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (n - 1)
        return (mean, (v / n).squareRoot())
    }
}

/// The σ of consecutive trajectories of a Monte Carlo run and the per-step sums of their blocks
/// (``MonteCarloEntropyProduction/sample(_:length:samples:blocks:seed:level:threads:budget:)``), which append in
/// block order to those of the whole run.
public struct MonteCarloBlocks: Sendable, Codable, Equatable {
    /// T, the trajectory length.
    public var length: Int
    /// Whether the trajectories were reversed token by token (then `stepSums` holds T sums per block).
    public var tokenLevel: Bool
    /// σ of each trajectory, in stream order.
    public var sigmas: [Double]
    /// The length used for each trajectory (T, or T' after truncation at the last delimiter; 0: no block).
    public var lengths: [Int]
    /// Token level: per block of ``MonteCarloEntropyProduction/blockSize`` trajectories, the T sums of their step
    /// terms (block-major).
    public var stepSums: [Double]

    public init(length: Int, tokenLevel: Bool, sigmas: [Double] = [], lengths: [Int] = [], stepSums: [Double] = []) {
        self.length = length; self.tokenLevel = tokenLevel; self.sigmas = sigmas; self.lengths = lengths; self.stepSums = stepSums
    }

    /// Appends the blocks that follow these.
    public mutating func append(_ next: MonteCarloBlocks) {
        sigmas += next.sigmas
        lengths += next.lengths
        stepSums += next.stepSums
    }

    enum CodingKeys: String, CodingKey {
        case length, sigmas, lengths
        case tokenLevel = "token_level"
        case stepSums = "step_sums"
    }
}
