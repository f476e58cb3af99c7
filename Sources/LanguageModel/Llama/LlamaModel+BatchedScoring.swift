import Foundation

extension LlamaModel {
    /// Teacher-forced log-probabilities ln p_τ(y_t | prefix, y_<t) of many sequences after a shared `prefix`,
    /// through the batched decoder (`IncrementallyDecodable.cachedLogProbabilities`: padding, bit-identity for any
    /// batch size or thread count, errors and progress are documented there).
    public func logProbabilities(sequences: [[Int]], prefix: [Int], temperature: Double,
                                 batchSize: Int = 32, progress: (@Sendable (Int) -> Void)? = nil) throws -> [[Double]] {
        try cachedLogProbabilities(sequences: sequences, prefix: prefix, temperature: temperature, batchSize: batchSize,
                                   progress: progress)
    }
}
