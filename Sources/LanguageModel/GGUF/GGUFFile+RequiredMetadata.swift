/// Required metadata lookups for model loaders: the value of `key` converted exactly to the wanted type,
/// or `LanguageModelError.missing("metadata key 'k' (…)")` when the key is absent or holds another type.
extension GGUFFile {
    /// An integer value of any integer type (e.g. `llama.block_count`, u32).
    public func requiredInt(_ key: String) throws -> Int {
        try required(key, "an integer") { $0.int }
    }

    /// A float or integer value as `Double` (e.g. `llama.rope.freq_base`, f32).
    public func requiredDouble(_ key: String) throws -> Double {
        try required(key, "a number") { $0.double }
    }

    /// A string value (e.g. `general.architecture`).
    public func requiredString(_ key: String) throws -> String {
        try required(key, "a string") { $0.string }
    }

    /// An array of strings (e.g. `tokenizer.ggml.tokens`).
    public func requiredStringArray(_ key: String) throws -> [String] {
        try required(key, "an array of strings") { $0.stringArray }
    }

    /// An array of integers (e.g. `tokenizer.ggml.token_type`).
    public func requiredIntArray(_ key: String) throws -> [Int] {
        try required(key, "an array of integers") { $0.intArray }
    }

    private func required<T>(_ key: String, _ kind: String, _ convert: (GGUFValue) -> T?) throws -> T {
        guard let value = metadata[key] else { throw LanguageModelError.missing("metadata key '\(key)'") }
        guard let converted = convert(value) else {
            throw LanguageModelError.missing("metadata key '\(key)' as \(kind) (found \(value.type))")
        }
        return converted
    }
}
