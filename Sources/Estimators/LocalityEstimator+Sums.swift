import Dynamics

extension LocalityEstimator {
    /// The moment sums of every lag and jackknife block: for lag ℓ and block g, the upper triangle of
    /// Σ z zᵀ (W × W, row-major) over the block's samples, z = [b(x_t), h(x_{t−τ}), x_{t+1} − x_t]. Entry (0, 0)
    /// is the sample count (b_0 = 1). Blocks are allocated when a sample lands in them.
    ///
    /// A ``TrajectoryAccumulator`` fed by ``TrajectoryData/withSegment(_:_:)`` (segment i = "rollout" i of the
    /// layout), one fresh accumulator per segment, folded in segment order: the sums are a fixed function of
    /// the data, whatever the thread count.
    struct Sums: TrajectoryAccumulator {
        let estimator: LocalityEstimator
        let layout: SampleLayout
        /// Index ℓ · G + g.
        var blocks: [[Double]?]

        init(_ estimator: LocalityEstimator, layout: SampleLayout) {
            self.estimator = estimator; self.layout = layout
            blocks = []
        }

        mutating func consume(_ segment: TrajectorySegment) throws {
            let e = estimator, d = e.dimension, w = e.width, k = e.basis.count
            guard segment.dimension == d else { throw EstimatorError.dimensionMismatch(expected: d, found: segment.dimension) }
            // The history x_{t−τ} of sample t must be in the same buffer: whole segments only (TrajectoryData's).
            guard segment.firstStep == 0 else { throw EstimatorError.invalidArgument("locality sums take whole segments (first step 0)") }
            let pairs = segment.count - 1
            guard pairs > (e.lags.min() ?? 0), let x = segment.states.baseAddress else { return }
            let layout = self.layout, g = layout.blocks
            // Work on a uniquely held copy (no copy-on-write of the block sums), stored back at the end.
            var blocks = self.blocks.isEmpty ? [[Double]?](repeating: nil, count: e.lags.count * g) : self.blocks
            self.blocks = []
            defer { self.blocks = blocks }
            let rowsPerBlock = min(blockRows(width: w), pairs)
            var rows = [Double](repeating: 0, count: rowsPerBlock * w + k)
            try rows.withUnsafeMutableBufferPointer { buffer in
                let z = buffer.baseAddress!, lagged = z + rowsPerBlock * w
                for (l, lag) in e.lags.enumerated() where pairs > lag {
                    try layout.forEachRun(rollout: segment.rollout, firstPair: segment.firstStep, pairCount: pairs) { b, run in
                        var t = max(run.lowerBound, lag)
                        guard t < run.upperBound else { return }
                        if blocks[l * g + b] == nil { blocks[l * g + b] = Array(repeating: 0, count: w * w) }
                        blocks[l * g + b]!.withUnsafeMutableBufferPointer { sums in
                            while t < run.upperBound {
                                let n = min(rowsPerBlock, run.upperBound - t)
                                for r in 0..<n {
                                    let now = x + (t + r) * d, row = z + r * w
                                    e.basis.evaluate(now, into: row)
                                    e.basis.evaluate(now - lag * d, into: lagged)
                                    for j in 1..<k { row[k + j - 1] = lagged[j] }
                                    for j in 0..<d { row[2 * k - 1 + j] = now[d + j] - now[j] }
                                }
                                addGram(z, rows: n, width: w, into: sums.baseAddress!)
                                t += n
                            }
                        }
                    }
                }
            }
        }

        mutating func merge(_ other: Sums) throws {
            guard other.estimator == estimator, other.layout == layout else { throw EstimatorError.incompatibleAccumulators }
            guard !other.blocks.isEmpty else { return }
            if blocks.isEmpty { blocks = other.blocks; return }
            for (i, block) in other.blocks.enumerated() {
                guard let block else { continue }
                if blocks[i] == nil { blocks[i] = block; continue }
                blocks[i]!.withUnsafeMutableBufferPointer { mine in
                    for j in 0..<mine.count { mine[j] += block[j] }
                }
            }
        }

        /// The G block sums of lag index `l` (nil: no sample in that block).
        func blockSums(lag l: Int) -> [[Double]?] {
            guard !blocks.isEmpty else { return Array(repeating: nil, count: layout.blocks) }
            return Array(blocks[(l * layout.blocks)..<((l + 1) * layout.blocks)])
        }
    }

    /// Makes the per-segment ``Sums``.
    struct SumsObserver: TrajectoryObserver {
        let estimator: LocalityEstimator
        let layout: SampleLayout
        func makeAccumulator() -> Sums { Sums(estimator, layout: layout) }
    }
}
