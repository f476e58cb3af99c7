// libFuzzer target: the safetensors reader (LanguageModel/Safetensors) — header, every tensor's floats
// (small ones) — and a GPT-2 model built from it with the configuration of the committed fixture
// (Tests/Fixtures/gpt2/config.json), then one forward pass. A thrown error is fine; a trap is a finding.
import Foundation
import FuzzSupport
import LanguageModel

enum Fixture {
    /// Tests/Fixtures/gpt2/config.json (vocabulary 96, context 32, width 32, 2 layers, 4 heads).
    static let configuration: GPT2Configuration? = try? GPT2Configuration(huggingFaceConfig: Data("""
        {"architectures": ["GPT2LMHeadModel"], "model_type": "gpt2", "activation_function": "gelu_new",
         "vocab_size": 96, "n_positions": 32, "n_ctx": 32, "n_embd": 32, "n_layer": 2, "n_head": 4,
         "n_inner": null, "layer_norm_epsilon": 1e-05, "tie_word_embeddings": true}
        """.utf8))
}

runFuzzer { data, size in testOneInput(data, size) }

/// libFuzzer's callback, also under its conventional C name (which libFuzzer's own `main` references).
@_cdecl("LLVMFuzzerTestOneInput")
func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    fuzz(fuzzBytes(data, size))
    return 0
}

func fuzz(_ bytes: [UInt8]) {
    expectingErrors {
        let file = try SafetensorsFile(bytes: bytes)
        for tensor in file.tensors where tensor.byteCount <= 1 << 16 {
            expectingErrors { _ = try file.floats(tensor) }
        }
        guard let configuration = Fixture.configuration else { fatalError("the fixture configuration does not parse") }
        let model = try GPT2Model(safetensors: file, configuration: configuration)
        _ = try model.nextTokenLogits(tokens: [0, 1, 2])
    }
}
