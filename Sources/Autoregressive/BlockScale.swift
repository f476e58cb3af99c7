/// A coarse-graining scale of the block reversal (docs/theory/autoregressive.md §4, "Block scales"): which
/// partition of a truncated sequence y' (T' symbols, already split into sentence blocks) is reversed.
///
///   - ``token``: every symbol its own block, the token-level reference σ_token(T')/T' on y';
///   - ``superblock(_:)``: super-blocks of k consecutive sentence blocks, counted from the start; when k does not
///     divide the number of sentences the **last super-block holds the remaining 1…k − 1 sentences**
///     (k = 1: the sentence blocks themselves; k ≥ the number of sentences: one block, σ = 0);
///   - ``fixed(_:)``: blocks of l consecutive symbols from the start, the **last one shorter** when l does not
///     divide T' (l = 1: the token level; l ≥ T': one block, σ = 0).
///
/// Coarser partitions keep more of the order inside each block, so σ/T' falls from the token level towards 0
/// as the blocks grow (Sagawa, arXiv:2604.07867, the coarse-graining study).
public enum BlockScale: Sendable, Hashable {
    case token
    case superblock(Int)
    case fixed(Int)

    /// "token", "superblock" or "fixed" (the `kind` of the JSON rows).
    public var kind: String {
        switch self {
        case .token: return "token"
        case .superblock: return "superblock"
        case .fixed: return "fixed"
        }
    }

    /// 1, k or l (the `size` of the JSON rows: sentences for super-blocks, symbols otherwise).
    public var size: Int {
        switch self {
        case .token: return 1
        case .superblock(let k): return k
        case .fixed(let l): return l
        }
    }

    /// The scale of a JSON row (`kind`, `size`); nil for an unknown kind.
    public init?(kind: String, size: Int) {
        switch kind {
        case "token": self = .token
        case "superblock": self = .superblock(size)
        case "fixed": self = .fixed(size)
        default: return nil
        }
    }

    /// The partition of a sequence whose sentence blocks are `sentences` (its length is the sequence's).
    /// - Throws: ``AutoregressiveError/invalidArgument(_:)`` for k or l < 1.
    public func partition(sentences: BlockPartition) throws -> BlockPartition {
        switch self {
        case .token: return BlockPartition.tokens(length: sentences.length)
        case .superblock(let k): return try sentences.superBlocks(of: k)
        case .fixed(let l): return try BlockPartition.fixedLength(l, length: sentences.length)
        }
    }
}

extension BlockPartition {
    /// Super-blocks of `k` consecutive blocks of this partition, counted from the start; the last one holds the
    /// remaining blocks when k does not divide ``count`` (ends: every k-th end, then `length`). O(count).
    /// - Throws: ``AutoregressiveError/invalidArgument(_:)`` unless k ≥ 1.
    public func superBlocks(of k: Int) throws -> BlockPartition {
        guard k >= 1 else { throw AutoregressiveError.invalidArgument("a super-block must hold k ≥ 1 sentences, got \(k)") }
        var grouped = [Int]()
        grouped.reserveCapacity(count / k + 1)
        var i = k - 1
        while i < count { grouped.append(ends[i]); i += k }
        if length > 0, grouped.last != length { grouped.append(length) }
        return try BlockPartition(ends: grouped, length: length)
    }

    /// Blocks of `l` consecutive symbols of a sequence of `length` symbols from the start, the last one shorter
    /// when l does not divide the length; l ≥ length gives one block (none for length 0). O(length / l).
    /// - Throws: ``AutoregressiveError/invalidArgument(_:)`` unless l ≥ 1 and length ≥ 0.
    public static func fixedLength(_ l: Int, length: Int) throws -> BlockPartition {
        guard l >= 1 else { throw AutoregressiveError.invalidArgument("a fixed block must hold l ≥ 1 symbols, got \(l)") }
        guard length >= 0 else { throw AutoregressiveError.invalidArgument("sequence length must be ≥ 0, got \(length)") }
        var ends = Array(stride(from: l, to: length, by: l))
        if length > 0 { ends.append(length) }
        return try BlockPartition(ends: ends, length: length)
    }
}
