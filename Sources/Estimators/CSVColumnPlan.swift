import ArrayIO

/// Which CSV fields hold the rollout id, the time and the coordinates (in state order), resolved
/// from the header and ``TrajectoryFile/Options``.
struct CSVColumnPlan {
    /// Number of fields on every line.
    let fieldCount: Int
    /// Field indices of the coordinates, in state order.
    let coordinates: [Int]
    /// Field index of the rollout ids, if any.
    let rollout: Int?
    /// Field index of the time column, if any.
    let time: Int?
    /// Header names (unquoted), or `nil` without a header.
    let names: [String]?

    /// "column 3 ('y')" or "column 3", 1-based, for messages.
    func label(_ field: Int) -> String {
        guard let names else { return "column \(field + 1)" }
        return "column \(field + 1) ('\(PrintableText.clipped(names[field], limit: 40))')"
    }

    /// The names of the coordinates in state order ("column 2" without a header).
    var coordinateNames: [String] {
        coordinates.map { c in names.map { PrintableText.clipped($0[c], limit: 40) } ?? "column \(c + 1)" }
    }

    /// A file without a header: every field is a coordinate.
    /// - Throws: ``EstimatorError/malformedCSV(line:detail:)`` when options name columns.
    init(headerless fieldCount: Int, options: TrajectoryFile.Options, line: Int) throws {
        guard !options.namesColumns else {
            throw EstimatorError.malformedCSV(line: line, detail: "columns are chosen by name, but the file has no header line")
        }
        self.fieldCount = fieldCount
        coordinates = Array(0..<fieldCount)
        rollout = nil
        time = nil
        names = nil
    }

    /// A header line `fields` (on line `line`).
    /// - Throws: ``EstimatorError/malformedCSV(line:detail:)`` for a name that matches no column or
    ///   two, a column chosen twice, no coordinate left; ``EstimatorError/timeLikeCoordinate(column:byName:detail:)``
    ///   for a coordinate named `t`/`time`/`step` when ``TrajectoryFile/Options/columns`` is not set.
    init(header fields: [String], options: TrajectoryFile.Options, line: Int) throws {
        let names = fields.map { $0.trimmingCharacters(in: ["\"", "'"]).trimmingCharacters(in: .whitespaces) }
        let lower = names.map { $0.lowercased() }
        func index(of name: String, role: String) throws -> Int {
            let matches = lower.indices.filter { lower[$0] == name.lowercased() }
            let shown = PrintableText.clipped(name, limit: 40)
            guard !matches.isEmpty else {
                let list = PrintableText.clipped(names.joined(separator: ", "), limit: 120)
                throw EstimatorError.malformedCSV(line: line, detail: "no column named '\(shown)' for the \(role) (header: \(list))")
            }
            guard matches.count == 1 else {
                throw EstimatorError.malformedCSV(line: line, detail: "\(matches.count) columns are named '\(shown)'")
            }
            return matches[0]
        }
        let rollout: Int?
        if let name = options.rolloutColumn {
            rollout = try index(of: name, role: "rollout ids")
        } else {
            let ids = lower.indices.filter { lower[$0] == "rollout" || lower[$0] == "rollout_id" }
            guard ids.count <= 1 else { throw EstimatorError.malformedCSV(line: line, detail: "more than one rollout column") }
            rollout = ids.first
        }
        let time = try options.timeColumn.map { try index(of: $0, role: "time") }
        if let time, time == rollout {
            throw EstimatorError.malformedCSV(line: line, detail: "the time column is also the rollout column")
        }
        var coordinates: [Int]
        if let chosen = options.columns {
            coordinates = try chosen.map { try index(of: $0, role: "coordinates") }
            for c in coordinates {
                let role = c == rollout ? "the rollout column" : c == time ? "the time column" : nil
                if let role { throw EstimatorError.malformedCSV(line: line, detail: "\(Self.quote(names[c])) is \(role), not a coordinate") }
            }
            if let dup = coordinates.indices.first(where: { i in coordinates[..<i].contains(coordinates[i]) }) {
                throw EstimatorError.malformedCSV(line: line, detail: "column \(Self.quote(names[coordinates[dup]])) is chosen twice")
            }
        } else {
            coordinates = names.indices.filter { $0 != rollout && $0 != time }
            if let named = coordinates.first(where: { TrajectoryFile.Options.timeLikeNames.contains(lower[$0]) }) {
                throw EstimatorError.timeLikeCoordinate(column: Self.quote(names[named]), byName: true,
                                                        detail: "has a time-like name")
            }
        }
        guard !coordinates.isEmpty else { throw EstimatorError.malformedCSV(line: line, detail: "no coordinate columns") }
        self.fieldCount = fields.count
        self.coordinates = coordinates
        self.rollout = rollout
        self.time = time
        self.names = names
    }

    static func quote(_ name: String) -> String { "'\(PrintableText.clipped(name, limit: 40))'" }
}
