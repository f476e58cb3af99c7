import ArrayIO

/// The JSON document of an entropy-production report: what `paththermo estimate --json` prints and `pt_estimate`
/// (the C ABI, and `paththermo.estimate` in Python) returns, built here once so that both give the same bytes.
extension EntropyProductionReport {
    /// A single method's estimate (``JSONValue/init(_:)``) when `single` and it gave one; otherwise one object with a
    /// key per method that ran, `<method>_skipped` with the reason for a skipped one, and `dimension`.
    /// Cost O(methods × d²).
    public func json(single: Bool) -> JSONValue {
        if single, let first = results.first, case let .estimate(e) = first.outcome { return JSONValue(e) }
        var object: [String: JSONValue] = [:]
        for (method, outcome) in results {
            switch outcome {
            case let .estimate(e): object[method.rawValue] = JSONValue(e)
            case let .skipped(why): object["\(method.rawValue)_skipped"] = .string(why.description)
            }
        }
        object["dimension"] = .number(Double(dimension))
        return .object(object)
    }
}

extension JSONValue {
    /// One estimate: the docs/theory/estimators.md §5 keys (``EntropyProductionEstimate/dictionary``: rate, stderr,
    /// bias, debiased, diffusion, samples_used), the method's details (with `seconds`), `method` and
    /// `diffusion_matrix` (d × d nested rows).
    public init(_ e: EntropyProductionEstimate) {
        var o = e.dictionary.mapValues { JSONValue.number($0) }
        o["method"] = .string(e.method)
        o["diffusion_matrix"] = .array(e.diffusionRows.map { .array($0.map(JSONValue.number)) })
        self = .object(o)
    }
}
