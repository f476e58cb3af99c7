import Parallel

/// Block-scale (coarse-graining) entropy production of any ``AutoregressiveModel``
/// (docs/theory/autoregressive.md §4, "Block scales"; Sagawa, arXiv:2604.07867): for sequences y'_i already
/// truncated at their last sentence end (T'_i symbols, sentence blocks π_i) and scales s (``BlockScale``),
///
///     σ_s(y'_i) = ln P(y'_i) − ln P(R_{s,i} y'_i),    R_{s,i} = block reversal of the partition s(π_i),
///
/// 0 exactly when s(π_i) is one block. Each distinct partition of a sequence is scored once: a scale whose
/// partition equals another's (k = 1 and the sentences, l = 1 and the token reference, blocks that happen to
/// coincide) reuses that score, and a caller that already knows ln P(sentence-reversed y'_i) passes it in, so
/// σ at k = 1 *is* the sentence-level σ_block, bit for bit. Cost: one scoring of ≤ (number of scales) reversed
/// sequences per sequence, in one call of `score` (the caller batches it).
public enum BlockScaleEntropyProduction {
    /// Where σ[s][i] comes from: 0 (one block), a known ln P of the reversal, or job j of the scoring call.
    enum Source { case zero, known(Double), job(Int) }

    /// σ[s][i] for scale `scales[s]` and sequence i.
    ///
    /// - Parameters:
    ///   - sequences: y'_i, each ending with a sentence end (`sentences[i].length == sequences[i].count`).
    ///   - sentences: π_i, the sentence blocks of y'_i.
    ///   - forward: ln P(y'_i).
    ///   - sentenceReversed: ln P(π_i-reversed y'_i) where already computed (nil entries, or nil: scored here).
    ///   - score: ln P of each sequence given (called once, with every reversed sequence that needs a score).
    /// - Throws: ``AutoregressiveError/dimensionMismatch(_:)`` for arrays of different lengths, a partition
    ///   error for a bad scale, `score`'s error, ``AutoregressiveError/nonFinite(_:)`` for a non-finite σ.
    public static func sigmas<Symbol>(
        sequences: [[Symbol]], sentences: [BlockPartition], forward: [Double], sentenceReversed: [Double?]? = nil,
        scales: [BlockScale], score: ([[Symbol]]) throws -> [Double]
    ) throws -> [[Double]] {
        let n = sequences.count
        guard sentences.count == n, forward.count == n, sentenceReversed.map({ $0.count == n }) ?? true else {
            throw AutoregressiveError.dimensionMismatch(
                "\(n) sequences, \(sentences.count) sentence partitions, \(forward.count) forward log-likelihoods")
        }
        var sources = [[Source]](repeating: [], count: scales.count)
        var jobs = [[Symbol]]()
        for i in 0..<n {
            guard sentences[i].length == sequences[i].count else {
                throw AutoregressiveError.dimensionMismatch(
                    "sequence \(i) has \(sequences[i].count) symbols, its sentence partition covers \(sentences[i].length)")
            }
            var seen = [BlockPartition: Int]()
            for (s, scale) in scales.enumerated() {
                let p = try scale.partition(sentences: sentences[i])
                if p.count <= 1 {
                    sources[s].append(.zero)
                } else if p == sentences[i], let b = sentenceReversed?[i] {
                    sources[s].append(.known(b))
                } else if let j = seen[p] {
                    sources[s].append(.job(j))
                } else {
                    seen[p] = jobs.count
                    sources[s].append(.job(jobs.count))
                    jobs.append(try p.reverse(sequences[i]))
                }
            }
        }
        let scores = jobs.isEmpty ? [] : try score(jobs)
        guard scores.count == jobs.count else {
            throw AutoregressiveError.dimensionMismatch("the scorer returned \(scores.count) values for \(jobs.count) sequences")
        }
        return try sources.enumerated().map { s, row in
            try row.enumerated().map { i, source in
                let sigma: Double
                switch source {
                case .zero: sigma = 0
                case .known(let b): sigma = forward[i] - b
                case .job(let j): sigma = forward[i] - scores[j]
                }
                guard sigma.isFinite else {
                    throw AutoregressiveError.nonFinite("block-scale σ of sequence \(i) at \(scales[s].kind) \(scales[s].size)")
                }
                return sigma
            }
        }
    }

    /// The same for a model scored through ``AutoregressiveModel/logLikelihood(of:)``: ln P of every sequence and
    /// of every reversal, sequences dealt to `threads` workers (`ThreadCount`; results do not depend on it —
    /// each value is one sequential sum written at its own index). Cost: (1 + distinct partitions) likelihood
    /// evaluations per sequence.
    public static func sigmas<M: AutoregressiveModel>(
        _ model: M, sequences: [[M.Symbol]], sentences: [BlockPartition], scales: [BlockScale], threads: Int = 0
    ) throws -> [[Double]] {
        func logLikelihoods(_ ys: [[M.Symbol]]) throws -> [Double] {
            let out = ResultBuffer<Double>(count: ys.count, fill: 0)
            let failure = FirstError()
            ParallelFor.strided(count: ys.count, threads: ThreadCount.workers(threads, units: max(ys.count, 1))) { i in
                guard !failure.hasFailure(before: i) else { return }
                do { out[i] = try model.logLikelihood(of: ys[i]) } catch { failure.record(error, index: i) }
            }
            if let error = failure.error { throw error }
            return out.values
        }
        return try sigmas(sequences: sequences, sentences: sentences, forward: try logLikelihoods(sequences),
                          scales: scales, score: logLikelihoods)
    }
}

/// Mean ± standard error (std/√n, n − 1 in the variance, summed in index order) of σ_s and of σ_s/T' over the
/// sequences at one block scale, with the mean number of blocks and the mean block length T'/blocks.
public struct BlockScaleSummary: Sendable, Codable, Equatable {
    /// ``BlockScale/kind`` and ``BlockScale/size``.
    public let kind: String
    public let size: Int
    /// Sequences that enter (those with a sentence end).
    public let texts: Int
    public let meanBlocks: Double
    /// Mean over sequences of T'_i / (blocks of sequence i), in symbols.
    public let meanBlockLength: Double
    public let perTokenMean: Double
    public let perTokenStderr: Double
    public let sigmaMean: Double
    public let sigmaStderr: Double

    /// The summary of σ_i over sequences of lengths T'_i > 0 split into `blocks[i]` ≥ 1 blocks.
    public init(scale: BlockScale, sigmas: [Double], lengths: [Int], blocks: [Int]) {
        let (m, se) = MonteCarloEntropyProduction.meanAndStandardError(sigmas)
        let (pm, pse) = MonteCarloEntropyProduction.meanAndStandardError(zip(sigmas, lengths).map { $0 / Double($1) })
        let n = Double(sigmas.count)
        kind = scale.kind; size = scale.size; texts = sigmas.count
        meanBlocks = sigmas.isEmpty ? .nan : Double(blocks.reduce(0, +)) / n
        meanBlockLength = sigmas.isEmpty ? .nan : zip(lengths, blocks).reduce(0.0) { $0 + Double($1.0) / Double(max($1.1, 1)) } / n
        perTokenMean = pm; perTokenStderr = pse; sigmaMean = m; sigmaStderr = se
    }

    /// The scale of this row.
    public var scale: BlockScale? { BlockScale(kind: kind, size: size) }

    /// JSON keys are snake_case, properties camelCase (docs/api.md).
    enum CodingKeys: String, CodingKey {
        case kind, size, texts
        case meanBlocks = "mean_blocks"
        case meanBlockLength = "mean_block_length"
        case perTokenMean = "per_token_mean"
        case perTokenStderr = "per_token_stderr"
        case sigmaMean = "sigma_mean"
        case sigmaStderr = "sigma_stderr"
    }
}
