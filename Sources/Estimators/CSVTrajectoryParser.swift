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
    /// The fields' byte ranges of the row being read (``asciiRow(_:endRollout:row:)``), kept between rows.
    var fieldRanges: [Range<Int>] = []

    init(options: TrajectoryFile.Options) { self.options = options }

    /// Reads one line (without its line break): a comment, a blank line, the header, or a data row, whose coordinates
    /// go to `row`; `endRollout` is called before the first row of a new rollout id (not before the first rollout).
    mutating func parse<S: StringProtocol>(_ line: S, endRollout: () throws -> Void, row: (UnsafeBufferPointer<Double>) throws -> Void) throws {
        lineNumber += 1
        // A data row of plain ASCII, once the columns are known, is read from its bytes (no string per field); any
        // other line takes the general path below. Both give the same values, ids, checks and errors.
        if plan != nil, let done = try line.utf8.withContiguousStorageIfAvailable({ bytes in
            try asciiRow(bytes, endRollout: endRollout, row: row)
        }), done { return }
        let trimmed = Self.trimmed(Substring(line))
        if trimmed.isEmpty || trimmed.hasPrefix("#") { return }
        let fields = Self.fields(trimmed)
        if plan == nil {
            if fields.allSatisfy({ CSVNumber.parse($0) != nil }) {
                plan = try CSVColumnPlan(headerless: fields.count, options: options, line: lineNumber)
            } else {
                plan = try CSVColumnPlan(header: fields.map(String.init), options: options, line: lineNumber)
                return
            }
        }
        guard let plan else { return }
        try dataRow(plan, count: fields.count, text: { String(fields[$0]) }, number: { CSVNumber.parse(fields[$0]) },
                    endRollout: endRollout, row: row)
    }

    /// The fast path of ``parse(_:endRollout:row:)`` for a line of plain ASCII bytes once the column plan is known:
    /// blank and comment lines skipped, fields cut at ',' and trimmed of spaces and tabs (what ``trimmed(_:)`` and
    /// ``fields(_:)`` do to such a line), numbers read in place (``CSVNumber/parse(bytes:)``). Returns false, having
    /// done nothing, for a line with a non-ASCII byte.
    mutating func asciiRow(_ line: UnsafeBufferPointer<UInt8>, endRollout: () throws -> Void,
                           row: (UnsafeBufferPointer<Double>) throws -> Void) throws -> Bool {
        guard let plan, !line.contains(where: { $0 >= 0x80 }) else { return false }
        func blank(_ c: UInt8) -> Bool { c == 0x20 || c == 0x09 }
        func trim(_ r: Range<Int>) -> Range<Int> {
            var lower = r.lowerBound, upper = r.upperBound
            while lower < upper, blank(line[lower]) { lower += 1 }
            while upper > lower, blank(line[upper - 1]) { upper -= 1 }
            return lower..<upper
        }
        let whole = trim(0..<line.count)
        if whole.isEmpty || line[whole.lowerBound] == UInt8(ascii: "#") { return true }
        fieldRanges.removeAll(keepingCapacity: true)
        var start = whole.lowerBound
        for i in whole where line[i] == UInt8(ascii: ",") {
            fieldRanges.append(trim(start..<i))
            start = i + 1
        }
        fieldRanges.append(trim(start..<whole.upperBound))
        let ranges = fieldRanges
        try dataRow(plan, count: ranges.count,
                    text: { String(decoding: UnsafeBufferPointer(rebasing: line[ranges[$0]]), as: UTF8.self) },
                    number: { CSVNumber.parse(bytes: UnsafeBufferPointer(rebasing: line[ranges[$0]])) },
                    endRollout: endRollout, row: row)
        return true
    }

    /// The checks and values of a data row of `count` fields, field k being `text(k)` and read as a number by
    /// `number(k)`: the field count, the rollout id, each coordinate (a number, not ±∞), the time column; then `row`
    /// gets the coordinates.
    mutating func dataRow(_ plan: CSVColumnPlan, count: Int, text: (Int) -> String, number: (Int) -> Double?,
                          endRollout: () throws -> Void, row: (UnsafeBufferPointer<Double>) throws -> Void) throws {
        guard count == plan.fieldCount else {
            throw EstimatorError.malformedCSV(line: lineNumber, detail: "\(count) fields, expected \(plan.fieldCount)")
        }
        sawData = true
        if let rc = plan.rollout { try startRollout(text(rc), endRollout: endRollout) }
        values.removeAll(keepingCapacity: true)
        for c in plan.coordinates {
            guard let v = number(c) else {
                throw EstimatorError.malformedCSV(
                    line: lineNumber, detail: "\(plan.label(c)): '\(PrintableText.clipped(text(c), limit: 40))' is not a number")
            }
            if v.isInfinite {
                throw EstimatorError.nonFinite("line \(lineNumber), \(plan.label(c)) holds "
                    + "\(PrintableText.clipped(text(c), limit: 40)) (only NaN rows may separate segments)")
            }
            values.append(v)
        }
        if let tc = plan.time {
            let finiteRow = !values.contains { $0.isNaN }
            previousTime = try TrajectoryFile.checkTime(text(tc), label: plan.label(tc), line: lineNumber, finiteRow: finiteRow,
                                                        previous: previousTime, timeStep: options.timeStep)
        }
        try values.withUnsafeBufferPointer { try row($0) }
    }

    /// A data row's rollout id: a new id starts a rollout (after `endRollout` for the previous one); an id seen
    /// before, not on the previous row, is an error.
    mutating func startRollout(_ id: String, endRollout: () throws -> Void) throws {
        guard !id.isEmpty else { throw EstimatorError.malformedCSV(line: lineNumber, detail: "empty rollout id") }
        guard id != currentID else { return }
        guard seenIDs.insert(id).inserted else {
            throw EstimatorError.malformedCSV(
                line: lineNumber, detail: "rows of rollout '\(PrintableText.clipped(id, limit: 40))' are not contiguous")
        }
        if currentID != nil { try endRollout() }
        currentID = id
        ids.append(id)
        previousTime = nil
    }

    /// The comma-separated fields of a line, each trimmed (substrings of the line: no string is made per field): a
    /// plain ASCII line is cut at its ',' bytes (there a byte is a character), any other by characters, as before.
    static func fields(_ line: Substring) -> [Substring] {
        let u = line.utf8
        guard u.allSatisfy({ $0 < 0x80 }) else {
            return line.split(separator: ",", omittingEmptySubsequences: false).map { trimmed($0) }
        }
        var fields = [Substring](), start = u.startIndex, i = u.startIndex
        while i < u.endIndex {
            if u[i] == UInt8(ascii: ",") {
                fields.append(trimmed(line[start..<i]))
                start = u.index(after: i)
            }
            i = u.index(after: i)
        }
        fields.append(trimmed(line[start..<u.endIndex]))
        return fields
    }

    /// `text.trimmingCharacters(in: .whitespaces)`, without Foundation in the usual case: ASCII spaces and tabs (the
    /// ASCII members of that set) are dropped from both ends, and only when a remaining end is a non-ASCII byte
    /// (perhaps a Unicode space) does Foundation trim the original. Same result, several times faster per field.
    static func trimmed(_ text: Substring) -> Substring {
        let u = text.utf8
        var lower = u.startIndex, upper = u.endIndex
        func blank(_ c: UInt8) -> Bool { c == 0x20 || c == 0x09 }
        while lower < upper, blank(u[lower]) { lower = u.index(after: lower) }
        while upper > lower, blank(u[u.index(before: upper)]) { upper = u.index(before: upper) }
        if lower < upper, u[lower] >= 0x80 || u[u.index(before: upper)] >= 0x80 {
            return Substring(text.trimmingCharacters(in: .whitespaces))
        }
        return text[lower..<upper]
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
            let raw = UnsafeRawBufferPointer(rebasing: bytes[start..<stop])
            let piece = String(decoding: raw, as: UTF8.self)
            // A piece of plain ASCII without \v, \f or \r is one line; otherwise split it as the string parser does.
            if raw.allSatisfy({ $0 < 0x80 && ($0 < 0x0A || $0 > 0x0D) }) {
                try body(piece[...])
            } else {
                for line in piece.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) { try body(line) }
            }
            guard hit != nil else { break }
            start = end + 1
            if bytes.count > releaseStep, start - released >= releaseStep {
                file.release(released..<start)
                released = start
            }
        }
    }
}
