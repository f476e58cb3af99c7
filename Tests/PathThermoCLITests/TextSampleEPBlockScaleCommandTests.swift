import Foundation
import Testing
import TestSupport

/// `text-sample-ep` with block scales on the tiny GPT-2 fixture: the flags reach the JSON (`block_scale` rows in
/// the order token, super-blocks, fixed blocks; per-text `block_scale_sigmas`), the CSV is written, k = 1 equals the
/// block level's σ/T' as printed (the same numbers, JSON round trip), and bad lists give one line.
@Suite("paththermo text-sample-ep block scales")
struct TextSampleEPBlockScaleCommandTests {
    static let model = fixturesDirectory.appendingPathComponent("gpt2/tiny-gpt2.gguf").path

    @Test func blockScaleRowsAndFiles() throws {
        let out = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: out) }
        let r = try runCLI(["text-sample-ep", "--model", Self.model, "--samples", "6", "--length", "12", "--seed", "5",
                            "--superblocks", "1,2", "--fixed-blocks", "1,3,50", "--no-plot", "--json", "--out", out.path])
        #expect(r.status == 0, "\(r.stderr)")
        let j = try #require(r.json)
        let rows = try #require(j["block_scale"] as? [[String: Any]])
        #expect(rows.compactMap { $0["kind"] as? String } == ["token", "superblock", "superblock", "fixed", "fixed", "fixed"])
        #expect(rows.compactMap { $0["size"] as? Int } == [1, 1, 2, 1, 3, 50])
        let block = try #require(j["block"] as? [String: Any])
        #expect((rows[1]["texts"] as? Int) == (block["texts"] as? Int))
        if let k1 = rows[1]["per_token_mean"] as? Double, let b = block["per_token_mean"] as? Double { #expect(k1 == b) }
        let texts = try #require(j["texts"] as? [[String: Any]])
        for t in texts {
            if let s = t["block_scale_sigmas"] as? [Double] {
                #expect(s.count == 6 && s[1] == (t["sigma_block"] as? Double) && s[0] == s[3])
            } else {
                #expect(t["sigma_block"] == nil)
            }
        }
        let csv = try String(contentsOf: out.appendingPathComponent("text-sample-ep-block-scale.csv"), encoding: .utf8)
        #expect(csv.split(separator: "\n").count == 7)
        // Off by default: no key, no CSV.
        let off = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: off) }
        let plain = try runCLI(["text-sample-ep", "--model", Self.model, "--samples", "2", "--length", "4", "--no-plot", "--json",
                                "--out", off.path])
        #expect(plain.status == 0 && plain.json?["block_scale"] == nil)
        #expect(!FileManager.default.fileExists(atPath: off.appendingPathComponent("text-sample-ep-block-scale.csv").path))
    }

    @Test func badListsGiveOneLine() throws {
        let out = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: out) }
        for (args, message) in [(["--superblocks", "1,x"], "--superblocks"), (["--fixed-blocks", "0"], "fixed block length l"),
                                (["--fixed-blocks", "10,10"], "listed once"), (["--superblocks", "1,,2"], "--superblocks")] {
            let r = try runCLI(["text-sample-ep", "--model", Self.model, "--no-plot", "--out", out.path] + args)
            #expect(r.status != 0 && !r.crashed, "\(args)")
            #expect(r.stderr.contains(message), "\(args): \(r.stderr)")
            #expect(r.stderr.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "\n").count == 1, "\(r.stderr)")
        }
    }
}
