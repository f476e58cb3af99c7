import Foundation
import Testing
import TestSupport
@testable import LanguageModel

/// The fixed-order products (`RowMajorMatrixProduct` over `CFixedOrderGEMM`): each element equals the recipe of
/// `CFixedOrderGEMM.h` written out in scalar Swift, bit for bit, and so does not depend on the rows or columns
/// around it, on the tile or edge code that computes it, or on the number of threads.
@Suite struct FixedOrderProductTests {
    /// The dot-product recipe: eight fma chains over i ≡ l (mod 8), the tree ((s0+s4)+(s2+s6))+((s1+s5)+(s3+s7)),
    /// then the tail as one more fma chain; α applied once, accumulation as one more rounded addition.
    static func recipeDot(_ a: ArraySlice<Float>, _ w: ArraySlice<Float>) -> Float {
        let a = Array(a), w = Array(w), k = a.count, k8 = k / 8 * 8
        var s = [Float](repeating: 0, count: 8)
        for i in stride(from: 0, to: k8, by: 8) { for l in 0..<8 { s[l] = s[l].addingProduct(a[i + l], w[i + l]) } }
        var r = ((s[0] + s[4]) + (s[2] + s[6])) + ((s[1] + s[5]) + (s[3] + s[7]))
        for i in k8..<k { r = r.addingProduct(a[i], w[i]) }
        return r
    }

    static func random(_ n: Int, seed: UInt64) -> [Float] { SplitMix64.uniformFloats(n, seed: seed) }

    static func linear(_ x: [Float], rows: Int, k: Int, _ w: [Float], cols: Int, alpha: Float = 1,
                       into initial: [Float]? = nil) -> [Float] {
        var y = initial ?? [Float](repeating: 0, count: rows * cols)
        x.withUnsafeBufferPointer { xb in
            w.withUnsafeBufferPointer { wb in
                y.withUnsafeMutableBufferPointer { yb in
                    RowMajorMatrixProduct.linear(xb.baseAddress!, rows: rows, inputs: k, weight: wb.baseAddress!, outputs: cols,
                                                 into: yb.baseAddress!, alpha: alpha, accumulate: initial != nil)
                }
            }
        }
        return y
    }

    /// Shapes that exercise the 4 × 3 tiles, the 1 × 3 row edge, the 1 × 1 column edge and the k tail.
    @Test(arguments: [(5, 8, 37), (4, 3, 8), (1, 1, 1), (9, 14, 64), (3, 200, 13)])
    func elementsFollowTheRecipe(_ shape: (Int, Int, Int)) throws {
        let (rows, cols, k) = shape
        let x = Self.random(rows * k, seed: 1), w = Self.random(cols * k, seed: 2), c0 = Self.random(rows * cols, seed: 3)
        let y = Self.linear(x, rows: rows, k: k, w, cols: cols, alpha: 0.125)
        let acc = Self.linear(x, rows: rows, k: k, w, cols: cols, into: c0)
        for i in 0..<rows {
            for j in 0..<cols {
                let r = Self.recipeDot(x[(i * k)..<((i + 1) * k)], w[(j * k)..<((j + 1) * k)])
                #expect(y[i * cols + j].bitPattern == (0.125 * r).bitPattern, "(\(i), \(j))")
                #expect(acc[i * cols + j].bitPattern == (c0[i * cols + j] + r).bitPattern, "(\(i), \(j))")
            }
        }
    }

    /// Whole batch vs one row at a time vs one column at a time, and 1 vs 2 vs 5 worker threads on a product above
    /// the parallel threshold: identical bits.
    @Test func rowsColumnsAndThreadsDoNotChangeTheBits() throws {
        let rows = 11, cols = 3001, k = 96   // 3.2 M multiply-adds: split over the workers
        let x = Self.random(rows * k, seed: 4), w = Self.random(cols * k, seed: 5)
        let whole = Self.linear(x, rows: rows, k: k, w, cols: cols)
        var byRow = [Float]()
        for i in 0..<rows { byRow += Self.linear(Array(x[(i * k)..<((i + 1) * k)]), rows: 1, k: k, w, cols: cols) }
        #expect(byRow == whole)
        let column = 1234
        let one = Self.linear(x, rows: rows, k: k, Array(w[(column * k)..<((column + 1) * k)]), cols: 1)
        #expect((0..<rows).allSatisfy { one[$0].bitPattern == whole[$0 * cols + column].bitPattern })
        for workers in [1, 2, 5] {
            try LanguageModelThreads.set(workers)
            #expect(Self.linear(x, rows: rows, k: k, w, cols: cols) == whole, "\(workers) workers")
        }
        try LanguageModelThreads.set(0)
        #expect(LanguageModelThreads.workers == max(1, ProcessInfo.processInfo.activeProcessorCount))
        #expect(throws: LanguageModelError.invalidArgument("thread count must be ≥ 0, got -1")) { try LanguageModelThreads.set(-1) }
    }

    /// C = A·B as weighted sums of B's rows: one fma chain in ascending j per element; trailing zero weights (the
    /// causal mask, padding) leave the bits unchanged.
    @Test func weightedRowsFollowTheRecipe() throws {
        let m = 3, n = 45, k = 17
        let a = Self.random(m * k, seed: 6), b = Self.random(k * n, seed: 7)
        var c = [Float](repeating: 0, count: m * n)
        func product(_ a: [Float], k: Int, into c: inout [Float]) {
            a.withUnsafeBufferPointer { ab in b.withUnsafeBufferPointer { bb in c.withUnsafeMutableBufferPointer { cb in
                RowMajorMatrixProduct.product(ab.baseAddress!, lda: k, bb.baseAddress!, ldb: n, m: m, n: n, k: k,
                                              into: cb.baseAddress!, ldc: n)
            } } }
        }
        product(a, k: k, into: &c)
        for i in 0..<m {
            for col in 0..<n {
                var r: Float = 0
                for j in 0..<k { r = r.addingProduct(a[i * k + j], b[j * n + col]) }
                #expect(c[i * n + col].bitPattern == r.bitPattern)
            }
        }
        // The same with the last 5 weights of each row zeroed vs a product over the first 12 rows only.
        var masked = a
        for i in 0..<m { for j in 12..<k { masked[i * k + j] = 0 } }
        var full = [Float](repeating: 0, count: m * n), short = full
        product(masked, k: k, into: &full)
        let cut = (0..<m).flatMap { i in masked[(i * k)..<(i * k + 12)] }
        cut.withUnsafeBufferPointer { ab in b.withUnsafeBufferPointer { bb in short.withUnsafeMutableBufferPointer { cb in
            RowMajorMatrixProduct.product(ab.baseAddress!, lda: 12, bb.baseAddress!, ldb: n, m: m, n: n, k: 12,
                                          into: cb.baseAddress!, ldc: n)
        } } }
        #expect(full == short)
    }

    /// The decoder's numbers do not depend on the batch: every text sampled alone equals the same text sampled
    /// in batches of 2, 3 and 7, bit for bit (tokens and log-probabilities), and teacher forcing likewise.
    @Test func decoderIsBatchInvariantBitForBit() throws {
        let m = LlamaDecoderTests.model
        let alone = try m.sample(count: 7, length: 12, prefix: [0, 5], temperature: 1.3, seed: 9, batchSize: 1)
        for b in [2, 3, 7] {
            let batched = try m.sample(count: 7, length: 12, prefix: [0, 5], temperature: 1.3, seed: 9, batchSize: b)
            #expect(batched.tokens == alone.tokens && batched.logProbabilities == alone.logProbabilities, "batch \(b)")
        }
        let one = try LlamaDecoderTests.sequences.map { try m.logProbabilities(sequences: [$0], prefix: [0], temperature: 0.8, batchSize: 1)[0] }
        for b in [2, 4, 6] {
            #expect(try m.logProbabilities(sequences: LlamaDecoderTests.sequences, prefix: [0], temperature: 0.8, batchSize: b) == one)
        }
    }
}
