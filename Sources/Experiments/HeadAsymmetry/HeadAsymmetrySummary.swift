/// Summary statistics of a `layers × heads` array of one index: mean, standard deviation (n − 1 in the
/// denominator, n = layers · heads), extremes with their [layer, head], and the mean of each layer.
public struct HeadAsymmetrySummary: Sendable, Equatable, Encodable {
    public var count: Int
    public var mean: Double
    /// Sample standard deviation (0 for a single head).
    public var sd: Double
    public var min: Double
    public var max: Double
    /// [layer, head] of the smallest and largest value (the first one on ties, layer-major order).
    public var argmin: [Int]
    public var argmax: [Int]
    /// Mean over the heads of each layer.
    public var perLayerMean: [Double]

    enum CodingKeys: String, CodingKey {
        case count, mean, sd, min, max, argmin, argmax, perLayerMean = "per_layer_mean"
    }

    /// The summary of `values[layer][head]` (a non-empty, rectangular array).
    public init(_ values: [[Double]]) {
        let flat = values.flatMap { $0 }
        let n = flat.count
        let average = flat.reduce(0, +) / Double(Swift.max(n, 1))
        let squares = flat.reduce(0) { $0 + ($1 - average) * ($1 - average) }
        count = n
        mean = average
        sd = n > 1 ? (squares / Double(n - 1)).squareRoot() : 0
        var low = (value: Double.infinity, at: [0, 0]), high = (value: -Double.infinity, at: [0, 0])
        for (l, row) in values.enumerated() {
            for (h, v) in row.enumerated() {
                if v < low.value { low = (v, [l, h]) }
                if v > high.value { high = (v, [l, h]) }
            }
        }
        min = low.value; max = high.value; argmin = low.at; argmax = high.at
        perLayerMean = values.map { $0.reduce(0, +) / Double(Swift.max($0.count, 1)) }
    }
}
