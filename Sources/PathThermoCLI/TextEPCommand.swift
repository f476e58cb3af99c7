import ArgumentParser
import Autoregressive
import Foundation
import LanguageModel

/// `paththermo text-ep`: entropy production of texts under a GGUF llama language model (issue 6, items 4 and 7).
///
/// For a text y = y_1..y_T (token ids, no BOS) and the neutral prefix h_0 = `<|endoftext|>` shared by both
/// orders (autoregressive-ep spec, "Entropy production"):
///
///     σ = ln P(y | h_0) − ln P(R y | h_0),
///
/// with R the full token reversal (`--level token`) or the block reversal of the sentences (`--level
/// sentence`: sentence order reversed, tokens inside each sentence kept; spec "Coarse graining: block
/// (sentence) level"). At sentence level each sentence is tokenized on its own (every sentence but the first
/// with a leading space), so block boundaries are token boundaries and both orders are built from the same
/// blocks; one sentence gives σ = 0 exactly.
struct TextEPCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "text-ep",
        abstract: "Entropy production of texts (forward vs reversed order) under a GGUF language model.",
        discussion: """
            σ = ln P(text) − ln P(reversed text), both conditioned on <|endoftext|>. --level token reverses the
            tokens; --level sentence reverses the order of the sentences (split after '. ', '! ', '? ') and keeps
            each sentence's tokens in order. --file reads JSON lines {"id": …, "text": …}.
            """
    )

    @Option(help: "GGUF model file (scripts/fetch_model.sh downloads models/SmolLM2-135M-Instruct.Q4_1.gguf).")
    var model: String
    @Option(help: "One text to score.") var text: String?
    @Option(help: "JSON-lines file of {\"id\": …, \"text\": …} objects.") var file: String?
    @Option(help: "token (full token reversal) or sentence (sentence order reversed).") var level: String = "token"
    @Flag(help: "Print JSON instead of one line per text.") var json = false

    enum Level: String, CaseIterable { case token, sentence }

    struct Input { let id: String?; let text: String }

    struct Report: Encodable {
        let id: String?
        let level: String
        let tokens: Int
        let blocks: Int
        let logp_forward: Double
        let logp_reversed: Double
        let entropy_production: Double
        let per_block: [Double]
    }

    struct FileReport: Encodable { let texts: [Report] }

    func run() throws {
        guard let level = Level(rawValue: level) else {
            throw CLIError("unknown --level '\(self.level)' (use token or sentence)")
        }
        guard (text == nil) != (file == nil) else { throw CLIError("give exactly one of --text and --file") }
        let inputs = try text.map { [Input(id: nil, text: $0)] } ?? Self.readJSONLines(file ?? "")
        for (i, input) in inputs.enumerated()
        where input.text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            throw CLIError(file == nil ? "--text is empty" : "text \(input.id ?? "#\(i + 1)") in \(file ?? "") is empty")
        }
        guard FileManager.default.fileExists(atPath: model) else {
            throw CLIError("model file \(model) not found: run scripts/fetch_model.sh to download it")
        }
        let gguf = try GGUFFile(contentsOf: model)
        let tokenizer = try ByteLevelBPETokenizer(
            tokens: gguf.requiredStringArray("tokenizer.ggml.tokens"),
            merges: gguf.requiredStringArray("tokenizer.ggml.merges"),
            tokenTypes: gguf.requiredIntArray("tokenizer.ggml.token_type").map { Int32(truncatingIfNeeded: $0) },
            preTokenizer: PreTokenizer(ggufName: gguf.requiredString("tokenizer.ggml.pre")))
        let lm = try LlamaTokenModel(model: LlamaModel(file: gguf))
        let reports = try inputs.map { try Self.score($0, level: level, tokenizer: tokenizer, model: lm) }
        if json {
            if file == nil { return try JSONOutput.print(reports[0]) }
            return try JSONOutput.print(FileReport(texts: reports))
        }
        for r in reports {
            let name = r.id.map { "\($0)  " } ?? ""
            print("\(name)tokens \(r.tokens)  blocks \(r.blocks)  ln P→ \(fmt(r.logp_forward))  ln P← \(fmt(r.logp_reversed))  σ_\(level.rawValue) \(fmt(r.entropy_production))")
        }
    }

    /// Tokens and block partition of one text, then the two log-likelihoods and the forward per-block terms.
    static func score(_ input: Input, level: Level, tokenizer: ByteLevelBPETokenizer, model: LlamaTokenModel) throws -> Report {
        let ids: [Int], blocks: BlockPartition
        switch level {
        case .token:
            ids = try tokenizer.encode(input.text)
            blocks = .tokens(length: ids.count)
        case .sentence:
            var all = [Int](), ends = [Int]()
            for (k, sentence) in sentences(input.text).enumerated() {
                all += try tokenizer.encode(k == 0 ? sentence : " " + sentence)
                ends.append(all.count)
            }
            ids = all
            blocks = try BlockPartition(ends: ends, length: all.count)
        }
        guard !ids.isEmpty else { throw CLIError("text \(input.id ?? "") has no tokens") }
        let forward = try model.stepLogDensities(of: ids)
        let logpForward = forward.reduce(0, +)
        // One block: the reversed order is the same sequence, σ = 0 exactly (no second pass).
        let logpReversed = blocks.count <= 1 ? logpForward
            : try model.stepLogDensities(of: blocks.reverse(ids)).reduce(0, +)
        var perBlock = [Double](), start = 0
        for end in blocks.ends {
            perBlock.append(forward[start..<end].reduce(0, +))
            start = end
        }
        return Report(id: input.id, level: level.rawValue, tokens: ids.count, blocks: blocks.count,
                      logp_forward: logpForward, logp_reversed: logpReversed,
                      entropy_production: logpForward - logpReversed, per_block: perBlock)
    }

    /// Sentences of `text`: a sentence ends at '.', '!' or '?' followed by whitespace (the punctuation stays
    /// with its sentence); surrounding whitespace trimmed, empty pieces dropped.
    static func sentences(_ text: String) -> [String] {
        var out = [String](), current = ""
        let chars = Array(text)
        for (i, c) in chars.enumerated() {
            current.append(c)
            if ".!?".contains(c), i + 1 < chars.count, chars[i + 1].isWhitespace {
                out.append(current); current = ""
            }
        }
        out.append(current)
        return out.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
    }

    /// JSON lines `{"id": …, "text": "…"}` (blank lines skipped); a bad line is a one-line error with its number.
    static func readJSONLines(_ path: String) throws -> [Input] {
        guard let data = FileManager.default.contents(atPath: path) else { throw CLIError("cannot read --file \(path)") }
        var inputs = [Input]()
        for (n, line) in String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            guard !line.trimmingCharacters(in: .whitespaces).isEmpty else { continue }
            guard let object = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any],
                  let text = object["text"] as? String else {
                throw CLIError("\(path):\(n + 1): malformed line (expected a JSON object with a string \"text\")")
            }
            let id = object["id"].map { ($0 as? String) ?? "\($0)" }
            inputs.append(Input(id: id, text: text))
        }
        guard !inputs.isEmpty else { throw CLIError("--file \(path) holds no texts") }
        return inputs
    }
}
