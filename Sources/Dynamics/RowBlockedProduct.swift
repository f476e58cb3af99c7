import LinearAlgebra

/// Batch-size-independent matrix products for drift evaluation.
///
/// An optimized `dgemm` may compute a row of X·G differently (other kernel, other summation
/// order) depending on how many rows the call has: with OpenBLAS 0.3.21 a 64-term dot product
/// differs in the last bit between calls of 1, 2, 3, 7, … rows and calls of 4k rows. The engine
/// steps chunks of any size, so that would make trajectories depend on the chunk. Here every
/// `dgemm` call has exactly ``rowBlock`` rows (a multiple of every BLAS micro-kernel's row
/// unrolling), the last partial block zero-padded through scratch buffers; in a full block
/// each row goes through the same SIMD lane arithmetic wherever it sits, so a point's result
/// depends on that point alone (verified bit for bit by the engine's thread/chunk tests).
struct RowBlockedProduct {
    /// Rows per `dgemm` call.
    static let rowBlock = 16

    /// Y (n × c) = X (n × k) · op(G), row-major, with op(G) k × c: `G` is stored row-major
    /// k × c (`transposed == false`) or c × k (`transposed == true`).
    /// `padIn` holds ≥ rowBlock·k and `padOut` ≥ rowBlock·c doubles.
    static func multiply(
        _ x: UnsafePointer<Double>, rows n: Int, inner k: Int,
        _ g: UnsafePointer<Double>, columns c: Int, transposed: Bool,
        into y: UnsafeMutablePointer<Double>,
        padIn: UnsafeMutablePointer<Double>, padOut: UnsafeMutablePointer<Double>
    ) {
        let r = rowBlock
        let transG: BLAS.Transpose = transposed ? .transpose : .none
        let ldg = transposed ? k : c
        var start = 0
        while start + r <= n {
            BLAS.gemm(.rowMajor, .none, transG, m: r, n: c, k: k,
                      alpha: 1, a: x + start * k, lda: k, b: g, ldb: ldg, beta: 0, c: y + start * c, ldc: c)
            start += r
        }
        let tail = n - start
        guard tail > 0 else { return }
        padIn.update(from: x + start * k, count: tail * k)
        (padIn + tail * k).update(repeating: 0, count: (r - tail) * k)
        BLAS.gemm(.rowMajor, .none, transG, m: r, n: c, k: k,
                  alpha: 1, a: padIn, lda: k, b: g, ldb: ldg, beta: 0, c: padOut, ldc: c)
        (y + start * c).update(from: padOut, count: tail * c)
    }
}

/// Scratch buffers of the built-in drifts (one per thread): row-block padding and, for the
/// softmax drift, the n × M scores.
public final class DriftScratch {
    let padIn: UnsafeMutablePointer<Double>
    let padOut: UnsafeMutablePointer<Double>
    let scores: UnsafeMutablePointer<Double>
    /// Largest batch this scratch serves.
    public let capacity: Int

    init(capacity: Int, padIn: Int, padOut: Int, scores: Int) {
        self.capacity = capacity
        self.padIn = .allocate(capacity: max(1, padIn))
        self.padOut = .allocate(capacity: max(1, padOut))
        self.scores = .allocate(capacity: max(1, scores))
    }

    deinit {
        padIn.deallocate()
        padOut.deallocate()
        scores.deallocate()
    }
}
