/// A model file parsed from a read-only byte region (``GGUFFile``, ``SafetensorsFile``), with the two ways to open
/// one written once: memory-map a path, or copy bytes already in memory. A conformer implements only
/// ``init(region:)``, which validates the region before any read; the region lives as long as the file.
public protocol MappedModelFile {
    /// Parses and validates `region`.
    init(region: MappedRegion) throws
}

extension MappedModelFile {
    /// Opens and memory-maps the file at `path` (`missing` if it cannot be opened, `malformedFile` if empty).
    public init(contentsOf path: String) throws {
        try self.init(region: MappedRegion(MappedBytes(path: path)))
    }

    /// Parses an in-memory copy of the file's bytes (tests, small files).
    public init(bytes: [UInt8]) throws {
        try self.init(region: MappedRegion(MappedBytes(copying: bytes)))
    }
}

/// The read-only bytes of a model file (memory-mapped or a private copy), handed to ``MappedModelFile/init(region:)``.
public struct MappedRegion: Sendable {
    let bytes: MappedBytes
    init(_ bytes: MappedBytes) { self.bytes = bytes }
}
