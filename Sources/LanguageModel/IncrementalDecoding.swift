/// A KV-cached decoder of B sequences that advance together (`LlamaDecoder`, `GPT2Decoder`): each call feeds
/// `count` new tokens per row (`[B × count]` row-major, already validated) at the positions after the cached ones
/// and returns the final-normed hidden states `[B·count × hiddenLength]` of the new positions.
protocol IncrementalDecoder: AnyObject {
    func advance(_ tokens: [Int], count: Int) -> [Float]
}

/// A causal language model with an incremental decoder: the batched KV-cached sampler
/// (`IncrementalDecoding+Sampling.swift`) and teacher-forced scorer (`IncrementalDecoding+Scoring.swift`) are
/// written once for every such model.
protocol IncrementallyDecodable: CausalLanguageModel {
    associatedtype Decoder: IncrementalDecoder
    /// Width d of the hidden states `advance` returns (the output head's input).
    var hiddenLength: Int { get }
    /// A decoder for `batch` rows of at most `capacity` positions (callers validate capacity ≤ context).
    /// `singleChunk`: exactly one chunk from position 0 will be fed (teacher forcing), so the cache may keep one
    /// layer slot (`KVCache.sharedAcrossLayers`).
    func makeDecoder(batch: Int, capacity: Int, singleChunk: Bool) -> Decoder
    /// Throws `invalidArgument` when the cache and the buffers of one `advance` of `count` tokens per row would
    /// overflow or exceed the physical memory (checked before a decoder is built).
    func checkDecoderMemory(batch: Int, capacity: Int, count: Int, singleChunk: Bool) throws
    /// Logits z = H h of `rows` final-normed hidden states (`[rows × d]`) into `[rows × vocab]`: one fixed-order
    /// product (H the tied embedding or the untied head).
    func headLogits(_ hidden: UnsafePointer<Float>, rows: Int, into logits: UnsafeMutablePointer<Float>)
}
