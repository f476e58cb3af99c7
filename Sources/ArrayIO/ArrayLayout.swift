/// Conversion between C (row-major) and Fortran (column-major) element order for any rank.
///
/// In C order the last index varies fastest; in Fortran order the first does (NumPy's `order='C'`
/// and `order='F'`; a `.npy` header's `fortran_order` says which one the data section uses).
enum ArrayLayout {
    /// Calls `body(c, f)` for every element, in C order, with its offset `c` in C order and its
    /// offset `f` in Fortran order. `count` must be the (already checked) product of `shape`.
    static func forEachOffsetPair(shape: [Int], count: Int, _ body: (Int, Int) -> Void) {
        guard count > 0 else { return }
        let n = shape.count
        // Fortran strides: stride[k] = shape[0] ⋯ shape[k-1]; each ≤ count, so no overflow.
        var stride = [Int](repeating: 1, count: n)
        for k in stride.indices.dropFirst() { stride[k] = stride[k - 1] * shape[k - 1] }
        var index = [Int](repeating: 0, count: n)
        var f = 0
        for c in 0..<count {
            body(c, f)
            var k = n - 1  // odometer: advance the last axis, carrying leftwards
            while k >= 0 {
                index[k] += 1
                f += stride[k]
                if index[k] < shape[k] { break }
                f -= stride[k] * shape[k]
                index[k] = 0
                k -= 1
            }
        }
    }

    /// Values stored in Fortran order, rearranged into C order.
    static func fortranToC(_ values: [Double], shape: [Int]) -> [Double] {
        guard shape.count > 1 else { return values }  // rank 0 and 1: the orders coincide
        var out = [Double](repeating: 0, count: values.count)
        out.withUnsafeMutableBufferPointer { o in
            values.withUnsafeBufferPointer { v in
                forEachOffsetPair(shape: shape, count: v.count) { c, f in o[c] = v[f] }
            }
        }
        return out
    }

    /// Values stored in C order, rearranged into Fortran order.
    static func cToFortran(_ values: [Double], shape: [Int]) -> [Double] {
        guard shape.count > 1 else { return values }
        var out = [Double](repeating: 0, count: values.count)
        out.withUnsafeMutableBufferPointer { o in
            values.withUnsafeBufferPointer { v in
                forEachOffsetPair(shape: shape, count: v.count) { c, f in o[f] = v[c] }
            }
        }
        return out
    }
}
