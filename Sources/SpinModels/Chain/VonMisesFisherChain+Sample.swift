import LinearAlgebra
import Parallel
import ResourceLimits
import Stochastics

extension VonMisesFisherChain {
    /// Runs `options.replicates` × `options.chains` independent chains from uniformly random starts, `burnIn` steps
    /// unmeasured then `steps` measured, and returns the streamed estimates per replicate and pooled
    /// (docs/theory/spin-chain.md §§3–4).
    ///
    /// **Algorithm.** The chains are processed in units of a fixed number of chains (``chainsPerUnit(dimension:chains:)``,
    /// a function of D and C only) whose states are stacked as one (chains·D) × N matrix S, so a step is
    ///   1. Wood's draw of every (chain, site) from the fields H_{t−1} (``VonMisesFisherSampler``),
    ///   2. H_t = X + S_t Jᵀ, one `dgemm` for all chains of the unit (2N²·D flops per chain),
    ///   3. when measuring: the per-chain ⟨s_{t,i}·s_{t−1,j}⟩ by one `dgemm` per chain (another 2N²D flops), the
    ///      running Σ_t s_t, and the path log-ratio β Σ_i (h_{t−1,i}·s_{t,i} − h_{t,i}·s_{t−1,i}) (the normaliser
    ///      terms telescope to Σ_i [ln C_D(κ_i(h_B)) − ln C_D(κ_i(h_{B+T}))], evaluated once with
    ///      ``SpinSpace/logNormaliserDifference(_:)``).
    /// Per-chain time averages are folded (Welford, chain order) into per-unit moments, merged in unit order into
    /// replicate and pooled moments. Cost per chain and step: 2N²D (+2N²D when measuring) flops, N·D normals, two
    /// passes over each site's D components and a few logarithms per site.
    ///
    /// **Reproducibility.** Every draw is a pure function of (seed, replicate, chain, step, site, attempt)
    /// (``ChainSeeds``), units are fixed by (D, C) and merged in order: the same bits for any `threads`.
    ///
    /// - Throws: ``SpinModelsError/invalidArgument(_:)`` for counts out of range, ``SpinModelsError/insufficientMemory(_:)``
    ///   when the buffers exceed `options.budget`, ``SpinModelsError/nonFinite(_:)`` for a non-finite estimate.
    public func sample(_ options: ChainOptions) throws(SpinModelsError) -> ChainStatistics {
        let n = sites, d = space.dimension
        let r = options.replicates, c = options.chains, burn = options.burnIn, t = options.steps
        guard r >= 1 else { throw .invalidArgument("replicates must be ≥ 1, got \(r)") }
        guard c >= 2 else { throw .invalidArgument("chains per replicate must be ≥ 2 (standard errors need two), got \(c)") }
        guard burn >= 0 else { throw .invalidArgument("burn-in must be ≥ 0, got \(burn)") }
        guard t >= 1 else { throw .invalidArgument("measured steps must be ≥ 1, got \(t)") }
        guard options.threads >= 0 else { throw .invalidArgument("threads must be ≥ 0 (0 = all processors), got \(options.threads)") }
        let (total, o1) = burn.addingReportingOverflow(t)
        let (chainsTotal, o2) = r.multipliedReportingOverflow(by: c)
        let (stepSites, o3) = (total + 1).multipliedReportingOverflow(by: n)
        let (stepValues, o4) = stepSites.multipliedReportingOverflow(by: d)
        guard !o1, !o2, !o3, !o4, UInt64(stepSites) <= CounterAddress.maxStep else {
            throw .invalidArgument("(burn-in + steps + 1) × sites = (\(burn) + \(t) + 1) × \(n) exceeds the random streams' 2^48 step addresses")
        }
        _ = (chainsTotal, stepValues)
        let perUnit = Self.chainsPerUnit(dimension: d, chains: c)
        let unitsPerReplicate = (c + perUnit - 1) / perUnit
        let units = r * unitsPerReplicate
        let length = ChainLayout(sites: n, dimension: d).length
        let workers = ThreadCount.workers(options.threads, units: units)
        var plan = AllocationPlan("vMF chain")
        plan.add(.init(workers, "workers"), .init(6 * perUnit + 2, "chain buffers"), .init(n, "sites"), .init(d, "D"), 8)
        plan.add(.init(workers, "workers"), .init(perUnit, "chains"), .init(n, "sites"), .init(n, "sites"), 8)
        plan.add(.init(units + r + 1 + workers, "moment sets"), .init(3, "arrays"), .init(length, "values"), 8)
        do { try options.budget.check(plan) } catch { throw .insufficientMemory("\(error)") }

        let seeds = ChainSeeds(seed: options.seed)
        let results = ResultBuffer<ChainMoments?>(count: units, fill: nil)
        let attempts = ResultBuffer<Int>(count: units, fill: 0)
        let failure = FirstError()
        let claim = ChunkCounter()
        ParallelFor.eachWorker(workers) { _ in
            let work = ChainUnitWorkspace(chain: self, chains: perUnit)
            while !failure.hasFailed, let u = claim.next(below: units) {
                let replicate = u / unitsPerReplicate, block = u % unitsPerReplicate
                let first = block * perUnit, count = min(perUnit, c - first)
                do {
                    let (moments, tries) = try work.run(
                        seeds: seeds, firstGlobalChain: UInt64(replicate * c + first), chains: count,
                        burnIn: burn, steps: t)
                    results[u] = moments
                    attempts[u] = tries
                } catch { failure.record(error, index: u) }
            }
        }
        if let error = failure.error { throw (error as? SpinModelsError) ?? .invalidArgument("\(error)") }

        let layout = ChainLayout(sites: n, dimension: d)
        var replicates: [ChainGroupStatistics] = []
        var pooled = ChainMoments(length: length)
        for rep in 0..<r {
            var group = ChainMoments(length: length)
            for b in 0..<unitsPerReplicate { if let m = results[rep * unitsPerReplicate + b] { group.merge(m) } }
            replicates.append(try layout.statistics(group, steps: t, couplings: couplings, beta: beta))
            pooled.merge(group)
        }
        let pooledStatistics = try layout.statistics(pooled, steps: t, couplings: couplings, beta: beta)
        var tries = 0
        for u in 0..<units { tries += attempts[u] }
        let draws = Double(chainsTotal) * Double(total) * Double(n)
        return ChainStatistics(options: options, replicates: replicates, pooled: pooledStatistics,
                               attemptsPerDraw: Double(tries) / draws)
    }

    /// Chains stacked in one unit of work: ⌈512/D⌉ (so one field product has ≥ 512 rows), at most C. A function of
    /// D and C only, never of the thread count.
    public static func chainsPerUnit(dimension: Int, chains: Int) -> Int {
        min(max(1, chains), max(1, (512 + dimension - 1) / dimension))
    }
}

/// Where each per-chain quantity sits in the vector of values folded by ``ChainMoments``: m̂_c (N × D, column-major),
/// ⟨s_{t,i}·s_{t−1,j}⟩_c (N × N, column-major), ‖m̂_{c,i}‖ (N), σ_path,c, σ_rel,c.
struct ChainLayout {
    let sites: Int, dimension: Int
    var magnetizations: Int { 0 }
    var correlations: Int { sites * dimension }
    var norms: Int { correlations + sites * sites }
    var pathRatio: Int { norms + sites }
    var relation: Int { pathRatio + 1 }
    var length: Int { relation + 1 }

    /// The group statistics of merged per-chain moments.
    func statistics(_ moments: ChainMoments, steps: Int, couplings j: Matrix, beta: Double)
        throws(SpinModelsError) -> ChainGroupStatistics {
        let n = sites, d = dimension, mean = moments.mean
        var m = [Double](repeating: 0, count: n * d), mse = m
        for e in 0..<(n * d) { m[e] = mean[magnetizations + e]; mse[e] = moments.standardError(magnetizations + e) }
        var dd = [Double](repeating: 0, count: n * n), dse = dd
        for col in 0..<n {
            for row in 0..<n {
                var dot = 0.0
                for k in 0..<d { dot += m[row + n * k] * m[col + n * k] }
                let e = row + n * col
                dd[e] = mean[correlations + e] - dot
                dse[e] = moments.standardError(correlations + e)
            }
        }
        let norms = Array(mean[self.norms..<(self.norms + n)])
        let all = m + mse + dd + dse + norms + [mean[pathRatio], mean[relation]]
        guard all.allSatisfy(\.isFinite) else { throw .nonFinite("vMF chain estimates (a state or field overflowed)") }
        let delayed: Matrix, magnet: Matrix, magnetSE: Matrix, delayedSE: Matrix
        do {
            magnet = try Matrix(rows: n, columns: d, columnMajor: m)
            magnetSE = try Matrix(rows: n, columns: d, columnMajor: mse)
            delayed = try Matrix(rows: n, columns: n, columnMajor: dd)
            delayedSE = try Matrix(rows: n, columns: n, columnMajor: dse)
        } catch { throw .invalidArgument("\(error)") }
        let relationValue = try SpinEntropyProduction.steadyStateRelation(couplings: j, delayedCorrelation: delayed, beta: beta)
        return ChainGroupStatistics(
            chains: moments.count, steps: steps, magnetizations: magnet, magnetizationStandardErrors: magnetSE,
            delayedCorrelation: delayed, delayedCorrelationStandardErrors: delayedSE,
            entropyProduction: mean[pathRatio], entropyProductionStandardError: moments.standardError(pathRatio),
            steadyStateRelation: relationValue, steadyStateRelationStandardError: moments.standardError(relation),
            chainMagnetizationNorms: norms)
    }
}
