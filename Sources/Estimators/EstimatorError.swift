#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Everything that can go wrong in a blind estimate or while reading trajectories, as a value.
///
/// No estimator traps on user input: bad sizes, bounds, time steps, files and degenerate samples throw
/// one of these cases. `description` is one readable line, fit for a command-line error message.
public enum EstimatorError: Error, Equatable, Sendable, CustomStringConvertible {
    /// An argument outside its documented domain (bins < 3, empty bounds, blocks < 2, …).
    case invalidArgument(String)
    /// Δt must be finite and > 0.
    case nonPositiveTimeStep(Double)
    /// The grid method is only practical for d ≤ 3 (n_b^d bins).
    case dimensionTooHigh(dimension: Int, maximum: Int, method: String)
    /// n_b^d bins exceed the configured budget.
    case binBudgetExceeded(bins: Int, budget: Int)
    /// A segment or file whose dimension differs from the estimator's.
    case dimensionMismatch(expected: Int, found: Int)
    /// No sample fell inside the grid.
    case emptyGrid
    /// No bin reached `minimumCount` samples.
    case tooFewSamplesPerBin(minimumCount: Int, maximumCount: Int)
    /// Bins reached `minimumCount` samples, but none has valid neighbours on both sides along every
    /// axis, which the central-difference score needs.
    case noBinWithValidNeighbours(validBins: Int, minimumCount: Int)
    /// Not enough transition pairs for the requested estimate.
    case tooFewSamples(needed: Int, found: Int)
    /// A moment matrix is singular (e.g. a basis function that is constant on the samples).
    case singularMoments(String)
    /// The estimated diffusion matrix D̂ is not positive definite, or its condition number exceeds
    /// ``DiffusionEstimate/maximumCondition`` (e.g. a coordinate that is constant, or a fixed linear
    /// combination of the others): no entropy production can be computed from it.
    case degenerateDiffusion(String)
    /// The feature count of the TUR estimator exceeds its budget.
    case featureBudgetExceeded(features: Int, budget: Int)
    /// A rollout/pair index outside the declared ``SampleLayout``.
    case layoutMismatch(String)
    /// Two accumulators built with different settings.
    case incompatibleAccumulators
    /// A trajectory array of the wrong rank or shape.
    case invalidShape([Int], String)
    /// ±Infinity (or another non-finite value that is not a NaN separator).
    case nonFinite(String)
    /// A malformed CSV line (1-based).
    case malformedCSV(line: Int, detail: String)
    /// A file that could not be read or has an unsupported extension.
    case unreadableFile(path: String, detail: String)
    /// Trajectories that carry no dynamics: rollouts that are constant or end in all-zero states
    /// (an unfinished, zero-padded file), or a coordinate that never changes within a rollout.
    case degenerateData(String)
    /// A coordinate column that looks like a time or step counter: named `t`, `time` or `step`
    /// (`byName`), or strictly monotone within every rollout. `column` is its name in quotes or
    /// its index.
    case timeLikeCoordinate(column: String, byName: Bool, detail: String)
    /// An error saved in a partial state (``EntropyProductionState``), with its message as first printed.
    case recorded(String)
    /// Saved partial states that cannot be merged or read (another format or version, other settings, overlapping
    /// or missing parts, a damaged file); the message names the file or files.
    case invalidState(String)

    public var description: String {
        switch self {
        case let .invalidArgument(s): return "invalid argument: \(s)"
        case let .nonPositiveTimeStep(dt): return "the time step must be finite and > 0 (got \(dt))"
        case let .dimensionTooHigh(d, m, method):
            return "the \(method) estimator needs d ≤ \(m) (got d = \(d)); use a grid-free method (basis, tur)"
        case let .binBudgetExceeded(bins, budget):
            return "the grid has \(bins) bins, more than the budget of \(budget)"
        case let .dimensionMismatch(e, f): return "dimension mismatch: expected d = \(e), found d = \(f)"
        case .emptyGrid: return "empty grid: no sample fell inside the grid bounds"
        case let .tooFewSamplesPerBin(m, c):
            return "too few samples per bin: no usable bin has ≥ \(m) samples (fullest bin: \(c)); use fewer bins or more data"
        case let .noBinWithValidNeighbours(v, m):
            return "no usable bin: \(v) bins have ≥ \(m) samples, but none has such a neighbour on both sides along every axis "
                + "(needed for the density gradient); use fewer bins, a smaller --min-count or more data"
        case let .tooFewSamples(n, f): return "too few samples: need at least \(n) transition pairs, found \(f)"
        case let .singularMoments(s): return "singular moment matrix: \(s)"
        case let .degenerateDiffusion(s): return "degenerate diffusion estimate: \(s)"
        case let .featureBudgetExceeded(f, b): return "\(f) TUR features exceed the budget of \(b)"
        case let .layoutMismatch(s): return "sample layout mismatch: \(s)"
        case .incompatibleAccumulators: return "cannot merge accumulators built with different settings"
        case let .invalidShape(shape, s): return "wrong trajectory shape \(shape): \(s)"
        case let .nonFinite(s): return "non-finite value: \(s)"
        case let .malformedCSV(line, s): return "malformed CSV at line \(line): \(s)"
        case let .unreadableFile(path, s): return "cannot read \(path): \(s)"
        case let .degenerateData(s): return "degenerate trajectories: \(s)"
        case let .timeLikeCoordinate(column, _, s):
            return "column \(column) \(s): it looks like a time or step counter, not a coordinate"
        case let .recorded(s): return s
        case let .invalidState(s): return s
        }
    }
}

/// Throws unless `dt` is finite and positive.
func requirePositiveTimeStep(_ dt: Double) throws {
    guard dt.isFinite, dt > 0 else { throw EstimatorError.nonPositiveTimeStep(dt) }
}

extension EstimatorError: LocalizedError {
    /// The one-line ``description``, so that `localizedDescription` reads the message, not
    /// "The operation could not be completed".
    public var errorDescription: String? { description }
}
