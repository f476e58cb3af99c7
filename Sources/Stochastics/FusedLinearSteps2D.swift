import CNoise

/// Euler–Maruyama steps of the 2-D linear drift with the ``NoiseStream`` noise generated and
/// consumed in registers (the fused C kernel `pt_em_linear2`): for each stream s of a batch and
/// steps k = firstStep, …, firstStep + steps − 1,
///
///     f = (b₀₀x₀ + b₀₁x₁, b₁₀x₀ + b₁₁x₁),   x ← (x + Δt·f) + a·ξ_k,   ξ_k = normals 2k, 2k + 1 of stream s
///
/// (Eq. 19 of arXiv:2606.28751 with f(x) = Bx), every operation a separately rounded double (no fused
/// multiply-add), so the states are bitwise those of drawing the noise with
/// ``NoiseStream/fillSteps(seed:streams:firstStep:steps:dimension:into:)`` and stepping in Swift
/// with the same formula. The kernel is chosen at run time: AVX-512 (F + DQ, 32 streams per lane
/// group) when ``usesAVX512``, else AVX2 + FMA (16 streams) when ``NoiseStream/usesAVX2``, else a
/// portable C one; all three give the same bits (tested).
public enum FusedLinearSteps2D {
    /// Which C kernel runs (for tests and comparisons; ``automatic`` is the best available).
    public enum Kernel: Int32, CaseIterable, Sendable {
        case automatic = -1, portable = 0, avx2 = 1, avx512 = 2

        /// Whether this CPU (and build) can run the kernel.
        public var isAvailable: Bool {
            switch self {
            case .automatic, .portable: return true
            case .avx2: return NoiseStream.usesAVX2
            case .avx512: return FusedLinearSteps2D.usesAVX512
            }
        }
    }

    /// Whether ``Kernel/automatic`` runs the AVX-512 kernel on this CPU.
    public static var usesAVX512: Bool { pt_noise_uses_avx512() != 0 }

    /// The first non-finite state of a batch: step index and stream offset within the batch.
    public struct Divergence: Equatable, Sendable {
        public var step: UInt64
        public var streamOffset: Int
    }

    /// Advances the states `x` (row-major streams.count × 2) in place.
    ///
    /// - Parameters:
    ///   - matrix: B row-major (b₀₀, b₀₁, b₁₀, b₁₁).
    ///   - amplitude: a = √(2DΔt).
    /// - Returns: `nil`, or the first step at which a state became non-finite and the lowest stream
    ///   offset non-finite at that step (the states are then unspecified).
    /// - Throws: ``StochasticsError/bufferSizeMismatch(required:available:)`` unless
    ///   `x.count == 2 · streams.count`; ``StochasticsError/negativeDimension(_:)`` for negative
    ///   `steps`; ``StochasticsError/indexOverflow(first:count:)`` when 2·(firstStep + steps) passes 2⁶⁴;
    ///   ``StochasticsError/kernelUnavailable(_:)`` when `kernel` cannot run on this CPU.
    public static func advance(seed: UInt64, streams: Range<UInt64>, firstStep: UInt64, steps: Int,
                               matrix: SIMD4<Double>, timeStep: Double, amplitude: Double,
                               states x: UnsafeMutableBufferPointer<Double>, kernel: Kernel = .automatic)
        throws(StochasticsError) -> Divergence? {
        guard steps >= 0 else { throw .negativeDimension(steps) }
        guard kernel.isAvailable else { throw .kernelUnavailable(String(describing: kernel)) }
        let width = streams.upperBound - streams.lowerBound
        guard width <= UInt64(Int.max / 2), Int(width) * 2 == x.count else {
            throw .bufferSizeMismatch(required: width <= UInt64(Int.max / 2) ? Int(width) * 2 : nil, available: x.count)
        }
        let (first, o1) = firstStep.multipliedReportingOverflow(by: 2)
        guard !o1 else { throw .indexOverflow(first: UInt64.max, count: 2 * steps) }
        try NoiseStream.checkRange(first: first, count: 2 * steps)
        guard let base = x.baseAddress, width > 0, steps > 0 else { return nil }
        var badStep: UInt64 = 0
        var badStream = 0
        let b = [matrix[0], matrix[1], matrix[2], matrix[3]]
        let failed = b.withUnsafeBufferPointer { bp in
            pt_em_linear2_kernel(kernel.rawValue, seed, streams.lowerBound, Int(width), firstStep, steps,
                                 bp.baseAddress!, timeStep, amplitude, base, &badStep, &badStream)
        }
        guard failed >= 0 else { throw .kernelUnavailable(String(describing: kernel)) }
        return failed != 0 ? Divergence(step: badStep, streamOffset: badStream) : nil
    }
}
