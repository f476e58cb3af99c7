import ResourceLimits

/// How a ``VonMisesFisherChain`` is sampled: `replicates` independent groups of `chains` chains, each chain run
/// `burnIn` synchronous steps from a uniformly random start and then measured over `steps` further steps
/// (docs/theory/spin-chain.md §3). The defaults are the fidelity experiment's 5 × 32 × (120 + 300).
///
/// Every random number is a pure function of `(seed, replicate, chain, step, site, attempt)`, so the statistics
/// are the same bits for any `threads` (and any split of the work); `threads` changes speed only
/// (0 = every active processor, the Parallel module's convention).
public struct ChainOptions: Sendable, Equatable {
    /// R ≥ 1 independent replicates (their spread is what the noise-corrected error metric needs).
    public var replicates: Int
    /// C ≥ 2 independent chains per replicate (the standard errors come from the chain-to-chain spread).
    public var chains: Int
    /// B ≥ 0 steps discarded before measuring.
    public var burnIn: Int
    /// T ≥ 1 measured steps (transitions s_{t−1} → s_t) per chain.
    public var steps: Int
    /// The seed of every draw.
    public var seed: UInt64
    /// Worker threads: 0 = every active processor, n ≥ 1 = at most n.
    public var threads: Int
    /// The memory budget the planned buffers are checked against before anything is allocated.
    public var budget: MemoryBudget

    public init(replicates: Int = 5, chains: Int = 32, burnIn: Int = 120, steps: Int = 300, seed: UInt64 = 0,
                threads: Int = 0, budget: MemoryBudget = .standard) {
        self.replicates = replicates
        self.chains = chains
        self.burnIn = burnIn
        self.steps = steps
        self.seed = seed
        self.threads = threads
        self.budget = budget
    }
}
