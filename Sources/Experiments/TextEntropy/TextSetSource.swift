import Foundation

/// One named text set of `text-compare`: causal and non-causal texts, from one file holding both groups or from
/// one JSON-lines file per group (issue 17, item 2).
///
/// A combined file is either the authors' JSON object, `{"causal_texts": […], "noncausal_texts": […]}` (each
/// element a string or an object with a string `"text"` and optional `"id"`, `"sentences"`), or JSON lines whose
/// objects carry `"category": "causal"` or `"noncausal"`. Texts of the authors' format without an id are named
/// by their place in the file, `causal_texts[0]`, so an error names the text exactly.
public struct TextSetSource: Sendable, Equatable {
    public enum Files: Sendable, Equatable {
        case combined(String)
        case separate(causal: String, noncausal: String)
    }

    /// The set's name in results (`text_set`).
    public var name: String
    public var files: Files

    public init(name: String, files: Files) {
        self.name = name
        self.files = files
    }

    /// The file of each group (the same path twice for a combined file).
    public var causalPath: String {
        switch files { case let .combined(p): p; case let .separate(c, _): c }
    }
    public var noncausalPath: String {
        switch files { case let .combined(p): p; case let .separate(_, n): n }
    }

    /// Parses `NAME=FILE` (the CLI's `--set`): a non-empty name without '=' and a non-empty path.
    public init(argument: String) throws {
        guard let eq = argument.firstIndex(of: "="), eq != argument.startIndex, argument.index(after: eq) != argument.endIndex else {
            throw ExperimentError.invalidConfiguration("a text set must be given as NAME=FILE, got '\(argument)'")
        }
        self.init(name: String(argument[..<eq]), files: .combined(String(argument[argument.index(after: eq)...])))
    }

    /// Reads the set's texts, each group in file order.
    /// - Throws: ``ExperimentError/invalidConfiguration(_:)`` naming the file (and line or element) of a malformed
    ///   text, an unknown group label, a missing label in a combined JSON-lines file, or an empty group.
    public func read() throws -> (causal: [TextRecord], noncausal: [TextRecord]) {
        switch files {
        case let .separate(causal, noncausal):
            return (try TextRecord.readJSONLines(causal), try TextRecord.readJSONLines(noncausal))
        case let .combined(path):
            let text = try InputTextFile.read(path, what: "text file")
            let groups = try Self.authorsGroups(text, path: path) ?? Self.labelledGroups(text, path: path)
            guard !groups.causal.isEmpty, !groups.noncausal.isEmpty else {
                throw ExperimentError.invalidConfiguration(
                    "\(path) needs causal and non-causal texts (got \(groups.causal.count) and \(groups.noncausal.count))")
            }
            return groups
        }
    }

    /// The authors' JSON object, or nil when `text` is not one JSON object with `causal_texts`/`noncausal_texts`.
    static func authorsGroups(_ text: String, path: String) throws -> (causal: [TextRecord], noncausal: [TextRecord])? {
        guard let object = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any],
              object["causal_texts"] != nil || object["noncausal_texts"] != nil else { return nil }
        func group(_ key: String) throws -> [TextRecord] {
            guard let items = object[key] as? [Any] else {
                throw ExperimentError.invalidConfiguration("\(path): \"\(key)\" must be an array of texts")
            }
            return try items.enumerated().map { i, item in
                let place = "\(key)[\(i)]"
                let record: TextRecord
                if let s = item as? String {
                    record = TextRecord(id: place, text: s)
                } else if let o = item as? [String: Any], let s = o["text"] as? String {
                    record = TextRecord(id: o["id"].map { ($0 as? String) ?? "\($0)" } ?? place, text: s,
                                        declaredSentences: o["sentences"] as? Int)
                } else {
                    throw ExperimentError.invalidConfiguration("\(path): \(place) is neither a string nor an object with a string \"text\"")
                }
                guard !record.text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                    throw ExperimentError.invalidConfiguration("\(path): \(place): the text is empty")
                }
                return record
            }
        }
        return (try group("causal_texts"), try group("noncausal_texts"))
    }

    /// JSON lines, each with `"category": "causal" | "noncausal"`.
    static func labelledGroups(_ text: String, path: String) throws -> (causal: [TextRecord], noncausal: [TextRecord]) {
        var causal = [TextRecord](), noncausal = [TextRecord]()
        for (i, record) in try TextRecord.parseJSONLines(text, path: path).enumerated() {
            switch record.category {
            case "causal": causal.append(record)
            case "noncausal": noncausal.append(record)
            case let label?:
                throw ExperimentError.invalidConfiguration(
                    "\(path): text \(record.name(at: i)) has the unknown category '\(label)' (use causal or noncausal)")
            case nil:
                throw ExperimentError.invalidConfiguration(
                    "\(path): text \(record.name(at: i)) has no \"category\" (a file holding both groups needs \"category\": "
                    + "\"causal\" or \"noncausal\" on every line, or the authors' {\"causal_texts\": …, \"noncausal_texts\": …})")
            }
        }
        return (causal, noncausal)
    }
}
