import Foundation

extension GPT2Model {
    /// Samples `count` sequences of `length` tokens after `prefix` at temperature τ with the KV-cached batched
    /// decoder (`GPT2Decoder`, O(T) per token): `IncrementallyDecodable.cachedSample`. The texts and
    /// log-probabilities equal those of the whole-pass reference `CausalLanguageModel.sample` bit for bit
    /// (`GPT2DecoderTests`), for any batch size or thread count.
    public func sample(count: Int, length: Int, prefix: [Int], temperature: Double, seed: UInt64,
                       batchSize: Int = 32, firstStream: Int = 0,
                       progress: (@Sendable (Int) -> Void)? = nil) throws -> SampledTexts {
        try cachedSample(count: count, length: length, prefix: prefix, temperature: temperature, seed: seed,
                         batchSize: batchSize, firstStream: firstStream, progress: progress)
    }

    /// Teacher-forced ln p_τ(y_t | prefix, y_<t) of many sequences after a shared `prefix` through the batched
    /// decoder (`IncrementallyDecodable.cachedLogProbabilities`).
    public func logProbabilities(sequences: [[Int]], prefix: [Int], temperature: Double,
                                 batchSize: Int = 32, progress: (@Sendable (Int) -> Void)? = nil) throws -> [[Double]] {
        try cachedLogProbabilities(sequences: sequences, prefix: prefix, temperature: temperature, batchSize: batchSize,
                                   progress: progress)
    }
}

extension GPT2Model: IncrementallyDecodable {
    var hiddenLength: Int { configuration.embeddingLength }

    func makeDecoder(batch: Int, capacity: Int, singleChunk: Bool) -> GPT2Decoder {
        GPT2Decoder(model: self, batch: batch, capacity: capacity, singleChunk: singleChunk)
    }

    func checkDecoderMemory(batch: Int, capacity: Int, count: Int, singleChunk: Bool) throws {
        try GPT2Decoder.checkMemory(model: self, batch: batch, capacity: capacity, count: count, singleChunk: singleChunk)
    }

    /// z = H h with H the untied head or wte: one fixed-order product.
    func headLogits(_ hidden: UnsafePointer<Float>, rows: Int, into logits: UnsafeMutablePointer<Float>) {
        (weights.outputHead ?? weights.tokenEmbedding).withUnsafeBufferPointer { hb in
            RowMajorMatrixProduct.linear(hidden, rows: rows, inputs: configuration.embeddingLength, weight: hb.baseAddress!,
                                         outputs: configuration.vocabularySize, into: logits)
        }
    }
}
