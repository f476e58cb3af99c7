/// Comma-separated option values (`--lags 1,2,5`, `--plane 0,1`, `--temperature 3,4`, `--prefix-ids 1,2`,
/// `--superblocks 2,4`): one parser and one wording for every command. Fields are trimmed; an empty field
/// (`3,,4`) or an empty list is refused unless the caller allows the empty list.
enum CommaList {
    /// `text` parsed field by field with `parse`.
    /// - Parameters:
    ///   - expected: what the fields are, in the plural ("numbers", "whole numbers", "token ids").
    ///   - example: a valid value for the message ("1,2,5").
    ///   - allowEmpty: whether "" (blank) means the empty list.
    /// - Throws: `CLIError("<option>: expected comma-separated <expected> (e.g. <example>), got '<text>'")`.
    static func values<T>(_ text: String, option: String, expected: String, example: String,
                          allowEmpty: Bool = false, _ parse: (String) -> T?) throws -> [T] {
        let blank = text.trimmingCharacters(in: .whitespaces).isEmpty
        if blank, allowEmpty { return [] }
        let parsed = text.split(separator: ",", omittingEmptySubsequences: false)
            .map { parse($0.trimmingCharacters(in: .whitespaces)) }
        guard !blank, parsed.allSatisfy({ $0 != nil }) else {
            throw CLIError("\(option): expected comma-separated \(expected) (e.g. \(example)), got '\(text)'")
        }
        return parsed.map { $0! }
    }

    /// Whole numbers (`Int`).
    static func integers(_ text: String, option: String, example: String, allowEmpty: Bool = false) throws -> [Int] {
        try values(text, option: option, expected: "whole numbers", example: example, allowEmpty: allowEmpty) { Int($0) }
    }

    /// Numbers (`Double`; finiteness is the caller's range check).
    static func numbers(_ text: String, option: String, example: String) throws -> [Double] {
        try values(text, option: option, expected: "numbers", example: example) { Double($0) }
    }
}
