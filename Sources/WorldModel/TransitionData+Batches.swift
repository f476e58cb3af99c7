import Stochastics

extension TransitionData {
    /// Fills a minibatch of `points.count / d` pairs drawn uniformly **with replacement**: pair i of
    /// training step `step` is index ⌊u_i · count⌋ with u_i the ``CounterRandom`` uniform i at
    /// (seed, stream 0, step), so batches are a pure function of (seed, step). Allocates nothing
    /// (the uniforms are drawn into the front of `points` and consumed back to front).
    /// - Throws: ``WorldModelError`` when the buffers' lengths differ or are not a multiple of d,
    ///   the batch is empty or above ``CounterRandom/maxDimension``, the data are empty, or
    ///   `step` is above the generator's limit.
    public func fillBatch(
        seed: UInt64, step: UInt64, points: UnsafeMutableBufferPointer<Double>, targets: UnsafeMutableBufferPointer<Double>
    ) throws(WorldModelError) {
        let d = dimension, n = count
        guard points.count == targets.count, points.count % d == 0 else {
            throw .dimensionMismatch(detail: "batch buffers of \(points.count) and \(targets.count) values for d = \(d)")
        }
        let size = points.count / d
        guard size >= 1, size <= CounterRandom.maxDimension else {
            throw .invalidCount(name: "batch size", value: size, requirement: "in 1...\(CounterRandom.maxDimension)")
        }
        guard n >= 1 else { throw .invalidCount(name: "transition pairs", value: n, requirement: "≥ 1") }
        do {
            try CounterRandom.fillUniforms(seed: seed, stream: 0, step: step, into: UnsafeMutableBufferPointer(rebasing: points[0..<size]))
        } catch {
            throw .invalidCount(name: "batch step", value: Int(clamping: step), requirement: "≤ 2^48 − 1")
        }
        // Back to front: writing pair i touches [i·d, i·d + d) ⊇ only uniforms of index ≥ i, already used.
        for i in stride(from: size - 1, through: 0, by: -1) {
            let index = min(Int(points[i] * Double(n)), n - 1)
            for j in 0..<d {
                points[i * d + j] = self.points[index * d + j]
                targets[i * d + j] = self.targets[index * d + j]
            }
        }
    }

    /// Array form of ``fillBatch(seed:step:points:targets:)``: a minibatch of `size` pairs.
    public func batch(size: Int, seed: UInt64, step: UInt64) throws(WorldModelError) -> (points: [Double], targets: [Double]) {
        guard size >= 1 else { throw .invalidCount(name: "batch size", value: size, requirement: "≥ 1") }
        var p = [Double](repeating: 0, count: size * dimension), u = p
        try p.withUnsafeMutableBufferPointer { (pb) throws(WorldModelError) in
            try u.withUnsafeMutableBufferPointer { (ub) throws(WorldModelError) in
                try fillBatch(seed: seed, step: step, points: pb, targets: ub)
            }
        }
        return (p, u)
    }
}
