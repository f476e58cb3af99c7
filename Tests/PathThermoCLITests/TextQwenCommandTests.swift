import Foundation
import Testing

/// The text commands on the tiny qwen2 / qwen3 GGUF fixtures (`scripts/make_qwen_fixtures.py`; their forward passes
/// are checked against float64 NumPy in `QwenReferenceTests`): they run, `text-sample-ep` is bit-identical for
/// another batch size and thread count, and a file of an unknown architecture is a one-line error naming it.
@Suite("paththermo text commands on qwen GGUFs")
struct TextQwenCommandTests {
    static let fixtures = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures/qwen")

    @Test(arguments: ["qwen2", "qwen3"])
    func textCommandsRun(_ arch: String) throws {
        let model = Self.fixtures.appendingPathComponent("tiny-\(arch).gguf").path
        let ep = try runCLI(["text-ep", "--model", model, "--text", "The cup fell. It broke.", "--level", "token", "--json"])
        #expect(ep.status == 0, "\(ep.stderr)")
        #expect((ep.json?["entropy_production"] as? Double)?.isFinite == true)
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        func sample(_ name: String, batch: String, threads: String) throws -> Data {
            let out = dir.appendingPathComponent(name)
            let r = try runCLI(["text-sample-ep", "--model", model, "--samples", "6", "--length", "12", "--seed", "5",
                                "--batch-size", batch, "--threads", threads, "--no-plot", "--out", out.path])
            #expect(r.status == 0, "\(r.stderr)")
            return try Data(contentsOf: out.appendingPathComponent("text-sample-ep-texts.csv"))
        }
        let one = try sample("a", batch: "1", threads: "1"), four = try sample("b", batch: "4", threads: "2")
        #expect(one == four && one.count > 100)
    }

    @Test func unknownArchitectureIsOneLine() throws {
        var bytes = try Data(contentsOf: Self.fixtures.appendingPathComponent("tiny-qwen2.gguf"))
        let from = Data("general.architecture".utf8)
        let key = try #require(bytes.range(of: from))
        // the value after the key: u32 type (8 = string), u64 length 5, "qwen2"
        let value = key.upperBound + 4 + 8
        #expect(bytes[value..<(value + 5)] == Data("qwen2".utf8))
        bytes.replaceSubrange(value..<(value + 5), with: Data("qwen9".utf8))
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("qwen9.gguf")
        try bytes.write(to: path)
        let r = try runCLI(["text-ep", "--model", path.path, "--text", "Hi."])
        #expect(r.status != 0)
        #expect(r.stderr.contains("architecture 'qwen9'") && r.stderr.split(separator: "\n").count == 1, "\(r.stderr)")
    }
}
