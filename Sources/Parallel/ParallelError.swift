import Foundation

/// Errors of the parallel layer (a caller's misuse; the work's own errors pass through unchanged).
public enum ParallelError: Error, Equatable, Sendable, CustomStringConvertible, LocalizedError {
    /// ``OrderedReduction/finish(expecting:)`` was called before every unit was submitted.
    case incompleteReduction(merged: Int, expected: Int)
    /// A ``PairwiseTree`` was handed units that do not start where its units end (a gap or an overlap; `found` is
    /// −1 for a malformed node).
    case notContiguous(expected: Int, found: Int)

    public var description: String {
        switch self {
        case let .incompleteReduction(merged, expected):
            return "ordered reduction incomplete: \(merged) of \(expected) units merged"
        case let .notContiguous(expected, found):
            return found < 0 ? "malformed tree node (expected units from \(expected))"
                : found < expected ? "overlapping units: unit \(found) comes again (expected \(expected))"
                : "missing units \(expected)..<\(found)"
        }
    }

    public var errorDescription: String? { description }
}
