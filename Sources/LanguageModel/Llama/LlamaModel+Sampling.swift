import Foundation

extension LlamaModel {
    /// Samples `count` sequences of `length` tokens after `prefix` at temperature τ with the KV-cached batched
    /// decoder (`LlamaDecoder`): `IncrementallyDecodable.cachedSample` (the draws, their log-probabilities, the
    /// bit-identity for any batch size or thread count, the errors and the cost are documented there).
    /// SmolLM2: one step of a batch of B costs B · 0.27 GFLOP plus attention over the cached positions.
    public func sample(count: Int, length: Int, prefix: [Int], temperature: Double, seed: UInt64,
                       batchSize: Int = 32, firstStream: Int = 0,
                       progress: (@Sendable (Int) -> Void)? = nil) throws -> SampledTexts {
        try cachedSample(count: count, length: length, prefix: prefix, temperature: temperature, seed: seed,
                         batchSize: batchSize, firstStream: firstStream, progress: progress)
    }
}

extension LlamaModel: IncrementallyDecodable {
    var hiddenLength: Int { configuration.embeddingLength }

    func makeDecoder(batch: Int, capacity: Int, singleChunk: Bool) -> LlamaDecoder {
        LlamaDecoder(model: self, batch: batch, capacity: capacity, singleChunk: singleChunk)
    }

    func checkDecoderMemory(batch: Int, capacity: Int, count: Int, singleChunk: Bool) throws {
        try LlamaDecoder.checkMemory(model: self, batch: batch, capacity: capacity, count: count, singleChunk: singleChunk)
    }
}
