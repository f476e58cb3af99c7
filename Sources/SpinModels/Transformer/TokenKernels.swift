#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif
import LinearAlgebra

/// Token-wise kernels of the spin-transformer forward on column-major n × w blocks (rows = tokens): the linear map
/// X·W (one dgemm), head slices (contiguous column blocks), the sphere projection, per-head RMSNorm, GELU, and the
/// masked row softmax. Cost O(n·w) each except the products.
enum TokenKernels {
    /// C = op(A)·op(B) (one dgemm); shapes are the caller's (internal) responsibility.
    static func product(_ a: Matrix, _ ta: BLAS.Transpose = .none, _ b: Matrix, _ tb: BLAS.Transpose = .none,
                        alpha: Double = 1) -> Matrix {
        let m = ta == .none ? a.rows : a.columns
        let k = ta == .none ? a.columns : a.rows
        let n = tb == .none ? b.columns : b.rows
        var c = Matrix(rows: m, columns: n)
        guard m > 0, n > 0, k > 0 else { return c }
        c.withUnsafeMutableBufferPointer { pc in
            a.withUnsafeBufferPointer { pa in
                b.withUnsafeBufferPointer { pb in
                    BLAS.gemm(.columnMajor, ta, tb, m: m, n: n, k: k, alpha: alpha,
                              a: pa.baseAddress!, lda: max(1, a.rows), b: pb.baseAddress!, ldb: max(1, b.rows),
                              beta: 0, c: pc.baseAddress!, ldc: max(1, m))
                }
            }
        }
        return c
    }

    /// C = A·B (one dgemm).
    static func product(_ a: Matrix, _ b: Matrix) -> Matrix { product(a, .none, b, .none) }

    /// Columns [h·w, (h + 1)·w) of X (a contiguous block of the column-major storage).
    static func head(_ x: Matrix, _ h: Int, width w: Int) -> Matrix {
        let n = x.rows
        var out = Matrix(rows: n, columns: w)
        out.withUnsafeMutableBufferPointer { o in
            x.withUnsafeBufferPointer { s in
                for k in 0..<(n * w) { o[k] = s[h * w * n + k] }
            }
        }
        return out
    }

    /// Writes `block` (n × w) into columns [h·w, (h + 1)·w) of X.
    static func setHead(_ x: inout Matrix, _ h: Int, _ block: Matrix) {
        let n = x.rows, w = block.columns
        x.withUnsafeMutableBufferPointer { o in
            block.withUnsafeBufferPointer { s in
                for k in 0..<(n * w) { o[h * w * n + k] = s[k] }
            }
        }
    }

    /// Per-row squared norms of columns [c0, c0 + w).
    static func rowNormsSquared(_ x: Matrix, from c0: Int = 0, width w: Int? = nil) -> [Double] {
        let n = x.rows, width = w ?? x.columns
        var out = [Double](repeating: 0, count: n)
        x.withUnsafeBufferPointer { s in
            for j in c0..<(c0 + width) { for i in 0..<n { let v = s[i + j * n]; out[i] += v * v } }
        }
        return out
    }

    /// Scales every row of columns [c0, c0 + w) by `scale[i]`.
    static func scaleRows(_ x: inout Matrix, _ scale: [Double], from c0: Int = 0, width w: Int? = nil) {
        let n = x.rows, width = w ?? x.columns
        x.withUnsafeMutableBufferPointer { s in
            for j in c0..<(c0 + width) { for i in 0..<n { s[i + j * n] *= scale[i] } }
        }
    }

    /// Each row projected onto the sphere of radius r: x_i ← r x_i/‖x_i‖ (v0.0.1's input projection).
    /// - Throws: ``SpinModelsError/invalidArgument(_:)`` for a zero (or non-finite-norm) row.
    static func projectRows(_ x: Matrix, radius r: Double, what: String) throws(SpinModelsError) -> Matrix {
        let norms = rowNormsSquared(x)
        var scale = [Double](repeating: 0, count: x.rows)
        for i in 0..<x.rows {
            guard norms[i].isFinite else { throw .nonFinite("\(what), token \(i)") }
            guard norms[i] > 0 else { throw .invalidArgument("\(what): token \(i) is the zero vector and has no direction to project onto the sphere") }
            scale[i] = r / norms[i].squareRoot()
        }
        var out = x
        scaleRows(&out, scale)
        return out
    }

    /// Unit-normalises the rows of every head block of width w; returns the normalised matrix and the norms ‖q_i‖
    /// (row-major by head: norms[h][i]). A zero row gets direction 0 (its logits are then 0, as in torch's
    /// F.normalize with eps).
    static func unitRowsPerHead(_ x: Matrix, heads: Int, width w: Int) -> (Matrix, [[Double]]) {
        var out = x
        var norms: [[Double]] = []
        for h in 0..<heads {
            let n2 = rowNormsSquared(x, from: h * w, width: w)
            let nn = n2.map { $0.squareRoot() }
            scaleRows(&out, nn.map { $0 > 1e-12 ? 1 / $0 : 0 }, from: h * w, width: w)
            norms.append(nn)
        }
        return (out, norms)
    }

    /// HEAD's per-head RMSNorm: y = g ∘ x_h / √(mean(x_h²) + ε) per token and head, so with g = R_head/√dim_head each
    /// head slice of y has norm R_head. ε = 1e-12.
    static func rmsNormPerHead(_ x: Matrix, gain: [Double], heads: Int, width w: Int) -> Matrix {
        var out = x
        for h in 0..<heads {
            let n2 = rowNormsSquared(x, from: h * w, width: w)
            scaleRows(&out, n2.map { 1 / ($0 / Double(w) + 1e-12).squareRoot() }, from: h * w, width: w)
        }
        let n = x.rows
        out.withUnsafeMutableBufferPointer { s in
            for j in 0..<x.columns { for i in 0..<n { s[i + j * n] *= gain[j] } }
        }
        return out
    }

    /// GELU(u) = u Φ(u) = ½u(1 + erf(u/√2)) (PyTorch's exact GELU), in place.
    static func gelu(_ x: inout Matrix) {
        x.withUnsafeMutableBufferPointer { s in
            for k in s.indices { let u = s[k]; s[k] = 0.5 * u * (1 + erf(u * 0.7071067811865476)) }
        }
    }

    /// Row softmax of `logits` (n × n) over the allowed keys: key j is allowed for query i when `keyMask[j]` (if
    /// given) and j ≤ i (if causal); disallowed entries get J_ij = 0 (the limit of v0.0.1's −max_float). Rows are
    /// shifted by their maximum, so large logits do not overflow.
    /// - Throws: ``SpinModelsError/invalidArgument(_:)`` when a query row has no allowed key.
    static func maskedSoftmax(_ logits: inout Matrix, causal: Bool, keyMask: [Bool]?) throws(SpinModelsError) {
        let n = logits.rows
        var rowMax = [Double](repeating: -.infinity, count: n)
        let allowed: (Int, Int) -> Bool = { i, j in (!causal || j <= i) && (keyMask?[j] ?? true) }
        logits.withUnsafeBufferPointer { s in
            for j in 0..<n { for i in 0..<n where allowed(i, j) { rowMax[i] = max(rowMax[i], s[i + j * n]) } }
        }
        for i in 0..<n where rowMax[i] == -.infinity {
            throw .invalidArgument("attention row \(i) has no unmasked key (padding and causal masks exclude every key)")
        }
        logits.withUnsafeMutableBufferPointer { s in
            var sums = [Double](repeating: 0, count: n)
            for j in 0..<n {
                for i in 0..<n {
                    let v = allowed(i, j) ? exp(s[i + j * n] - rowMax[i]) : 0
                    s[i + j * n] = v
                    sums[i] += v
                }
            }
            for j in 0..<n { for i in 0..<n { s[i + j * n] /= sums[i] } }
        }
    }
}
