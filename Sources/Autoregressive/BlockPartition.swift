/// A split of a sequence of length T into consecutive blocks (sentences), for block-level
/// reversal (docs/theory/autoregressive.md §4): the blocks are put
/// in reverse order, the symbols inside each block keep their order. Token level is block length 1.
///
/// Stored as the exclusive end index of each block: strictly increasing, the last equal to T, so
/// every symbol belongs to exactly one block and the reversal is a bijection of sequences of length
/// T (its inverse is the reversal under ``reversed``, the partition of the block-reversed sequence).
public struct BlockPartition: Sendable, Hashable {
    /// Exclusive end of each block, strictly increasing; `ends.last == length`.
    public let ends: [Int]

    /// T, the sequence length.
    public var length: Int { ends.last ?? 0 }
    /// Number of blocks.
    public var count: Int { ends.count }

    /// Blocks ending at `ends` (exclusive ends, strictly increasing, last = `length`).
    /// - Throws: ``AutoregressiveError/invalidArgument(_:)`` unless the ends cover 0..<length exactly.
    public init(ends: [Int], length: Int) throws {
        guard length >= 0 else { throw AutoregressiveError.invalidArgument("sequence length must be ≥ 0, got \(length)") }
        var previous = 0
        for e in ends {
            guard e > previous else {
                throw AutoregressiveError.invalidArgument("block ends must be strictly increasing and positive, got \(ends)")
            }
            previous = e
        }
        guard previous == length else {
            throw AutoregressiveError.invalidArgument(
                "the last block must end at the sequence length \(length) (got \(previous)); truncate at the last delimiter")
        }
        self.ends = ends
    }

    /// Every symbol its own block (token level).
    public static func tokens(length: Int) -> BlockPartition {
        (try? BlockPartition(ends: Array(stride(from: 1, through: max(length, 0), by: 1)), length: max(length, 0)))
            ?? BlockPartition(unchecked: [])
    }

    private init(unchecked ends: [Int]) { self.ends = ends }

    /// Blocks closed by delimiter symbols (the delimiter belongs to the block it closes).
    /// - Throws: if the last symbol does not close a block (the map would not be a bijection).
    public init<S>(_ sequence: [S], closesBlock: (S) -> Bool) throws {
        var ends = [Int]()
        for (i, s) in sequence.enumerated() where closesBlock(s) { ends.append(i + 1) }
        try self.init(ends: ends, length: sequence.count)
    }

    /// The prefix up to and including the last delimiter, with its partition; `nil` when the
    /// sequence holds no delimiter (what sampled sequences need before block reversal).
    public static func truncatedAtLastDelimiter<S>(_ sequence: [S], closesBlock: (S) -> Bool) -> (prefix: [S], blocks: BlockPartition)? {
        guard let last = sequence.lastIndex(where: closesBlock) else { return nil }
        let prefix = Array(sequence[...last])
        guard let blocks = try? BlockPartition(prefix, closesBlock: closesBlock) else { return nil }
        return (prefix, blocks)
    }

    /// The partition of the block-reversed sequence (block lengths in reverse order).
    public var reversed: BlockPartition {
        var lengths = [Int]()
        var previous = 0
        for e in ends { lengths.append(e - previous); previous = e }
        var out = [Int]()
        var acc = 0
        for l in lengths.reversed() { acc += l; out.append(acc) }
        return BlockPartition(unchecked: out)
    }

    /// The block-reversed sequence: blocks in reverse order, symbols within a block in order.
    /// - Throws: ``AutoregressiveError/dimensionMismatch(_:)`` if `sequence.count != length`.
    public func reverse<S>(_ sequence: [S]) throws -> [S] {
        guard sequence.count == length else {
            throw AutoregressiveError.dimensionMismatch("sequence has \(sequence.count) symbols, partition covers \(length)")
        }
        var out = [S]()
        out.reserveCapacity(sequence.count)
        for b in stride(from: ends.count - 1, through: 0, by: -1) {
            let start = b == 0 ? 0 : ends[b - 1]
            out.append(contentsOf: sequence[start..<ends[b]])
        }
        return out
    }
}
