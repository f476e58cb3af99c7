import Autoregressive
import Foundation
import ResourceLimits

/// `ar-ep`'s Monte Carlo entropy production of a token model as a sweep whose units are the blocks of
/// ``MonteCarloEntropyProduction/blockSize`` trajectories (issue 19): block b holds trajectories b·64 ..<
/// min(N, (b + 1)·64), each drawn from its own noise stream, with the per-step sums of the block. A part holds the
/// σ's of its blocks (``MonteCarloBlocks``: 8 bytes per trajectory and T sums per block); the parts of any split
/// (`--shard i/n`), appended in block order, are the blocks of one run, so the estimates (mean, standard error,
/// bootstrap interval, ⟨e^{−σ}⟩), computed from all σ's at the end, equal one run's bit for bit.
public enum TokenModelMonteCarlo {
    public typealias Part = SweepPart<TokenModelMonteCarloConfiguration, MonteCarloBlocks>

    /// The part of a run of `configuration` holding blocks `range` (a whole run is `0 ..< blockCount`).
    public static func part(_ configuration: TokenModelMonteCarloConfiguration, _ range: Range<Int>, software: String) -> Part {
        Part(command: "ar-ep", software: software, configuration: configuration, total: configuration.blockCount, range: range,
             payload: MonteCarloBlocks(length: configuration.length, tokenLevel: true))
    }

    /// Samples and scores the blocks of `part` it does not hold yet with `model` (built from the configuration by
    /// the caller), `chunk` blocks per call, and returns the complete part; `checkpoint` gets the part every
    /// `checkpointSeconds` (not at the end). Throws ``ExperimentError/invalidPart(_:)`` for a part of another
    /// configuration (``isEquivalent(_:_:)``).
    public static func run<M: AutoregressiveModel>(part start: Part, model: M, configuration c: TokenModelMonteCarloConfiguration,
                                                   budget: MemoryBudget = .standard, checkpointSeconds: Double = 30,
                                                   checkpoint: (Part) throws -> Void = { _ in }) throws -> Part {
        guard isEquivalent(start.configuration, c), start.total == c.blockCount, start.payload.length == c.length,
              start.payload.sigmas.count == min(c.samples, (start.lower + start.done) * MonteCarloEntropyProduction.blockSize)
                - start.lower * MonteCarloEntropyProduction.blockSize else {
            throw ExperimentError.invalidPart("the part to continue was made with other settings")
        }
        let clock = ContinuousClock.now
        var saved = clock
        var part = start
        part.configuration = c  // a resumed part records this run's settings (its threads, say)
        let earlier = start.seconds
        let chunk = max(16, 4 * max(c.threads, 1))
        while !part.isComplete {
            let blocks = part.remaining.lowerBound..<min(part.upper, part.remaining.lowerBound + chunk)
            part.payload.append(try MonteCarloEntropyProduction.sample(model, length: c.length, samples: c.samples, blocks: blocks,
                                                                       seed: c.seed, threads: c.threads, budget: budget))
            part.done += blocks.count
            part.seconds = earlier + (ContinuousClock.now - clock).seconds
            if (ContinuousClock.now - saved).seconds >= checkpointSeconds, !part.isComplete {
                try checkpoint(part)
                saved = ContinuousClock.now
            }
        }
        return part
    }

    /// The estimates of a complete part (one run's, or the merge of a sharded run's parts).
    public static func result(of part: Part) throws -> MonteCarloEntropyProductionResult {
        let c = part.configuration
        guard part.lower == 0, part.isComplete, part.upper == part.total else {
            throw ExperimentError.invalidPart("an ar-ep part of blocks \(part.lower)..<\(part.upper) of \(part.total) is not a run: merge the parts first")
        }
        let p = part.payload
        guard p.sigmas.count == c.samples, p.lengths.count == c.samples, p.stepSums.count == c.blockCount * c.length,
              p.length == c.length, p.tokenLevel else {
            throw ExperimentError.invalidPart("the ar-ep parts are damaged: \(p.sigmas.count) σ's for N = \(c.samples) trajectories")
        }
        return try MonteCarloEntropyProduction.summary(part.payload, length: c.length, seed: c.seed)
    }

    /// Whether two configurations describe the same trajectories: they may differ in the thread count.
    public static func isEquivalent(_ a: TokenModelMonteCarloConfiguration, _ b: TokenModelMonteCarloConfiguration) -> Bool {
        var a = a, b = b
        a.threads = 0
        b.threads = 0
        return a == b
    }
}

/// The settings of an `ar-ep` run: the model (architecture, alphabet K, hidden size or model dimension, temperature
/// τ, weight seed) and the Monte Carlo (N trajectories of T tokens under the same seed).
public struct TokenModelMonteCarloConfiguration: Codable, Sendable, Equatable {
    /// `rnn` (Elman) or `transformer` (one causal attention layer).
    public var architecture: String
    public var alphabet: Int
    public var length: Int
    public var samples: Int
    public var seed: UInt64
    public var hidden: Int
    public var temperature: Double
    /// Worker threads (speed only).
    public var threads: Int

    public init(architecture: String, alphabet: Int, length: Int, samples: Int, seed: UInt64, hidden: Int, temperature: Double,
                threads: Int) {
        self.architecture = architecture; self.alphabet = alphabet; self.length = length; self.samples = samples
        self.seed = seed; self.hidden = hidden; self.temperature = temperature; self.threads = threads
    }

    /// The blocks of ``MonteCarloEntropyProduction/blockSize`` trajectories: the sweep's units.
    public var blockCount: Int { MonteCarloEntropyProduction.blockCount(samples: samples) }
}

extension MonteCarloBlocks: SweepPayload {}
