import Foundation

extension TextScorer {
    /// The entropy production of one text at `level`, the report `paththermo text-ep --text … --json` prints
    /// (``score(_:index:level:progress:)`` of a ``TextRecord`` without id). Cost: one forward pass over the text's
    /// T tokens and one over its reversal (none when the reversal is the identity), O(T) model steps each.
    ///
    /// - Throws: ``ExperimentError/invalidConfiguration(_:)`` for a text that is empty or blank, has no tokens, or
    ///   (sentence level) whose sentence blocks are not a bijection; the model's errors otherwise.
    public func score(text: String, level: TextEntropyLevel) throws -> TextEntropyReport {
        guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw ExperimentError.invalidConfiguration("the text is empty")
        }
        return try score(TextRecord(text: text), index: 0, level: level)
    }
}
