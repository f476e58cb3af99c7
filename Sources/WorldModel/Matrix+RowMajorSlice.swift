import LinearAlgebra

extension Matrix {
    /// A `rows × columns` matrix from row-major values whose count the caller has already fixed
    /// (slices of a parameter vector of checked length, the rows of a non-ragged list), so, unlike
    /// the public `init(rows:columns:rowMajor:)`, there is no shape error left to throw.
    init(rows: Int, columns: Int, rowMajorSlice values: ArraySlice<Double>) {
        self.init(rows: rows, columns: columns)
        var index = values.startIndex
        for i in 0..<rows {
            for j in 0..<columns { self[i, j] = values[index]; index += 1 }
        }
    }
}
