import LinearAlgebra
import ResourceLimits
import SpinModels

/// What the fidelity figure reads from one replicate of the sampled vMF chain (docs/theory/spin-fidelity.md §3):
/// streamed over `chains` chains × `steps` steps after burn-in, with the chain's own seed per replicate.
public struct ChainReplicateEstimate: Sendable, Equatable {
    /// m̂_i, N × D (column-major, flattened).
    public var magnetizations: [Double]
    /// The connected delayed correlations D̂_ij = Tr⟨s_{t,i} s_{t−1,j}ᵀ⟩ − m̂_i·m̂_j, N × N (column-major, flattened).
    public var delayedCorrelation: [Double]
    /// mean over chains and sites of ‖m̂_i^(chain)‖ (each chain's own time average), for the ergodicity ratio; nil if
    /// the sampler does not report it.
    public var chainMagnetizationNorm: Double?
    /// The path log-ratio EP ⟨ln P(s_t|s_{t−1}) − ln P(s_{t−1}|s_t)⟩ per step and its standard error, if reported.
    public var pathEntropyProduction: Double?
    public var pathStderr: Double?

    public init(magnetizations: [Double], delayedCorrelation: [Double], chainMagnetizationNorm: Double? = nil,
                pathEntropyProduction: Double? = nil, pathStderr: Double? = nil) {
        self.magnetizations = magnetizations
        self.delayedCorrelation = delayedCorrelation
        self.chainMagnetizationNorm = chainMagnetizationNorm
        self.pathEntropyProduction = pathEntropyProduction
        self.pathStderr = pathStderr
    }
}

/// The request for one cell's samples.
public struct ChainRequest: Sendable {
    public var couplings: Matrix
    public var inputs: Matrix
    public var beta: Double
    public var space: SpinSpace
    public var replicates: Int
    public var chains: Int
    public var burnIn: Int
    public var steps: Int
    public var seed: UInt64
    public var threads: Int
    /// The memory budget the chain checks its buffers against.
    public var budget: MemoryBudget
}

/// The source of chain samples: the vMF chain of SpinModels by default (``chain``); tests substitute a synthetic one
/// whose error against the mean field is known exactly.
public struct FigureSpinSampler: Sendable {
    public let name: String
    public let sample: @Sendable (ChainRequest) throws -> [ChainReplicateEstimate]

    public init(name: String, sample: @escaping @Sendable (ChainRequest) throws -> [ChainReplicateEstimate]) {
        self.name = name
        self.sample = sample
    }
}
