import LinearAlgebra

/// JSON form: `{"W": [[…], …], "keys": [[…], …], "beta": 1, "leak": 1, "learnBeta": false,
/// "learnLeak": false}` (W and keys as lists of rows). Decoding a corrupt model (ragged rows,
/// wrong shapes, non-finite or out-of-domain values) throws a `DecodingError.dataCorrupted`
/// whose underlying error is the ``WorldModelError``.
extension AttentionWorldModel: Codable {
    enum CodingKeys: String, CodingKey {
        case scores = "W", keys, beta, leak, learnBeta, learnLeak
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let wRows = try c.decode([[Double]].self, forKey: .scores)
        let kRows = try c.decode([[Double]].self, forKey: .keys)
        let b = try c.decode(Double.self, forKey: .beta)
        let l = try c.decode(Double.self, forKey: .leak)
        let lb = try c.decodeIfPresent(Bool.self, forKey: .learnBeta) ?? false
        let ll = try c.decodeIfPresent(Bool.self, forKey: .learnLeak) ?? false
        do {
            let w = try Self.matrix(rows: wRows, name: "W")
            let k = try Self.matrix(rows: kRows, name: "keys")
            try self.init(scores: w, keys: k, beta: b, leak: l, learnBeta: lb, learnLeak: ll)
        } catch {
            throw DecodingError.dataCorrupted(.init(
                codingPath: c.codingPath, debugDescription: "invalid attention world model: \(error)", underlyingError: error))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(scores.rowArrays, forKey: .scores)
        try c.encode(keys.rowArrays, forKey: .keys)
        try c.encode(beta, forKey: .beta)
        try c.encode(leak, forKey: .leak)
        try c.encode(learnsBeta, forKey: .learnBeta)
        try c.encode(learnsLeak, forKey: .learnLeak)
    }

    /// A matrix from a list of rows; ragged lists are a shape error. An empty list is 0 × 0.
    private static func matrix(rows: [[Double]], name: String) throws(WorldModelError) -> Matrix {
        let n = rows.first?.count ?? 0
        guard rows.allSatisfy({ $0.count == n }) else {
            throw .dimensionMismatch(detail: "\(name) has rows of different lengths")
        }
        return Matrix(rows: rows.count, columns: n, rowMajorSlice: rows.flatMap { $0 }[...])
    }
}
