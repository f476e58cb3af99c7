import ResourceLimits
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Errors of the experiment drivers: bad configuration, or an output that cannot be written.
/// Failures of the models and estimators they run propagate with their own types.
public enum ExperimentError: Error, Equatable, Sendable, CustomStringConvertible {
    case invalidConfiguration(String)
    case outputFailed(path: String, detail: String)
    /// Sweep parts (``SweepPart``) that cannot be read, resumed or merged: another format version, command,
    /// software or settings, an incomplete part, overlapping or missing units, a damaged file; the message names it.
    case invalidPart(String)

    public var description: String {
        switch self {
        case let .invalidConfiguration(detail): return "invalid experiment configuration: \(detail)"
        case let .outputFailed(path, detail): return "cannot write \(path): \(detail)"
        case let .invalidPart(detail): return detail
        }
    }
}

extension ExperimentError {
    /// Throws ``invalidConfiguration(_:)`` unless `minimum ≤ value ≤ maximum` (default maximum
    /// ``CountLimit/defaultMaximum``, 2⁴⁰): every count of a configuration goes through this before any product of
    /// counts is formed.
    static func requireCount(_ value: Int, _ name: String, atLeast minimum: Int,
                             atMost maximum: Int = CountLimit.defaultMaximum) throws(ExperimentError) {
        guard value >= minimum, value <= maximum else {
            throw .invalidConfiguration("\(name) = \(value) is invalid: it must be between \(minimum) and \(maximum)")
        }
    }
}

extension ExperimentError: LocalizedError {
    /// The one-line ``description``, so that `localizedDescription` reads the message, not
    /// "The operation could not be completed".
    public var errorDescription: String? { description }
}
