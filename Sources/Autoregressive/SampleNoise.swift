import Stochastics

/// The randomness of one sampled trajectory: normals and uniforms addressed by
/// `(seed, stream, step)` through ``CounterRandom`` (Philox4x32-10), so trajectory `stream` is the
/// same whatever thread or batch samples it. Uniforms use a derived seed, independent of the normals.
public struct SampleNoise: Sendable, Hashable {
    public let seed: UInt64
    public let stream: UInt64

    public init(seed: UInt64, stream: UInt64) {
        self.seed = seed
        self.stream = stream
    }

    /// `dimension` standard normals for time index `step`.
    public func normals(step: Int, dimension: Int) throws -> [Double] {
        do {
            return try CounterRandom.normals(seed: seed, stream: stream, step: UInt64(max(step, 0)), dimension: dimension)
        } catch {
            throw AutoregressiveError.invalidArgument("random-number address out of range: \(error)")
        }
    }

    /// One uniform in (0, 1) for time index `step` (seed `seed ^ 0x5DEECE66D…`, independent of the normals).
    public func uniform(step: Int) throws -> Double {
        var u = [0.0]
        do {
            try u.withUnsafeMutableBufferPointer { buffer in
                try CounterRandom.fillUniforms(seed: seed ^ SampleNoise.uniformSalt, stream: stream,
                                               step: UInt64(max(step, 0)), into: buffer)
            }
        } catch {
            throw AutoregressiveError.invalidArgument("random-number address out of range: \(error)")
        }
        return u[0]
    }

    static let uniformSalt: UInt64 = 0x5DEE_CE66_D1CE_4E5B
}
