import CNoise

/// The fast noise of the Euler–Maruyama engine: each stream is one long sequence of standard
/// normals, normal `n` (n = 0, 1, 2, …) of stream `s` a pure function of `(seed, s, n)`.
///
/// Scheme (Philox4x32-10 as in ``Philox4x32``, then Box–Muller in float32):
///
///     block b = n / 4, lane n % 4
///     (x₀, x₁, x₂, x₃) = Philox4x32-10(counter = (lo32 b, hi32 b, lo32 s, hi32 s), key = (lo32 seed, hi32 seed))
///     u(w) = float32 nearest to (w + ½)·2⁻³²                       ∈ [2⁻³³, 1]
///     lanes 0, 1 = √(−2 ln u(x₀)) · (cos, sin)(2π u(x₁)),  lanes 2, 3 = the same with (x₂, x₃)
///
/// `log` and `sincos(2πu)` are float32 polynomials (Cephes `logf`; Taylor series of sin/cos(πy/2)
/// on y ∈ [−½, ½] after the exact reduction 4u = q + y), returned as `Double`.
///
/// **Accuracy.** Float32 resolution: each normal is within 2·10⁻⁶ absolute (≈ 10⁻⁷ relative) of the
/// double-precision libm formula on the same uniforms (tested on random and edge words), far below
/// the O(Δt) discretization error of Euler–Maruyama. Truncation: u ≥ 2⁻³³, so
/// |z| ≤ √(2 ln 2³³) ≈ 6.76; a standard normal exceeds that with probability ≈ 1.4·10⁻¹¹.
/// Uniforms are 32-bit (resolution 2⁻³²). For statistics that need the far tails or more than
/// 2³² distinct uniforms, use ``CounterRandom`` (53-bit uniforms, double-precision Box–Muller).
///
/// **Speed and reproducibility.** The C kernel (`CNoise`) evaluates 8 Philox blocks (32 normals) per
/// iteration with AVX2 + FMA when the CPU has both (chosen at run time, ``usesAVX2``), and otherwise
/// runs a portable C kernel that performs the same IEEE float32 operations in the same order with
/// the same explicit fused multiply-adds: both give the same bits (tested). Results do not depend
/// on threads, on how a range of indices is split into calls, or on the CPU.
///
/// Limits: indices `n` use all 64 bits; a request whose indices would pass 2⁶⁴ − 1 throws
/// ``StochasticsError/indexOverflow(first:count:)``.
public enum NoiseStream {
    /// Whether this process runs the AVX2 + FMA kernel (otherwise the portable one; same bits).
    public static var usesAVX2: Bool { pt_noise_uses_avx2() != 0 }

    /// Normals `first ..< first + buffer.count` of `(seed, stream)` into `buffer`.
    ///
    /// - Throws: ``StochasticsError/indexOverflow(first:count:)`` when `first + buffer.count − 1`
    ///   exceeds `UInt64.max`.
    @inlinable
    public static func fill(seed: UInt64, stream: UInt64, first: UInt64,
                            into buffer: UnsafeMutableBufferPointer<Double>) throws(StochasticsError) {
        try checkRange(first: first, count: buffer.count)
        guard let base = buffer.baseAddress, buffer.count > 0 else { return }
        pt_noise_fill(seed, stream, first, buffer.count, base)
    }

    /// The same with the portable kernel forced (for tests and comparisons; same bits as ``fill(seed:stream:first:into:)``).
    public static func fillPortable(seed: UInt64, stream: UInt64, first: UInt64,
                                    into buffer: UnsafeMutableBufferPointer<Double>) throws(StochasticsError) {
        try checkRange(first: first, count: buffer.count)
        guard let base = buffer.baseAddress, buffer.count > 0 else { return }
        pt_noise_fill_portable(seed, stream, first, buffer.count, base)
    }

    /// The kernels of ``fill(seed:stream:first:into:)``: `portable`, `avx2` (AVX2 + FMA), `avx512` (AVX-512 F + DQ).
    public enum Kernel: Int32, CaseIterable, Sendable {
        case portable = 0, avx2 = 1, avx512 = 2
    }

    /// The same as ``fill(seed:stream:first:into:)`` with a chosen kernel (for tests: every kernel gives the same
    /// bits). Returns `false`, writing nothing, when this CPU or build lacks the kernel.
    public static func fill(kernel: Kernel, seed: UInt64, stream: UInt64, first: UInt64,
                            into buffer: UnsafeMutableBufferPointer<Double>) throws(StochasticsError) -> Bool {
        try checkRange(first: first, count: buffer.count)
        guard let base = buffer.baseAddress, buffer.count > 0 else { return true }
        return pt_noise_fill_kernel(kernel.rawValue, seed, stream, first, buffer.count, base) == 0
    }

    /// Normals `first ..< first + count` of `(seed, stream)` as an array.
    public static func normals(seed: UInt64, stream: UInt64, first: UInt64, count: Int) throws(StochasticsError) -> [Double] {
        guard count >= 0 else { throw .negativeDimension(count) }
        try checkRange(first: first, count: count)
        return [Double](unsafeUninitializedCapacity: count) { b, n in
            if let base = b.baseAddress, count > 0 { pt_noise_fill(seed, stream, first, count, base) }
            n = count
        }
    }

    /// Euler–Maruyama noise of a batch: for each stream `s` in `streams`, steps
    /// `firstStep ..< firstStep + steps` of `dimension` normals each (step k of a d-dimensional rollout
    /// uses normals `[k·d, (k + 1)·d)` of its stream), step-major:
    ///
    ///     buffer[(k · streams.count + i) · d + j] = normal (firstStep + k)·d + j of stream streams.lowerBound + i
    ///
    /// so the noise of one step for the whole batch is contiguous. Bitwise equal to ``fill(seed:stream:first:into:)``
    /// stream by stream; independent of how steps or streams are split into calls.
    ///
    /// - Throws: ``StochasticsError/bufferSizeMismatch(required:available:)`` unless
    ///   `buffer.count == streams.count · steps · dimension`; ``StochasticsError/negativeDimension(_:)``
    ///   for negative `steps` or `dimension`; ``StochasticsError/indexOverflow(first:count:)`` when
    ///   `(firstStep + steps) · dimension` exceeds 2⁶⁴.
    @inlinable
    public static func fillSteps(seed: UInt64, streams: Range<UInt64>, firstStep: UInt64, steps: Int, dimension: Int,
                                 into buffer: UnsafeMutableBufferPointer<Double>) throws(StochasticsError) {
        try fillSteps(seed: seed, streams: streams, firstStep: firstStep, steps: steps, dimension: dimension,
                      into: buffer, portable: false)
    }

    /// ``fillSteps(seed:streams:firstStep:steps:dimension:into:)`` with the portable kernel forced
    /// (for tests and comparisons; same bits).
    public static func fillStepsPortable(seed: UInt64, streams: Range<UInt64>, firstStep: UInt64, steps: Int,
                                         dimension: Int, into buffer: UnsafeMutableBufferPointer<Double>) throws(StochasticsError) {
        try fillSteps(seed: seed, streams: streams, firstStep: firstStep, steps: steps, dimension: dimension,
                      into: buffer, portable: true)
    }

    @inlinable
    static func fillSteps(seed: UInt64, streams: Range<UInt64>, firstStep: UInt64, steps: Int, dimension: Int,
                          into buffer: UnsafeMutableBufferPointer<Double>, portable: Bool) throws(StochasticsError) {
        guard steps >= 0 else { throw .negativeDimension(steps) }
        guard dimension >= 0 else { throw .negativeDimension(dimension) }
        let width = streams.upperBound - streams.lowerBound
        guard width <= UInt64(Int.max) else { throw .bufferSizeMismatch(required: nil, available: buffer.count) }
        let (perStream, o1) = steps.multipliedReportingOverflow(by: dimension)
        let (total, o2) = perStream.multipliedReportingOverflow(by: Int(width))
        guard !o1, !o2 else {
            throw .bufferSizeMismatch(required: nil, available: buffer.count)
        }
        guard total == buffer.count else { throw .bufferSizeMismatch(required: total, available: buffer.count) }
        let (first, o3) = firstStep.multipliedReportingOverflow(by: UInt64(dimension))
        guard !o3 else { throw .indexOverflow(first: UInt64.max, count: perStream) }
        try checkRange(first: first, count: perStream)
        guard let base = buffer.baseAddress, total > 0 else { return }
        if portable {
            pt_noise_fill_steps_portable(seed, streams.lowerBound, Int(width), firstStep, steps, dimension, base)
        } else {
            pt_noise_fill_steps(seed, streams.lowerBound, Int(width), firstStep, steps, dimension, base)
        }
    }

    /// Throws unless indices `first ..< first + count` all fit in 64 bits.
    @inlinable
    static func checkRange(first: UInt64, count: Int) throws(StochasticsError) {
        guard count > 0 else { return }
        let (_, overflow) = first.addingReportingOverflow(UInt64(count - 1))
        if overflow { throw .indexOverflow(first: first, count: count) }
    }

    // MARK: Test hooks

    /// The float32 uniform u(w) = round((w + ½)·2⁻³²) of the scheme.
    public static func uniform(_ word: UInt32) -> Float { pt_noise_uniform(word) }

    /// The Box–Muller stage alone on raw Philox words (4 per block → 4 normals), with the
    /// dispatched kernel or (`portable: true`) the portable one. For tests on edge words.
    public static func transform(words: [UInt32], portable: Bool = false) -> [Double] {
        let blocks = words.count / 4
        return [Double](unsafeUninitializedCapacity: blocks * 4) { b, n in
            words.withUnsafeBufferPointer { w in
                if let wb = w.baseAddress, let ob = b.baseAddress, blocks > 0 {
                    if portable { pt_noise_transform_portable(wb, blocks, ob) } else { pt_noise_transform(wb, blocks, ob) }
                }
            }
            n = blocks * 4
        }
    }
}
