import Autoregressive
import Foundation
import LanguageModel
import Parallel

/// Scores texts under a language model: the entropy production of each text at token or sentence level
/// (docs/theory/autoregressive.md §2, §4; issue 6, item 4; issue 17, item 1).
///
/// **Tokens and blocks** follow ``TextConventions``. By default the whole text is tokenized once, exactly as
/// written, and a sentence block closes after every token whose decoded text ends in '.', '!' or '?'
/// (``SentenceEndTokens``, the rule `text-sample-ep` applies to sampled texts), so the block reversal is a
/// bijection on token sequences and both levels see the same token sequence y = y_1..y_T: token-level σ
/// reverses all of it, sentence-level σ reverses the order of the blocks. As written, the first sentence has
/// no leading space and the reversal joins the last sentence to it without one ("floor.The", the pitfall of
/// docs/theory/language-models.md §4); ``TextTokenization/leadingSpace`` (one added space, the authors' second
/// convention) avoids it. ``TextSegmentation/text`` keeps the string rule of ``SentenceSplitter``.
///
/// **Prefix.** Both orders are conditioned on the same neutral prefix h_0 (default `<|endoftext|>`, id 0,
/// or the tokens of a prefix text), so the first prediction is conditioned identically and cancels.
public struct TextScorer: Sendable {
    public let tokenizer: ByteLevelBPETokenizer
    /// The language model as a token model of the `Autoregressive` protocol (`LlamaTokenModel`,
    /// `GPT2TokenModel`), its initial state the prefix.
    public let model: any TokenAutoregressiveModel
    /// The conditioning prefix h_0 (token ids).
    public let prefix: [Int]
    /// How texts become tokens and where their sentence blocks are cut.
    public let conventions: TextConventions
    /// The token rule's sentence ends (for ``TextSegmentation/tokens``).
    public let sentenceEnds: SentenceEndTokens

    public init<M: TokenAutoregressiveModel>(tokenizer: ByteLevelBPETokenizer, model: M, prefix: [Int],
                                             conventions: TextConventions = .init()) throws {
        self.tokenizer = tokenizer
        self.model = model
        self.prefix = prefix
        self.conventions = conventions
        sentenceEnds = try SentenceEndTokens(tokenizer: tokenizer)
    }

    /// Loads a GGUF model (`general.architecture` llama or gpt2) and its tokenizer. The prefix is the
    /// tokens of `prefixText` when given (non-empty after tokenization), else the vocabulary's
    /// `<|endoftext|>` token (id 0 in SmolLM2, 50256 in GPT-2). A missing file is an
    /// `invalidConfiguration` error that says how to fetch the model; another architecture is `unsupported`.
    public init(modelPath: String, prefixText: String? = nil, conventions: TextConventions = .init()) throws {
        guard FileManager.default.fileExists(atPath: modelPath) else {
            throw ExperimentError.invalidConfiguration("model file \(modelPath) not found: run scripts/fetch_model.sh to download it")
        }
        let file = try GGUFFile(contentsOf: modelPath)
        let model = try LanguageModelLoader.model(gguf: file)
        let tokenizer = try ByteLevelBPETokenizer(file: file)
        let prefix: [Int]
        if let prefixText {
            prefix = try tokenizer.encode(prefixText)
            guard !prefix.isEmpty else { throw ExperimentError.invalidConfiguration("the prefix text has no tokens") }
        } else {
            guard let end = tokenizer.id(of: "<|endoftext|>") else {
                throw ExperimentError.invalidConfiguration("the vocabulary has no <|endoftext|> token: give a prefix text")
            }
            prefix = [end]
        }
        try self.init(tokenizer: tokenizer, model: Self.tokenModel(model, prefix: prefix), prefix: prefix, conventions: conventions)
    }

    /// The language model (opened as its concrete type) as a token model of the `Autoregressive` protocol.
    static func tokenModel<M: CausalLanguageModel>(_ model: M, prefix: [Int]) throws -> any TokenAutoregressiveModel {
        try LanguageTokenModel(model: model, prefix: prefix)
    }

    /// The token sequence of `record` and its sentence blocks under ``conventions``, or why it has none (the
    /// token rule finds no sentence end, or tokens follow the last one: the reversal would not be a bijection),
    /// an error the sentence level throws. Throws for a text without tokens, or whose sentence count differs from
    /// the declared one.
    public func tokenize(_ record: TextRecord, index: Int = 0)
        throws -> (ids: [Int], sentences: Result<BlockPartition, ExperimentError>) {
        let name = record.name(at: index)
        let space = conventions.tokenization == .leadingSpace ? " " : ""
        var ids = [Int]()
        let sentences: Result<BlockPartition, ExperimentError>
        switch conventions.segmentation {
        case .tokens:
            ids = try tokenizer.encode(space + record.text)
            sentences = try tokenRuleBlocks(ids, name: name)
        case .text:
            var ends = [Int]()
            for (i, sentence) in SentenceSplitter.sentences(record.text).enumerated() {
                ids += try tokenizer.encode((i == 0 ? space : " ") + sentence)
                ends.append(ids.count)
            }
            sentences = .success(try BlockPartition(ends: ends, length: ids.count))
        }
        guard !ids.isEmpty else { throw ExperimentError.invalidConfiguration("text \(name) has no tokens") }
        if let declared = record.declaredSentences, case let .success(blocks) = sentences, declared != blocks.count {
            throw ExperimentError.invalidConfiguration(
                "text \(name) declares \(declared) sentences but splits into \(blocks.count) (segmentation \(conventions.segmentation.rawValue))")
        }
        return (ids, sentences)
    }

    /// The token rule's blocks of `ids`: closed after every sentence-end token, the last token closing the last.
    private func tokenRuleBlocks(_ ids: [Int], name: String) throws -> Result<BlockPartition, ExperimentError> {
        guard let last = ids.lastIndex(where: sentenceEnds.closesBlock) else {
            return .failure(.invalidConfiguration(
                "text \(name) has no sentence end (no token ending in '.', '!' or '?'): the sentence level needs at least one"))
        }
        guard last == ids.count - 1 else {
            let tail = (try? tokenizer.decode(Array(ids[(last + 1)...]))) ?? ""
            return .failure(.invalidConfiguration(
                "text \(name): \(ids.count - 1 - last) token(s) follow its last sentence end (\"\(tail)\"): sentence blocks must end "
                + "with a token ending in '.', '!' or '?' (end the text with one, or use the text segmentation)"))
        }
        return .success(try BlockPartition(ids, closesBlock: sentenceEnds.closesBlock))
    }

    /// The entropy production of `record` at each of `levels`, from one forward pass and one reversed
    /// pass per level (none for a level whose reversal is the identity: one block gives σ = 0 exactly).
    /// Model errors (a text longer than the context, say) come back as `invalidConfiguration` naming the text.
    /// `progress` advances by the text's token count after each pass (1 + levels.count passes, a skipped reversal
    /// counted as done): `progressUnits` gives the total.
    public func score(_ record: TextRecord, index: Int = 0, levels: [TextEntropyLevel],
                      progress: ProgressReporter? = nil) throws -> [TextEntropyReport] {
        do {
            return try scoreUnnamed(record, index: index, levels: levels, progress: progress)
        } catch let error as LanguageModelError {
            throw ExperimentError.invalidConfiguration("text \(record.name(at: index)): \(error)")
        }
    }

    private func scoreUnnamed(_ record: TextRecord, index: Int, levels: [TextEntropyLevel],
                              progress: ProgressReporter?) throws -> [TextEntropyReport] {
        let (ids, sentences) = try tokenize(record, index: index)
        let forward = try model.stepLogDensities(of: ids)
        progress?.advance(by: ids.count)
        let logpForward = forward.reduce(0, +)
        return try levels.map { level in
            let blocks = level == .token ? BlockPartition.tokens(length: ids.count) : try sentences.get()
            let logpReversed = blocks.count <= 1 ? logpForward
                : try model.stepLogDensities(of: blocks.reverse(ids)).reduce(0, +)
            progress?.advance(by: ids.count)
            var perBlock = [Double](), start = 0
            for end in blocks.ends {
                perBlock.append(forward[start..<end].reduce(0, +))
                start = end
            }
            return TextEntropyReport(id: record.id, level: level.rawValue, tokens: ids.count, blocks: blocks.count,
                                     logpForward: logpForward, logpReversed: logpReversed,
                                     entropyProduction: logpForward - logpReversed, perBlock: perBlock,
                                     tokenization: conventions.tokenization, segmentation: conventions.segmentation)
        }
    }

    /// The entropy production of `record` at one level.
    public func score(_ record: TextRecord, index: Int = 0, level: TextEntropyLevel,
                      progress: ProgressReporter? = nil) throws -> TextEntropyReport {
        try score(record, index: index, levels: [level], progress: progress)[0]
    }

    /// The progress units of scoring `records` at `levels`: each text's token count once per pass
    /// (1 + levels.count passes). Tokenizes every text (cheap next to the passes); throws as `tokenize` does.
    public func progressUnits(_ records: [TextRecord], levels: [TextEntropyLevel]) throws -> Int {
        try records.enumerated().reduce(0) { sum, item in
            sum + (1 + levels.count) * (try tokenize(item.element, index: item.offset).ids.count)
        }
    }
}
