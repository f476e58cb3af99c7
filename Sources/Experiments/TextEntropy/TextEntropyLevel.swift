/// The coarse graining of a text's reversal (docs/theory/autoregressive.md §4).
public enum TextEntropyLevel: String, Sendable, CaseIterable, Codable {
    /// Full token reversal: y_T, …, y_1.
    case token
    /// Sentence order reversed, the tokens inside each sentence kept in order.
    case sentence
}
