import Foundation

/// Errors of the parallel layer (a caller's misuse; the work's own errors pass through unchanged).
public enum ParallelError: Error, Equatable, Sendable, CustomStringConvertible, LocalizedError {
    /// ``OrderedReduction/finish(expecting:)`` was called before every unit was submitted.
    case incompleteReduction(merged: Int, expected: Int)

    public var description: String {
        switch self {
        case let .incompleteReduction(merged, expected):
            return "ordered reduction incomplete: \(merged) of \(expected) units merged"
        }
    }

    public var errorDescription: String? { description }
}
