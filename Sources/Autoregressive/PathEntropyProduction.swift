/// Per-trajectory entropy production of any ``AutoregressiveModel`` (docs/theory/autoregressive.md
/// §2): σ(y) = ln P→(y_1..y_T) − ln P→(y_T..y_1), the backward process being
/// the unchanged model fed the reversed sequence from the same initial state. Cost: two likelihood
/// evaluations (O(T) recurrent, O(T²) attention).
public enum PathEntropyProduction {
    /// Token-level σ(y) = ln P→(y) − ln P→(reversed y).
    public static func sigma<M: AutoregressiveModel>(_ model: M, _ sequence: [M.Symbol]) throws -> Double {
        try model.logLikelihood(of: sequence) - model.logLikelihood(of: sequence.reversed())
    }

    /// Block-level σ_block(y) = ln P(y) − ln P(block-reversed y); a single block gives 0 exactly.
    public static func sigma<M: AutoregressiveModel>(_ model: M, _ sequence: [M.Symbol], blocks: BlockPartition) throws -> Double {
        let reversed = try blocks.reverse(sequence)
        if blocks.count <= 1 { return 0 }
        return try model.logLikelihood(of: sequence) - model.logLikelihood(of: reversed)
    }

    /// Pairing by token: term t = ln p(y_t | y_<t) − ln p(y_t | y_>t read backwards), t = 1..T;
    /// they sum to the token-level σ. Individual terms may be negative.
    public static func stepTerms<M: AutoregressiveModel>(_ model: M, _ sequence: [M.Symbol]) throws -> [Double] {
        let forward = try model.stepLogDensities(of: sequence)
        let backward = try model.stepLogDensities(of: sequence.reversed())
        let t = sequence.count
        return (0..<t).map { forward[$0] - backward[t - 1 - $0] }
    }
}
