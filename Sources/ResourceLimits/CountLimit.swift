/// Range checks of integer counts with a documented maximum. A count a user types goes through one of these
/// before it reaches any arithmetic, so 2⁶³ − 1 or −1 is a one-line error, never a trap in `n + 1` or `n * d`.
public enum CountLimit {
    /// 2⁴⁰ ≈ 1.1 × 10¹²: the default ceiling of a count (rollouts, steps, samples, blocks). A product of two
    /// such counts and a small factor stays far below `Int.max` ≈ 9.2 × 10¹⁸; the memory budget is what
    /// really bounds a run.
    public static let defaultMaximum = 1 << 40

    /// Throws unless `minimum ≤ value ≤ maximum`. `name` is how the user wrote it (e.g. "--rollouts").
    public static func require(_ value: Int, _ name: String, atLeast minimum: Int,
                               atMost maximum: Int = defaultMaximum) throws(ResourceLimitError) {
        guard value >= minimum, value <= maximum else {
            throw .invalidCount(name: name, value: value, requirement: "between \(minimum) and \(maximum)")
        }
    }
}
