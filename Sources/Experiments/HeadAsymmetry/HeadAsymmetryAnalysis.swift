import Foundation
import LanguageModel
import LinearAlgebra

/// P3 on a real model (issue 15 item 6; docs/head-asymmetry.md): the query–key form W = W_Q^hᵀ W_K^{g(h)} of every
/// head h of every layer of a GGUF model, its asymmetry A (paper Eq. 30) and non-normality (``QueryKeyForm``),
/// under two conventions for the normalization gain g in front of attention:
///
/// - **gain included** (the default map): W_eff = diag(g) W diag(g), the bilinear form the head applies to the
///   normalized residual stream x/rms(x). Only W_eff is a property of the model: folding g into W_Q and W_K (which
///   some converters do) leaves the model unchanged but changes W, not W_eff. The per-token factors 1/rms(x_q),
///   1/rms(x_k) scale s by a positive number and do not touch the symmetric/antisymmetric split.
/// - **gain excluded**: W itself, the form on the attention block's input h = RMSNorm(x)·g.
///
/// RoPE enters at relative offset 0, where the rotation is the identity (the score of a token with itself, and the
/// content part of the form); the GGUF row permutation for RoPE is the same within a head for Q and K and leaves W
/// unchanged (``QueryKeyProjections``). The score's 1/√d_head is left out: every index is scale-invariant.
///
/// Cost: per head 6 products d_head × d × d_head and a d_head × d_head Schur form, per convention; SmolLM2 (270
/// heads) takes well under a second after the 30 layers' Q, K are dequantized (one layer held at a time).
public enum HeadAsymmetryAnalysis {
    /// Opens the GGUF model at `modelPath` (mapped; only the attention norm, Q and K tensors are read) and runs
    /// ``run(_:model:)``. A missing file is `invalidConfiguration` saying how to fetch the model; a corrupt file or
    /// another architecture is the loader's one-line `LanguageModelError`.
    public static func run(modelPath: String) throws -> HeadAsymmetryResult {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: modelPath, isDirectory: &isDirectory), !isDirectory.boolValue else {
            throw ExperimentError.invalidConfiguration("model file \(modelPath) not found: run scripts/fetch_model.sh to download it")
        }
        return try run(QueryKeyProjections(contentsOf: modelPath), model: modelPath)
    }

    /// The per-head forms of `projections` under both gain conventions, layer by layer.
    public static func run(_ projections: QueryKeyProjections, model: String) throws -> HeadAsymmetryResult {
        let start = Date()
        var withGain = [[QueryKeyForm]](), withoutGain = [[QueryKeyForm]]()
        for n in 0..<projections.layerCount {
            let layer = try projections.layer(n)
            withGain.append(try forms(layer, projections, includeGain: true, layerIndex: n))
            withoutGain.append(try forms(layer, projections, includeGain: false, layerIndex: n))
        }
        return HeadAsymmetryResult(
            model: model, architecture: projections.architecture, layers: projections.layerCount,
            heads: projections.headCount, kvHeads: projections.kvHeadCount, headDimension: projections.headDimension,
            embeddingLength: projections.embeddingLength,
            conventions: HeadAsymmetryConventions(hasBiases: projections.hasBiases),
            withNormGain: HeadAsymmetryMap(withGain), withoutNormGain: HeadAsymmetryMap(withoutGain),
            seconds: Date().timeIntervalSince(start))
    }

    /// The forms of every query head of one layer.
    public static func forms(_ layer: QueryKeyProjections.Layer, _ p: QueryKeyProjections, includeGain: Bool,
                             layerIndex: Int = 0) throws -> [QueryKeyForm] {
        let gain = includeGain ? layer.normGain.map(Double.init) : nil
        let keys = try (0..<p.kvHeadCount).map {
            try headBlock(layer.key, head: $0, headDimension: p.headDimension, width: p.embeddingLength, gain: gain)
        }
        return try (0..<p.headCount).map { h in
            let q = try headBlock(layer.query, head: h, headDimension: p.headDimension, width: p.embeddingLength, gain: gain)
            do {
                return try QueryKeyForm(queryTransposed: q, keyTransposed: keys[p.kvHead(forQueryHead: h)])
            } catch {
                throw ExperimentError.invalidConfiguration("layer \(layerIndex) head \(h): \(error)")
            }
        }
    }

    /// X = (rows head·d_head ..< (head+1)·d_head of the row-major `[rows × width]` matrix `w`)ᵀ as a width × d_head
    /// Double matrix, each row i multiplied by gain[i] when a gain is given: X = diag(g) W_hᵀ.
    static func headBlock(_ w: [Float], head: Int, headDimension: Int, width: Int, gain: [Double]?) throws -> Matrix {
        let start = head * headDimension * width
        var column = [Double](repeating: 0, count: headDimension * width)
        for j in 0..<headDimension {
            for i in 0..<width {
                let v = Double(w[start + j * width + i])
                column[i + j * width] = gain.map { v * $0[i] } ?? v
            }
        }
        return try Matrix(rows: width, columns: headDimension, columnMajor: column)
    }
}
