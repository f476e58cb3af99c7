import Foundation
import Testing
import TestSupport

/// `paththermo text-fluctuation` end to end on the tiny GPT-2 fixture: documented keys and files, the same JSON
/// numbers and CSV bytes for `--batch-size 1 --threads 1` and `--batch-size 5 --threads 2`, and bad input as one line.
@Suite("paththermo text-fluctuation")
struct TextFluctuationCommandTests {
    static let gpt2 = TextSampleEPDeterminismTests.gpt2
    static let args = ["--model", gpt2, "--samples", "12", "--length", "4", "--temperature", "1.5,3", "--bootstrap", "100",
                       "--prefix-ids", "95", "--seed", "9", "--no-plot"]

    /// Removes the wall times (and the provenance, whose command line differs) at every depth.
    static func withoutTimings(_ value: Any) -> Any {
        if let d = value as? [String: Any] {
            var out = [String: Any]()
            for (k, v) in d where !["seconds", "sampling_seconds", "scoring_seconds", "provenance", "configuration"].contains(k) {
                out[k] = withoutTimings(v)
            }
            return out
        }
        if let a = value as? [Any] { return a.map(withoutTimings) }
        return value
    }

    static func run(threads: Int, batch: Int) throws -> (json: Data, files: [Data], stdout: [String: Any]) {
        let out = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: out) }
        let r = try runCLI(["text-fluctuation"] + args + ["--json", "--out", out.path, "--threads", "\(threads)", "--batch-size", "\(batch)"])
        guard r.status == 0, let j = r.json else { throw TextSampleEPDeterminismTests.CLIFailure(message: "status \(r.status): \(r.stderr)") }
        let fileJSON = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("text-fluctuation.json")))
        let json = try JSONSerialization.data(withJSONObject: withoutTimings(fileJSON), options: [.sortedKeys])
        let files = try ["text-fluctuation-convergence.csv", "text-fluctuation-texts.csv"].map {
            try Data(contentsOf: out.appendingPathComponent($0))
        }
        return (json, files, j)
    }

    @Test func runsAndIsBitIdenticalForBatchAndThreads() throws {
        let a = try Self.run(threads: 1, batch: 1), b = try Self.run(threads: 2, batch: 5)
        #expect(a.json == b.json, "JSON numbers differ")
        #expect(a.files == b.files, "CSV files differ")
        let temps = try #require(a.stdout["temperatures"] as? [[String: Any]])
        #expect(temps.map { $0["temperature"] as? Double } == [1.5, 3])
        for t in temps {
            #expect((t["texts"] as? [Any])?.isEmpty == true)   // --json leaves the per-text records to the file
            let rows = try #require(t["token"] as? [[String: Any]])
            #expect(rows.map { $0["samples"] as? Int } == [8, 12])
            for row in rows {
                let m = try #require(row["fluctuation_mean"] as? Double)
                let lo = try #require(row["band_lower"] as? Double), hi = try #require(row["band_upper"] as? Double)
                #expect(lo <= m && m <= hi && m > 0)
            }
        }
        let csv = String(decoding: a.files[1], as: UTF8.self).split(separator: "\n")
        #expect(csv.count == 1 + 24)
    }

    @Test func tablePrinted() throws {
        let out = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: out) }
        let r = try runCLI(["text-fluctuation"] + Self.args + ["--out", out.path])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("τ = 1.5:") && r.stdout.contains("τ = 3:") && r.stdout.contains("wrote \(out.path)/text-fluctuation.json"))
    }

    /// At τ = 1e-5 every σ is ~10⁶ nats and every e^{−σ} underflows to 0: a named warning on stderr, no "nan" on
    /// stdout, and the JSON names the undefined share in its warnings.
    @Test func underflowIsAWarning() throws {
        let out = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: out) }
        let r = try runCLI(["text-fluctuation", "--model", Self.gpt2, "--prefix-ids", "95", "--samples", "8", "--length", "3",
                            "--temperature", "1e-5", "--bootstrap", "10", "--no-plot", "--out", out.path])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("warning: at τ = 1e-05 every e^{−σ} underflows to 0"), "\(r.stderr)")
        #expect(!r.stdout.lowercased().contains("nan") && r.stdout.contains("undefined"), "\(r.stdout)")
        let json = try String(contentsOf: out.appendingPathComponent("text-fluctuation.json"), encoding: .utf8)
        #expect(json.contains("temperatures[0].token[0].largest_term_share is not finite (nan)"))
    }

    /// Bad input: one readable line on stderr, a non-zero exit status, no crash.
    @Test func badInputsGiveOneLine() throws {
        let out = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: out) }
        let m = ["--model", Self.gpt2, "--prefix-ids", "95"]
        let cases: [([String], String)] = [
            (m + ["--temperature", "0"], "temperature must be finite and > 0, got 0.0"),
            (m + ["--temperature", "3,-1"], "temperature must be finite and > 0, got -1.0"),
            (m + ["--temperature", ""], "--temperature: expected comma-separated numbers"),
            (m + ["--temperature", "3,x"], "--temperature: expected comma-separated numbers"),
            (m + ["--temperature", "3,,4"], "--temperature: expected comma-separated numbers"),
            (m + ["--temperature", "nan"], "temperature must be finite and > 0"),
            (m + ["--temperature", "3,3"], "temperatures must be distinct"),
            (m + ["--bootstrap", "0"], "bootstrap resamples B = 0 is invalid"),
            (m + ["--bootstrap", "10000001"], "bootstrap resamples B = 10000001 is invalid"),
            (m + ["--samples", "7"], "samples N = 7 is invalid"),
            (m + ["--length", "0"], "text length T"),
            (m + ["--batch-size", "0"], "--batch-size"),
            (m + ["--threads", "-1"], "--threads must be ≥ 0, got -1"),
            (m + ["--prefix-ids", "x"], "--prefix-ids"),
            (["--model", "/nonexistent/model.gguf"], "model file /nonexistent/model.gguf not found: run scripts/fetch_model.sh"),
            (m + ["--samples", "100000000", "--length", "1000", "--max-memory", "1M"], "exceeds the memory budget"),
        ]
        for (args, message) in cases {
            let r = try runCLI(["text-fluctuation", "--no-plot", "--out", out.path] + args)
            #expect(r.status != 0 && !r.crashed, "\(args)")
            #expect(r.stderr.contains(message), "\(args): \(r.stderr)")
            #expect(r.stderr.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "\n").count == 1, "\(r.stderr)")
        }
    }
}
