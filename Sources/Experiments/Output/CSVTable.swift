/// A CSV table built row by row: a header of column names, then rows of numbers or text.
///
/// Numbers are written with 17 significant digits (`%.17g`, round-trip exact); non-finite
/// numbers as `nan`, `inf`, `-inf` (what NumPy's `loadtxt` and pandas read). Text is quoted per
/// RFC 4180 (``field(_:)``), so a text id such as `glass, fell` stays one column for pandas and Python's
/// `csv`; numbers never need quoting, so a numeric table reads as before. Lines end in `\n` (RFC 4180 says CRLF;
/// every CSV reader accepts `\n`, and the existing files keep their bytes).
public struct CSVTable: Sendable {
    public let columns: [String]
    public private(set) var rows: [[String]] = []

    public init(columns: [String]) { self.columns = columns }

    /// A cell for `value`.
    public static func cell(_ value: Double) -> String {
        if value.isNaN { return "nan" }
        if value.isInfinite { return value > 0 ? "inf" : "-inf" }
        return String(format: "%.17g", value)
    }

    /// Appends a row; it must have one cell per column.
    public mutating func append(_ cells: [String]) throws {
        guard cells.count == columns.count else {
            throw ExperimentError.invalidConfiguration("CSV row has \(cells.count) cells for \(columns.count) columns")
        }
        rows.append(cells)
    }

    /// The table as CSV text, header first, every cell written by ``field(_:)``, `\n` line ends.
    public var text: String {
        ([columns] + rows).map { $0.map(Self.field).joined(separator: ",") }.joined(separator: "\n") + "\n"
    }
}
