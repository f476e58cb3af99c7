/// Errors of the autoregressive-model entropy-production layer (autoregressive-ep spec).
public enum AutoregressiveError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A matrix or sequence has the wrong shape.
    case shapeMismatch(String)
    /// A value that must be finite is not.
    case nonFinite(String)
    /// An argument outside its domain (T < 1, empty alphabet, …).
    case invalidArgument(String)

    public var description: String {
        switch self {
        case let .shapeMismatch(why): return "shape mismatch: \(why)"
        case let .nonFinite(what): return "non-finite value in \(what)"
        case let .invalidArgument(why): return why
        }
    }
}
