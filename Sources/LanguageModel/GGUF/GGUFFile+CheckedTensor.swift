extension GGUFFile {
    /// The tensor `name` dequantized to Float32, after checking its GGUF dims (`[in, out]`, fastest first)
    /// against what the model's configuration implies: absent or of other dims → `missing`, naming both; a NaN or
    /// ±∞ among the values (an F16/F32 weight, or a block scale) → `malformedFile` naming the element.
    public func dequantizedTensor(named name: String, dimensions: [Int]) throws -> [Float] {
        let t = try tensor(named: name)
        guard t.dimensions == dimensions else {
            throw LanguageModelError.missing("tensor '\(name)' with dims \(dimensions) (found \(t.dimensions))")
        }
        let values = try dequantize(t)
        try ModelFilePlan.checkFinite(values, tensor: name)
        return values
    }

    /// Checks `plan` against the tensor table (`ModelFilePlan.check`) before anything is dequantized; returns the
    /// number of Float32 values the model will hold.
    @discardableResult
    public func check(_ plan: ModelFilePlan) throws -> Int {
        try plan.check { hasTensor(named: $0) ? (try? tensor(named: $0))?.dimensions : nil }
    }

    /// Requires `key` (e.g. `llama.block_count`) to equal the number of `blk.N.` blocks in the tensor table.
    public func checkBlockCount(_ count: Int, key: String) throws {
        try ModelFilePlan.checkBlockCount(count, key: key, names: tensors.lazy.map(\.name), prefix: "blk.")
    }
}
