#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Input errors of the counter-based generators. Every limit of the addressing scheme (see
/// ``CounterAddress``) is checked up front and reported with one of these cases; nothing traps.
public enum StochasticsError: Error, Equatable, Sendable, CustomStringConvertible {
    /// More normals (or uniforms) per (stream, step) than the block field of the counter can address.
    case dimensionTooLarge(dimension: Int, limit: Int)
    /// A negative dimension or count.
    case negativeDimension(Int)
    /// A step beyond the 48 bits the counter reserves for it.
    case stepTooLarge(step: UInt64, limit: UInt64)
    /// The output buffer does not have exactly the number of elements the call produces
    /// (or that number overflows `Int`).
    case bufferSizeMismatch(required: Int?, available: Int)
    /// A ``NoiseStream`` request whose normal indices (or stream indices) run past 2⁶⁴ − 1:
    /// `count` values from index `first` (for a step-major fill, `first` = first step · d).
    case indexOverflow(first: UInt64, count: Int)
    /// A SIMD kernel was forced (tests, comparisons) that this CPU or build cannot run.
    case kernelUnavailable(String)

    public var description: String {
        switch self {
        case let .dimensionTooLarge(d, limit):
            return "dimension \(d) exceeds the \(limit) values addressable per (stream, step)"
        case let .negativeDimension(d):
            return "dimension \(d) must be ≥ 0"
        case let .stepTooLarge(step, limit):
            return "step \(step) exceeds the largest addressable step \(limit)"
        case let .bufferSizeMismatch(required, available):
            let need = required.map(String.init) ?? "more than Int.max"
            return "output buffer holds \(available) values but the call produces \(need)"
        case let .indexOverflow(first, count):
            return "\(count) values from index \(first) run past the last addressable index 2^64 − 1"
        case let .kernelUnavailable(name):
            return "the \(name) kernel is not available on this CPU or build"
        }
    }
}

extension StochasticsError: LocalizedError {
    /// The one-line ``description``, so that `localizedDescription` reads the message, not
    /// "The operation could not be completed".
    public var errorDescription: String? { description }
}
