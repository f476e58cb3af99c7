import ArrayIO
import Foundation

/// The line-by-line reading of a trajectory CSV (``TrajectoryFile``'s documentation gives the format): the header or
/// column plan, rollout ids, the coordinate values of each data row and the time-column checks, with errors naming
/// the line. ``TrajectoryFile/parseCSV(_:options:)`` feeds it the lines of a string, ``TrajectoryFile/loadCSV(path:options:)``
/// the lines of a mapped file (``lines(of:_:)``): the same lines, so the same data and the same errors.
struct CSVTrajectoryParser {
    let options: TrajectoryFile.Options
    var plan: CSVColumnPlan?
    var sawData = false
    var currentID: String?
    /// The rollout ids in order of appearance (with a rollout column).
    var ids: [String] = []
    var seenIDs = Set<String>()
    var previousTime: (value: Double, finiteRow: Bool)?
    var lineNumber = 0
    var values: [Double] = []

    init(options: TrajectoryFile.Options) { self.options = options }

    /// Reads one line (without its line break): a comment, a blank line, the header, or a data row, whose coordinates
    /// go to `row`; `endRollout` is called before the first row of a new rollout id (not before the first rollout).
    mutating func parse<S: StringProtocol>(_ line: S, endRollout: () throws -> Void, row: (UnsafeBufferPointer<Double>) throws -> Void) throws {
        lineNumber += 1
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        if trimmed.isEmpty || trimmed.hasPrefix("#") { return }
        let fields = trimmed.split(separator: ",", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: .whitespaces) }
        if plan == nil {
            if fields.allSatisfy({ CSVNumber.parse($0) != nil }) {
                plan = try CSVColumnPlan(headerless: fields.count, options: options, line: lineNumber)
            } else {
                plan = try CSVColumnPlan(header: fields, options: options, line: lineNumber)
                return
            }
        }
        guard let plan else { return }
        guard fields.count == plan.fieldCount else {
            throw EstimatorError.malformedCSV(line: lineNumber, detail: "\(fields.count) fields, expected \(plan.fieldCount)")
        }
        sawData = true
        if let rc = plan.rollout {
            let id = fields[rc]
            guard !id.isEmpty else { throw EstimatorError.malformedCSV(line: lineNumber, detail: "empty rollout id") }
            if id != currentID {
                guard seenIDs.insert(id).inserted else {
                    throw EstimatorError.malformedCSV(
                        line: lineNumber, detail: "rows of rollout '\(PrintableText.clipped(id, limit: 40))' are not contiguous")
                }
                if currentID != nil { try endRollout() }
                currentID = id
                ids.append(id)
                previousTime = nil
            }
        }
        values.removeAll(keepingCapacity: true)
        for c in plan.coordinates {
            guard let v = CSVNumber.parse(fields[c]) else {
                throw EstimatorError.malformedCSV(
                    line: lineNumber, detail: "\(plan.label(c)): '\(PrintableText.clipped(fields[c], limit: 40))' is not a number")
            }
            if v.isInfinite {
                throw EstimatorError.nonFinite("line \(lineNumber), \(plan.label(c)) holds "
                    + "\(PrintableText.clipped(fields[c], limit: 40)) (only NaN rows may separate segments)")
            }
            values.append(v)
        }
        if let tc = plan.time {
            let finiteRow = !values.contains { $0.isNaN }
            previousTime = try TrajectoryFile.checkTime(fields[tc], label: plan.label(tc), line: lineNumber, finiteRow: finiteRow,
                                                        previous: previousTime, timeStep: options.timeStep)
        }
        try values.withUnsafeBufferPointer { try row($0) }
    }

    /// The column plan once every line is read; throws when the file held no data row.
    func finish() throws -> CSVColumnPlan {
        guard sawData, let plan else { throw EstimatorError.malformedCSV(line: lineNumber, detail: "no data rows") }
        return plan
    }

    /// Hands `body` the lines of a mapped text file as ``TrajectoryFile/parseCSV(_:options:)`` splits a string (at
    /// every line break, "\r\n" counting as one), decoding one piece between '\n' bytes at a time and releasing the
    /// pages of large files once read.
    static func lines(of file: MappedFile, _ body: (Substring) throws -> Void) throws {
        let bytes = file.bytes
        guard let base = bytes.baseAddress else { return try body("") }
        var start = 0, released = 0
        let releaseStep = 1 << 26
        while true {
            let rest = bytes.count - start
            let hit = rest > 0 ? memchr(base + start, Int32(UInt8(ascii: "\n")), rest) : nil
            let end = hit.map { UnsafeRawPointer($0) - base } ?? bytes.count
            // A "\r" before the '\n' is part of the break ("\r\n" is one line break to the string split).
            var stop = end
            if hit != nil, stop > start, bytes[stop - 1] == UInt8(ascii: "\r") { stop -= 1 }
            let piece = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<stop]), as: UTF8.self)
            for line in piece.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) { try body(line) }
            guard hit != nil else { break }
            start = end + 1
            if bytes.count > releaseStep, start - released >= releaseStep {
                file.release(released..<start)
                released = start
            }
        }
    }
}
