/// Opens the model a GGUF file holds, by its `general.architecture`: `llama`, `qwen2`, `qwen3` → `LlamaModel`
/// (`LlamaArchitecture`), `gpt2` → `GPT2Model`; anything else is `unsupported`.
public enum LanguageModelLoader {
    public static let architectures = ["llama", "qwen2", "qwen3", "gpt2"]

    public static func model(gguf file: GGUFFile) throws -> any CausalLanguageModel {
        let architecture = try file.requiredString("general.architecture")
        switch architecture {
        case "llama", "qwen2", "qwen3": return try LlamaModel(file: file)
        case "gpt2": return try GPT2Model(gguf: file)
        default:
            throw LanguageModelError.unsupported("architecture '\(architecture)' (supported: \(architectures.joined(separator: ", ")))")
        }
    }
}
