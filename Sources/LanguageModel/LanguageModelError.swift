#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Errors of the language-model layer: malformed or truncated model files, unsupported formats,
/// tokenizer failures, non-finite results. Each renders as one readable line.
public enum LanguageModelError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file is not what it claims to be (bad magic, truncated table, offsets past the end, …).
    case malformedFile(String)
    /// A valid file using something this implementation does not support (a tensor type, a version).
    case unsupported(String)
    /// A required metadata key or tensor is missing or has the wrong type/shape.
    case missing(String)
    /// An argument outside its domain.
    case invalidArgument(String)
    /// The model produced a NaN or ±∞ log-probability or logit (non-finite weights, or activations that
    /// overflow Float32): never returned as a number (issue 12 item 3).
    case nonFinite(String)

    public var description: String {
        switch self {
        case let .malformedFile(why): return "malformed model file: \(why)"
        case let .unsupported(what): return "unsupported: \(what)"
        case let .missing(what): return "missing \(what)"
        case let .invalidArgument(why): return why
        case let .nonFinite(what): return "non-finite result: \(what)"
        }
    }
}

extension LanguageModelError {
    /// Throws `nonFinite` for the first NaN or ±∞ in `values` (the log-probabilities of one sequence), naming
    /// the position and, when given, the sequence (`what`, e.g. "text 5").
    static func checkFinite(_ values: [Double], _ what: String? = nil) throws {
        guard let t = values.firstIndex(where: { !$0.isFinite }) else { return }
        let whose = what.map { " of \($0)" } ?? ""
        throw LanguageModelError.nonFinite(
            "log-probability \(values[t]) at token \(t)\(whose) (the model's weights or activations are not finite)")
    }
}

extension LanguageModelError: LocalizedError {
    /// The one-line ``description``, so that `localizedDescription` reads the message, not
    /// "The operation could not be completed".
    public var errorDescription: String? { description }
}
