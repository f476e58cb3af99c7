/// Opens the model a GGUF file holds, by its `general.architecture`: `llama` → `LlamaModel`, `gpt2` →
/// `GPT2Model`; anything else is `unsupported`.
public enum LanguageModelLoader {
    public static let architectures = ["llama", "gpt2"]

    public static func model(gguf file: GGUFFile) throws -> any CausalLanguageModel {
        let architecture = try file.requiredString("general.architecture")
        switch architecture {
        case "llama": return try LlamaModel(file: file)
        case "gpt2": return try GPT2Model(gguf: file)
        default:
            throw LanguageModelError.unsupported("architecture '\(architecture)' (supported: \(architectures.joined(separator: ", ")))")
        }
    }
}
