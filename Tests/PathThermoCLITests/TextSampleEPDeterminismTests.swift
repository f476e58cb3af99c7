import Foundation
import Testing
import TestSupport

/// Issue 12 item 6: `text-sample-ep` gives the same texts and bit-identical numbers for any
/// `OPENBLAS_NUM_THREADS`, `--threads` and `--batch-size` (the language models' products are fixed-order:
/// Sources/CFixedOrderGEMM). Compared: the JSON result without its timings, echoed configuration and provenance (re-serialized
/// with sorted keys, so every number must round-trip to the same digits) and the texts CSV, byte for byte.
@Suite("paththermo text-sample-ep is bit-reproducible")
struct TextSampleEPDeterminismTests {
    static let gpt2 = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/gpt2/tiny-gpt2.gguf").path

    /// Settings of one run: OPENBLAS_NUM_THREADS, --threads, --batch-size.
    struct Setting: CustomStringConvertible {
        let blas: Int, threads: Int, batch: Int
        var description: String { "OPENBLAS_NUM_THREADS=\(blas) --threads \(threads) --batch-size \(batch)" }
    }

    static let timings: Set<String> = ["seconds", "sampling_seconds", "scoring_seconds", "sampling_tokens_per_second",
                                       "configuration", "provenance"]  // provenance: the command line differs

    /// The JSON (timings and configuration removed, keys sorted) and the texts CSV of one run.
    static func run(_ args: [String], _ s: Setting) throws -> (json: Data, csv: Data) {
        let out = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: out) }
        let r = try runCLI(["text-sample-ep"] + args + ["--no-plot", "--json", "--output", out.path,
                                                         "--threads", "\(s.threads)", "--batch-size", "\(s.batch)"],
                           environment: ["OPENBLAS_NUM_THREADS": "\(s.blas)"])
        guard r.status == 0, var j = r.json else { throw CLIFailure(message: "\(s): status \(r.status): \(r.stderr)") }
        for key in timings { j[key] = nil }
        let json = try JSONSerialization.data(withJSONObject: j, options: [.sortedKeys])
        let csv = try Data(contentsOf: out.appendingPathComponent("text-sample-ep-texts.csv"))
        return (json, csv)
    }

    struct CLIFailure: Error, CustomStringConvertible { let message: String; var description: String { message } }

    static func expectIdentical(_ args: [String], _ settings: [Setting]) throws {
        let base = try run(args, settings[0])
        for s in settings.dropFirst() {
            let other = try run(args, s)
            #expect(other.json == base.json, "\(s) vs \(settings[0]): JSON differs")
            #expect(other.csv == base.csv, "\(s) vs \(settings[0]): texts differ")
        }
    }

    /// The tiny GPT-2 fixture (whole-pass sampling): each factor varied alone from (1, 1, 1).
    @Test func tinyGPT2() throws {
        try Self.expectIdentical(["--model", Self.gpt2, "--samples", "9", "--length", "12", "--temperature", "1.7",
                                  "--prefix-ids", "95", "--seed", "4"],
                                 [Setting(blas: 1, threads: 1, batch: 1), Setting(blas: 2, threads: 1, batch: 1),
                                  Setting(blas: 1, threads: 2, batch: 1), Setting(blas: 1, threads: 1, batch: 3),
                                  Setting(blas: 1, threads: 1, batch: 8)])
    }

    /// SmolLM2 through the KV-cached batched decoder (N = 5, T = 8): three runs that together take every value
    /// (OPENBLAS_NUM_THREADS 1/2, --threads 1/2, --batch-size 1/3/8); each run loads the model, so three, not five.
    @Test(.enabled(if: DownloadedModel.isPresent, "models/SmolLM2-135M-Instruct.Q4_1.gguf is absent: run scripts/fetch_model.sh"))
    func smolLM2() throws {
        try Self.expectIdentical(["--model", DownloadedModel.path, "--samples", "5", "--length", "8", "--seed", "12"],
                                 [Setting(blas: 1, threads: 1, batch: 1), Setting(blas: 2, threads: 2, batch: 3),
                                  Setting(blas: 2, threads: 1, batch: 8)])
    }

    @Test func negativeThreadsIsOneLine() throws {
        let r = try runCLI(["text-sample-ep", "--model", Self.gpt2, "--threads=-1", "--no-plot"])
        #expect(r.status != 0 && !r.crashed)
        #expect(r.stderr.contains("--threads must be ≥ 0, got -1"), "\(r.stderr)")
    }
}

/// Issue 12 items 3 and 7 on the command line: a damaged model file gives one line and a non-zero status (never
/// NaN with exit 0), and `text-ep` draws a progress bar on stderr when asked to.
@Suite("paththermo text-ep: damaged models and progress")
struct TextEPTrustCommandTests {
    static let gpt2 = TextSampleEPDeterminismTests.gpt2

    /// The fixture with the u64 at `position(bytes)` replaced, written to a temporary file.
    static func damaged(_ edit: (inout [UInt8]) throws -> Void) throws -> URL {
        var b = [UInt8](try Data(contentsOf: URL(fileURLWithPath: gpt2)))
        try edit(&b)
        let url = try temporaryDirectory().appendingPathComponent("damaged.gguf")
        try Data(b).write(to: url)
        return url
    }

    static func after(_ s: String, in bytes: [UInt8]) throws -> Int {
        var needle = [UInt8]()
        withUnsafeBytes(of: UInt64(s.utf8.count).littleEndian) { needle += $0 }
        needle += Array(s.utf8)
        for i in 0...(bytes.count - needle.count) where bytes[i..<(i + needle.count)].elementsEqual(needle) { return i + needle.count }
        throw TextSampleEPDeterminismTests.CLIFailure(message: "'\(s)' not in the fixture")
    }

    static func put<T: FixedWidthInteger>(_ v: T, at i: Int, in b: inout [UInt8]) {
        withUnsafeBytes(of: v.littleEndian) { for k in 0..<MemoryLayout<T>.size { b[i + k] = $0[k] } }
    }

    @Test func damagedModelsGiveOneLine() throws {
        let overlap = try Self.damaged { b in
            // blk.1.ffn_up.weight's offset := token_embd.weight's (1 dim … 2 dims: name, u32 n, n × u64, u32 type, u64 offset)
            let a = try Self.after("blk.1.ffn_up.weight", in: b), e = try Self.after("token_embd.weight", in: b)
            let offsetA = a + 4 + 8 * Int(b[a]) + 4, offsetE = e + 4 + 8 * Int(b[e]) + 4
            for k in 0..<8 { b[offsetA + k] = b[offsetE + k] }
        }
        let blocks = try Self.damaged { b in
            let at = try Self.after("gpt2.block_count", in: b)
            Self.put(UInt32(Int32.max), at: at + 4, in: &b)
        }
        let nan = try Self.damaged { b in
            // first value of blk.0.ffn_down.bias (F32) := NaN; its data offset comes from the tensor table
            let at = try Self.after("blk.0.ffn_down.bias", in: b)
            let field = at + 4 + 8 * Int(b[at]) + 4
            let relative = b[field..<(field + 8)].enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
            var end = 0
            // data start: end of the table rounded up to 32; the last tensor's offset field ends the table
            let names = ["output_norm.bias", "output_norm.weight", "position_embd.weight", "token_embd.weight", "output.weight"]
            for n in names { if let p = try? Self.after(n, in: b) { end = max(end, p + 4 + 8 * Int(b[p]) + 4 + 8) } }
            for layer in 0..<2 {
                for n in ["attn_norm.weight", "attn_norm.bias", "attn_qkv.weight", "attn_qkv.bias", "attn_output.weight",
                          "attn_output.bias", "ffn_norm.weight", "ffn_norm.bias", "ffn_up.weight", "ffn_up.bias",
                          "ffn_down.weight", "ffn_down.bias"] {
                    let p = try Self.after("blk.\(layer).\(n)", in: b)
                    end = max(end, p + 4 + 8 * Int(b[p]) + 4 + 8)
                }
            }
            Self.put(Float.nan.bitPattern, at: (end + 31) / 32 * 32 + relative, in: &b)
        }
        let cases: [(URL, String)] = [(overlap, "overlap"), (blocks, "gpt2.block_count = 2147483647"), (nan, "non-finite value (nan)")]
        for (url, message) in cases {
            defer { try? FileManager.default.removeItem(at: url.deletingLastPathComponent()) }
            let r = try runCLI(["text-ep", "--model", url.path, "--text", "It rained. The river rose."])
            #expect(r.status != 0 && !r.crashed, "\(message): \(r.stderr)")
            #expect(r.stderr.contains(message), "\(r.stderr)")
            #expect(r.stderr.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "\n").count == 1, "\(r.stderr)")
            #expect(!r.stdout.lowercased().contains("nan"))
        }
    }

    /// With PATHTHERMO_PROGRESS=1 the bar reaches 100 % on stderr (stdout unchanged); with 0, or without a
    /// terminal, stderr stays empty.
    @Test func progressBar() throws {
        let file = try temporaryDirectory().appendingPathComponent("texts.jsonl")
        defer { try? FileManager.default.removeItem(at: file.deletingLastPathComponent()) }
        try Data("{\"id\": \"a\", \"text\": \"It rained. The river rose.\"}\n{\"id\": \"b\", \"text\": \"Then it stopped.\"}\n".utf8)
            .write(to: file)
        let args = ["text-ep", "--model", Self.gpt2, "--file", file.path]
        let shown = try runCLI(args, environment: ["PATHTHERMO_PROGRESS": "1"])
        #expect(shown.status == 0, "\(shown.stderr)")
        #expect(shown.stderr.contains("[##########] 100%"), "\(shown.stderr)")
        let quiet = try runCLI(args, environment: ["PATHTHERMO_PROGRESS": "0"]), plain = try runCLI(args)
        #expect(quiet.status == 0 && quiet.stderr.isEmpty && plain.stderr.isEmpty)
        #expect(quiet.stdout == shown.stdout && plain.stdout == shown.stdout)
    }
}
