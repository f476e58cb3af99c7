import LinearAlgebra

/// The mean-field map g(m) = φ(x + J m) evaluated into caller-owned memory, for the iterative solvers
/// (docs/theory/spin-fixed-points.md §2): one GEMM into the output (which first holds x), then the site-wise response
/// in place. No allocation beyond the N per-site norms the caller passes.
extension NaiveMeanField {
    /// out ← φ(x + J m) for N × D column-major arrays; `norms` has N entries of scratch.
    /// - Throws: ``SpinModelsError/nonFinite(_:)`` for a non-finite field.
    func evaluateMap(_ m: UnsafePointer<Double>, into out: UnsafeMutablePointer<Double>,
                     norms: UnsafeMutablePointer<Double>) throws(SpinModelsError) {
        let n = sites, d = space.dimension
        inputs.storage.withUnsafeBufferPointer { x in out.update(from: x.baseAddress!, count: n * d) }
        multiply(.none, m, into: out, accumulate: true)
        for i in 0..<n { norms[i] = 0 }
        for j in 0..<d {
            let col = out + j * n
            for i in 0..<n { norms[i] += col[i] * col[i] }
        }
        for i in 0..<n {
            let h2 = norms[i]
            guard h2.isFinite else { throw .nonFinite("mean-field field of site \(i)") }
            switch response {
            case .largeDimension:
                norms[i] = beta / (1 + space.stiffness(fieldNormSquared: h2, beta: beta))
            case .exact:
                let h = h2.squareRoot()
                norms[i] = h > 0 ? space.radius * space.besselRatio(beta * space.radius * h) / h : 0
            }
        }
        for j in 0..<d {
            let col = out + j * n
            for i in 0..<n { col[i] *= norms[i] }
        }
    }
}
