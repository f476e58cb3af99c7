import LinearAlgebra
import Stochastics

/// The buffers of one worker of ``VonMisesFisherChain/sample(_:)`` and the time loop of one unit of chains
/// (docs/theory/spin-chain.md §3). States and fields of the unit's `cb` chains are stacked as (cb·D) × N column-major
/// matrices — row c·D + k, column i is component k of site i in chain c — so site i of chain c is D contiguous
/// values and H = X + S Jᵀ is one `dgemm`.
final class ChainUnitWorkspace {
    let chain: VonMisesFisherChain
    let n: Int, d: Int, capacity: Int
    private let drive, previousState, state, previousField, field, stateSum, normals, correlations: UnsafeMutablePointer<Double>
    private let zeroField: UnsafeMutablePointer<Double>
    private var pathSum: [Double], startNormaliser: [Double], endNormaliser: [Double], values: [Double]

    /// Buffers for up to `chains` chains.
    init(chain: VonMisesFisherChain, chains: Int) {
        self.chain = chain
        n = chain.sites
        d = chain.space.dimension
        capacity = chains
        let size = chains * d * n
        drive = .allocate(capacity: size); previousState = .allocate(capacity: size); state = .allocate(capacity: size)
        previousField = .allocate(capacity: size); field = .allocate(capacity: size); stateSum = .allocate(capacity: size)
        normals = .allocate(capacity: size)
        correlations = .allocate(capacity: chains * n * n)
        zeroField = .allocate(capacity: d)
        zeroField.initialize(repeating: 0, count: d)
        pathSum = [Double](repeating: 0, count: chains)
        startNormaliser = pathSum; endNormaliser = pathSum
        values = [Double](repeating: 0, count: ChainLayout(sites: n, dimension: d).length)
    }

    deinit {
        for p in [drive, previousState, state, previousField, field, stateSum, normals, correlations, zeroField] {
            p.deallocate()
        }
    }

    /// Runs chains `firstGlobalChain ..< firstGlobalChain + cb` (global index r·C + c) for `burnIn + steps` steps and
    /// returns their per-chain time averages folded in chain order, and the number of Wood attempts.
    func run(seeds: ChainSeeds, firstGlobalChain g0: UInt64, chains cb: Int, burnIn: Int, steps: Int)
        throws(SpinModelsError) -> (ChainMoments, Int) {
        let rows = cb * d, size = rows * n
        let beta = chain.beta, radius = chain.space.radius, betaRadius = beta * radius
        // X tiled over the chains.
        chain.inputs.storage.withUnsafeBufferPointer { x in
            for i in 0..<n { for c in 0..<cb { for k in 0..<d { drive[c * d + k + rows * i] = x[i + n * k] } } }
        }
        stateSum.update(repeating: 0, count: size)
        correlations.update(repeating: 0, count: cb * n * n)
        for c in 0..<cb { pathSum[c] = 0; startNormaliser[c] = 0; endNormaliser[c] = 0 }
        var tries = 0
        var s0 = previousState, s1 = state, h0 = previousField, h1 = field
        // Step 0: uniform directions (a zero field), then the fields they produce.
        tries += try drawAll(step: 0, fields: nil, into: s0, seeds: seeds, g0: g0, cb: cb, betaRadius: betaRadius, radius: radius)
        computeFields(of: s0, into: h0, rows: rows)
        if burnIn == 0 { logNormalisers(h0, rows: rows, cb: cb, into: &startNormaliser) }
        let total = burnIn + steps
        for step in 1...total {
            tries += try drawAll(step: step, fields: h0, into: s1, seeds: seeds, g0: g0, cb: cb, betaRadius: betaRadius,
                                 radius: radius)
            computeFields(of: s1, into: h1, rows: rows)
            if step > burnIn {
                for e in 0..<size { stateSum[e] += s1[e] }
                for c in 0..<cb {
                    BLAS.gemm(.columnMajor, .transpose, .none, m: n, n: n, k: d, alpha: 1,
                              a: s1 + c * d, lda: rows, b: s0 + c * d, ldb: rows,
                              beta: 1, c: correlations + c * n * n, ldc: n)
                    var forward = 0.0, backward = 0.0
                    for i in 0..<n {
                        let o = c * d + rows * i
                        for k in 0..<d { forward += h0[o + k] * s1[o + k]; backward += h1[o + k] * s0[o + k] }
                    }
                    pathSum[c] += beta * (forward - backward)
                }
            }
            if step == burnIn { logNormalisers(h1, rows: rows, cb: cb, into: &startNormaliser) }
            swap(&s0, &s1)
            swap(&h0, &h1)
        }
        logNormalisers(h0, rows: rows, cb: cb, into: &endNormaliser)
        return (fold(rows: rows, cb: cb, steps: steps), tries)
    }

    /// Draws every (chain, site) of step `step` from `fields` (nil: uniform), writing the states.
    private func drawAll(step: Int, fields: UnsafeMutablePointer<Double>?, into s: UnsafeMutablePointer<Double>,
                         seeds: ChainSeeds, g0: UInt64, cb: Int, betaRadius: Double, radius: Double)
        throws(SpinModelsError) -> Int {
        let rows = cb * d, nd = n * d
        do {
            try NoiseStream.fillSteps(seed: seeds.directions, streams: g0..<(g0 + UInt64(cb)), firstStep: UInt64(step),
                                      steps: 1, dimension: nd, into: UnsafeMutableBufferPointer(start: normals, count: cb * nd))
        } catch { throw .invalidArgument("random stream: \(error)") }
        var tries = 0
        for c in 0..<cb {
            for i in 0..<n {
                let address: CounterAddress
                do {
                    address = try CounterAddress(seed: seeds.scalars, stream: g0 + UInt64(c), step: UInt64(step * n + i))
                } catch { throw .invalidArgument("random stream: \(error)") }
                var scalars = ScalarDraws(address: address)
                let h = fields.map { UnsafePointer($0 + c * d + rows * i) } ?? UnsafePointer(zeroField)
                tries += try VonMisesFisherSampler.draw(field: h, normals: normals + c * nd + i * d,
                                                        into: s + c * d + rows * i, dimension: d,
                                                        betaRadius: betaRadius, radius: radius, scalars: &scalars)
            }
        }
        return tries
    }

    /// H = X + S Jᵀ for the stacked states.
    private func computeFields(of s: UnsafeMutablePointer<Double>, into h: UnsafeMutablePointer<Double>, rows: Int) {
        h.update(from: drive, count: rows * n)
        chain.couplings.storage.withUnsafeBufferPointer { j in
            BLAS.gemm(.columnMajor, .none, .transpose, m: rows, n: n, k: n, alpha: 1, a: s, lda: rows,
                      b: j.baseAddress!, ldb: n, beta: 1, c: h, ldc: rows)
        }
    }

    /// Σ_i ln C_D(κ_i) − ln C_D(0) per chain for the stacked fields.
    private func logNormalisers(_ h: UnsafeMutablePointer<Double>, rows: Int, cb: Int, into out: inout [Double]) {
        let betaRadius = chain.beta * chain.space.radius
        for c in 0..<cb {
            var sum = 0.0
            for i in 0..<n {
                var hh = 0.0
                let o = c * d + rows * i
                for k in 0..<d { hh += h[o + k] * h[o + k] }
                sum += chain.space.logNormaliserDifference(betaRadius * hh.squareRoot())
            }
            out[c] = sum
        }
    }

    /// Each chain's time averages as one vector (``ChainLayout``), folded in chain order.
    private func fold(rows: Int, cb: Int, steps: Int) -> ChainMoments {
        let layout = ChainLayout(sites: n, dimension: d)
        var moments = ChainMoments(length: layout.length)
        let scale = 1 / Double(steps), beta = chain.beta
        for c in 0..<cb {
            for i in 0..<n {
                var norm = 0.0
                for k in 0..<d {
                    let v = stateSum[c * d + k + rows * i] * scale
                    values[layout.magnetizations + i + n * k] = v
                    norm += v * v
                }
                values[layout.norms + i] = norm.squareRoot()
            }
            var relation = 0.0
            chain.couplings.storage.withUnsafeBufferPointer { j in
                for col in 0..<n {
                    for row in 0..<n {
                        let v = correlations[c * n * n + row + n * col] * scale
                        values[layout.correlations + row + n * col] = v
                        relation += (j[row + n * col] - j[col + n * row]) * v
                    }
                }
            }
            values[layout.relation] = beta * relation
            values[layout.pathRatio] = (pathSum[c] + startNormaliser[c] - endNormaliser[c]) * scale
            values.withUnsafeBufferPointer { moments.add($0) }
        }
        return moments
    }
}
