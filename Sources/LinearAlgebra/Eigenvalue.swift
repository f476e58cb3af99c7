/// A complex eigenvalue `real + i·imaginary` of a real matrix.
public struct Eigenvalue: Equatable, Hashable, Sendable, CustomStringConvertible {
    public var real: Double
    public var imaginary: Double

    public init(real: Double, imaginary: Double = 0) {
        self.real = real
        self.imaginary = imaginary
    }

    /// |λ|.
    public var magnitude: Double { (real * real + imaginary * imaginary).squareRoot() }

    public var description: String {
        imaginary == 0 ? "\(real)" : "\(real) \(imaginary < 0 ? "-" : "+") \(abs(imaginary))i"
    }
}
