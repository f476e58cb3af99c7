import LinearAlgebra

/// Entropy-production rates of many OU models that share one diffusion matrix.
///
/// 2-D models take the allocation-free closed form of ``OrnsteinUhlenbeck2D``; larger ones the full
/// ``OrnsteinUhlenbeck`` (Bartels–Stewart). Work is split over `threads` workers in contiguous
/// chunks (≤ 0: one per core) and every model is computed by the same code whatever the split, so
/// the result does not depend on the thread count.
extension OrnsteinUhlenbeck {
    /// σ of each drift Bₖ with diffusion D.
    /// - Throws: ``ThermodynamicsError/batchElement(index:reason:)`` for the first invalid model,
    ///   ``ThermodynamicsError/dimensionMismatch(detail:)`` if shapes differ.
    public static func entropyProductionRates(drifts: [Matrix], diffusion: Matrix, threads: Int = 0) throws -> [Double] {
        let n = diffusion.rows
        for (k, b) in drifts.enumerated() where b.rows != n || b.columns != n {
            throw ThermodynamicsError.dimensionMismatch(
                detail: "drift \(k) is \(b.rows)×\(b.columns) but the diffusion matrix is \(diffusion.rows)×\(diffusion.columns)")
        }
        if n == 2 {
            return try OrnsteinUhlenbeck2D.entropyProductionRates(
                drifts: try drifts.map(Matrix2x2.init), diffusion: try Matrix2x2(diffusion), threads: threads)
        }
        _ = try validatedDiffusion(diffusion, dimension: n)
        var results = [Result<Double, Error>](repeating: .success(0), count: drifts.count)
        results.withUnsafeMutableBufferPointer { buffer in
            let sink = UnsafeSendableBuffer(buffer)
            parallelChunks(count: drifts.count, threads: threads) { range in
                for k in range {
                    sink[k] = Result { try OrnsteinUhlenbeck(drift: drifts[k], diffusion: diffusion).entropyProductionRate }
                }
            }
        }
        return try results.enumerated().map { k, r in
            do { return try r.get() } catch { throw ThermodynamicsError.batchElement(index: k, reason: "\(error)") }
        }
    }
}
