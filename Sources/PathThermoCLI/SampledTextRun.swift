import Autoregressive
import Experiments
import LanguageModel

/// What `text-sample-ep` and `text-fluctuation` share around their experiments: the decoder settings checked before
/// the model loads, and one mapping of the model's errors to the CLI's one-line error.
enum SampledTextRun {
    /// The decoder settings of the options: the batch (1…4096 texts decoded together, and never more than N: the
    /// decoder's buffers grow with the batch, and a batch beyond N decodes N texts anyway), the prefix token ids of
    /// `--prefix-ids` (nil: the vocabulary's <|endoftext|>), and the worker threads (≥ 0), set for the language model.
    static func decoderSettings(batchSize: Int, samples: Int, prefixIds: String?, threads: Int) throws
        -> (batch: Int, prefix: [Int]?) {
        try requireCount(batchSize, "--batch-size", atLeast: 1, atMost: 4096)
        let prefix = try prefixIds.map(PrefixIDs.parse)
        guard threads >= 0 else { throw CLIError("--threads must be ≥ 0, got \(threads)") }
        try LanguageModelThreads.set(threads)
        return (min(batchSize, max(1, samples)), prefix)
    }

    /// Runs `body`, turning the experiment's, the model's and the decoder's errors into ``CLIError`` (configuration
    /// errors print their detail only, as in `text-ep`).
    static func run<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as ExperimentError {
            throw CLIError(TextEPCommand.message(error))
        } catch let error as LanguageModelError {
            throw CLIError("\(error)")
        } catch let error as AutoregressiveError {
            throw CLIError("\(error)")
        }
    }
}
