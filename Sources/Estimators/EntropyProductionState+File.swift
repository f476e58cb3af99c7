import ArrayIO
import Foundation

/// The state file (`paththermo estimate --save-state`, `paththermo merge`):
///
///     "PTSTATE\n"                       8 bytes
///     header length H                   64-bit little-endian
///     header                            H bytes of JSON (snake_case): format, version, software, configuration,
///                                       segments and rollouts covered, and per method its name, the reason it was
///                                       skipped or the byte count of its tree nodes
///     tree nodes of each method          in header order (``StateNodes``)
///     tree nodes of the state moments    `measure` only (``MomentNodes``; header `moments`: their byte count)
///     FNV-1a 64 of all bytes above       64-bit little-endian
///
/// Versioned (``EntropyProductionState/formatVersion``): another version is refused with its number, before anything
/// else of the header is read. The checksum catches a truncated or altered file.
extension EntropyProductionState {
    static let magic = Array("PTSTATE\n".utf8)
    static let formatName = "paththermo-estimate-state"

    struct Header: Codable {
        var format: String
        var version: Int
        var software: String
        var configuration: Configuration
        var segments: [Int]
        var rollouts: [Int]
        var methods: [MethodHeader]
        /// The byte count of the state moments' nodes (`measure`), absent for a file's state.
        var moments: Int?
    }

    struct MethodHeader: Codable {
        var method: String
        var skipped: String?
        var bytes: Int
    }

    struct VersionOnly: Codable {
        var format: String
        var version: Int
    }

    /// The file's bytes.
    public func encoded() throws -> [UInt8] {
        let header = Header(format: Self.formatName, version: Self.formatVersion, software: software,
                            configuration: configuration, segments: [segments.lowerBound, segments.upperBound],
                            rollouts: [rollouts.lowerBound, rollouts.upperBound],
                            methods: methods.map { MethodHeader(method: $0.method.rawValue, skipped: $0.skipped, bytes: $0.nodes.count) },
                            moments: moments?.count)
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let json = Array(try encoder.encode(header))
        var w = StateBytesWriter()
        w.bytes = Self.magic
        w.int(json.count)
        w.bytes += json
        for m in methods { w.bytes += m.nodes }
        if let moments { w.bytes += moments }
        w.int(Int(Int64(bitPattern: Self.checksum(w.bytes[...]))))
        return w.bytes
    }

    /// Reads a state file's bytes; `name` (its path) starts every message.
    ///
    /// - Throws: ``EstimatorError/invalidState(_:)``: not a state file, damaged (checksum), another format version,
    ///   a malformed header.
    public init(decoding bytes: [UInt8], name: String) throws {
        func fail(_ why: String) -> EstimatorError { .invalidState("\(name): \(why)") }
        guard bytes.count >= 24, Array(bytes[0..<8]) == Self.magic else { throw fail("not a PathThermo state file") }
        var tail = StateBytesReader(bytes: Array(bytes[(bytes.count - 8)...]))
        guard UInt64(bitPattern: Int64(try tail.int())) == Self.checksum(bytes[0..<(bytes.count - 8)]) else {
            throw fail("damaged state file (checksum mismatch: truncated or altered)")
        }
        var r = StateBytesReader(bytes: Array(bytes[8..<16]))
        let length = try r.int()
        guard length > 0, length <= bytes.count - 24 else { throw fail("damaged state file (header length)") }
        let json = Data(bytes[16..<(16 + length)])
        let decoder = JSONDecoder()
        guard let version = try? decoder.decode(VersionOnly.self, from: json), version.format == Self.formatName else {
            throw fail("not a PathThermo estimate state (unreadable header)")
        }
        guard version.version == Self.formatVersion else {
            throw fail("state format version \(version.version); this paththermo reads version \(Self.formatVersion)")
        }
        let header: Header
        do { header = try decoder.decode(Header.self, from: json) } catch {
            let why: String
            switch error as? DecodingError {
            case let .keyNotFound(key, _)?: why = "no '\(key.stringValue)'"
            case let .typeMismatch(_, context)?, let .valueNotFound(_, context)?, let .dataCorrupted(context)?:
                why = "bad '\(context.codingPath.map(\.stringValue).joined(separator: "."))'"
            default: why = "unreadable"
            }
            throw fail("malformed header (\(why))")
        }
        guard header.segments.count == 2, header.rollouts.count == 2,
              0 <= header.segments[0], header.segments[0] <= header.segments[1],
              header.segments[1] <= header.configuration.segments,
              0 <= header.rollouts[0], header.rollouts[0] <= header.rollouts[1],
              header.rollouts[1] <= header.configuration.rollouts else { throw fail("malformed header (ranges)") }
        var offset = 16 + length
        var methods = [MethodPart]()
        for m in header.methods {
            guard let method = EntropyProductionRequest.Method(rawValue: m.method), m.bytes >= 0,
                  m.bytes <= bytes.count - 8 - offset else { throw fail("malformed header (methods)") }
            methods.append(MethodPart(method: method, skipped: m.skipped, nodes: Array(bytes[offset..<(offset + m.bytes)])))
            offset += m.bytes
        }
        var moments: [UInt8]?
        if let count = header.moments {
            guard count >= 0, count <= bytes.count - 8 - offset else { throw fail("malformed header (moments)") }
            moments = Array(bytes[offset..<(offset + count)])
            offset += count
        }
        guard offset == bytes.count - 8 else { throw fail("damaged state file (sizes)") }
        self.init(configuration: header.configuration, software: header.software,
                  segments: header.segments[0]..<header.segments[1], rollouts: header.rollouts[0]..<header.rollouts[1],
                  methods: methods, moments: moments)
    }

    /// FNV-1a, 64 bits.
    static func checksum(_ bytes: ArraySlice<UInt8>) -> UInt64 {
        var h = FNV1a()
        h.add(bytes: bytes)
        return h.value
    }
}
