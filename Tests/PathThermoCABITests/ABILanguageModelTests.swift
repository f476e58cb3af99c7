import Experiments
import Foundation
@testable import PathThermoCABI
import Testing

/// `pt_model_open` / `pt_model_text_ep` / `pt_model_free` on the tiny GPT-2 GGUF fixture (Tests/Fixtures/gpt2):
/// the handle's results equal ``TextScorer``'s, errors are statuses with the CLI's messages.
/// (python/tests/test_language_model.py compares with `paththermo text-ep --json`, SmolLM2 too when present.)
@Suite("C ABI: language model")
struct ABILanguageModelTests {
    static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/gpt2/tiny-gpt2.gguf").path

    static func open(_ path: String, prefix: String? = nil, leadingSpace: Int32 = 0, segmentation: String = "tokens")
        -> (Int32, String, OpaquePointer?) {
        var message = [CChar](repeating: 0, count: 512)
        var handle: OpaquePointer? = nil
        let status = pt_model_open(path, prefix, leadingSpace, segmentation, &handle, &message, 512)
        return (status, String(cString: message), handle)
    }

    static func textEP(_ handle: OpaquePointer?, _ text: String, _ level: String) -> (Int32, String, [String: Any]?) {
        var message = [CChar](repeating: 0, count: 512)
        var json: UnsafeMutablePointer<CChar>? = nil
        let status = pt_model_text_ep(handle, text, level, &json, &message, 512)
        defer { pt_free(json) }
        let object = json.flatMap { try? JSONSerialization.jsonObject(with: Data(String(cString: $0).utf8)) as? [String: Any] }
        return (status, String(cString: message), object)
    }

    @Test func handleEqualsTheScorer() throws {
        let (status, message, handle) = Self.open(Self.fixture, leadingSpace: 1)
        #expect(status == ABIStatus.ok && message.isEmpty)
        defer { pt_model_free(handle) }
        let scorer = try TextScorer(modelPath: Self.fixture, conventions: TextConventions(tokenization: .leadingSpace))
        for level in TextEntropyLevel.allCases {
            let expected = try scorer.score(TextRecord(text: "The cup fell. It broke."), level: level)
            let (s, _, object) = Self.textEP(handle, "The cup fell. It broke.", level.rawValue)
            #expect(s == ABIStatus.ok)
            let sigma = try #require(object?["entropy_production"] as? Double)
            #expect(abs(sigma - expected.entropyProduction) <= 1e-12 * max(1, abs(expected.entropyProduction)))
            #expect(object?["tokens"] as? Int == expected.tokens && object?["blocks"] as? Int == expected.blocks)
        }
    }

    @Test func errorsAreStatusesWithTheCLIMessages() {
        let missing = Self.open("/nonexistent/model.gguf")
        #expect(missing.0 == ABIStatus.libraryError && missing.2 == nil)
        #expect(missing.1 == "model file /nonexistent/model.gguf not found: run scripts/fetch_model.sh to download it")
        let garbage = FileManager.default.temporaryDirectory.appendingPathComponent("pt-abi-garbage-\(getpid()).gguf")
        try? Data("GGUF not a model".utf8).write(to: garbage)
        defer { try? FileManager.default.removeItem(at: garbage) }
        let bad = Self.open(garbage.path)
        #expect(bad.0 == ABIStatus.libraryError && bad.2 == nil && !bad.1.isEmpty)
        #expect(Self.open(Self.fixture, segmentation: "words").0 == ABIStatus.invalidArgument)
        let (_, _, handle) = Self.open(Self.fixture)
        defer { pt_model_free(handle) }
        #expect(Self.textEP(handle, "  ", "token").1 == "the text is empty")
        #expect(Self.textEP(handle, "It fell.", "word").0 == ABIStatus.invalidArgument)
        #expect(Self.textEP(handle, "It fell", "sentence").0 == ABIStatus.libraryError)
        #expect(Self.textEP(nil, "It fell.", "token").0 == ABIStatus.invalidArgument)
        pt_model_free(nil)   // a no-op
    }

    @Test func concurrentCallsOnOneHandleAreSerialized() async throws {
        let (_, _, opened) = Self.open(Self.fixture)
        let handle = try #require(opened)
        defer { pt_model_free(handle) }
        let bits = UInt(bitPattern: handle)
        let reference = try #require(Self.textEP(handle, "The cup fell. It broke.", "token").2?["entropy_production"] as? Double)
        let values = await withTaskGroup(of: Double?.self) { group in
            for _ in 0..<6 {
                group.addTask {
                    Self.textEP(OpaquePointer(bitPattern: bits), "The cup fell. It broke.", "token").2?["entropy_production"] as? Double
                }
            }
            return await group.reduce(into: [Double?]()) { $0.append($1) }
        }
        #expect(values.count == 6 && values.allSatisfy { $0 == reference })
    }
}
