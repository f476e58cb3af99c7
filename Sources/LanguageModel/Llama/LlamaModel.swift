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
    /// The end-of-text id, the default prefix: 0 for llama (SmolLM2), the id of `<|endoftext|>` for qwen.
    public let endOfTextToken: Int

    /// Builds a model from explicit weights (tests, random models); throws `invalidArgument` on a size mismatch.
    public init(configuration: LlamaConfiguration, weights: LlamaWeights, endOfTextToken: Int = 0) throws {
        try weights.validate(configuration)
        guard endOfTextToken >= 0, endOfTextToken < configuration.vocabularySize else {
            throw LanguageModelError.invalidArgument("end-of-text id \(endOfTextToken) is outside 0..<\(configuration.vocabularySize)")
        }
        self.configuration = configuration
        self.weights = weights
        self.endOfTextToken = endOfTextToken
    }

    /// Reads the configuration and dequantizes every tensor of an opened GGUF file (`general.architecture` =
    /// llama, qwen2 or qwen3). The end-of-text id is 0 for llama; for qwen the id of the token `<|endoftext|>`
    /// in `tokenizer.ggml.tokens`, else `tokenizer.ggml.bos_token_id`, else 0.
    public convenience init(file: GGUFFile) throws {
        let c = try LlamaConfiguration(file: file)
        var end = 0
        if c.architecture != .llama {
            if let id = file["tokenizer.ggml.tokens"]?.stringArray?.firstIndex(of: "<|endoftext|>") {
                end = id
            } else if file["tokenizer.ggml.bos_token_id"] != nil {
                end = try file.requiredInt("tokenizer.ggml.bos_token_id")
            }
        }
        try self.init(configuration: c, weights: LlamaWeights(file: file, configuration: c), endOfTextToken: end)
    }

    /// Opens (memory-maps) and loads the GGUF file at `path`.
    public convenience init(contentsOf path: String) throws {
        try self.init(file: GGUFFile(contentsOf: path))
    }
}
