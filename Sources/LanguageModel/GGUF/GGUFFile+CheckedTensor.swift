extension GGUFFile {
    /// The tensor `name` dequantized to Float32, after checking its GGUF dims (`[in, out]`, fastest first)
    /// against what the model's configuration implies: absent or of other dims → `missing`, naming both.
    public func dequantizedTensor(named name: String, dimensions: [Int]) throws -> [Float] {
        let t = try tensor(named: name)
        guard t.dimensions == dimensions else {
            throw LanguageModelError.missing("tensor '\(name)' with dims \(dimensions) (found \(t.dimensions))")
        }
        return try dequantize(t)
    }
}
