import LinearAlgebra

/// The streamed estimates of one group of chains (one replicate, or all replicates pooled), each with its standard
/// error from the chain-to-chain spread (chains are independent, so the standard error of a mean over C chains is the
/// sample standard deviation of the per-chain time averages over √C; docs/theory/spin-chain.md §4).
///
/// With s_{t,i} the spin of site i at step t and ⟨·⟩ the average over the measured steps t = B+1 … B+T and the chains:
///
///     m_i    = ⟨s_{t,i}⟩                                               (N × D)
///     D_ij   = ⟨s_{t,i} · s_{t−1,j}⟩ − m_i · m_j                        (N × N, connected, traced over the D components)
///     σ_path = ⟨ln P(s_t | s_{t−1}) − ln P(s_{t−1} | s_t)⟩              (path log-ratio per step)
///     σ_rel  = β Σ_ij (J_ij − J_ji) D_ij                                (the steady-state relation on the sampled D)
public struct ChainGroupStatistics: Sendable, Equatable {
    /// Number of chains averaged.
    public let chains: Int
    /// Measured steps per chain.
    public let steps: Int
    /// m̂, N × D.
    public let magnetizations: Matrix
    /// Standard error of each entry of m̂, N × D.
    public let magnetizationStandardErrors: Matrix
    /// The connected delayed correlations D̂_ij = ⟨s_{t,i}·s_{t−1,j}⟩ − m̂_i·m̂_j, N × N.
    public let delayedCorrelation: Matrix
    /// Standard error of each entry of D̂ (from the spread of the per-chain ⟨s_{t,i}·s_{t−1,j}⟩), N × N.
    public let delayedCorrelationStandardErrors: Matrix
    /// The path log-ratio entropy production per step, σ_path.
    public let entropyProduction: Double
    /// Its standard error.
    public let entropyProductionStandardError: Double
    /// The steady-state relation β Σ (J − Jᵀ)∘D̂ on the sampled delayed correlations, σ_rel.
    public let steadyStateRelation: Double
    /// Its standard error (from the per-chain values of the relation).
    public let steadyStateRelationStandardError: Double
    /// Per site i: the mean over chains of ‖m̂_{c,i}‖, the norm of chain c's own time average. Compared with
    /// ‖m̂_i‖ (the norm of the pooled average) it measures ergodicity: a chain stuck in one of several symmetric
    /// states has ‖m̂_{c,i}‖ ≫ ‖m̂_i‖.
    public let chainMagnetizationNorms: [Double]

    public init(chains: Int, steps: Int, magnetizations: Matrix, magnetizationStandardErrors: Matrix,
                delayedCorrelation: Matrix, delayedCorrelationStandardErrors: Matrix, entropyProduction: Double,
                entropyProductionStandardError: Double, steadyStateRelation: Double,
                steadyStateRelationStandardError: Double, chainMagnetizationNorms: [Double]) {
        self.chains = chains
        self.steps = steps
        self.magnetizations = magnetizations
        self.magnetizationStandardErrors = magnetizationStandardErrors
        self.delayedCorrelation = delayedCorrelation
        self.delayedCorrelationStandardErrors = delayedCorrelationStandardErrors
        self.entropyProduction = entropyProduction
        self.entropyProductionStandardError = entropyProductionStandardError
        self.steadyStateRelation = steadyStateRelation
        self.steadyStateRelationStandardError = steadyStateRelationStandardError
        self.chainMagnetizationNorms = chainMagnetizationNorms
    }

    /// The ergodicity ratio mean_i ⟨‖m̂_{c,i}‖⟩_c / mean_i ‖m̂_i‖ (≥ 1; ≈ 1 for an ergodic chain with ‖m‖ ≫ its
    /// noise; large when chains settle in different states). Infinite when every pooled ‖m̂_i‖ is 0.
    public var ergodicityRatio: Double {
        let n = magnetizations.rows
        guard n > 0 else { return 1 }
        var pooled = 0.0
        for i in 0..<n {
            var s = 0.0
            for k in 0..<magnetizations.columns { let v = magnetizations[i, k]; s += v * v }
            pooled += s.squareRoot()
        }
        let perChain = chainMagnetizationNorms.reduce(0, +)
        return perChain / pooled
    }
}

/// The result of ``VonMisesFisherChain/sample(_:)``: one ``ChainGroupStatistics`` per replicate (what the
/// noise-corrected cross-replicate error metric uses) and all chains pooled.
public struct ChainStatistics: Sendable, Equatable {
    /// The options the chains ran with.
    public let options: ChainOptions
    /// Replicate r's statistics (its C chains), r = 0 … R − 1.
    public let replicates: [ChainGroupStatistics]
    /// All R·C chains together (standard errors from all R·C chains).
    public let pooled: ChainGroupStatistics
    /// Wood's rejection sampler: attempts per accepted draw over the whole run (≥ 1; near 1 in practice).
    public let attemptsPerDraw: Double

    public init(options: ChainOptions, replicates: [ChainGroupStatistics], pooled: ChainGroupStatistics,
                attemptsPerDraw: Double) {
        self.options = options
        self.replicates = replicates
        self.pooled = pooled
        self.attemptsPerDraw = attemptsPerDraw
    }
}
