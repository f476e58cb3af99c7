import LinearAlgebra

/// The synchronous kinetic vector-spin model sampled directly (docs/theory/spin-chain.md): every site is redrawn in
/// parallel from its von Mises–Fisher law given the previous configuration,
///
///     P(s_t | s_{t−1}) = Π_i C_D(κ_i) exp(β h_i · s_{t,i}),   h_i = x_i + Σ_j J_ij s_{t−1,j},   κ_i = βR‖h_i‖,
///
/// with spins s = R u on the sphere of radius R = √(D/2 − 1) in R^D. This is the exact process whose first-order
/// Plefka[t−1, t] approximation is ``NaiveMeanField``; ``sample(_:)`` estimates its magnetizations, connected
/// delayed correlations and entropy production (path log-ratio), the references the mean field is judged against.
/// Reference: M. Bal (2026) and the neqnn code; Aguilera, Moosavi & Shimazaki, Nat. Commun. 12, 1197 (2021) for the
/// binary template; Wood (1994) for the sampler (``VonMisesFisherSampler``).
public struct VonMisesFisherChain: Sendable {
    /// J, N × N (any real matrix; softmax attention in the experiments).
    public let couplings: Matrix
    /// x, N × D.
    public let inputs: Matrix
    /// β > 0.
    public let beta: Double
    /// The sphere (D, R).
    public let space: SpinSpace

    /// - Throws: ``SpinModelsError`` for a non-square or empty J, an x that is not N × D, β ≤ 0, non-finite entries
    ///   (the checks of ``NaiveMeanField``, which describes the same system).
    public init(couplings: Matrix, inputs: Matrix, beta: Double, space: SpinSpace) throws(SpinModelsError) {
        self.init(checked: try NaiveMeanField(couplings: couplings, inputs: inputs, beta: beta, space: space))
    }

    /// The same system as a mean-field model: ``VonMisesFisherChain`` from a ``NaiveMeanField``'s J, x, β, D.
    public init(_ meanField: NaiveMeanField) throws(SpinModelsError) {
        self.init(checked: meanField)
    }

    /// J, x, β, D of a system ``NaiveMeanField`` has already checked.
    init(checked meanField: NaiveMeanField) {
        couplings = meanField.couplings
        inputs = meanField.inputs
        beta = meanField.beta
        space = meanField.space
    }

    /// The number of sites N.
    public var sites: Int { couplings.rows }
}
