/// The merge rules of byte-level BPE, resolved to token ids (docs/theory/language-models.md §3 step 4).
///
/// Merge `r` of the list ("a b", rank = index) joins adjacent symbols `a`, `b` into the token `ab`; a lower rank
/// merges first. Stored as a hash map from the id pair `(id(a), id(b))`, packed in one `UInt64`, to
/// `(rank, id(ab))`, so that applying merges never builds strings.
struct BPEMergeTable: Sendable {
    struct Rule: Sendable {
        var rank: Int32
        var merged: Int32
    }

    private var rules: [UInt64: Rule] = [:]

    var count: Int { rules.count }

    /// Resolves "a b" strings through `idOf`; a malformed line or a part/result missing from the vocabulary
    /// is an error (the reference tokenizer refuses such a merge list too). A repeated pair keeps its lowest rank.
    init(merges: [String], idOf: [String: Int]) throws(LanguageModelError) {
        rules.reserveCapacity(merges.count)
        for (rank, line) in merges.enumerated() {
            let parts = line.split(separator: " ", omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                throw .malformedFile("BPE merge \(rank) '\(line)' is not two space-separated tokens")
            }
            let a = String(parts[0]), b = String(parts[1])
            guard let ia = idOf[a], let ib = idOf[b] else {
                throw .missing("token '\(idOf[a] == nil ? a : b)' of BPE merge \(rank) '\(line)' in the vocabulary")
            }
            guard let iab = idOf[a + b] else {
                throw .missing("token '\(a + b)' produced by BPE merge \(rank) '\(line)' in the vocabulary")
            }
            let key = Self.key(ia, ib)
            if rules[key] == nil { rules[key] = Rule(rank: Int32(rank), merged: Int32(iab)) }
        }
    }

    @inline(__always) static func key(_ a: Int32, _ b: Int32) -> UInt64 {
        UInt64(UInt32(bitPattern: a)) << 32 | UInt64(UInt32(bitPattern: b))
    }
    @inline(__always) static func key(_ a: Int, _ b: Int) -> UInt64 { key(Int32(a), Int32(b)) }

    @inline(__always) func rule(_ a: Int32, _ b: Int32) -> Rule? { rules[Self.key(a, b)] }

    /// Applies the merges to a piece's symbols in place: repeatedly merge the adjacent pair of lowest rank,
    /// the leftmost one on a tie, until no pair has a rule (the order of HF `tokenizers`' BPE).
    ///
    /// The rank of each adjacent pair is cached in `ranks`, so each merge costs one O(n) scan of integers and
    /// two hash look-ups: O(n²) integer work for an n-byte piece, O(n) hashing (a 10 000-space run takes
    /// milliseconds).
    func apply(to symbols: inout [Int32]) {
        let n = symbols.count
        guard n > 1 else { return }
        let none = Int32.max
        var ranks = [Int32](repeating: none, count: n - 1)
        for i in 0..<(n - 1) { ranks[i] = rule(symbols[i], symbols[i + 1])?.rank ?? none }
        while true {
            var best = none, at = -1
            for i in 0..<ranks.count where ranks[i] < best { best = ranks[i]; at = i }
            guard at >= 0, let r = rule(symbols[at], symbols[at + 1]) else { return }
            symbols[at] = r.merged
            symbols.remove(at: at + 1)
            ranks.remove(at: at)
            if at > 0 { ranks[at - 1] = rule(symbols[at - 1], symbols[at])?.rank ?? none }
            if at < ranks.count { ranks[at] = rule(symbols[at], symbols[at + 1])?.rank ?? none }
        }
    }
}
