/// Errors of the experiment drivers: bad configuration, or an output that cannot be written.
/// Failures of the models and estimators they run propagate with their own types.
public enum ExperimentError: Error, Equatable, Sendable, CustomStringConvertible {
    case invalidConfiguration(String)
    case outputFailed(path: String, detail: String)

    public var description: String {
        switch self {
        case let .invalidConfiguration(detail): return "invalid experiment configuration: \(detail)"
        case let .outputFailed(path, detail): return "cannot write \(path): \(detail)"
        }
    }
}
