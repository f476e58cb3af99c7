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
    private var pathSum: [Double], normaliserChange: [Double], values: [Double]
    /// Σ_i h_{t−1,i}·s_{t,i} of the last step, per chain (from the sampler: R w_i ‖h_i‖).
    private var forward: [Double]
    /// κ_i = βR‖h_i‖ of every (chain, site) at the start of the measurement (chain-major).
    private var startKappa: [Double]

    /// Buffers for up to `chains` chains.
    init(chain: VonMisesFisherChain, chains: Int) {
        self.chain = chain
        n = chain.sites
        d = chain.space.dimension
        capacity = chains
        let size = chains * d * n
        drive = .allocate(capacity: size); previousState = .allocate(capacity: size); state = .allocate(capacity: size)
        previousField = .allocate(capacity: size); field = .allocate(capacity: size); stateSum = .allocate(capacity: size)
        normals = .allocate(capacity: d * n)  // one chain's step at a time
        correlations = .allocate(capacity: chains * n * n)
        zeroField = .allocate(capacity: d)
        zeroField.initialize(repeating: 0, count: d)
        pathSum = [Double](repeating: 0, count: chains)
        normaliserChange = pathSum
        forward = pathSum
        startKappa = [Double](repeating: 0, count: chains * n)
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
        for c in 0..<cb { pathSum[c] = 0; normaliserChange[c] = 0 }
        var tries = 0
        var s0 = previousState, s1 = state, h0 = previousField, h1 = field
        // Step 0: uniform directions (a zero field), then the fields they produce.
        tries += try drawAll(step: 0, fields: nil, into: s0, measuring: false, seeds: seeds, g0: g0, cb: cb,
                             betaRadius: betaRadius, radius: radius)
        computeFields(of: s0, into: h0, rows: rows)
        if burnIn == 0 { recordStartKappa(h0, rows: rows, cb: cb) }
        let total = burnIn + steps
        for step in 1...total {
            tries += try drawAll(step: step, fields: h0, into: s1, measuring: step > burnIn, seeds: seeds, g0: g0, cb: cb,
                                 betaRadius: betaRadius, radius: radius)
            computeFields(of: s1, into: h1, rows: rows)
            if step > burnIn {
                for c in 0..<cb {
                    BLAS.gemm(.columnMajor, .transpose, .none, m: n, n: n, k: d, alpha: 1,
                              a: s1 + c * d, lda: rows, b: s0 + c * d, ldb: rows,
                              beta: 1, c: correlations + c * n * n, ldc: n)
                    var backward = 0.0
                    for i in 0..<n {
                        let o = c * d + rows * i
                        backward += ChainKernels.dot(h1 + o, s0 + o, d)
                    }
                    pathSum[c] += beta * (forward[c] - backward)
                }
            }
            if step == burnIn { recordStartKappa(h1, rows: rows, cb: cb) }
            swap(&s0, &s1)
            swap(&h0, &h1)
        }
        addNormaliserChanges(h0, rows: rows, cb: cb)
        return (fold(rows: rows, cb: cb, steps: steps), tries)
    }

    /// Draws every (chain, site) of step `step` from `fields` (nil: uniform), writing the states; when `measuring`,
    /// also adds them to the running sums and records Σ_i h_i·s_i per chain in ``forward``.
    private func drawAll(step: Int, fields: UnsafeMutablePointer<Double>?, into s: UnsafeMutablePointer<Double>,
                         measuring: Bool, seeds: ChainSeeds, g0: UInt64, cb: Int, betaRadius: Double, radius: Double)
        throws(SpinModelsError) -> Int {
        let rows = cb * d, nd = n * d
        var tries = 0
        for c in 0..<cb {
            // This chain's N·D direction normals of this step (one chain at a time: they stay in cache for the draws).
            do {
                try NoiseStream.fill(seed: seeds.directions, stream: g0 + UInt64(c), first: UInt64(step) * UInt64(nd),
                                     into: UnsafeMutableBufferPointer(start: normals, count: nd))
            } catch { throw .invalidArgument("random stream: \(error)") }
            var hs = 0.0
            for i in 0..<n {
                let address: CounterAddress
                do {
                    address = try CounterAddress(seed: seeds.scalars, stream: g0 + UInt64(c), step: UInt64(step * n + i))
                } catch { throw .invalidArgument("random stream: \(error)") }
                var scalars = ScalarDraws(address: address)
                let h = fields.map { UnsafePointer($0 + c * d + rows * i) } ?? UnsafePointer(zeroField)
                var siteDot = 0.0
                tries += try VonMisesFisherSampler.draw(field: h, normals: normals + i * d,
                                                        into: s + c * d + rows * i, dimension: d,
                                                        betaRadius: betaRadius, radius: radius, scalars: &scalars,
                                                        sum: measuring ? stateSum + c * d + rows * i : nil,
                                                        fieldDotState: &siteDot)
                hs += siteDot
            }
            forward[c] = hs
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

    /// κ_i = βR‖h_i‖ per (chain, site) for the stacked fields.
    private func kappa(_ h: UnsafeMutablePointer<Double>, rows: Int, chain c: Int, site i: Int) -> Double {
        let o = c * d + rows * i
        let hh = ChainKernels.dot(h + o, h + o, d)
        return chain.beta * chain.space.radius * hh.squareRoot()
    }

    private func recordStartKappa(_ h: UnsafeMutablePointer<Double>, rows: Int, cb: Int) {
        for c in 0..<cb { for i in 0..<n { startKappa[c * n + i] = kappa(h, rows: rows, chain: c, site: i) } }
    }

    /// The telescoped normaliser terms of the path log-ratio, Σ_i [ln C_D(κ_i(h_B)) − ln C_D(κ_i(h_{B+T}))] per
    /// chain, from the final fields (``SpinSpace/logNormaliserChange(from:to:)``).
    private func addNormaliserChanges(_ h: UnsafeMutablePointer<Double>, rows: Int, cb: Int) {
        for c in 0..<cb {
            var sum = 0.0
            for i in 0..<n {
                sum += chain.space.logNormaliserChange(from: startKappa[c * n + i], to: kappa(h, rows: rows, chain: c, site: i))
            }
            normaliserChange[c] = sum
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
            values[layout.pathRatio] = (pathSum[c] + normaliserChange[c]) * scale
            values.withUnsafeBufferPointer { moments.add($0) }
        }
        return moments
    }
}
