/// An error type with an `invalidArgument` case (the naming scheme of docs/errors.md), so that the scalar checks every module makes
/// (finite and > 0, finite) are written once and still throw the caller's own typed error.
/// `DynamicsError` and `WorldModelError` conform with their enum case.
public protocol ArgumentError: Error {
    static func invalidArgument(name: String, value: Double, requirement: String) -> Self
}

extension ArgumentError {
    /// Throws unless `value` is finite and > 0.
    public static func requirePositive(_ value: Double, _ name: String) throws(Self) {
        guard value.isFinite, value > 0 else {
            throw invalidArgument(name: name, value: value, requirement: "> 0 and finite")
        }
    }

    /// Throws unless `value` is finite.
    public static func requireFinite(_ value: Double, _ name: String) throws(Self) {
        guard value.isFinite else { throw invalidArgument(name: name, value: value, requirement: "finite") }
    }
}
