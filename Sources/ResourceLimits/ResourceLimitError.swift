#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Errors of the ResourceLimits module: a count outside its documented range, a byte count that does not fit
/// in 64 bits, or an allocation plan larger than the memory budget. Each description is one line that names
/// the sizes involved, so a command can print it as it is.
public enum ResourceLimitError: Error, Equatable, Sendable, CustomStringConvertible {
    /// An integer count outside its domain: `requirement` reads like "between 1 and 2^40".
    case invalidCount(name: String, value: Int, requirement: String)
    /// The byte count of `what` (`formula`, e.g. "2^63 rollouts × 2 × 8 bytes") overflows `Int`.
    case overflow(what: String, formula: String)
    /// The plan of `what` needs `bytes` (`formula`) but the budget allows `budget` bytes; `hint` names the
    /// setting that raises the budget (e.g. "--max-memory"), or is empty.
    case exceedsBudget(what: String, formula: String, bytes: Int, budget: Int, hint: String)
    /// A file of `bytes` (`formula`) for `path` larger than the `available` bytes free on its file system.
    case exceedsDiskSpace(what: String, formula: String, bytes: Int, available: Int, path: String)
    /// A size string (like "512M" or "8G") that could not be read.
    case invalidSize(text: String, reason: String)

    public var description: String {
        switch self {
        case let .invalidCount(name, value, requirement):
            return "\(name) = \(value) is invalid: it must be \(requirement)"
        case let .overflow(what, formula):
            return "\(what): \(formula) overflows a 64-bit byte count"
        case let .exceedsBudget(what, formula, bytes, budget, hint):
            let sizes = formula.isEmpty ? ByteCount.format(bytes) : "\(formula) = \(ByteCount.format(bytes))"
            return "\(what): \(sizes) exceeds the memory budget of \(ByteCount.format(budget))"
                + (hint.isEmpty ? "" : " (\(hint))")
        case let .exceedsDiskSpace(what, formula, bytes, available, path):
            return "\(what): \(formula) = \(ByteCount.format(bytes)) exceeds the \(ByteCount.format(available)) free for \(path)"
        case let .invalidSize(text, reason):
            return "invalid size '\(text)': \(reason)"
        }
    }
}

extension ResourceLimitError: LocalizedError {
    /// The one-line ``description``, so that `localizedDescription` reads the message, not
    /// "The operation could not be completed".
    public var errorDescription: String? { description }
}
