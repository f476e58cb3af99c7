/// Why a saved model could not be loaded (``AttentionWorldModel/init(contentsOfFile:)``). `description` is one line.
public enum ModelFileError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file could not be read (missing, a directory, no permission).
    case unreadable(path: String, detail: String)
    /// The file was read but is not a valid model: not JSON, a missing key, a value of the wrong type, or a model
    /// that fails its own checks (ragged rows, wrong shapes, non-finite or out-of-domain values).
    case corrupt(path: String, detail: String)

    public var description: String {
        switch self {
        case let .unreadable(path, detail): return "cannot read the model \(path): \(detail)"
        case let .corrupt(path, detail): return "corrupt model file \(path): \(detail)"
        }
    }
}
