/// Errors of the language-model layer: malformed or truncated model files, unsupported formats,
/// tokenizer failures. Each renders as one readable line.
public enum LanguageModelError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file is not what it claims to be (bad magic, truncated table, offsets past the end, …).
    case malformedFile(String)
    /// A valid file using something this implementation does not support (a tensor type, a version).
    case unsupported(String)
    /// A required metadata key or tensor is missing or has the wrong type/shape.
    case missing(String)
    /// An argument outside its domain.
    case invalidArgument(String)

    public var description: String {
        switch self {
        case let .malformedFile(why): return "malformed model file: \(why)"
        case let .unsupported(what): return "unsupported: \(what)"
        case let .missing(what): return "missing \(what)"
        case let .invalidArgument(why): return why
        }
    }
}
