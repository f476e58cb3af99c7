import Autoregressive
import LanguageModel
import Parallel

/// The block-scale analysis of `text-sample-ep` (issue 17 item 4; docs/theory/autoregressive.md §4, "Block scales";
/// Sagawa's coarse-graining study, arXiv:2604.07867): σ/T' of each text y' (truncated at its last sentence end) at
/// super-blocks of k sentences (the last super-block holds the remaining sentences), at fixed blocks of l tokens
/// (the last block shorter), and the token-level reference σ_token(T')/T' on y'. Off by default (both lists empty:
/// the run costs what it did); each scale adds at most one batched teacher-forced pass over the N truncated texts
/// (N·T' tokens), and scales whose partition is already scored cost nothing (k = 1 is the sentence level, l = 1 the
/// token reference, one-block partitions give 0).
extension TextSamplingConfiguration {
    /// The scales `text-sample-ep --block-scale` turns on: k = 1, 2, 3 and l = 1, 10, 20, 40, 60.
    public static let defaultSuperblocks = [1, 2, 3]
    public static let defaultFixedBlocks = [1, 10, 20, 40, 60]
    /// At most this many sizes per list.
    public static let maximumBlockScales = 64

    /// The rows of the block-scale table: none when both lists are empty, else the token reference on y', the
    /// super-blocks in the order given, then the fixed blocks.
    public var blockScales: [BlockScale] {
        if superblocks.isEmpty && fixedBlocks.isEmpty { return [] }
        return [.token] + superblocks.map { .superblock($0) } + fixedBlocks.map { .fixed($0) }
    }

    /// Each size in 1…2²⁰, each list ≤ 64 distinct sizes.
    func validateBlockScales() throws {
        for (list, name) in [(superblocks, "super-block size k"), (fixedBlocks, "fixed block length l")] {
            try ExperimentError.requireCount(list.count, "the number of \(name)s", atLeast: 0, atMost: Self.maximumBlockScales)
            for v in list { try ExperimentError.requireCount(v, name, atLeast: 1, atMost: 1 << 20) }
            guard Set(list).count == list.count else {
                throw ExperimentError.invalidConfiguration("each \(name) may be listed once, got \(list.map(String.init).joined(separator: ","))")
            }
        }
    }
}

extension TextSamplingExperiment {
    /// Step 5 for one chunk: σ at every block scale of each text with a sentence end (nil for the others), the
    /// reversals of all scales scored in one batched pass; the sentence level's ln P(block-reversed y') is
    /// passed in, so k = 1 gives σ_block bit for bit. Returns σ and the block count per scale for each text.
    func blockScaleSigmas(truncations: [(prefix: [Int], blocks: BlockPartition)?], forward: [Double?],
                          sentenceReversed: [Double?], progress: ProgressReporter?) throws -> [(sigmas: [Double], blocks: [Int])?] {
        let cfg = configuration, scales = cfg.blockScales
        guard !scales.isEmpty else { return truncations.map { _ in nil } }
        let kept = truncations.indices.filter { truncations[$0] != nil }
        let cuts = kept.map { truncations[$0]! }
        var scored = 0
        let sigmas = try BlockScaleEntropyProduction.sigmas(
            sequences: cuts.map(\.prefix), sentences: cuts.map(\.blocks), forward: kept.map { forward[$0]! },
            sentenceReversed: kept.map { sentenceReversed[$0] }, scales: scales
        ) { sequences in
            scored = sequences.reduce(0) { $0 + $1.count }
            return try model.logProbabilities(sequences: sequences, prefix: cfg.prefix, temperature: cfg.temperature,
                                              batchSize: cfg.batchSize, progress: progress?.cumulativeCallback())
                .map { $0.reduce(0, +) }
        }
        progress?.advance(by: max(0, scales.count * truncations.count * cfg.length - scored))
        var out = [(sigmas: [Double], blocks: [Int])?](repeating: nil, count: truncations.count)
        for (j, i) in kept.enumerated() {
            out[i] = (scales.indices.map { sigmas[$0][j] },
                      try scales.map { try $0.partition(sentences: cuts[j].blocks).count })
        }
        return out
    }
}

extension TextSamplingResult {
    /// The block-scale rows over the texts so far (nil when the analysis is off): at each scale the summary of
    /// σ_s and σ_s/T' over the texts with a sentence end (`BlockScaleSummary`, index order).
    static func blockScaleRows(_ cfg: TextSamplingConfiguration, records: [SampledTextRecord]) -> [BlockScaleSummary]? {
        let scales = cfg.blockScales
        guard !scales.isEmpty else { return nil }
        let withEnd = records.filter { $0.blockScaleSigmas != nil }
        return scales.enumerated().map { s, scale in
            BlockScaleSummary(scale: scale, sigmas: withEnd.map { $0.blockScaleSigmas![s] },
                              lengths: withEnd.map(\.truncatedLength), blocks: withEnd.map { $0.blockScaleBlocks?[s] ?? 1 })
        }
    }

    /// One row per block scale: kind, size, texts, mean blocks, mean block length (tokens), σ/T' and σ, each mean ± stderr.
    func blockScaleTable() throws -> CSVTable {
        var t = CSVTable(columns: ["kind", "size", "texts", "mean_blocks", "mean_block_length", "per_token_mean",
                                   "per_token_stderr", "sigma_mean", "sigma_stderr"])
        for r in blockScale ?? [] {
            try t.append([r.kind, String(r.size), String(r.texts)]
                + [r.meanBlocks, r.meanBlockLength, r.perTokenMean, r.perTokenStderr, r.sigmaMean, r.sigmaStderr].map(CSVTable.cell))
        }
        return t
    }
}
