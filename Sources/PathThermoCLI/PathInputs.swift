import ArrayIO
import Foundation
import LinearAlgebra
import PathSpace
import ResourceLimits

/// The inputs of the path-space commands that are not matrices: a point (`--x0`, `--x1`) and a path (`--path`).
enum PathInputs {
    /// A point of ℝᵈ: a JSON literal (`'[1,0]'`), a `.npy` or `.json` file (the rules of ``MatrixOption``), or for
    /// d = 1 a bare number. Finite entries, exactly d of them.
    static func point(_ argument: String, option: String, dimension d: Int) throws -> [Double] {
        let values: [Double]
        switch try MatrixOption.load(argument, option: option) {
        case .vector(let v): values = v
        case .scalar(let s):
            guard d == 1 else { throw CLIError("\(option): expected a list of \(d) numbers (d = \(d)), got a scalar") }
            values = [s]
        case .matrix(let m):
            throw CLIError("\(option): expected a list of \(d) numbers (d = \(d)), got a \(m.rows) × \(m.columns) matrix")
        }
        guard values.count == d else {
            throw CLIError("\(option): expected \(d) numbers (the drift has d = \(d)), got \(values.count)")
        }
        guard values.allSatisfy(\.isFinite) else { throw CLIError("\(option): entries must be finite, got \(values)") }
        return values
    }

    /// A path of shape (n + 1, d), float64 or float32 `.npy` (or a JSON literal or `.json` file of n + 1 rows), on
    /// the grid of time step `timeStep`. Its size is checked against `--max-memory` before it is read; a
    /// (rollouts, steps, d) array is refused with a hint, a path of another d with one line.
    static func path(_ argument: String, dimension d: Int, timeStep: Double, resources: ResourceOptions) throws -> DiscretePath {
        let option = "--path"
        try resources.checkInput(argument, option: option)
        let shape: [Int], rowMajor: [Double]
        if argument.lowercased().hasSuffix(".npy"), FileManager.default.fileExists(atPath: argument) {
            let array: NPYArray
            do { array = try NPY.read(contentsOf: argument) } catch { throw CLIError("\(option): \(error)") }
            shape = array.shape
            rowMajor = array.values
        } else {
            switch try MatrixOption.load(argument, option: option) {
            case .matrix(let m): (shape, rowMajor) = ([m.rows, m.columns], m.transposed.storage)
            case .vector(let v): (shape, rowMajor) = ([v.count], v)
            case .scalar: (shape, rowMajor) = ([], [])
            }
        }
        let columns: Int
        switch shape.count {
        case 2: columns = shape[1]
        case 1 where d == 1: columns = 1
        case 3:
            throw CLIError("\(option): a stack of paths of shape \(shapeText(shape)); the action takes one path, "
                           + "shape (n + 1, d): save one, e.g. numpy.save('path.npy', a[0])")
        default:
            throw CLIError("\(option): expected an array of shape (n + 1, d = \(d)), got shape \(shapeText(shape))")
        }
        guard columns == d else {
            throw CLIError("\(option): the path has d = \(columns) columns, the drift has d = \(d)")
        }
        do { return try DiscretePath(points: rowMajor, dimension: d, timeStep: timeStep) } catch {
            throw CLIError("\(option): \(error)")
        }
    }

    /// Checks that an (n + 1, d) float64 `.npy` at `out` fits the free space of its file system, before the
    /// computation runs.
    static func checkOut(_ out: String?, command: String, states: Int, dimension d: Int) throws {
        guard let out else { return }
        let plan = AllocationPlan("\(command) --out").adding(.init(states, "states"), .init(d, "d"), .init(8, "bytes"))
        do { try DiskSpace.check(plan, path: out) } catch { throw CLIError("\(error)") }
    }

    /// Writes `path` to `out` as an (n + 1, d) float64 `.npy`, atomically (a temporary file renamed over `out`,
    /// so an error leaves `out` as it was).
    static func write(_ path: DiscretePath, to out: String) throws {
        guard path.points.allSatisfy(\.isFinite) else { throw CLIError("non-finite value: the path has NaN or infinite states; --out not written") }
        do { try NPY.write(NPYArray(shape: [path.steps + 1, path.dimension], values: path.points), to: out) } catch {
            throw CLIError("--out: \(error)")
        }
    }

    /// `(4, 400, 2)`, as NumPy writes a shape.
    static func shapeText(_ shape: [Int]) -> String {
        "(" + shape.map(String.init).joined(separator: ", ") + (shape.count == 1 ? ",)" : ")")
    }
}
