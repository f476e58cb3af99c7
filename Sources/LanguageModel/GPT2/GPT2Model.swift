import Foundation

/// A GPT-2-family transformer (issue 6 item 3): learned position embeddings, pre-LayerNorm blocks with fused
/// QKV attention and a GELU MLP (all with biases), final LayerNorm, head tied to the token embedding (or an
/// untied head when the file has one). Weights Float32, row-major `[out × in]`.
///
/// ```swift
/// let model = try GPT2Model(contentsOf: "Tests/Fixtures/gpt2/tiny-gpt2.safetensors")  // + config.json beside it
/// let same = try GPT2Model(contentsOf: "Tests/Fixtures/gpt2/tiny-gpt2.gguf")
/// let logp = try model.logProbabilities(tokens: ids)   // ln p(ids[t+1] | ids[0...t])
/// ```
/// Immutable after loading, so one model may be shared across threads.
public final class GPT2Model: Sendable {
    public let configuration: GPT2Configuration
    public let weights: GPT2Weights

    /// Builds a model from explicit weights (tests, random models); throws `invalidArgument` on a size mismatch.
    public init(configuration: GPT2Configuration, weights: GPT2Weights) throws {
        try weights.validate(configuration)
        self.configuration = configuration
        self.weights = weights
    }

    /// Reads the configuration and dequantizes every tensor of a `general.architecture = gpt2` GGUF file;
    /// another architecture throws `unsupported("architecture '…' (expected gpt2)")`.
    public convenience init(gguf file: GGUFFile) throws {
        let c = try GPT2Configuration(file: file)
        try self.init(configuration: c, weights: GPT2Weights(gguf: file, configuration: c))
    }

    /// Loads HF GPT-2 weights from an opened safetensors file with the given configuration.
    public convenience init(safetensors file: SafetensorsFile, configuration: GPT2Configuration) throws {
        try self.init(configuration: configuration, weights: GPT2Weights(safetensors: file, configuration: configuration))
    }

    /// Opens a model file: `*.gguf` as GGUF; anything else as safetensors with the HF `config.json` at
    /// `configPath` (default: `config.json` in the same folder).
    public convenience init(contentsOf path: String, configPath: String? = nil) throws {
        if path.lowercased().hasSuffix(".gguf") {
            try self.init(gguf: GGUFFile(contentsOf: path))
        } else {
            let config = configPath ?? URL(fileURLWithPath: path).deletingLastPathComponent().appendingPathComponent("config.json").path
            let c = try GPT2Configuration(huggingFaceConfigAt: config)
            try self.init(safetensors: SafetensorsFile(contentsOf: path), configuration: c)
        }
    }
}
