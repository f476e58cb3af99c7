/// A JSON value for reports whose keys are decided at run time (a key per method, a method's details): what
/// `paththermo estimate --json` prints and the C ABI's `pt_estimate` returns, from one implementation. Non-finite
/// numbers are encoded as Swift encodes them and become `null` (named in `"warnings"`) in ``ResultJSON``.
public enum JSONValue: Encodable, Sendable, Equatable {
    case number(Double), string(String), bool(Bool), object([String: JSONValue]), array([JSONValue])

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case let .number(x): try c.encode(x)  // ResultJSON writes a non-finite number as null, named in "warnings"
        case let .string(s): try c.encode(s)
        case let .bool(b): try c.encode(b)
        case let .object(o): try c.encode(o)
        case let .array(a): try c.encode(a)
        }
    }
}
