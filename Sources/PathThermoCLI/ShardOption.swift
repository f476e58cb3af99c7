import ArgumentParser
import Experiments

/// `--shard i/n`: part i (0-based) of n equal consecutive parts of the rollouts, ⌊i·R/n⌋ ..< ⌊(i + 1)·R/n⌋.
struct ShardOption: ExpressibleByArgument, Equatable {
    var index: Int
    var count: Int

    init?(argument: String) {
        let parts = argument.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let i = Int(parts[0]), let n = Int(parts[1]), n >= 1, n <= 1 << 20, i >= 0, i < n else {
            return nil
        }
        index = i
        count = n
    }

    static var defaultValueDescription: String { "i/n" }

    /// The rollouts of this shard among `rollouts` (or its units among a sweep's), ``ShardSplit/range(part:of:total:)``.
    func rollouts(of rollouts: Int) -> Range<Int> { ShardSplit.range(part: index, of: count, total: rollouts) }
}
