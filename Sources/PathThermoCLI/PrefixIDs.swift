/// `--prefix-ids`: the comma-separated token ids of the prefix h_0 (`text-sample-ep`, `text-fluctuation`); the
/// range of each id is checked against the model's vocabulary once it loads.
enum PrefixIDs {
    static func parse(_ text: String) throws -> [Int] {
        let ids = text.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !ids.isEmpty, ids.allSatisfy({ $0 != nil }) else {
            throw CLIError("--prefix-ids must be comma-separated token ids, got '\(text)'")
        }
        return ids.map { $0! }
    }
}
