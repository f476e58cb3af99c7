import LinearAlgebra
import Stochastics

/// The parameters of one spin-transformer module. Every linear map is stored as an in × out matrix W so that a token
/// batch X (n × in, rows = tokens) maps to X·W; head h of a dim-wide output is the contiguous column block
/// [h·dim_head, (h + 1)·dim_head). W_Q and W_K are the two halves of v0.0.1/HEAD's `to_qk` (dim → 2·dim).
///
/// Seeded initialisation (``init(configuration:seed:layer:)``): PyTorch's default for a bias-free Linear,
/// W ~ U(−1/√in, 1/√in), drawn from Stochastics' counter-based generator (Philox4x32-10) at the address
/// (seed, stream = 16·layer + matrix, step = output column), so every weight is a pure function of
/// (seed, layer, matrix, entry). HEAD's RMSNorm gain starts at R_head/√dim_head and the logit scale t at √dim_head.
public struct SpinTransformerWeights: Sendable, Equatable {
    /// dim × dim (present when pre-mix is on).
    public var preMix: Matrix?
    /// dim × dim each.
    public var query: Matrix
    public var key: Matrix
    /// dim × 4dim and 4dim × dim (present when the FFN is on).
    public var ffnIn: Matrix?
    public var ffnOut: Matrix?
    /// HEAD's learned initializer field W_V, dim × dim (present for init modes learned and carried).
    public var initializer: Matrix?
    /// dim × dim (present when post-mix is on).
    public var postMix: Matrix?
    /// HEAD's per-component RMSNorm gain (dim entries).
    public var normGain: [Double]
    /// HEAD's learned logit scale t (the logit uses |t|).
    public var logitScale: Double

    /// Seeded weights for `configuration` (see the type's note for the law and the addressing).
    /// - Throws: ``SpinModelsError/invalidArgument(_:)`` for an invalid configuration or a dimension beyond the
    ///   generator's per-address limit (2¹⁷ values).
    public init(configuration c: SpinTransformerConfiguration, seed: UInt64, layer: Int = 0) throws(SpinModelsError) {
        _ = try c.validated()
        guard layer >= 0 else { throw .invalidArgument("layer index must be ≥ 0, got \(layer)") }
        let base = UInt64(layer) &* 16
        let dim = c.dim
        func linear(_ rows: Int, _ columns: Int, _ index: UInt64) throws(SpinModelsError) -> Matrix {
            var storage = [Double](repeating: 0, count: rows * columns)
            let bound = 1 / Double(rows).squareRoot()
            for col in 0..<columns {
                var column = [Double](repeating: 0, count: rows)
                let failure: (any Error)? = column.withUnsafeMutableBufferPointer { buffer in
                    do { try CounterRandom.fillUniforms(seed: seed, stream: base &+ index, step: UInt64(col), into: buffer) }
                    catch { return error }
                    return nil
                }
                if let failure { throw .invalidArgument("weight initialisation: \(failure)") }
                for i in 0..<rows { storage[col * rows + i] = bound * (2 * column[i] - 1) }
            }
            var w = Matrix(rows: rows, columns: columns)
            w.withUnsafeMutableBufferPointer { p in for k in p.indices { p[k] = storage[k] } }
            return w
        }
        preMix = c.preMix ? try linear(dim, dim, 0) : nil
        query = try linear(dim, dim, 1)
        key = try linear(dim, dim, 2)
        ffnIn = c.ffn ? try linear(dim, 4 * dim, 3) : nil
        ffnOut = c.ffn ? try linear(4 * dim, dim, 4) : nil
        initializer = (c.variant == .head && c.initMode != .reset) ? try linear(dim, dim, 5) : nil
        postMix = c.postMix ? try linear(dim, dim, 6) : nil
        let dh = Double(c.headDimension)
        normGain = [Double](repeating: (dh / 2 - 1).squareRoot() / dh.squareRoot(), count: dim)
        logitScale = dh.squareRoot()
    }

    /// Checks that every matrix the configuration needs is present, finite and of the right shape.
    func check(for c: SpinTransformerConfiguration) throws(SpinModelsError) {
        let dim = c.dim
        func need(_ w: Matrix?, _ rows: Int, _ columns: Int, _ name: String) throws(SpinModelsError) {
            guard let w else { throw .invalidArgument("weights lack \(name), which the configuration uses") }
            guard w.rows == rows, w.columns == columns else {
                throw .dimensionMismatch("\(name) is \(w.rows)×\(w.columns), expected \(rows)×\(columns)")
            }
            guard w.isFinite else { throw .nonFinite(name) }
        }
        if c.preMix { try need(preMix, dim, dim, "pre-mix") }
        try need(query, dim, dim, "W_Q")
        try need(key, dim, dim, "W_K")
        if c.ffn { try need(ffnIn, dim, 4 * dim, "FFN in"); try need(ffnOut, 4 * dim, dim, "FFN out") }
        if c.variant == .head, c.initMode != .reset { try need(initializer, dim, dim, "initializer W_V") }
        if c.postMix { try need(postMix, dim, dim, "post-mix") }
        guard normGain.count == dim else { throw .dimensionMismatch("RMSNorm gain has \(normGain.count) entries, dim is \(dim)") }
        guard normGain.allSatisfy(\.isFinite) else { throw .nonFinite("RMSNorm gain") }
        guard logitScale.isFinite else { throw .nonFinite("logit scale t") }
    }
}
