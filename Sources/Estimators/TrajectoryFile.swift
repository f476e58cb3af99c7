import ArrayIO
import Foundation

/// Reading trajectories from files (docs/theory/estimators.md §6).
///
/// - **`.npy`**: shape (B, T, d) — B rollouts of T states — or (T, d) — one rollout; `<f8` or `<f4`
///   (anything ``NPY`` reads: big-endian, i4/i8 too), C or Fortran order. Every column is a
///   coordinate: an array has no names, so extra columns cannot be chosen away here.
/// - **`.csv`** (or `.txt`): one row per time step, comma-separated. If the first non-comment line
///   has a field that is not a number it is a header. The rollout ids are in the column
///   ``Options/rolloutColumn`` names, else in a column named `rollout` or `rollout_id`
///   (case-insensitive): consecutive rows with the same id form one rollout, and an id may not
///   reappear after another id. Without such a column the file is one rollout. An
///   ``Options/timeColumn`` is checked (increasing within each rollout, steps of
///   ``Options/timeStep``) and dropped. The coordinates are the ``Options/columns`` by name, in that
///   order, else every other column. Lines starting with `#` and blank lines are skipped. Each
///   coordinate field must be a whole number in decimal notation or `nan`/`inf` (``CSVNumber``):
///   anything else is an error naming the line and the column. `nan` fields make a NaN row,
///   which splits the rollout.
///
/// NaN rows split rollouts into segments, never averaged in; ±Inf is an error. Then, on both
/// formats:
/// - without ``Options/columns``, a CSV coordinate named `t`, `time` or `step` is refused, and
///   (unless ``Options/allowMonotone``) so is a coordinate strictly monotone along every rollout
///   (``TrajectoryData/monotoneCoordinates()``): taken as a state, a time column gives a rate of order 1/(D̂Δt²);
/// - rollouts that are constant or end in all-zero states (an unfinished, zero-padded file) and
///   coordinates that never move are refused (``TrajectoryData/checkNotDegenerate(coordinateNames:rolloutNames:)``).
public enum TrajectoryFile {
    /// Loads `.npy` or `.csv` by extension.
    public static func load(path: String, options: Options = Options()) throws -> TrajectoryData {
        let lower = path.lowercased()
        if lower.hasSuffix(".npy") { return try loadNPY(path: path, options: options) }
        if lower.hasSuffix(".csv") || lower.hasSuffix(".txt") { return try loadCSV(path: path, options: options) }
        throw EstimatorError.unreadableFile(path: PrintableText.clipped(path),
                                            detail: "unsupported extension (expected .npy or .csv)")
    }

    /// (B, T, d) or (T, d) `.npy`.
    ///
    /// A little-endian float64 file in C order (NumPy's default) is memory-mapped and read in place
    /// (``NPY/map(path:)``): no copy of the file is made, and a file larger than 64 MiB keeps only the segments being
    /// read resident (their pages are released after each pass), so its size is not bounded by memory. A little-endian
    /// float32 file, a float64 one in Fortran order, or one of any other dtype (integers, booleans, float16, big-endian)
    /// is mapped too and converted one rollout at a time into a scratch file of float64 in C order (``ScratchValues``,
    /// beside the input), which is then read in place the same way. What cannot be mapped (a pipe, a damaged file) is
    /// read and converted as a whole (``NPY/read(contentsOf:)``).
    /// Same checks, errors and estimates, bit for bit, every way.
    public static func loadNPY(path: String, options: Options = Options()) throws -> TrajectoryData {
        // Anything the map cannot take (another dtype, a pipe, a damaged file) goes to the decoder, which reports a
        // damaged file with its own messages.
        guard let mapping = try? NPY.map(path: path), mapping.doubles != nil || mapping.floatItems != nil else {
            return try data(from: try NPY.read(contentsOf: path), options: options)
        }
        let (shape, rolloutStride) = try rollouts(of: mapping.shape, options: options)
        if let items = mapping.doubles {
            return try inPlace(items, shape: shape, rolloutStride: rolloutStride, options: options,
                               storage: .mapped(mapping.file, items))
        }
        let converted = try convert(mapping, shape: shape, near: path)
        return try inPlace(converted.values, shape: shape, rolloutStride: rolloutStride, options: options,
                           storage: .mapped(converted.file, converted.values))
    }

    /// The items of `mapping` (float32, float64 in Fortran order, any other dtype) as float64 in C order of `shape` (B, T, d),
    /// written one rollout at a time to a scratch file and mapped; the source pages are released as they are read.
    static func convert(_ mapping: NPYMapping, shape: [Int], near path: String) throws
        -> (file: MappedFile, values: UnsafeBufferPointer<Double>) {
        let (b, t, d) = (shape[0], shape[1], shape[2])
        try checkExtents(shape, rollouts: b, steps: t, dimension: d)
        // Element strides of rollout, step and coordinate: C order (B, T, d) or Fortran order (column-major).
        let (rolloutStride, stepStride, coordinateStride) = mapping.fortranOrder ? (1, b, b * t) : (t * d, d, 1)
        let scratch: ScratchValues
        do { scratch = try ScratchValues(near: path) } catch {
            throw EstimatorError.unreadableFile(path: PrintableText.clipped(path), detail: "\(error)")
        }
        var row = [Double](repeating: 0, count: t * d)
        let itemSize = mapping.floatItems?.itemSize ?? 8
        for r in 0..<b {
            row.withUnsafeMutableBufferPointer { out in
                switch mapping.floatItems {
                case .float32(let items):
                    gather(items.baseAddress! + r * rolloutStride, steps: t, dimension: d, stepStride: stepStride,
                           coordinateStride: coordinateStride, into: out.baseAddress!)
                case .float64(let items):
                    gather(items.baseAddress! + r * rolloutStride, steps: t, dimension: d, stepStride: stepStride,
                           coordinateStride: coordinateStride, into: out.baseAddress!)
                case .decoded(let items):
                    for s in 0..<t {
                        for j in 0..<d {
                            out[s * d + j] = items.value(at: r * rolloutStride + s * stepStride + j * coordinateStride)
                        }
                    }
                case nil: break
                }
            }
            do { try row.withUnsafeBufferPointer { try scratch.append($0) } } catch {
                throw EstimatorError.unreadableFile(path: PrintableText.clipped(path), detail: "\(error)")
            }
            // C order: this rollout's bytes are read; release them (Fortran order reads across the file each time).
            if !mapping.fortranOrder {
                let first = mapping.dataOffset + r * rolloutStride * itemSize
                if mapping.file.bytes.count > TrajectoryData.Storage.releaseThreshold {
                    mapping.file.release(first..<(first + rolloutStride * itemSize))
                }
            }
        }
        return try scratch.map()
    }

    /// The (B, T, d) of a `.npy` array of shape (B, T, d) or (T, d), and its rollout stride T·d.
    /// - Throws: ``EstimatorError/invalidArgument(_:)`` when `options` name CSV columns,
    ///   ``EstimatorError/invalidShape(_:_:)`` for another rank.
    static func rollouts(of shape: [Int], options: Options) throws -> (shape: [Int], rolloutStride: Int) {
        guard !options.namesColumns else {
            throw EstimatorError.invalidArgument("columns are chosen by name only in a CSV file with a header (a .npy has no column names)")
        }
        switch shape.count {
        case 2: return ([1, shape[0], shape[1]], shape[0] * shape[1])
        case 3: return (shape, shape[1] * shape[2])
        default: throw EstimatorError.invalidShape(shape, "expected (rollouts, steps, d) or (steps, d)")
        }
    }

    /// Trajectories from a decoded array of shape (B, T, d) or (T, d), checked as the type's
    /// documentation says.
    /// - Throws: ``EstimatorError/invalidArgument(_:)`` when `options` name CSV columns.
    public static func data(from array: NPYArray, options: Options = Options()) throws -> TrajectoryData {
        let (shape, rolloutStride) = try rollouts(of: array.shape, options: options)
        // The segments index the array's own values (shared copy-on-write, NaN rows left in place): no copy of the
        // states, so a loaded file costs its size once, not twice.
        return try array.values.withUnsafeBufferPointer { all in
            try inPlace(all, shape: shape, rolloutStride: rolloutStride, options: options, storage: .owned(array.values))
        }
    }

    /// CSV, see the type's documentation, read in one streaming pass: the file is mapped and parsed line by line, and
    /// the coordinate values go to a scratch file (``ScratchValues``, beside the input) that is then mapped and read in
    /// place, as a mapped `.npy` is. Memory stays bounded by a buffer and the pages being read, not by the file; the
    /// data (segments, checks, errors with their line numbers) and so every estimate equal ``parseCSV(_:options:)``'s
    /// on the file's text, bit for bit.
    public static func loadCSV(path: String, options: Options = Options()) throws -> TrajectoryData {
        let shown = PrintableText.clipped(path)
        guard FileManager.default.fileExists(atPath: path) else {
            throw EstimatorError.unreadableFile(path: shown, detail: "no such file")
        }
        let file: MappedFile
        do { file = try MappedFile(path: path) } catch {
            throw EstimatorError.unreadableFile(path: shown, detail: "not readable")
        }
        let scratch: ScratchValues
        do { scratch = try ScratchValues(near: path) } catch { throw EstimatorError.unreadableFile(path: shown, detail: "\(error)") }
        var parser = CSVTrajectoryParser(options: options)
        var rollouts: [(position: Int, states: Int)] = []
        var start = 0
        func endRollout() { rollouts.append((start, scratch.count - start)) }
        try CSVTrajectoryParser.lines(of: file) { line in
            try parser.parse(line, endRollout: {
                endRollout()
                start = scratch.count
            }, row: { values in
                do { try scratch.append(values) } catch { throw EstimatorError.unreadableFile(path: shown, detail: "\(error)") }
            })
        }
        let plan = try parser.finish()
        endRollout()
        let (mapped, values) = try scratch.map()
        let d = plan.coordinates.count
        guard d >= 1 else { throw EstimatorError.invalidShape([d], "the dimension must be ≥ 1") }
        var builder = TrajectoryData.Builder(dimension: d, borrowing: true)
        let storage = TrajectoryData.Storage.mapped(mapped, values)
        for (r, rollout) in rollouts.enumerated() {
            let states = UnsafeBufferPointer(rebasing: values[rollout.position..<(rollout.position + rollout.states)])
            try builder.add(rollout: r, states: states, at: rollout.position / d)
            storage.release(states: (rollout.position / d)..<((rollout.position + rollout.states) / d), dimension: d)
        }
        let data = try builder.finish(rollouts: rollouts.count, source: storage)
        try check(data, names: plan.coordinateNames, rolloutNames: plan.rollout == nil ? nil : parser.ids, options: options,
                  explicitColumns: options.columns != nil)
        return data
    }

    /// Parses CSV text, see the type's documentation.
    public static func parseCSV(_ text: String, options: Options = Options()) throws -> TrajectoryData {
        var parser = CSVTrajectoryParser(options: options)
        var rows: [[Double]] = []        // per rollout, row-major
        var current: [Double] = []
        for line in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            try parser.parse(line, endRollout: {
                rows.append(current)
                current = []
            }, row: { current.append(contentsOf: $0) })
        }
        let plan = try parser.finish()
        rows.append(current)
        let data = try TrajectoryData(dimension: plan.coordinates.count, rollouts: rows)
        try check(data, names: plan.coordinateNames, rolloutNames: plan.rollout == nil ? nil : parser.ids, options: options,
                  explicitColumns: options.columns != nil)
        return data
    }

    /// The time field of one row: a finite number (NaN allowed on a NaN row), greater than the
    /// rollout's previous time, and — between two finite rows — `timeStep` after it within
    /// ``Options/timeStepTolerance``. Returns the new "previous time".
    static func checkTime(_ field: String, label: String, line: Int, finiteRow: Bool,
                          previous: (value: Double, finiteRow: Bool)?, timeStep: Double?) throws -> (value: Double, finiteRow: Bool)? {
        guard let t = CSVNumber.parse(field) else {
            throw EstimatorError.malformedCSV(line: line, detail: "\(label): '\(PrintableText.clipped(field, limit: 40))' is not a number")
        }
        if t.isNaN && !finiteRow { return previous.map { ($0.value, false) } }
        guard t.isFinite else { throw EstimatorError.malformedCSV(line: line, detail: "\(label): the time \(field) is not finite") }
        guard let previous else { return (t, finiteRow) }
        guard t > previous.value else {
            throw EstimatorError.malformedCSV(line: line, detail: "\(label): the time \(t) does not increase (previous \(previous.value))")
        }
        if let timeStep, finiteRow, previous.finiteRow,
           abs((t - previous.value) - timeStep) > Options.timeStepTolerance * timeStep {
            throw EstimatorError.malformedCSV(
                line: line, detail: "\(label): time step \(t - previous.value) differs from Δt = \(timeStep) (relative tolerance \(Options.timeStepTolerance))")
        }
        return (t, finiteRow)
    }

    /// The degenerate-data and time-like-coordinate checks every loader runs.
    static func check(_ data: TrajectoryData, names: [String]?, rolloutNames: [String]?, options: Options,
                      explicitColumns: Bool) throws {
        try data.checkNotDegenerate(coordinateNames: names, rolloutNames: rolloutNames)
        guard !explicitColumns, !options.allowMonotone, let m = data.monotoneCoordinates().first else { return }
        throw EstimatorError.timeLikeCoordinate(
            column: names.map { "'\($0[m.coordinate])'" } ?? "\(m.coordinate)", byName: false,
            detail: "is strictly \(m.increasing ? "increasing" : "decreasing") along every rollout")
    }
}
