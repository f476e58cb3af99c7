import LinearAlgebra

/// Entropy-production rates of many OU models that share one diffusion matrix.
///
/// 2-D models take the allocation-free closed form of ``OrnsteinUhlenbeck2D``; larger ones the full
/// ``OrnsteinUhlenbeck`` (Bartels–Stewart). Work is split over `threads` workers in contiguous
/// chunks (≤ 0: one per core) and every model is computed by the same code whatever the split, so
/// the result does not depend on the thread count.
extension OrnsteinUhlenbeck {
    /// σ of each drift Bₖ with diffusion D.
    /// - Throws: ``ThermodynamicsError/batchElement(index:reason:)`` for the first invalid model (an error, or
    ///   a σ that is not finite; a 2-D closed form that overflows is first recomputed by the general solver),
    ///   ``ThermodynamicsError/dimensionMismatch(detail:)`` if shapes differ.
    public static func entropyProductionRates(drifts: [Matrix], diffusion: Matrix, threads: Int = 0) throws -> [Double] {
        // The same per-model code as the skipping batch; here the first invalid model (an error, or a σ
        // that is not finite) ends the batch.
        let (rates, invalid) = try entropyProductionRatesSkippingInvalid(drifts: drifts, diffusion: diffusion, threads: threads)
        if let first = invalid.first { throw ThermodynamicsError.batchElement(index: first.index, reason: first.reason) }
        return rates
    }
}
