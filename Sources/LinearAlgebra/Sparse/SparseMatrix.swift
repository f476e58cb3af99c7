/// A real sparse matrix in compressed sparse row (CSR) form: row i holds the entries
/// `values[rowStarts[i] ..< rowStarts[i + 1]]` in the columns `columnIndices[...]`, strictly increasing within a row.
///
/// Memory: (rows + 1) + 2·nnz words. Built from (row, column, value) triplets with duplicates summed, the way finite
/// volume assembly produces them. Solved by the sparse solvers of this folder.
public struct SparseMatrix: Sendable, Equatable {
    /// The number of rows.
    public let rows: Int
    /// The number of columns.
    public let columns: Int
    /// rows + 1 offsets into ``columnIndices`` and ``values``; `rowStarts[rows]` = nnz.
    public let rowStarts: [Int]
    /// The column of each stored entry, increasing within each row.
    public let columnIndices: [Int]
    /// The stored entries.
    public let values: [Double]

    /// The number of stored entries (nnz).
    public var storedCount: Int { values.count }

    /// A matrix from CSR arrays, checked: shapes, offsets monotone, columns in range and strictly increasing within
    /// each row, values finite.
    ///
    /// - Throws: ``LinearAlgebraError/invalidShape(detail:)`` for inconsistent arrays,
    ///   ``LinearAlgebraError/nonFinite(operation:)`` for NaN or ±∞.
    public init(rows: Int, columns: Int, rowStarts: [Int], columnIndices: [Int], values: [Double]) throws(LinearAlgebraError) {
        guard rows >= 1, columns >= 1 else {
            throw .invalidShape(detail: "sparse matrix needs at least one row and one column, got \(rows) × \(columns)")
        }
        guard rowStarts.count == rows + 1, rowStarts.first == 0, rowStarts.last == values.count,
              columnIndices.count == values.count else {
            throw .invalidShape(detail: "sparse matrix \(rows) × \(columns): row offsets (\(rowStarts.count)), columns (\(columnIndices.count)) and values (\(values.count)) disagree")
        }
        for i in 0..<rows {
            let lo = rowStarts[i], hi = rowStarts[i + 1]
            guard lo <= hi else { throw .invalidShape(detail: "sparse matrix: row offsets decrease at row \(i)") }
            var previous = -1
            for k in lo..<hi {
                let j = columnIndices[k]
                guard j > previous, j < columns else {
                    throw .invalidShape(detail: "sparse matrix: row \(i) has column \(j) out of order or out of range 0..<\(columns)")
                }
                previous = j
            }
        }
        guard values.allSatisfy(\.isFinite) else { throw .nonFinite(operation: "sparse matrix") }
        self.rows = rows
        self.columns = columns
        self.rowStarts = rowStarts
        self.columnIndices = columnIndices
        self.values = values
    }

    /// A matrix from (row, column, value) triplets; entries at the same position are summed. Cost O(nnz log nnz).
    ///
    /// - Throws: ``LinearAlgebraError/invalidShape(detail:)`` for an index out of range,
    ///   ``LinearAlgebraError/nonFinite(operation:)`` for NaN or ±∞.
    public init(rows: Int, columns: Int, triplets: [(row: Int, column: Int, value: Double)]) throws(LinearAlgebraError) {
        guard rows >= 1, columns >= 1 else {
            throw .invalidShape(detail: "sparse matrix needs at least one row and one column, got \(rows) × \(columns)")
        }
        for t in triplets where t.row < 0 || t.row >= rows || t.column < 0 || t.column >= columns {
            throw .invalidShape(detail: "sparse matrix \(rows) × \(columns): entry (\(t.row), \(t.column)) out of range")
        }
        let sorted = triplets.sorted { ($0.row, $0.column) < ($1.row, $1.column) }
        var starts = Array(repeating: 0, count: rows + 1)
        var cols: [Int] = []
        var vals: [Double] = []
        cols.reserveCapacity(sorted.count)
        vals.reserveCapacity(sorted.count)
        var lastRow = -1, lastColumn = -1
        for t in sorted {
            if t.row == lastRow && t.column == lastColumn {
                vals[vals.count - 1] += t.value
            } else {
                cols.append(t.column)
                vals.append(t.value)
                starts[t.row + 1] += 1
                lastRow = t.row
                lastColumn = t.column
            }
        }
        for i in 0..<rows { starts[i + 1] += starts[i] }
        try self.init(rows: rows, columns: columns, rowStarts: starts, columnIndices: cols, values: vals)
    }

    /// y = A x.
    ///
    /// - Throws: ``LinearAlgebraError/dimensionMismatch(operation:detail:)`` when x has other than `columns` entries.
    public func apply(to x: [Double]) throws(LinearAlgebraError) -> [Double] {
        guard x.count == columns else {
            throw .dimensionMismatch(operation: "sparse matrix–vector product", detail: "x has \(x.count) entries, the matrix \(columns) columns")
        }
        var y = Array(repeating: 0.0, count: rows)
        for i in 0..<rows {
            var s = 0.0
            for k in rowStarts[i]..<rowStarts[i + 1] { s += values[k] * x[columnIndices[k]] }
            y[i] = s
        }
        return y
    }

    /// The entry A[i, j] (0 where none is stored). Cost O(log(entries in row i)).
    public subscript(i: Int, j: Int) -> Double {
        var lo = rowStarts[i], hi = rowStarts[i + 1]
        while lo < hi {
            let mid = (lo + hi) / 2
            if columnIndices[mid] < j { lo = mid + 1 } else { hi = mid }
        }
        return lo < rowStarts[i + 1] && columnIndices[lo] == j ? values[lo] : 0
    }
}
