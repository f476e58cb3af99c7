import ArrayIO
import LinearAlgebra

/// Loading of matrix-valued options: a path to an existing `.npy` or `.json` file (`./A.npy`,
/// `2x2_drift.npy`: whatever its first character), a JSON literal (`[[-1,2],[-2,-1]]`) or a scalar
/// (`0.5`, `.5`); anything else is "no such file: PATH" (rules in ``MatrixSource``). Errors name the
/// option: "--drift: no such file: ./B.npy".
enum MatrixOption {
    /// The option's value as a numeric value (scalar, vector or matrix).
    static func load(_ argument: String, option: String) throws -> JSONNumericValue {
        do {
            return try MatrixSource.load(argument)
        } catch {
            throw CLIError("\(option): \(error)")
        }
    }

    /// A non-empty matrix; a scalar, a vector or a matrix without entries (`[[]]`, shape (0, 0)) is rejected.
    static func matrix(_ argument: String, option: String) throws -> Matrix {
        switch try load(argument, option: option) {
        case .matrix(let m): return try nonEmpty(m, option: option)
        case .scalar: throw CLIError("\(option): expected a matrix, got a scalar")
        case .vector: throw CLIError("\(option): expected a matrix, got a 1-D list")
        }
    }

    /// A matrix, or a scalar `s` read as `s·I` of the given dimension.
    static func matrixOrIsotropic(_ argument: String, option: String, dimension: Int) throws -> Matrix {
        switch try load(argument, option: option) {
        case .matrix(let m): return try nonEmpty(m, option: option)
        case .scalar(let s):
            guard s.isFinite else { throw CLIError("\(option): scalar is not finite") }
            return s * Matrix.identity(dimension)
        case .vector: throw CLIError("\(option): expected a matrix or a scalar, got a 1-D list")
        }
    }

    /// `m`, unless it has no entries: a 0 × 0 model has nothing to measure, and an index of it would be a made-up 0.
    private static func nonEmpty(_ m: Matrix, option: String) throws -> Matrix {
        guard m.rows > 0, m.columns > 0 else { throw CLIError("\(option): matrix is empty (\(m.rows)×\(m.columns))") }
        return m
    }
}

/// A command-line error: its text is the whole one-line message.
struct CLIError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
