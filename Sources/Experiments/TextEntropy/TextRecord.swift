import Foundation

/// One text of a text set: an optional identifier and the text itself. Text sets are JSON-lines files,
/// one object per line, `{"id": "c01", "text": "…", "sentences": 3}`; `sentences` (optional) is the
/// number of sentences the author intended, checked against the scorer's sentence blocks; `category` (optional,
/// `causal` or `noncausal`) places the text in its group when one file holds both (``TextSetSource``).
public struct TextRecord: Sendable, Equatable {
    public var id: String?
    public var text: String
    /// The declared sentence count, if the file gives one.
    public var declaredSentences: Int?
    /// The group label of a combined file (`"category"`), if the line gives one.
    public var category: String?

    public init(id: String? = nil, text: String, declaredSentences: Int? = nil, category: String? = nil) {
        self.id = id
        self.text = text
        self.declaredSentences = declaredSentences
        self.category = category
    }

    /// `id`, or `#n` (1-based position) when the record has none.
    public func name(at index: Int) -> String { id ?? "#\(index + 1)" }

    /// Reads a JSON-lines text set. Blank lines are skipped; a line that is not an object with a string
    /// `"text"`, an empty text, or a file without texts is an `invalidConfiguration` error naming
    /// `path:line`.
    public static func readJSONLines(_ path: String) throws -> [TextRecord] {
        try parseJSONLines(InputTextFile.read(path, what: "text file"), path: path)
    }

    /// The records of JSON-lines `text` read from `path` (named in errors).
    static func parseJSONLines(_ text: String, path: String) throws -> [TextRecord] {
        var records = [TextRecord]()
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        for (n, line) in lines.enumerated() {
            guard !line.trimmingCharacters(in: .whitespaces).isEmpty else { continue }
            guard let object = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any],
                  let text = object["text"] as? String else {
                throw ExperimentError.invalidConfiguration(
                    "\(path):\(n + 1): malformed line (expected a JSON object with a string \"text\")")
            }
            guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                throw ExperimentError.invalidConfiguration("\(path):\(n + 1): the text is empty")
            }
            let id = object["id"].map { ($0 as? String) ?? "\($0)" }
            records.append(TextRecord(id: id, text: text, declaredSentences: object["sentences"] as? Int,
                                      category: object["category"] as? String))
        }
        guard !records.isEmpty else { throw ExperimentError.invalidConfiguration("\(path) holds no texts") }
        return records
    }
}
