import Foundation

/// The fields of an HF `GPT2Config` (`config.json` beside `model.safetensors`) that the forward pass needs.
private struct HuggingFaceGPT2Config: Decodable {
    let model_type: String?
    let activation_function: String?
    let vocab_size: Int
    let n_positions: Int?
    let n_ctx: Int?
    let n_embd: Int
    let n_layer: Int
    let n_head: Int
    let n_inner: Int?
    let layer_norm_epsilon: Double?
}

extension GPT2Configuration {
    /// GELU variants that are the tanh approximation 0.5x(1 + tanh(√(2/π)(x + 0.044715x³))) used here.
    public static let supportedActivations: Set<String> = ["gelu_new", "gelu_pytorch_tanh", "gelu_fast"]

    /// Parses an HF GPT-2 `config.json`: `vocab_size`, `n_positions` (or `n_ctx`), `n_embd`, `n_layer`,
    /// `n_head`, optional `n_inner` (default 4·n_embd, `null` allowed), `layer_norm_epsilon` (default 1e-5).
    /// `model_type` other than "gpt2" and an `activation_function` other than the tanh GELU (`gelu_new`, the
    /// default) throw `unsupported`; a missing key `missing`; invalid JSON `malformedFile`.
    public init(huggingFaceConfig data: Data) throws {
        let raw: HuggingFaceGPT2Config
        do {
            raw = try JSONDecoder().decode(HuggingFaceGPT2Config.self, from: data)
        } catch let DecodingError.keyNotFound(key, _) {
            throw LanguageModelError.missing("config.json key '\(key.stringValue)'")
        } catch let DecodingError.typeMismatch(_, ctx) {
            throw LanguageModelError.malformedFile("config.json key '\(ctx.codingPath.map(\.stringValue).joined(separator: "."))' has the wrong type")
        } catch let DecodingError.valueNotFound(_, ctx) {
            throw LanguageModelError.missing("config.json key '\(ctx.codingPath.map(\.stringValue).joined(separator: "."))' (null)")
        } catch {
            throw LanguageModelError.malformedFile("config.json is not a valid JSON object")
        }
        if let t = raw.model_type, t != "gpt2" {
            throw LanguageModelError.unsupported("model_type '\(t)' in config.json (expected gpt2)")
        }
        if let a = raw.activation_function, !Self.supportedActivations.contains(a) {
            throw LanguageModelError.unsupported("activation_function '\(a)' (supported: \(Self.supportedActivations.sorted().joined(separator: ", ")))")
        }
        guard let context = raw.n_positions ?? raw.n_ctx else {
            throw LanguageModelError.missing("config.json key 'n_positions'")
        }
        try self.init(vocabularySize: raw.vocab_size, contextLength: context, embeddingLength: raw.n_embd,
                      layerCount: raw.n_layer, headCount: raw.n_head, feedForwardLength: raw.n_inner,
                      layerNormEpsilon: raw.layer_norm_epsilon ?? 1e-5)
    }

    /// Reads and parses the `config.json` at `path`; an unreadable file throws `missing`.
    public init(huggingFaceConfigAt path: String) throws {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw LanguageModelError.missing("config file '\(path)' (cannot be read)")
        }
        try self.init(huggingFaceConfig: data)
    }
}
