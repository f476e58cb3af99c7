import Foundation
import Testing
import TestSupport

/// `paththermo head-asymmetry` (issue 15 item 6): the JSON keys and values on the GGUF fixture with known heads
/// (TestSupport `HeadAsymmetryFixture`), the files under --out, and one-line errors for a missing, corrupt or
/// unsupported model file.
@Suite("paththermo head-asymmetry")
struct HeadAsymmetryCommandTests {
    static func fixture(in dir: URL, architecture: String = "llama") throws -> String {
        let url = dir.appendingPathComponent("fixture-\(architecture).gguf")
        try HeadAsymmetryFixture.file(architecture: architecture).write(to: url)
        return url.path
    }

    @Test func jsonHasTheMapAndSummaries() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try runCLI(["head-asymmetry", "--model", try Self.fixture(in: dir), "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let j = try #require(r.json)
        #expect(j["layers"] as? Int == 2 && j["heads"] as? Int == 4 && j["kv_heads"] as? Int == 2 && j["head_dimension"] as? Int == 2)
        let a = try #require(j["asymmetry"] as? [[Double]])
        #expect(a.count == 2 && a[0] == [0, 0, 0, 0])
        for (h, e) in HeadAsymmetryFixture.layer1.enumerated() { #expect(abs(a[1][h] - e.asymmetry) < 1e-12) }
        for key in ["henrici", "henrici_relative", "commutator", "frobenius_norm"] { #expect((j[key] as? [[Double]])?.count == 2, "\(key)") }
        let summary = try #require((j["summary"] as? [String: Any])?["asymmetry"] as? [String: Any])
        for key in ["mean", "sd", "min", "max", "argmin", "argmax", "per_layer_mean", "count"] { #expect(summary[key] != nil, "\(key)") }
        #expect(summary["max"] as? Double == 1)
        #expect((j["without_norm_gain"] as? [String: Any])?["asymmetry"] as? [[Double]] != nil)
        #expect((j["conventions"] as? [String: String])?["rope"] != nil)
        #expect(j["norm_gain"] as? String == "included")
    }

    @Test func outWritesJSONAndCSVAndReportIsText() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("out").path
        let r = try runCLI(["head-asymmetry", "--model", try Self.fixture(in: dir), "--out", out, "--no-plot"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("asymmetry") && r.stdout.contains("wrote \(out)/head-asymmetry.json"))
        let csv = try String(contentsOfFile: out + "/head-asymmetry.csv", encoding: .utf8)
        #expect(csv.split(separator: "\n").count == 1 + 2 * 4)
        #expect(csv.hasPrefix("layer,head,kv_head,asymmetry,"))
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/head-asymmetry.json"))) as? [String: Any]
        #expect(json?["asymmetry"] as? [[Double]] != nil)
    }

    @Test func badModelFilesAreOneLine() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let corrupt = dir.appendingPathComponent("corrupt.gguf")
        try Data("GGUF not really".utf8).write(to: corrupt)
        let cases: [([String], String)] = [
            (["--model", dir.appendingPathComponent("absent.gguf").path], "not found: run scripts/fetch_model.sh"),
            (["--model", corrupt.path], "malformed model file"),
            (["--model", try Self.fixture(in: dir, architecture: "mamba")], "unsupported: architecture 'mamba' for head-asymmetry (supported: llama, gpt2)"),
            (["--model", dir.path], "not found"),
        ]
        for (args, message) in cases {
            let r = try runCLI(["head-asymmetry"] + args + ["--json"])
            #expect(r.status != 0 && !r.crashed)
            #expect(r.stdout.isEmpty)
            let lines = r.stderr.split(separator: "\n")
            #expect(lines.count == 1 && r.stderr.contains(message), "\(r.stderr)")
        }
    }
}
