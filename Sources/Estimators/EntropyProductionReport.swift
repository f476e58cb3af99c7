/// The answer of ``TrajectoryData/estimateEntropyProduction(_:)``: one ``EntropyProductionEstimate`` per method
/// that gave one (the detail `seconds` is its fastest wall-clock time, accumulate + estimate, after loading), or
/// the ``EstimatorError`` for which it was skipped (only when every method that applies was asked for), in the
/// order the methods ran.
public struct EntropyProductionReport: Sendable {
    /// One method's outcome.
    public enum Outcome: Sendable {
        case estimate(EntropyProductionEstimate)
        case skipped(EstimatorError)
    }

    /// The state dimension d of the trajectories.
    public var dimension: Int
    /// Methods and outcomes, in the order they ran.
    public var results: [(method: EntropyProductionRequest.Method, outcome: Outcome)]

    /// Throws ``EntropyProductionFailure/noEstimate(_:)`` with every method's reason when every method was skipped.
    func requireAnEstimate() throws(EntropyProductionFailure) {
        let skipped = results.compactMap { r -> (method: EntropyProductionRequest.Method, error: EstimatorError)? in
            if case let .skipped(error) = r.outcome { (r.method, error) } else { nil }
        }
        if skipped.count == results.count { throw .noEstimate(skipped) }
    }

    /// The estimate of `method`, if it ran and gave one.
    public func estimate(_ method: EntropyProductionRequest.Method) -> EntropyProductionEstimate? {
        for r in results where r.method == method { if case let .estimate(e) = r.outcome { return e } }
        return nil
    }
}

/// Why ``TrajectoryData/estimateEntropyProduction(_:)`` gave no report.
public enum EntropyProductionFailure: Error, CustomStringConvertible {
    /// The request itself is invalid (``EntropyProductionRequest/validate()``).
    case invalidRequest(EstimatorError)
    /// `method` failed with `error` (an ``EstimatorError`` when a single method was asked for, or any other error,
    /// such as a ``ResourceLimits`` budget error, in either case).
    case methodFailed(method: EntropyProductionRequest.Method, error: any Error)
    /// Every method that applies was asked for and every one was skipped.
    case noEstimate([(method: EntropyProductionRequest.Method, error: EstimatorError)])

    /// One line: "grid: …", or "no method gave an estimate (grid: …; basis: …)".
    public var description: String {
        switch self {
        case let .invalidRequest(error): return "\(error)"
        case let .methodFailed(method, error): return "\(method.rawValue): \(error)"
        case let .noEstimate(skipped):
            return "no method gave an estimate (" + skipped.map { "\($0.method.rawValue): \($0.error)" }.joined(separator: "; ") + ")"
        }
    }
}
