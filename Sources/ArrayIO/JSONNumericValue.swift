import LinearAlgebra

/// A numeric command-line value: a number, a list of numbers, or a list of equal-length rows.
///
/// This is what ``MatrixSource/load(_:requireFinite:)`` returns, so that a caller can accept a
/// scalar where a matrix is allowed (isotropic diffusion `D = s·I`) and report a 1-D list
/// precisely instead of guessing whether it is a row or a column.
public enum JSONNumericValue: Equatable, Sendable {
    /// A bare number (`0.5`), or a rank-0 `.npy` array.
    case scalar(Double)
    /// A flat list (`[1, 2]`), or a rank-1 `.npy` array.
    case vector([Double])
    /// A list of rows (`[[-1, 2], [-2, -1]]`), or a rank-2 `.npy` array.
    case matrix(Matrix)

    /// The value of a rank-0, 1 or 2 array.
    /// - Throws: ``ArrayIOError/wrongRank(expected:shape:)`` for rank 3 and above.
    public init(_ array: NPYArray) throws {
        switch array.rank {
        case 0: self = .scalar(array.values[0])
        case 1: self = .vector(array.values)
        case 2: self = .matrix(try array.toMatrix())
        default:
            throw ArrayIOError.wrongRank(expected: "a scalar, vector or matrix (rank ≤ 2)", shape: array.shape)
        }
    }

    /// The value as an n-dimensional array (rank 0, 1 or 2).
    public var array: NPYArray {
        switch self {
        case let .scalar(x): return NPYArray(scalar: x)
        case let .vector(v): return NPYArray(vector: v)
        case let .matrix(m): return NPYArray(m)
        }
    }

    /// The array shape: `[]`, `[n]` or `[rows, columns]`.
    public var shape: [Int] {
        switch self {
        case .scalar: return []
        case let .vector(v): return [v.count]
        case let .matrix(m): return [m.rows, m.columns]
        }
    }

    /// `true` when no entry is NaN or ±Infinity.
    public var isFinite: Bool {
        switch self {
        case let .scalar(x): return x.isFinite
        case let .vector(v): return v.allSatisfy { $0.isFinite }
        case let .matrix(m): return m.isFinite
        }
    }

    /// Throws unless every entry is finite.
    /// - Parameter source: what the value is (an option name, a path), for the message.
    /// - Throws: ``ArrayIOError/nonFinite(detail:)`` naming `source` (when given) and the first
    ///   bad entry, e.g. "entry [0][1] is NaN".
    public func requireFinite(_ source: String? = nil) throws {
        let values = array.values
        guard let k = values.firstIndex(where: { !$0.isFinite }) else { return }
        let place: String
        switch self {
        case .scalar: place = "the value"
        case .vector: place = "entry [\(k)]"
        case let .matrix(m): place = "entry [\(k / m.columns)][\(k % m.columns)]"
        }
        let prefix = source.map { "\($0): " } ?? ""
        throw ArrayIOError.nonFinite(detail: "\(prefix)\(place) is \(JSONMatrix.format(values[k]))")
    }
}
