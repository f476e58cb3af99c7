import Autoregressive
import Foundation
import LanguageModel
import Testing
import TestSupport
@testable import Experiments

/// Issue 17, item 1: the text as written (or after one added space) tokenized once, sentence blocks cut by the token
/// rule, against the independent float64 NumPy pass of `scripts/llama_reference.py` ("text_cases" of
/// Tests/Fixtures/llama/reference.json: HF `tokenizers` ids, blocks cut in Python, three NumPy passes per text).
@Suite("Text conventions on SmolLM2", .enabled(if: TextModel.present, "models/SmolLM2-135M-Instruct.Q4_1.gguf is absent: run scripts/fetch_model.sh"))
struct TextConventionsModelTests {
    static let asWritten = Result { try TextScorer(modelPath: TextModel.path) }
    static let leadingSpace = Result {
        try TextScorer(modelPath: TextModel.path, conventions: TextConventions(tokenization: .leadingSpace))
    }

    struct Case: Decodable {
        let text: String, leading_space: Bool, ids: [Int], block_ends: [Int]
        let logp_forward: Double, logp_token_reversed: Double, logp_sentence_reversed: Double
    }
    struct Reference: Decodable { let text_cases: [Case] }

    /// Ids and blocks exactly; each log-likelihood within 2e-3 nats of NumPy (the Q4_1 weights are dequantized
    /// alike; the Float32 pass differs from float64 by ≈ 1e-5 nats per token, measured 4e-5 on 10 tokens).
    @Test func matchesTheNumPyPassAsWrittenAndWithALeadingSpace() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/llama/reference.json")
        let cases = try JSONDecoder().decode(Reference.self, from: Data(contentsOf: url)).text_cases
        #expect(cases.count == 6 && cases.contains { $0.leading_space } && cases.contains { !$0.leading_space })
        for c in cases {
            let scorer = try (c.leading_space ? Self.leadingSpace : Self.asWritten).get()
            let record = TextRecord(text: c.text)
            let (ids, sentences) = try scorer.tokenize(record)
            #expect(ids == c.ids, "\(c.text)")
            #expect(try sentences.get().ends == c.block_ends, "\(c.text)")
            let r = try scorer.score(record, levels: [.token, .sentence])
            #expect(abs(r[0].logpForward - c.logp_forward) < 2e-3, "\(c.text): \(r[0].logpForward) vs \(c.logp_forward)")
            #expect(abs(r[0].logpReversed - c.logp_token_reversed) < 2e-3, "\(c.text)")
            #expect(abs(r[1].logpReversed - c.logp_sentence_reversed) < 2e-3, "\(c.text)")
            #expect(r[0].tokenization == (c.leading_space ? .leadingSpace : .asWritten) && r[0].segmentation == .tokens)
        }
    }

    /// The block reversal is a bijection on token sequences: the token rule cuts the reversed sequence into the
    /// reversed blocks, and reversing again gives the text back, decimals and abbreviations included (the rule
    /// counts "3." and "Dr." as sentence ends, alike in both orders).
    @Test(arguments: [false, true])
    func sentenceReversalIsABijection(leadingSpace: Bool) throws {
        let scorer = try (leadingSpace ? Self.leadingSpace : Self.asWritten).get()
        let texts = ["It cost 3.5 dollars. Dr. Smith paid!", "Wait... what?! No.", "The U.S. team won 2.0 to 1. Fans cheered.",
                     "e.g. this one. And i.e. that one?", "Line one.\nLine two.\n\nLine three."]
        for text in texts {
            let (ids, sentences) = try scorer.tokenize(TextRecord(text: text))
            let blocks = try sentences.get()
            let reversed = try blocks.reverse(ids)
            let recut = try BlockPartition(reversed, closesBlock: scorer.sentenceEnds.closesBlock)
            #expect(recut == blocks.reversed, "\(text)")
            #expect(try recut.reverse(reversed) == ids, "\(text)")
            #expect(blocks.count >= 2, "\(text)")
        }
    }

    /// As written, the reversal glues the last sentence to the first without a space ("up.The"); one leading
    /// space (the authors' second convention) puts a space before every sentence.
    @Test func asWrittenGluesTheFirstSentenceAndLeadingSpaceDoesNot() throws {
        let record = TextRecord(text: "The glass fell off the table. It broke on the floor. We swept it up.")
        let plain = try Self.asWritten.get(), spaced = try Self.leadingSpace.get()
        let (a, ab) = try plain.tokenize(record), (b, bb) = try spaced.tokenize(record)
        #expect(try plain.tokenizer.decode(ab.get().reverse(a)) == " We swept it up. It broke on the floor.The glass fell off the table.")
        #expect(try spaced.tokenizer.decode(bb.get().reverse(b)) == " We swept it up. It broke on the floor. The glass fell off the table.")
    }

    /// The sentence level needs a token rule partition: no sentence end, or tokens after the last one, is an error
    /// naming the text; the token level scores such a text.
    @Test func sentenceLevelRefusesTextsWithoutAClosingSentenceEnd() throws {
        let s = try Self.asWritten.get()
        #expect { try s.score(TextRecord(id: "open", text: "No end here"), level: .sentence) }
            throws: { "\($0)".contains("text open has no sentence end") }
        #expect { try s.score(TextRecord(id: "tail", text: "One. Two"), level: .sentence) }
            throws: { "\($0)".contains("text tail") && "\($0)".contains("follow its last sentence end") }
        #expect(try s.score(TextRecord(text: "No end here"), level: .token).tokens > 0)
        // The text segmentation keeps the string rule: one sentence, σ = 0 exactly.
        let legacy = try TextScorer(modelPath: TextModel.path, conventions: .perSentenceLeadingSpace)
        #expect(try legacy.score(TextRecord(text: "No end here"), level: .sentence).entropyProduction == 0)
    }
}

/// Text sets from the authors' JSON, labelled JSON lines and NAME=FILE arguments (no model).
@Suite("Text set sources")
struct TextSetSourceTests {
    func write(_ text: String, _ ext: String = "json") throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("set-\(UUID().uuidString).\(ext)")
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    @Test func authorsJSONGivesBothGroupsNamedByPlace() throws {
        let path = try write(#"{"causal_texts": ["A. B.", {"id": "c2", "text": "C. D.", "sentences": 2}], "noncausal_texts": ["E. F.", "G. H."]}"#)
        let g = try TextSetSource(name: "x", files: .combined(path)).read()
        #expect(g.causal == [TextRecord(id: "causal_texts[0]", text: "A. B."), TextRecord(id: "c2", text: "C. D.", declaredSentences: 2)])
        #expect(g.noncausal.map(\.id) == ["noncausal_texts[0]", "noncausal_texts[1]"])
    }

    @Test func labelledJSONLinesSplitByCategory() throws {
        let path = try write(#"""
            {"id": "a", "text": "A.", "category": "causal"}
            {"id": "b", "text": "B.", "category": "noncausal"}
            {"id": "c", "text": "C.", "category": "causal"}
            """#, "jsonl")
        let g = try TextSetSource(name: "x", files: .combined(path)).read()
        #expect(g.causal.map(\.id) == ["a", "c"] && g.noncausal.map(\.id) == ["b"])
    }

    @Test func badSetsNameTheFileTextOrLabel() throws {
        let cases: [(String, String)] = [
            (#"{"causal_texts": ["A."], "noncausal_texts": [3]}"#, "noncausal_texts[0] is neither"),
            (#"{"causal_texts": ["A."], "noncausal_texts": "B."}"#, "must be an array"),
            (#"{"causal_texts": ["A."], "noncausal_texts": ["  "]}"#, "noncausal_texts[0]: the text is empty"),
            (#"{"causal_texts": ["A."], "noncausal_texts": []}"#, "needs causal and non-causal texts"),
            (#"{"id": "q", "text": "A.", "category": "causual"}"#, "unknown category 'causual'"),
            (#"{"id": "q", "text": "A."}"#, "text q has no \"category\""),
        ]
        for (content, mention) in cases {
            let path = try write(content)
            #expect { try TextSetSource(name: "x", files: .combined(path)).read() } throws: {
                "\($0)".contains(mention) && "\($0)".contains(path)
            }
        }
        #expect { try TextSetSource(name: "x", files: .combined("/nonexistent/s.json")).read() } throws: { "\($0)".contains("cannot read") }
        for bad in ["noequals", "=file", "name="] {
            #expect { try TextSetSource(argument: bad) } throws: { "\($0)".contains("NAME=FILE") }
        }
        #expect(try TextSetSource(argument: "a=b=c.json") == TextSetSource(name: "a", files: .combined("b=c.json")))
    }
}

/// Several sets scored by the tiny random-weight GPT-2 fixture (no download): every comparison is the Mann–Whitney
/// test of its rows, the intervals use seed + k, and p_holm is Holm's adjustment of all the p-values of the run.
@Suite("text-compare with several sets")
struct TextComparisonSetsTests {
    static let model = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/gpt2/tiny-gpt2.gguf").path

    @Test func holmOverEveryTestOfEverySet() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sets-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let first = dir.appendingPathComponent("a.json"), second = dir.appendingPathComponent("b.jsonl")
        try #"{"causal_texts": ["It fell. It broke.", "He ran. He won.", "We ate. We slept."], "noncausal_texts": ["Sky is blue. Ice.", "Cats nap. Rain.", "Red. Salt is white."]}"#
            .write(to: first, atomically: true, encoding: .utf8)
        try [#"{"text": "She sang. They clapped.", "category": "causal"}"#, #"{"text": "Rain fell. It flooded.", "category": "causal"}"#,
             #"{"text": "Owls hoot. Fish swim.", "category": "noncausal"}"#, #"{"text": "Gold is soft. Dogs bark.", "category": "noncausal"}"#]
            .joined(separator: "\n").write(to: second, atomically: true, encoding: .utf8)
        var c = TextComparisonConfiguration(modelPath: Self.model, sets: [
            TextSetSource(name: "authors", files: .combined(first.path)), TextSetSource(name: "lines", files: .combined(second.path)),
        ])
        c.bootstrapResamples = 300; c.seed = 11
        let r = try TextComparisonExperiment(c).run()
        #expect(r.sets.map(\.name) == ["authors", "lines"] && r.sets.map(\.nCausal) == [3, 2] && r.texts.count == 10)
        #expect(r.comparisons.count == 8 && r.comparisons.map(\.textSet) == Array(repeating: "authors", count: 4) + Array(repeating: "lines", count: 4))
        let holm = try HolmCorrection.adjusted(r.comparisons.map(\.pValue))
        #expect(r.comparisons.map(\.pHolm) == holm)
        for (k, t) in r.comparisons.enumerated() {
            let rows = r.texts.filter { $0.textSet == t.textSet }
            func values(_ group: String) -> [Double] {
                rows.filter { $0.set == group }.map { row in
                    let sigma = t.level == "sentence" ? row.sigmaSentence : row.sigmaToken
                    return t.statistic == "per_token" ? sigma / Double(row.tokens) : sigma
                }
            }
            let direct = try MannWhitney.test(values("causal"), values("noncausal"))
            #expect(t.uStatistic == direct.u && t.pValue == direct.pValue && t.effectSize == direct.rankBiserial)
            let ci = try MannWhitney.rankBiserialInterval(values("causal"), values("noncausal"), resamples: 300, seed: 11 + UInt64(k))
            #expect(t.effectSizeCI == [ci.lowerBound, ci.upperBound])
        }
        #expect(r.comparison(level: .sentence, set: "lines") == r.comparisons[4])
        // Set names are unique; resamples within 1 … 10⁷.
        var twice = c
        twice.sets[1].name = "authors"
        #expect { try TextComparisonExperiment(twice) } throws: { "\($0)".contains("used twice") }
        var none = c
        none.bootstrapResamples = 0
        #expect { try TextComparisonExperiment(none) } throws: { "\($0)".contains("bootstrap resamples") }
    }
}
