import Foundation
import Testing
@testable import LanguageModel

/// Configuration parsing and loader errors of the GPT-2 family: typed one-line errors, never a crash.
@Suite struct GPT2LoadingTests {
    static let config = """
    {"model_type": "gpt2", "activation_function": "gelu_new", "vocab_size": 96, "n_positions": 32, "n_embd": 32,
     "n_layer": 2, "n_head": 4, "n_inner": null, "layer_norm_epsilon": 1e-5, "unrelated": [1, {"x": null}]}
    """

    static func parse(_ json: String) -> Result<GPT2Configuration, LanguageModelError> {
        do { return .success(try GPT2Configuration(huggingFaceConfig: Data(json.utf8))) } catch let e as LanguageModelError {
            return .failure(e)
        } catch { return .failure(.invalidArgument("other error \(error)")) }
    }
    static func failure(_ json: String) -> LanguageModelError? {
        if case let .failure(e) = parse(json) { return e }; return nil
    }

    @Test func huggingFaceConfig() throws {
        let c = try Self.parse(Self.config).get()
        #expect(c.vocabularySize == 96 && c.contextLength == 32 && c.embeddingLength == 32 && c.layerCount == 2)
        #expect(c.headCount == 4 && c.headDimension == 8 && c.feedForwardLength == 128 && c.layerNormEpsilon == 1e-5)
        #expect(try GPT2Configuration(huggingFaceConfigAt: GPT2Fixtures.path("config.json")) == c)
        // n_ctx instead of n_positions, explicit n_inner, defaults for ε and activation
        let d = try Self.parse(#"{"vocab_size": 10, "n_ctx": 8, "n_embd": 6, "n_layer": 1, "n_head": 3, "n_inner": 7}"#).get()
        #expect(d.contextLength == 8 && d.feedForwardLength == 7 && d.layerNormEpsilon == 1e-5)
    }

    @Test func huggingFaceConfigErrors() {
        #expect(Self.failure(#"{"vocab_size": 10, "n_embd": 6, "n_layer": 1, "n_head": 3}"#) == .missing("config.json key 'n_positions'"))
        #expect(Self.failure(#"{"vocab_size": 10, "n_positions": 8, "n_layer": 1, "n_head": 3}"#) == .missing("config.json key 'n_embd'"))
        #expect(Self.failure(Self.config.replacingOccurrences(of: "gelu_new", with: "gelu"))
                == .unsupported("activation_function 'gelu' (supported: gelu_fast, gelu_new, gelu_pytorch_tanh)"))
        #expect(Self.failure(Self.config.replacingOccurrences(of: "\"gpt2\"", with: "\"llama\""))
                == .unsupported("model_type 'llama' in config.json (expected gpt2)"))
        #expect(Self.failure(Self.config.replacingOccurrences(of: "\"n_head\": 4", with: "\"n_head\": 5"))?.isInvalidArgument == true)
        #expect(Self.failure(Self.config.replacingOccurrences(of: "\"n_layer\": 2", with: "\"n_layer\": 0"))?.isInvalidArgument == true)
        #expect(Self.failure(Self.config.replacingOccurrences(of: "\"n_embd\": 32", with: "\"n_embd\": \"32\""))?.isMalformed == true)
        #expect(Self.failure(Self.config.replacingOccurrences(of: "1e-5", with: "-1"))?.isInvalidArgument == true)
        for bad in ["", "[]", "{", "null", "{\"vocab_size\": 1e400}"] { #expect(Self.failure(bad) != nil, "\(bad)") }
        #expect(languageModelError { try GPT2Configuration(huggingFaceConfigAt: "/nonexistent/config.json") }
                == .missing("config file '/nonexistent/config.json' (cannot be read)"))
    }

    /// A GGUF of another architecture is `unsupported`; the llama loader refuses the GPT-2 GGUF too.
    @Test func architectures() throws {
        let other = try GGUFFile(contentsOf: GGUFFixtures.path("metadata.gguf"))   // general.architecture = testarch
        #expect(languageModelError { try GPT2Model(gguf: other) } == .unsupported("architecture 'testarch' (expected gpt2)"))
        let gpt2 = try GGUFFile(contentsOf: GPT2Fixtures.path("tiny-gpt2.gguf"))
        #expect(gpt2["general.architecture"]?.string == "gpt2")
        #expect(languageModelError { try LlamaModel(file: gpt2) } == .unsupported("architecture 'gpt2' (expected llama, qwen2, qwen3)"))
    }

    /// Weights that do not fit the configuration: `missing` with the tensor and both shapes.
    @Test func shapeMismatches() throws {
        let file = try SafetensorsFile(contentsOf: GPT2Fixtures.path("tiny-gpt2.safetensors"))
        let wide = try GPT2Configuration(vocabularySize: 96, contextLength: 32, embeddingLength: 48, layerCount: 2, headCount: 4)
        #expect(languageModelError { try GPT2Model(safetensors: file, configuration: wide) }?.description.hasPrefix("missing tensor") == true)
        let longer = try GPT2Configuration(vocabularySize: 96, contextLength: 64, embeddingLength: 32, layerCount: 2, headCount: 4)
        #expect(languageModelError { try GPT2Model(safetensors: file, configuration: longer) }
                == .missing("tensor 'wpe.weight' with shape [64, 32] (found [32, 32])"))
        let deeper = try GPT2Configuration(vocabularySize: 96, contextLength: 32, embeddingLength: 32, layerCount: 3, headCount: 4)
        #expect(languageModelError { try GPT2Model(safetensors: file, configuration: deeper) }
                == .malformedFile("n_layer = 3 but the file holds tensors for blocks h.0 … h.1 (2 in all)"))
        // a tensor removed from an otherwise valid file
        var b = try SafetensorsBuilder.copying(file)
        b.entries.removeAll { $0.name == "h.1.mlp.c_fc.bias" }
        let c = try GPT2Configuration(huggingFaceConfigAt: GPT2Fixtures.path("config.json"))
        #expect(languageModelError { try GPT2Model(safetensors: SafetensorsFile(bytes: b.bytes()), configuration: c) }
                == .missing("tensor 'h.1.mlp.c_fc.bias'"))
        // explicit weights of the wrong size
        var w = try GPT2Model(safetensors: file, configuration: c).weights
        w.layers[1].upBias.removeLast()
        #expect(languageModelError { try GPT2Model(configuration: c, weights: w) }
                == .invalidArgument("gpt2 layer 1 ffn_up.bias has 127 values, expected 128"))
    }

    @Test func missingFiles() {
        #expect(languageModelError { try GPT2Model(contentsOf: "/nonexistent/model.gguf") }?.description.hasPrefix("missing model file") == true)
        #expect(languageModelError { try GPT2Model(contentsOf: "/nonexistent/model.safetensors") }
                == .missing("config file '/nonexistent/config.json' (cannot be read)"))
        #expect(languageModelError { try GPT2Model(contentsOf: "/nonexistent/model.safetensors", configPath: GPT2Fixtures.path("config.json")) }?
            .description.hasPrefix("missing model file") == true)
    }
}
