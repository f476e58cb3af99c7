import LinearAlgebra
import ResourceLimits

/// Element types of input arrays (include/paththermo.h: `PT_FLOAT64`, `PT_FLOAT32`).
enum ABIDType {
    static let float64: Int32 = 0
    static let float32: Int32 = 1
}

/// A caller's 2-D array: a pointer to element [0, 0], its element type, its shape and its strides in elements
/// (signed: row-major C order is (columns, 1), column-major Fortran order is (1, rows); any other strided view
/// works too). Reading it into a ``Matrix`` is the one conversion the ABI makes.
struct ABIMatrixView {
    let data: UnsafeRawPointer?
    let dtype: Int32
    let rows: Int64
    let columns: Int64
    let rowStride: Int64
    let columnStride: Int64

    /// Validates the description (no pointer is dereferenced here) and reads the entries into a column-major
    /// ``Matrix``. The caller vouches that every offset `i·rowStride + j·columnStride` lies in its buffer.
    /// - Throws: ``ABIArgumentError`` for a null pointer, an unknown dtype, a non-positive dimension or offsets
    ///   that overflow; ``ResourceLimitError`` when the matrix does not fit the memory budget.
    /// Entries (64 × 64, 32 KiB) below which no memory budget is consulted: any process affords them.
    static let alwaysAffordable = 4096

    func matrix(_ name: String) throws -> Matrix {
        guard let data else { throw ABIArgumentError("\(name): null data pointer") }
        guard dtype == ABIDType.float64 || dtype == ABIDType.float32 else {
            throw ABIArgumentError("\(name): unknown dtype code \(dtype) (0: float64, 1: float32)")
        }
        guard rows >= 1, columns >= 1 else { throw ABIArgumentError("\(name): shape (\(rows), \(columns)) has no entries") }
        let (r, c) = (Int(rows), Int(columns))
        // The largest |offset|, (rows − 1)·|rowStride| + (columns − 1)·|columnStride|, must fit in Int (then every
        // offset does).
        let limit = UInt64(Int.max)
        let (rm, cm) = (rowStride.magnitude, columnStride.magnitude)
        let rowExtent = rm < limit ? (r - 1).multipliedReportingOverflow(by: Int(rm)) : (partialValue: 0, overflow: true)
        let columnExtent = cm < limit ? (c - 1).multipliedReportingOverflow(by: Int(cm)) : (partialValue: 0, overflow: true)
        guard !rowExtent.overflow, !columnExtent.overflow,
              !rowExtent.partialValue.addingReportingOverflow(columnExtent.partialValue).overflow
        else { throw ABIArgumentError("\(name): strides (\(rowStride), \(columnStride)) overflow for shape (\(rows), \(columns))") }
        let entries = r.multipliedReportingOverflow(by: c)
        if entries.overflow || entries.partialValue > Self.alwaysAffordable {   // (the plan's text costs as much as a 2 × 2 call's arithmetic)
            _ = try MemoryBudget.standard.check(AllocationPlan("\(name) as a matrix").adding(.init(r, "rows"), .init(c, "columns"), .init(8, "bytes")))
        }
        let (rs, cs) = (Int(rowStride), Int(columnStride))
        var storage = [Double](repeating: 0, count: r * c)
        if dtype == ABIDType.float64 {
            let p = data.assumingMemoryBound(to: Double.self)
            for j in 0..<c { for i in 0..<r { storage[i + j * r] = p[i * rs + j * cs] } }
        } else {
            let p = data.assumingMemoryBound(to: Float.self)
            for j in 0..<c { for i in 0..<r { storage[i + j * r] = Double(p[i * rs + j * cs]) } }
        }
        return try Matrix(rows: r, columns: c, columnMajor: storage)
    }
}

/// The six arguments of one matrix (data, dtype, rows, columns, row stride, column stride), read into a ``Matrix``
/// named `name` in messages (``ABIMatrixView/matrix(_:)``): the one call every exported function makes per input.
func abiMatrix(_ name: String, _ data: UnsafeRawPointer?, _ dtype: Int32, _ rows: Int64, _ columns: Int64,
               _ rowStride: Int64, _ columnStride: Int64) throws -> Matrix {
    try ABIMatrixView(data: data, dtype: dtype, rows: rows, columns: columns, rowStride: rowStride,
                      columnStride: columnStride).matrix(name)
}

/// As ``abiMatrix(_:_:_:_:_:_:_:)`` for an optional input: a null data pointer is an absent matrix (nil), its other
/// five arguments ignored.
func abiOptionalMatrix(_ name: String, _ data: UnsafeRawPointer?, _ dtype: Int32, _ rows: Int64, _ columns: Int64,
                       _ rowStride: Int64, _ columnStride: Int64) throws -> Matrix? {
    guard data != nil else { return nil }
    return try abiMatrix(name, data, dtype, rows, columns, rowStride, columnStride)
}

extension Matrix {
    /// Writes the entries row-major (C order, shape rows × columns) into a caller's buffer; a null buffer is
    /// skipped (the caller did not ask for this output).
    func writeRowMajor(to out: UnsafeMutablePointer<Double>?) {
        guard let out else { return }
        for i in 0..<rows { for j in 0..<columns { out[i * columns + j] = self[i, j] } }
    }
}

/// The budget check for a call that holds `count` n × n matrices of Double at once.
func checkSquareWorkspace(_ what: String, dimension n: Int, matrices count: Int) throws {
    if n <= 16, count <= 16 { return }   // ≤ 32 KiB: always affordable (ABIMatrixView.alwaysAffordable)
    _ = try MemoryBudget.standard.check(AllocationPlan(what).adding(
        .init(n, "n"), .init(n, "n"), .init(count, "matrices"), .init(8, "bytes")))
}
