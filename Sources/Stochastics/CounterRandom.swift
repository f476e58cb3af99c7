/// Seeded random numbers addressed by `(seed, stream, step)` rather than drawn from a sequential
/// state: the values at an address are a pure function of it, so a rollout batch gives the same
/// numbers whatever the thread count, batch split or evaluation order.
///
/// Typical use: `stream` = rollout index, `step` = time step, `dimension` = noise components per
/// step. Component `j` of the draw at `(seed, stream, step)` comes from Philox4x32-10 block
/// `j / 2` of ``CounterAddress`` (key = seed, counter = `(step << 16 | j / 2, stream)`), output
/// `j % 2` of the Box–Muller pair made from its two 64-bit words. Consequently
/// - component `j` does not depend on the requested dimension (a d-draw is a prefix of a
///   (d + 1)-draw; for odd d the second normal of the last pair is discarded);
/// - counters never repeat for distinct (stream, step, component) under one seed, within the
///   limits `dimension ≤` ``maxDimension`` (2¹⁷) and `step ≤` ``CounterAddress/maxStep`` (2⁴⁸ − 1),
///   both checked with a ``StochasticsError``. Streams use all 64 bits.
///
/// Uniforms (``fillUniforms(seed:stream:step:into:)``) use the same address space: uniform `j`
/// is ``UnitInterval/open(_:)`` of 64-bit word `j % 2` of block `j / 2`, i.e. the very bits
/// the normals are made of. Use a different seed for uniforms that must be independent of the
/// normals.
public enum CounterRandom {
    /// Largest number of values per (stream, step): two per Philox block, 2¹⁶ blocks.
    public static let maxDimension = 2 * CounterAddress.maxBlocks

    // MARK: Normals

    /// Fills `buffer` with the `buffer.count` standard normals of `(seed, stream, step)`.
    @inlinable
    public static func fillNormals(
        seed: UInt64, stream: UInt64, step: UInt64, into buffer: UnsafeMutableBufferPointer<Double>
    ) throws(StochasticsError) {
        try checkDimension(buffer.count)
        guard step <= CounterAddress.maxStep else { throw .stepTooLarge(step: step, limit: CounterAddress.maxStep) }
        guard buffer.count > 0, let base = buffer.baseAddress else { return }
        normalsKernel(seed: seed, first: stream, count: 1, step: step, dimension: buffer.count, into: base)
    }

    /// Fills `buffer` with the normals of streams `streams` at `step`, `dimension` per stream,
    /// row-major: `buffer[(s − streams.lowerBound) · dimension + j]` is component `j` of stream
    /// `s`. `buffer.count` must equal `streams.count · dimension`. Identical, bit for bit, to
    /// calling ``fillNormals(seed:stream:step:into:)`` stream by stream, so any split of a
    /// batch into chunks (and any assignment of chunks to threads) gives the same numbers.
    @inlinable
    public static func fillNormals(
        seed: UInt64, streams: Range<UInt64>, step: UInt64, dimension: Int,
        into buffer: UnsafeMutableBufferPointer<Double>
    ) throws(StochasticsError) {
        let n = try checkBatch(streams: streams, step: step, dimension: dimension, available: buffer.count)
        guard n > 0, dimension > 0, let base = buffer.baseAddress else { return }
        normalsKernel(seed: seed, first: streams.lowerBound, count: n, step: step, dimension: dimension, into: base)
    }

    /// The `dimension` standard normals of `(seed, stream, step)` as an array.
    @inlinable
    public static func normals(seed: UInt64, stream: UInt64, step: UInt64, dimension: Int) throws(StochasticsError) -> [Double] {
        try checkDimension(dimension)
        guard step <= CounterAddress.maxStep else { throw .stepTooLarge(step: step, limit: CounterAddress.maxStep) }
        return [Double](unsafeUninitializedCapacity: dimension) { buffer, count in
            if dimension > 0, let base = buffer.baseAddress {
                normalsKernel(seed: seed, first: stream, count: 1, step: step, dimension: dimension, into: base)
            }
            count = dimension
        }
    }

    /// The normals of a batch of streams at one step, laid out as in
    /// ``fillNormals(seed:streams:step:dimension:into:)``.
    @inlinable
    public static func normals(seed: UInt64, streams: Range<UInt64>, step: UInt64, dimension: Int) throws(StochasticsError) -> [Double] {
        let n = try checkBatch(streams: streams, step: step, dimension: dimension, available: nil)
        var result = [Double](repeating: 0, count: n * dimension)
        try result.withUnsafeMutableBufferPointer { (buffer) throws(StochasticsError) in
            try fillNormals(seed: seed, streams: streams, step: step, dimension: dimension, into: buffer)
        }
        return result
    }

    // MARK: Uniforms

    /// Fills `buffer` with `buffer.count` doubles uniform on (0, 1) (never 0 or 1) at
    /// `(seed, stream, step)`; see the type's note on sharing bits with the normals.
    @inlinable
    public static func fillUniforms(
        seed: UInt64, stream: UInt64, step: UInt64, into buffer: UnsafeMutableBufferPointer<Double>
    ) throws(StochasticsError) {
        try checkDimension(buffer.count)
        let address = try CounterAddress(seed: seed, stream: stream, step: step)
        guard let p = buffer.baseAddress else { return }
        let count = buffer.count, pairs = count / 2
        for b in 0..<pairs {
            let (w0, w1) = address.words(block: b)
            p[2 * b] = UnitInterval.open(w0)
            p[2 * b + 1] = UnitInterval.open(w1)
        }
        if count % 2 == 1 { p[count - 1] = UnitInterval.open(address.words(block: pairs).0) }
    }

    // MARK: Checks (the kernel is in CounterRandom+Kernel.swift)

    @inlinable
    static func checkDimension(_ dimension: Int) throws(StochasticsError) {
        guard dimension >= 0 else { throw .negativeDimension(dimension) }
        guard dimension <= maxDimension else { throw .dimensionTooLarge(dimension: dimension, limit: maxDimension) }
    }

    /// Validates a batch call and returns the number of streams; `available` nil skips the buffer check.
    @inlinable
    static func checkBatch(streams: Range<UInt64>, step: UInt64, dimension: Int, available: Int?) throws(StochasticsError) -> Int {
        try checkDimension(dimension)
        guard step <= CounterAddress.maxStep else { throw .stepTooLarge(step: step, limit: CounterAddress.maxStep) }
        let span = streams.upperBound - streams.lowerBound  // no trap: Range guarantees lower ≤ upper
        let n = span <= UInt64(Int.max) ? Int(span) : nil
        let total = n.flatMap { n -> Int? in
            let (t, overflow) = n.multipliedReportingOverflow(by: dimension)
            return overflow ? nil : t
        }
        guard let n, let total else { throw .bufferSizeMismatch(required: nil, available: available ?? 0) }
        if let available, available != total { throw .bufferSizeMismatch(required: total, available: available) }
        return n
    }
}
