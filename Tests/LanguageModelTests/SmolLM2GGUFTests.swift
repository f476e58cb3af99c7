import Foundation
import Testing
@testable import LanguageModel

/// The real model (scripts/fetch_model.sh puts it in models/): table facts of docs/theory/language-models.md §1 and
/// dequantized rows compared bit for bit with gguf-py (Tests/Fixtures/gguf/smollm2_rows.json, written by
/// `scripts/make_gguf_fixtures.py --model models/SmolLM2-135M-Instruct.Q4_1.gguf`). Skipped when the file is absent.
@Suite(.enabled(if: GGUFFixtures.modelPresent, "models/SmolLM2-135M-Instruct.Q4_1.gguf is absent: run scripts/fetch_model.sh"))
struct SmolLM2GGUFTests {
    struct Reference: Decodable {
        struct Row: Decodable { let tensor: String; let type: String; let dims: [Int]; let row: Int; let values: [Double] }
        let tensor_count: Int
        let metadata_count: Int
        let tokens: Int
        let merges: Int
        let rows: [Row]
    }

    static func reference() throws -> Reference {
        try JSONDecoder().decode(Reference.self, from: Data(contentsOf: GGUFFixtures.directory.appendingPathComponent("smollm2_rows.json")))
    }

    @Test func headerAndMetadata() throws {
        var file: GGUFFile?
        let elapsed = try ContinuousClock().measure { file = try GGUFFile(contentsOf: GGUFFixtures.modelPath) }
        print("SmolLM2 GGUF opened (header, 33 metadata entries, 272 tensor infos) in \(elapsed)")
        let f = try #require(file)
        let ref = try Self.reference()
        #expect(f.fileSize == 98_362_432)
        #expect(f.tensors.count == 272 && ref.tensor_count == 272)
        #expect(f.metadataKeys.count == 33 && ref.metadata_count == 33)
        #expect(f.alignment == 32 && f["general.alignment"] == nil && f.dataOffset % 32 == 0)
        #expect(f["general.architecture"]?.string == "llama")
        #expect(f["llama.block_count"]?.int == 30)
        #expect(f["llama.embedding_length"]?.int == 576)
        #expect(f["llama.feed_forward_length"]?.int == 1536)
        #expect(f["llama.attention.head_count"]?.int == 9)
        #expect(f["llama.attention.head_count_kv"]?.int == 3)
        #expect(f["llama.context_length"]?.int == 8192)
        #expect(f["llama.rope.freq_base"]?.double == 100_000)
        #expect(f["llama.attention.layer_norm_rms_epsilon"] == .float32(1e-5))
        #expect(f["tokenizer.ggml.model"]?.string == "gpt2")
        #expect(f["tokenizer.ggml.pre"]?.string == "smollm")
        #expect(f["tokenizer.ggml.tokens"]?.stringArray?.count == 49_152)
        #expect(f["tokenizer.ggml.merges"]?.stringArray?.count == 48_900)
        #expect(f["tokenizer.ggml.bos_token_id"]?.int == 1)
        #expect(f["tokenizer.ggml.eos_token_id"]?.int == 2)
        #expect(f["tokenizer.ggml.add_bos_token"]?.bool == false)
        #expect(f["tokenizer.ggml.tokens"]?.stringArray?.prefix(3) == ["<|endoftext|>", "<|im_start|>", "<|im_end|>"])
    }

    @Test func tensorTable() throws {
        let f = try GGUFFile(contentsOf: GGUFFixtures.modelPath)
        let embd = try f.tensor(named: "token_embd.weight")
        #expect(embd.type == .q8_0 && embd.dimensions == [576, 49_152])
        #expect(!f.hasTensor(named: "output.weight"))
        #expect(try f.tensor(named: "output_norm.weight").type == .f32)
        for n in 0..<30 {
            let shapes: [(String, GGMLType, [Int])] = [
                ("attn_norm", .f32, [576]), ("ffn_norm", .f32, [576]), ("attn_q", .q4_1, [576, 576]),
                ("attn_output", .q4_1, [576, 576]), ("attn_k", .q4_1, [576, 192]), ("attn_v", .q4_1, [576, 192]),
                ("ffn_gate", .q4_1, [576, 1536]), ("ffn_up", .q4_1, [576, 1536]), ("ffn_down", .q4_1, [1536, 576]),
            ]
            for (name, type, dims) in shapes {
                let t = try f.tensor(named: "blk.\(n).\(name).weight")
                #expect(t.type == type && t.dimensions == dims)
            }
        }
    }

    /// Rows of token_embd.weight (Q8_0) and blk.0.attn_q.weight (Q4_1): bit-identical to gguf-py.
    @Test func rowsMatchGGUFPy() throws {
        let f = try GGUFFile(contentsOf: GGUFFixtures.modelPath)
        for r in try Self.reference().rows {
            let t = try f.tensor(named: r.tensor)
            #expect(t.type.description == r.type && t.dimensions == r.dims)
            let got = try f.dequantizeRow(t, row: r.row)
            let expected = r.values.map { Float($0) }   // float32 values written as doubles: exact
            let mismatches = zip(got, expected).filter { $0.bitPattern != $1.bitPattern }.count
            #expect(got.count == expected.count && mismatches == 0, "\(r.tensor) row \(r.row): \(mismatches) of \(expected.count) differ")
        }
    }

    /// The whole 576 × 49,152 Q8_0 embedding: row-wise equals whole-tensor, and it is fast (see README).
    @Test func wholeEmbedding() throws {
        let f = try GGUFFile(contentsOf: GGUFFixtures.modelPath)
        let t = try f.tensor(named: "token_embd.weight")
        let clock = ContinuousClock()
        var all = [Float]()
        let elapsed = try clock.measure { all = try f.dequantize(t) }
        print("token_embd.weight (Q8_0, 576 × 49152) dequantized in \(elapsed)")
        #expect(all.count == 576 * 49_152)
        #expect(Array(all[(49_151 * 576)...]) == (try f.dequantizeRow(t, row: 49_151)))
        let finite = all.allSatisfy { $0.isFinite }
        #expect(finite)
    }
}
