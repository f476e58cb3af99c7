import ResourceLimits
import SpinModels

/// The default sampler: the synchronous vMF chain of SpinModels (``VonMisesFisherChain``, Wood's 1994 sampler),
/// R replicates × C chains × T steps after B burn-in; per replicate m̂, the connected D̂, the per-chain magnetization
/// norms (ergodicity) and the path log-ratio σ with its standard error.
extension FigureSpinSampler {
    public static let chain = FigureSpinSampler(name: "vmf-chain") { request in
        let chain = try VonMisesFisherChain(couplings: request.couplings, inputs: request.inputs, beta: request.beta,
                                            space: request.space)
        let statistics = try chain.sample(ChainOptions(replicates: request.replicates, chains: request.chains,
                                                       burnIn: request.burnIn, steps: request.steps, seed: request.seed,
                                                       threads: request.threads, budget: request.budget))
        let n = Double(request.couplings.rows)
        return statistics.replicates.map { r in
            ChainReplicateEstimate(magnetizations: r.magnetizations.storage, delayedCorrelation: r.delayedCorrelation.storage,
                                   chainMagnetizationNorm: r.chainMagnetizationNorms.reduce(0, +) / n,
                                   pathEntropyProduction: r.entropyProduction, pathStderr: r.entropyProductionStandardError)
        }
    }
}
