import ArrayIO
import Foundation

/// Reading trajectories from files (estimators spec §6).
///
/// - **`.npy`**: shape (B, T, d) — B rollouts of T states — or (T, d) — one rollout; `<f8` or `<f4`
///   (anything ``NPY`` reads: big-endian, i4/i8 too), C or Fortran order.
/// - **`.csv`** (or `.txt`): one row per time step, one column per coordinate, comma-separated. If the
///   first non-comment line has a field that is not a number it is a header; a header column named
///   `rollout` (case-insensitive; also `rollout_id`) holds the rollout id: consecutive rows with the
///   same id form one rollout, and an id may not reappear after another id. Without such a column
///   the file is one rollout. Lines starting with `#` and blank lines are skipped. `nan`/`NaN` fields
///   make a NaN row, which splits the rollout.
///
/// NaN rows split rollouts into segments, never averaged in; ±Inf is an error.
public enum TrajectoryFile {
    /// Loads `.npy` or `.csv` by extension.
    public static func load(path: String) throws -> TrajectoryData {
        let lower = path.lowercased()
        if lower.hasSuffix(".npy") { return try loadNPY(path: path) }
        if lower.hasSuffix(".csv") || lower.hasSuffix(".txt") { return try loadCSV(path: path) }
        throw EstimatorError.unreadableFile(path: path, detail: "unsupported extension (expected .npy or .csv)")
    }

    /// (B, T, d) or (T, d) `.npy`.
    public static func loadNPY(path: String) throws -> TrajectoryData {
        let array = try NPY.read(contentsOf: path)
        return try data(from: array)
    }

    /// Trajectories from a decoded array of shape (B, T, d) or (T, d).
    public static func data(from array: NPYArray) throws -> TrajectoryData {
        let shape = array.shape
        let b: Int, t: Int, d: Int
        switch shape.count {
        case 2: (b, t, d) = (1, shape[0], shape[1])
        case 3: (b, t, d) = (shape[0], shape[1], shape[2])
        default: throw EstimatorError.wrongShape(shape, "expected (rollouts, steps, d) or (steps, d)")
        }
        guard d >= 1, b >= 1 else { throw EstimatorError.wrongShape(shape, "empty dimension or no rollouts") }
        guard t >= 2 else { throw EstimatorError.wrongShape(shape, "each rollout needs ≥ 2 states") }
        var builder = TrajectoryData.Builder(dimension: d)
        try array.values.withUnsafeBufferPointer { all in
            for r in 0..<b {
                try builder.add(rollout: r, states: UnsafeBufferPointer(rebasing: all[(r * t * d)..<((r + 1) * t * d)]))
            }
        }
        return try builder.finish(rollouts: b)
    }

    /// CSV, see the type's documentation.
    public static func loadCSV(path: String) throws -> TrajectoryData {
        guard FileManager.default.fileExists(atPath: path) else {
            throw EstimatorError.unreadableFile(path: path, detail: "file not found")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw EstimatorError.unreadableFile(path: path, detail: "not readable")
        }
        return try parseCSV(String(decoding: data, as: UTF8.self))
    }

    /// Parses CSV text.
    public static func parseCSV(_ text: String) throws -> TrajectoryData {
        var rolloutColumn: Int? = nil
        var columns: Int? = nil
        var sawData = false
        var rows: [[Double]] = []        // per rollout, row-major
        var current: [Double] = []
        var currentID: String? = nil
        var seenIDs = Set<String>()
        var lineNumber = 0
        for line in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            lineNumber += 1
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            let fields = trimmed.split(separator: ",", omittingEmptySubsequences: false)
                .map { $0.trimmingCharacters(in: .whitespaces) }
            if columns == nil {
                columns = fields.count
                let numeric = fields.allSatisfy { Double($0) != nil }
                if !numeric {
                    // Header.
                    let names = fields.map { $0.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "\"'")) }
                    let ids = names.indices.filter { names[$0] == "rollout" || names[$0] == "rollout_id" }
                    guard ids.count <= 1 else { throw EstimatorError.malformedCSV(line: lineNumber, detail: "more than one rollout column") }
                    rolloutColumn = ids.first
                    guard fields.count - (rolloutColumn == nil ? 0 : 1) >= 1 else {
                        throw EstimatorError.malformedCSV(line: lineNumber, detail: "no coordinate columns")
                    }
                    continue
                }
            }
            guard fields.count == columns else {
                throw EstimatorError.malformedCSV(line: lineNumber, detail: "\(fields.count) fields, expected \(columns!)")
            }
            sawData = true
            var id: String? = nil
            for (c, field) in fields.enumerated() {
                if c == rolloutColumn { id = field; continue }
                guard let v = Double(field) else {
                    throw EstimatorError.malformedCSV(line: lineNumber, detail: "'\(field)' is not a number")
                }
                if v.isInfinite {
                    throw EstimatorError.nonFiniteValue("line \(lineNumber) holds \(field) (only NaN rows may separate segments)")
                }
                current.append(v)
            }
            if rolloutColumn != nil {
                let newID = id!
                guard !newID.isEmpty else { throw EstimatorError.malformedCSV(line: lineNumber, detail: "empty rollout id") }
                if newID != currentID {
                    // The row just appended belongs to the new rollout.
                    let dcount = columns! - 1
                    let row = Array(current.suffix(dcount))
                    current.removeLast(dcount)
                    if currentID != nil { rows.append(current) }
                    guard seenIDs.insert(newID).inserted else {
                        throw EstimatorError.malformedCSV(line: lineNumber, detail: "rows of rollout '\(newID)' are not contiguous")
                    }
                    current = row
                    currentID = newID
                }
            }
        }
        guard sawData, let columns else { throw EstimatorError.malformedCSV(line: lineNumber, detail: "no data rows") }
        rows.append(current)
        let d = columns - (rolloutColumn == nil ? 0 : 1)
        return try TrajectoryData(dimension: d, rollouts: rows)
    }
}
