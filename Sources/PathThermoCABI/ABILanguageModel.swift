import Experiments
import Foundation

/// The object behind a `pt_model *` handle: a ``TextScorer`` (GGUF weights, tokenizer, prefix and conventions),
/// loaded once by `pt_model_open`, and the lock that serializes calls on it. A TextScorer pass already spreads its
/// products over every core (``LanguageModelThreads``), so concurrent calls on one handle would only compete for
/// them; serializing them also bounds the memory of the passes (KV caches) to one at a time. Different handles run
/// concurrently.
final class ABILanguageModel: @unchecked Sendable {
    let scorer: TextScorer
    private let lock = NSLock()

    init(scorer: TextScorer) { self.scorer = scorer }

    /// Runs `body` with the scorer, one call at a time.
    func withScorer<T>(_ body: (TextScorer) throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body(scorer)
    }

    /// The object of a handle from `pt_model_open` (not retained).
    static func from(_ handle: OpaquePointer?) throws -> ABILanguageModel {
        guard let handle else { throw ABIArgumentError("model: null handle") }
        return Unmanaged<ABILanguageModel>.fromOpaque(UnsafeRawPointer(handle)).takeUnretainedValue()
    }
}

/// Configuration errors carry their detail alone, as `paththermo text-ep` prints them (``ExperimentError/detail``).
private func textEPMessage<T>(_ body: () throws -> T) throws -> T {
    do { return try body() } catch let error as ExperimentError { throw ABIResultError(error.detail) }
}

/// `pt_model_open`: loads a GGUF language model (llama or gpt2 architecture) with its tokenizer once
/// (``TextScorer/init(modelPath:prefixText:conventions:)``, as `paththermo text-ep --model`) and stores a handle in
/// `*modelOut` (NULL after a failure); release it with `pt_model_free`. `prefix` NULL: the `<|endoftext|>` token;
/// `leadingSpace` ≠ 0: tokenize " " + text; `segmentation` "tokens" or "text". Cost: mapping the file and reading
/// its tokenizer, O(vocabulary).
@_cdecl("pt_model_open")
public func pt_model_open(
    _ path: UnsafePointer<CChar>?, _ prefix: UnsafePointer<CChar>?, _ leadingSpace: Int32,
    _ segmentation: UnsafePointer<CChar>?, _ modelOut: UnsafeMutablePointer<OpaquePointer?>?,
    _ message: UnsafeMutablePointer<CChar>?, _ messageCapacity: Int64
) -> Int32 {
    abiCall(message: message, capacity: messageCapacity) {
        guard let modelOut else { throw ABIArgumentError("model_out: null output pointer") }
        modelOut.pointee = nil
        let modelPath = try abiUTF8String(path, "path")
        let prefixText = try prefix.map { try abiUTF8String($0, "prefix") }
        let segmentationName = try abiUTF8String(segmentation, "segmentation")
        guard let segmentationValue = TextSegmentation(rawValue: segmentationName) else {
            throw ABIArgumentError("unknown segmentation '\(segmentationName)' (use tokens or text)")
        }
        let conventions = TextConventions(tokenization: leadingSpace != 0 ? .leadingSpace : .asWritten,
                                          segmentation: segmentationValue)
        let scorer = try textEPMessage { try TextScorer(modelPath: modelPath, prefixText: prefixText, conventions: conventions) }
        modelOut.pointee = OpaquePointer(Unmanaged.passRetained(ABILanguageModel(scorer: scorer)).toOpaque())
    }
}

/// `pt_model_free`: releases a handle of `pt_model_open` (NULL is a no-op). The handle must not be used after, nor
/// freed twice, nor freed while another thread is calling `pt_model_text_ep` on it.
@_cdecl("pt_model_free")
public func pt_model_free(_ model: OpaquePointer?) {
    guard let model else { return }
    Unmanaged<ABILanguageModel>.fromOpaque(UnsafeRawPointer(model)).release()
}

/// `pt_model_text_ep`: σ = ln P(y | h₀) − ln P(R y | h₀) of one text under the handle's model, R the full token
/// reversal (`level` "token") or the sentence-order reversal ("sentence"); the JSON document of `paththermo text-ep
/// --text … --json` (``TextScorer/score(text:level:)``, docs/theory/autoregressive.md §2, §4). Calls on one handle
/// are serialized (``ABILanguageModel``). Cost: two passes of the model over the text's T tokens.
@_cdecl("pt_model_text_ep")
public func pt_model_text_ep(
    _ model: OpaquePointer?, _ text: UnsafePointer<CChar>?, _ level: UnsafePointer<CChar>?,
    _ jsonOut: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?,
    _ message: UnsafeMutablePointer<CChar>?, _ messageCapacity: Int64
) -> Int32 {
    abiCall(message: message, capacity: messageCapacity) {
        guard jsonOut != nil else { throw ABIArgumentError("json_out: null output pointer") }
        jsonOut?.pointee = nil
        let handle = try ABILanguageModel.from(model)
        let textValue = try abiUTF8String(text, "text"), levelName = try abiUTF8String(level, "level")
        guard let levelValue = TextEntropyLevel(rawValue: levelName) else {
            throw ABIArgumentError("unknown level '\(levelName)' (use token or sentence)")
        }
        let report = try textEPMessage { try handle.withScorer { try $0.score(text: textValue, level: levelValue) } }
        try writeJSON(report, to: jsonOut)
    }
}
