import Testing
@testable import LinearAlgebra

/// The pointer-level BLAS layer against naive loops, in both precisions and both layouts, on non-square
/// shapes whose leading dimensions exceed the stored rows/columns (the skipped elements must stay untouched).
///
/// Inputs are Float values (widened for the Double runs), so both precisions see the same numbers and the
/// Double reference loop is accurate to ≈ k·2⁻⁵³. Tolerance: the standard bound for a k-term inner product
/// plus the α, β updates, |computed − exact| ≤ γ_{k+3} (|α| Σ|a||b| + |β||c|) with γ_j = j·u/(1 − j·u),
/// u = 2⁻²⁴ (Float) or 2⁻⁵³ (Double); the test allows twice that (computation and reference).
@Suite("BLAS layer")
struct BLASTests {
    enum Precision: CaseIterable, Sendable { case float, double }

    static let layouts: [BLAS.Layout] = [.rowMajor, .columnMajor]
    static let transposes: [BLAS.Transpose] = [.none, .transpose]

    /// Value of the padding (elements between rows/columns that a leading dimension skips).
    static let pad = -777.0

    /// A stored r × c operand with leading dimension `ld` in `layout`.
    struct Storage {
        let layout: BLAS.Layout
        let rows: Int, columns: Int, ld: Int
        var count: Int { layout == .rowMajor ? rows * ld : columns * ld }
        func index(_ i: Int, _ j: Int) -> Int { layout == .rowMajor ? i * ld + j : i + j * ld }
        /// Whether buffer position `p` is an element (not padding).
        func isElement(_ p: Int) -> Bool { layout == .rowMajor ? p % ld < columns : p % ld < rows }
        /// A buffer with deterministic Float-representable values in [−1, 1) and ``pad`` between.
        func filled(seed: Int) -> [Double] {
            var state = UInt64(truncatingIfNeeded: seed) &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return (0..<count).map { p in
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                let v = Double(Float(Double(state >> 40) / Double(1 << 24) * 2 - 1))
                return isElement(p) ? v : BLASTests.pad
            }
        }
    }

    static func u(_ p: Precision) -> Double { p == .float ? 0x1p-24 : 0x1p-53 }
    static func gamma(_ j: Int, _ p: Precision) -> Double { Double(j) * u(p) / (1 - Double(j) * u(p)) }

    /// Rounds every element through the precision (a no-op for values that are already Float).
    static func run<R>(_ p: Precision, _ inputs: [[Double]], _ output: inout [Double],
                       double: ([UnsafePointer<Double>], UnsafeMutablePointer<Double>) -> R,
                       float: ([UnsafePointer<Float>], UnsafeMutablePointer<Float>) -> R) -> R {
        switch p {
        case .double:
            let held = inputs.map { buffer -> UnsafeMutablePointer<Double> in
                let q = UnsafeMutablePointer<Double>.allocate(capacity: max(1, buffer.count))
                q.initialize(from: buffer, count: buffer.count)
                return q
            }
            defer { held.forEach { $0.deallocate() } }
            return output.withUnsafeMutableBufferPointer { double(held.map { UnsafePointer($0) }, $0.baseAddress!) }
        case .float:
            let held = inputs.map { buffer -> UnsafeMutablePointer<Float> in
                let q = UnsafeMutablePointer<Float>.allocate(capacity: max(1, buffer.count))
                q.initialize(from: buffer.map { Float($0) }, count: buffer.count)
                return q
            }
            defer { held.forEach { $0.deallocate() } }
            var out = output.map { Float($0) }
            let r = out.withUnsafeMutableBufferPointer { float(held.map { UnsafePointer($0) }, $0.baseAddress!) }
            output = out.map { Double($0) }
            return r
        }
    }

    // MARK: gemm

    @Test(arguments: Precision.allCases, layouts)
    func gemmMatchesNaiveProduct(precision: Precision, layout: BLAS.Layout) {
        let (m, n, k) = (5, 3, 4)
        let alpha = 1.5, beta = -0.5
        for ta in Self.transposes { for tb in Self.transposes {
            let sa = ta == .none ? Storage(layout: layout, rows: m, columns: k, ld: (layout == .rowMajor ? k : m) + 2)
                                 : Storage(layout: layout, rows: k, columns: m, ld: (layout == .rowMajor ? m : k) + 2)
            let sb = tb == .none ? Storage(layout: layout, rows: k, columns: n, ld: (layout == .rowMajor ? n : k) + 1)
                                 : Storage(layout: layout, rows: n, columns: k, ld: (layout == .rowMajor ? k : n) + 1)
            let sc = Storage(layout: layout, rows: m, columns: n, ld: (layout == .rowMajor ? n : m) + 3)
            let a = sa.filled(seed: 1), b = sb.filled(seed: 2), c0 = sc.filled(seed: 3)
            func opA(_ i: Int, _ l: Int) -> Double { ta == .none ? a[sa.index(i, l)] : a[sa.index(l, i)] }
            func opB(_ l: Int, _ j: Int) -> Double { tb == .none ? b[sb.index(l, j)] : b[sb.index(j, l)] }
            var c = c0
            Self.run(precision, [a, b], &c, double: { p, out in
                BLAS.gemm(layout, ta, tb, m: m, n: n, k: k, alpha: alpha, a: p[0], lda: sa.ld, b: p[1], ldb: sb.ld,
                          beta: beta, c: out, ldc: sc.ld)
            }, float: { p, out in
                BLAS.gemm(layout, ta, tb, m: m, n: n, k: k, alpha: Float(alpha), a: p[0], lda: sa.ld, b: p[1], ldb: sb.ld,
                          beta: Float(beta), c: out, ldc: sc.ld)
            })
            for i in 0..<m { for j in 0..<n {
                var exact = 0.0, magnitude = 0.0
                for l in 0..<k { exact += opA(i, l) * opB(l, j); magnitude += abs(opA(i, l) * opB(l, j)) }
                let cij = c0[sc.index(i, j)]
                exact = alpha * exact + beta * cij
                let tolerance = 2 * Self.gamma(k + 3, precision) * (abs(alpha) * magnitude + abs(beta * cij))
                #expect(abs(c[sc.index(i, j)] - exact) <= tolerance, "\(precision) \(layout) \(ta) \(tb) (\(i), \(j))")
            } }
            #expect((0..<sc.count).allSatisfy { sc.isElement($0) || c[$0] == Self.pad }, "padding of C touched")
        } }
    }

    @Test(arguments: Precision.allCases)
    func gemmWithZeroBetaDoesNotReadCAndZeroKScalesC(precision: Precision) {
        let one = [1.0, 0, 0, 1]
        var c = [Double](repeating: .nan, count: 4)
        Self.run(precision, [one], &c, double: { p, out in
            BLAS.gemm(.rowMajor, .none, .none, m: 2, n: 2, k: 2, alpha: 2, a: p[0], lda: 2, b: p[0], ldb: 2, beta: 0, c: out, ldc: 2)
        }, float: { p, out in
            BLAS.gemm(.rowMajor, .none, .none, m: 2, n: 2, k: 2, alpha: 2, a: p[0], lda: 2, b: p[0], ldb: 2, beta: 0, c: out, ldc: 2)
        })
        #expect(c == [2, 0, 0, 2])   // 2·I·I, exact
        // k = 0: C ← β C (exact: β and C are small dyadic numbers).
        Self.run(precision, [one], &c, double: { p, out in
            BLAS.gemm(.columnMajor, .none, .none, m: 2, n: 2, k: 0, alpha: 1, a: p[0], lda: 2, b: p[0], ldb: 1, beta: 0.5, c: out, ldc: 2)
        }, float: { p, out in
            BLAS.gemm(.columnMajor, .none, .none, m: 2, n: 2, k: 0, alpha: 1, a: p[0], lda: 2, b: p[0], ldb: 1, beta: 0.5, c: out, ldc: 2)
        })
        #expect(c == [1, 0, 0, 1])
    }

    @Test func dimensionBeyondBLASIntegerLeavesOutputUntouched() {
        // Int32 overflow reaches BLAS as −1; its argument check refuses the call (a line on standard output),
        // and nothing traps.
        let a = [1.0, 2, 3, 4]
        var c = [9.0, 9, 9, 9]
        a.withUnsafeBufferPointer { pa in
            c.withUnsafeMutableBufferPointer { pc in
                BLAS.gemm(.rowMajor, .none, .none, m: BLAS.maximumDimension + 1, n: 2, k: 2, alpha: 1, a: pa.baseAddress!,
                          lda: 2, b: pa.baseAddress!, ldb: 2, beta: 0, c: pc.baseAddress!, ldc: 2)
            }
        }
        #expect(c == [9, 9, 9, 9])
        #expect(BLAS.int(BLAS.maximumDimension) == Int32.max && BLAS.int(-3) == -3 && BLAS.int(Int.max) == -1)
    }

    // MARK: gemv

    @Test(arguments: Precision.allCases, layouts)
    func gemvMatchesNaiveProduct(precision: Precision, layout: BLAS.Layout) {
        let (m, n) = (5, 3)
        let alpha = -1.25, beta = 0.75
        let sa = Storage(layout: layout, rows: m, columns: n, ld: (layout == .rowMajor ? n : m) + 2)
        let a = sa.filled(seed: 4)
        for trans in Self.transposes {
            let (lx, ly) = trans == .none ? (n, m) : (m, n)
            let (incx, incy) = (2, 3)
            let x = Storage(layout: .rowMajor, rows: lx, columns: 1, ld: incx).filled(seed: 5)
            let y0 = Storage(layout: .rowMajor, rows: ly, columns: 1, ld: incy).filled(seed: 6)
            var y = y0
            Self.run(precision, [a, x], &y, double: { p, out in
                BLAS.gemv(layout, trans, m: m, n: n, alpha: alpha, a: p[0], lda: sa.ld, x: p[1], incx: incx,
                          beta: beta, y: out, incy: incy)
            }, float: { p, out in
                BLAS.gemv(layout, trans, m: m, n: n, alpha: Float(alpha), a: p[0], lda: sa.ld, x: p[1], incx: incx,
                          beta: Float(beta), y: out, incy: incy)
            })
            for i in 0..<ly {
                var exact = 0.0, magnitude = 0.0
                for l in 0..<lx {
                    let aij = trans == .none ? a[sa.index(i, l)] : a[sa.index(l, i)]
                    exact += aij * x[l * incx]
                    magnitude += abs(aij * x[l * incx])
                }
                exact = alpha * exact + beta * y0[i * incy]
                let tolerance = 2 * Self.gamma(lx + 3, precision) * (abs(alpha) * magnitude + abs(beta * y0[i * incy]))
                #expect(abs(y[i * incy] - exact) <= tolerance, "\(precision) \(layout) \(trans) y[\(i)]")
            }
            #expect((0..<y.count).allSatisfy { $0 % incy == 0 || y[$0] == Self.pad }, "elements between y's touched")
        }
    }

    // MARK: syrk

    @Test(arguments: Precision.allCases, layouts)
    func syrkMatchesNaiveGramAndKeepsTheOtherTriangle(precision: Precision, layout: BLAS.Layout) {
        let (n, k) = (4, 6)
        let alpha = 0.5, beta = 2.0
        for trans in Self.transposes { for triangle in [BLAS.Triangle.upper, .lower] {
            let sa = trans == .none ? Storage(layout: layout, rows: n, columns: k, ld: (layout == .rowMajor ? k : n) + 1)
                                    : Storage(layout: layout, rows: k, columns: n, ld: (layout == .rowMajor ? n : k) + 1)
            let sc = Storage(layout: layout, rows: n, columns: n, ld: n + 2)
            let a = sa.filled(seed: 7), c0 = sc.filled(seed: 8)
            // op(A) op(A)ᵀ: entry (i, j) = Σ_l op(A)[i, l] op(A)[j, l], op(A) n × k.
            func opA(_ i: Int, _ l: Int) -> Double { trans == .none ? a[sa.index(i, l)] : a[sa.index(l, i)] }
            var c = c0
            Self.run(precision, [a], &c, double: { p, out in
                BLAS.syrk(layout, triangle, trans, n: n, k: k, alpha: alpha, a: p[0], lda: sa.ld, beta: beta, c: out, ldc: sc.ld)
            }, float: { p, out in
                BLAS.syrk(layout, triangle, trans, n: n, k: k, alpha: Float(alpha), a: p[0], lda: sa.ld,
                          beta: Float(beta), c: out, ldc: sc.ld)
            })
            for i in 0..<n { for j in 0..<n {
                let inTriangle = triangle == .upper ? i <= j : i >= j
                let cij = c0[sc.index(i, j)]
                guard inTriangle else {
                    #expect(c[sc.index(i, j)] == Double(Float(cij)), "other triangle touched at (\(i), \(j))")
                    continue
                }
                var exact = 0.0, magnitude = 0.0
                for l in 0..<k { exact += opA(i, l) * opA(j, l); magnitude += abs(opA(i, l) * opA(j, l)) }
                exact = alpha * exact + beta * cij
                let tolerance = 2 * Self.gamma(k + 3, precision) * (abs(alpha) * magnitude + abs(beta * cij))
                #expect(abs(c[sc.index(i, j)] - exact) <= tolerance, "\(precision) \(layout) \(trans) \(triangle) (\(i), \(j))")
            } }
            #expect((0..<sc.count).allSatisfy { sc.isElement($0) || c[$0] == Self.pad }, "padding of C touched")
        } }
    }

    // MARK: trsm

    @Test(arguments: Precision.allCases, layouts)
    func trsmSolvesTheTriangularSystem(precision: Precision, layout: BLAS.Layout) {
        let (m, n) = (4, 3)
        let alpha = 1.5
        for side in [BLAS.Side.left, .right] { for triangle in [BLAS.Triangle.upper, .lower] {
            for trans in Self.transposes { for diagonal in [BLAS.Diagonal.nonUnit, .unit] {
                let order = side == .left ? m : n
                let sa = Storage(layout: layout, rows: order, columns: order, ld: order + 1)
                // A: the referenced triangle from [−1, 1) with 2 + |·| on the diagonal (well conditioned);
                // elements BLAS must not read (other triangle; the diagonal when unit) hold 1000.
                var a = sa.filled(seed: 9)
                for i in 0..<order { for j in 0..<order {
                    let p = sa.index(i, j)
                    if i == j { a[p] = diagonal == .unit ? 1000 : 2 + abs(a[p]) }
                    else if triangle == .upper ? i > j : i < j { a[p] = 1000 }
                } }
                func aEntry(_ i: Int, _ j: Int) -> Double {   // the triangular matrix BLAS should see
                    if i == j { return diagonal == .unit ? 1 : a[sa.index(i, i)] }
                    if triangle == .upper ? i > j : i < j { return 0 }
                    return a[sa.index(i, j)]
                }
                func opA(_ i: Int, _ j: Int) -> Double { trans == .none ? aEntry(i, j) : aEntry(j, i) }
                let sb = Storage(layout: layout, rows: m, columns: n, ld: (layout == .rowMajor ? n : m) + 2)
                let b0 = sb.filled(seed: 10)
                var x = b0
                Self.run(precision, [a], &x, double: { p, out in
                    BLAS.trsm(layout, side, triangle, trans, diagonal, m: m, n: n, alpha: alpha, a: p[0], lda: sa.ld,
                              b: out, ldb: sb.ld)
                }, float: { p, out in
                    BLAS.trsm(layout, side, triangle, trans, diagonal, m: m, n: n, alpha: Float(alpha), a: p[0], lda: sa.ld,
                              b: out, ldb: sb.ld)
                })
                // Backward check: op(A) X (left) or X op(A) (right) reproduces α B. Each solution element is a
                // substitution of ≤ 4 terms with |pivots| ≥ 1; the residual bound uses |op(A)||X| as magnitude,
                // with a factor 4 over γ_{order+3} for the substitution's own rounding.
                for i in 0..<m { for j in 0..<n {
                    var product = 0.0, magnitude = 0.0
                    for l in 0..<order {
                        let term = side == .left ? opA(i, l) * x[sb.index(l, j)] : x[sb.index(i, l)] * opA(l, j)
                        product += term
                        magnitude += abs(term)
                    }
                    let target = alpha * b0[sb.index(i, j)]
                    let tolerance = 8 * Self.gamma(order + 3, precision) * (magnitude + abs(target))
                    #expect(abs(product - target) <= tolerance,
                            "\(precision) \(layout) \(side) \(triangle) \(trans) \(diagonal) (\(i), \(j))")
                } }
                #expect((0..<sb.count).allSatisfy { sb.isElement($0) || x[$0] == Self.pad }, "padding of B touched")
            } }
        } }
    }

    // MARK: threads

    @Test func threadControlsSetAndRestore() {
        let before = BLAS.threadCount
        #expect(before >= 1 && BLAS.processorCount >= 1)
        BLAS.setThreadCount(1)
        #expect(BLAS.threadCount == 1)
        BLAS.setThreadCount(before)
        #expect(BLAS.threadCount == before)
    }
}
