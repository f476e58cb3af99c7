import Foundation

/// A llama-family transformer (SmolLM2-135M-Instruct, Allal et al. 2025; module README) with all weights
/// dequantized to Float32 row-major (≈ 538 MB for SmolLM2-135M), the output head tied to the token embedding.
///
/// ```swift
/// let model = try LlamaModel(contentsOf: "models/SmolLM2-135M-Instruct.Q4_1.gguf")
/// let logp = try model.logProbabilities(tokens: [0] + ids)   // ln p(ids[t] | 0, ids[..<t])
/// ```
/// Immutable after loading, so one model may be shared across threads.
public final class LlamaModel: Sendable {
    public let configuration: LlamaConfiguration
    public let weights: LlamaWeights

    /// Builds a model from explicit weights (tests, random models); throws `invalidArgument` on a size mismatch.
    public init(configuration: LlamaConfiguration, weights: LlamaWeights) throws {
        try weights.validate(configuration)
        self.configuration = configuration
        self.weights = weights
    }

    /// Reads the configuration and dequantizes every tensor of an opened GGUF file.
    public convenience init(file: GGUFFile) throws {
        let c = try LlamaConfiguration(file: file)
        try self.init(configuration: c, weights: LlamaWeights(file: file, configuration: c))
    }

    /// Opens (memory-maps) and loads the GGUF file at `path`.
    public convenience init(contentsOf path: String) throws {
        try self.init(file: GGUFFile(contentsOf: path))
    }
}
