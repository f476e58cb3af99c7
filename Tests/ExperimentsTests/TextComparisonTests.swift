import Autoregressive
import Foundation
import LanguageModel
import Testing
import TestSupport
@testable import Experiments

/// Text sets, sentence splitting and the Mann–Whitney summary, without the model.
@Suite("Text sets and their comparison")
struct TextSetTests {
    func write(_ lines: [String]) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("texts-\(UUID().uuidString).jsonl")
        try lines.joined(separator: "\n").write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    @Test func sentenceSplitterKeepsPunctuationAndIgnoresInnerDots() {
        #expect(SentenceSplitter.sentences("It rained.  Then it stopped!  Did it? ") == ["It rained.", "Then it stopped!", "Did it?"])
        // No whitespace after the dot (a decimal, an abbreviation glued to a word): no split.
        #expect(SentenceSplitter.sentences("Pi is 3.14 roughly. e.g.this stays") == ["Pi is 3.14 roughly.", "e.g.this stays"])
        #expect(SentenceSplitter.sentences("   ").isEmpty)
    }

    @Test func jsonLinesReadIdsTextsAndDeclaredCounts() throws {
        let path = try write([#"{"id": "a", "text": "One. Two.", "sentences": 2}"#, "", #"{"id": 7, "text": "Three."}"#])
        let r = try TextRecord.readJSONLines(path)
        #expect(r == [TextRecord(id: "a", text: "One. Two.", declaredSentences: 2), TextRecord(id: "7", text: "Three.")])
    }

    @Test func malformedTextSetsNameTheLine() throws {
        let cases: [([String], String)] = [
            ([#"{"id": "a", "text": "One."}"#, "{not json"], ":2:"),
            ([#"{"id": 3}"#], ":1:"),
            ([#"{"id": "e", "text": "  "}"#], "empty"),
            (["", "  "], "no texts"),
        ]
        for (lines, mention) in cases {
            let path = try write(lines)
            #expect { try TextRecord.readJSONLines(path) } throws: { "\($0)".contains(mention) }
        }
        #expect { try TextRecord.readJSONLines("/nonexistent/t.jsonl") } throws: { "\($0)".contains("cannot read") }
    }

    /// U₁ counts (causal, non-causal) pairs with the causal value larger: {3, 5} vs {1, 4} → pairs
    /// 3>1, 5>1, 5>4 → U = 3 of 4, r = 2·3/4 − 1 = 0.5; means 4 and 2.5; sds √2 and √4.5.
    @Test func comparisonSummaryByHand() throws {
        let c = try TextComparisonExperiment.compare([3, 5], [1, 4], level: .sentence, statistic: "per_token",
                                                     seed: 1, resamples: 200)
        #expect(c.uStatistic == 3 && c.effectSize == 0.5 && c.method == "exact")
        #expect(abs(c.meanCausal - 4) < 1e-12 && abs(c.meanNoncausal - 2.5) < 1e-12)
        #expect(abs(c.sdCausal - 2.0.squareRoot()) < 1e-12 && abs(c.sdNoncausal - 4.5.squareRoot()) < 1e-12)
        // Exact two-sided p: of the 6 equally likely rank splits, U ≥ 3 or U ≤ 1 happens in 4 → p = 4/6.
        #expect(abs(c.pValue - 4.0 / 6) < 1e-12)
        #expect(c.effectSizeCI[0] <= c.effectSizeCI[1])
    }
}

/// The scorer and the comparison on the real model (skipped without it).
@Suite("Text entropy production with SmolLM2", .enabled(if: TextModel.present, "models/SmolLM2-135M-Instruct.Q4_1.gguf is absent: run scripts/fetch_model.sh"))
struct TextScorerModelTests {
    static let scorer = Result { try TextScorer(modelPath: TextModel.path) }

    /// The tokenization pitfall (docs/theory/language-models.md §4): with every sentence given one leading space (PathThermo
    /// 0.1's convention, `--segmentation text --leading-space`), the block reversal decodes to the sentences in reverse order
    /// with a single space between them (no "floor.The").
    @Test func blockReversalKeepsSentenceSpacing() throws {
        let s = try TextScorer(modelPath: TextModel.path, conventions: .perSentenceLeadingSpace)
        let (ids, sentences) = try s.tokenize(TextRecord(text: "The glass fell off the table. It broke on the floor. We swept it up."))
        let blocks = try sentences.get()
        #expect(blocks.count == 3)
        #expect(try s.tokenizer.decode(blocks.reverse(ids)) == " We swept it up. It broke on the floor. The glass fell off the table.")
        #expect(try s.tokenizer.decode(ids) == " The glass fell off the table. It broke on the floor. We swept it up.")
    }

    /// σ at each level is ln P(y) − ln P(Ry) from the generic engine (`PathEntropyProduction`, which
    /// scores both orders through the same model): the same numbers regrouped, 1e-9 relative.
    @Test func levelsAgreeWithTheGenericEngine() throws {
        let s = try Self.scorer.get()
        let record = TextRecord(id: "x", text: "She lit the fire. The room grew warm.", declaredSentences: 2)
        let r = try s.score(record, levels: [.sentence, .token])
        let (ids, sentences) = try s.tokenize(record)
        let blocks = try sentences.get()
        let sentence = try PathEntropyProduction.sigma(s.model, ids, blocks: blocks)
        let token = try PathEntropyProduction.sigma(s.model, ids)
        #expect(abs(r[0].entropyProduction - sentence) < 1e-9 * max(1, abs(sentence)))
        #expect(abs(r[1].entropyProduction - token) < 1e-9 * max(1, abs(token)))
        #expect(r[0].logpForward == r[1].logpForward && r[0].tokens == r[1].tokens && r[1].blocks == r[1].tokens)
        #expect(r[0].perBlock.count == 2 && abs(r[0].perBlock.reduce(0, +) - r[0].logpForward) < 1e-9 * abs(r[0].logpForward))
        // A declared count that the splitter does not reproduce is an error naming the text.
        #expect { try s.score(TextRecord(id: "bad", text: "One. Two.", declaredSentences: 3), level: .sentence) }
            throws: { "\($0)".contains("bad") && "\($0)".contains("3 sentences") }
    }

    /// A different neutral prefix changes both log-likelihoods (the conditioning is real) but is shared by
    /// both orders; an empty prefix is refused.
    @Test func prefixTextConditionsBothOrders() throws {
        let plain = try Self.scorer.get()
        let prefixed = try TextScorer(modelPath: TextModel.path, prefixText: "A short story:")
        let prefixIDs = try plain.tokenizer.encode("A short story:")
        #expect(prefixed.prefix == prefixIDs)
        let record = TextRecord(text: "He dropped the cup. It shattered.")
        let a = try plain.score(record, level: .sentence), b = try prefixed.score(record, level: .sentence)
        #expect(abs(a.logpForward - b.logpForward) > 1e-3 && abs(a.logpReversed - b.logpReversed) > 1e-3)
        #expect { try TextScorer(modelPath: TextModel.path, prefixText: "") } throws: { "\($0)".contains("no tokens") }
        #expect { try TextScorer(modelPath: "/nonexistent.gguf") } throws: { "\($0)".contains("fetch_model.sh") }
    }

    /// A small comparison end to end: the top-level keys are the sentence-level per-token test, which equals
    /// a direct Mann–Whitney test of the rows' σ_sentence/T; files are written.
    @Test func smallComparisonEndToEnd() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("text-compare-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let causal = dir + "/c.jsonl", noncausal = dir + "/n.jsonl"
        try [#"{"id": "c1", "text": "He struck the match. The candle caught fire."}"#,
             #"{"id": "c2", "text": "The ice melted. The floor became wet."}"#,
             #"{"id": "c3", "text": "She boarded the plane. Hours later she landed in Rome."}"#]
            .joined(separator: "\n").write(toFile: causal, atomically: true, encoding: .utf8)
        try [#"{"id": "n1", "text": "Paris is in France. Cats have whiskers."}"#,
             #"{"id": "n2", "text": "Copper conducts electricity. The Nile is long."}"#,
             #"{"id": "n3", "text": "Owls hunt at night. Glass is made from sand."}"#]
            .joined(separator: "\n").write(toFile: noncausal, atomically: true, encoding: .utf8)
        var c = TextComparisonConfiguration(modelPath: TextModel.path, causalPath: causal, noncausalPath: noncausal)
        c.bootstrapResamples = 200
        let r = try TextComparisonExperiment(c).run(scorer: try Self.scorer.get())
        #expect(r.texts.count == 6 && r.comparisons.count == 4 && r.prefix == [0])
        #expect(r.tokenization == .asWritten && r.segmentation == .tokens && r.sets.map(\.name) == ["default"])
        let x = r.texts.filter { $0.set == "causal" }.map { $0.sigmaSentence / Double($0.tokens) }
        let y = r.texts.filter { $0.set == "noncausal" }.map { $0.sigmaSentence / Double($0.tokens) }
        let direct = try MannWhitney.test(x, y)
        #expect(r.uStatistic == direct.u && r.pValue == direct.pValue && r.effectSize == direct.rankBiserial)
        #expect(abs(r.meanCausal - x.reduce(0, +) / 3) < 1e-12 && abs(r.meanNoncausal - y.reduce(0, +) / 3) < 1e-12)
        try r.write(to: dir)
        for name in [TextComparisonResult.jsonName, TextComparisonResult.textsCSVName, TextComparisonResult.comparisonsCSVName] {
            #expect(FileManager.default.fileExists(atPath: dir + "/" + name))
        }
    }
}

enum TextModel {
    static var path: String { DownloadedModel.path }
    static var present: Bool { DownloadedModel.isPresent }
}
