/// `--prefix-ids`: the comma-separated token ids of the prefix h_0 (`text-sample-ep`, `text-fluctuation`); the
/// range of each id is checked against the model's vocabulary once it loads.
enum PrefixIDs {
    static func parse(_ text: String) throws -> [Int] {
        try CommaList.values(text, option: "--prefix-ids", expected: "token ids", example: "1,2") { Int($0) }
    }
}
