import Foundation
import TestSupport
@testable import LanguageModel

/// Paths of the GGUF fixtures (scripts/make_gguf_fixtures.py) and of the real model (scripts/fetch_model.sh).
enum GGUFFixtures {
    static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()   // LanguageModelTests
        .deletingLastPathComponent()   // Tests
        .deletingLastPathComponent()   // repository root
    static let directory = repository.appendingPathComponent("Tests/Fixtures/gguf")

    static func path(_ name: String) -> String { directory.appendingPathComponent(name).path }
    static func bytes(_ name: String) throws -> [UInt8] { [UInt8](try Data(contentsOf: directory.appendingPathComponent(name))) }

    static var modelPath: String { DownloadedModel.path }
    static var modelPresent: Bool { DownloadedModel.isPresent }
}

/// The error a throwing call raised, as a `LanguageModelError` (nil when it did not throw or threw another type).
func languageModelError<T>(_ body: () throws -> T) -> LanguageModelError? {
    do { _ = try body(); return nil } catch let e as LanguageModelError { return e } catch { return nil }
}

/// Writes GGUF v3 bytes by hand, so tests can build exact (and deliberately broken) files.
struct GGUFBuilder {
    var bytes: [UInt8] = []

    mutating func u8(_ v: UInt8) { bytes.append(v) }
    mutating func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { bytes += $0 } }
    mutating func u64(_ v: UInt64) { withUnsafeBytes(of: v.littleEndian) { bytes += $0 } }
    mutating func string(_ s: String) { u64(UInt64(s.utf8.count)); bytes += Array(s.utf8) }
    mutating func header(version: UInt32 = 3, tensors: UInt64, kvs: UInt64) {
        bytes += Array("GGUF".utf8); u32(version); u64(tensors); u64(kvs)
    }
    mutating func tensorInfo(_ name: String, dims: [UInt64], type: UInt32, offset: UInt64) {
        string(name); u32(UInt32(dims.count)); dims.forEach { u64($0) }; u32(type); u64(offset)
    }
    /// Zero padding up to a multiple of `alignment`.
    mutating func pad(to alignment: Int = 32) { while bytes.count % alignment != 0 { bytes.append(0) } }
}
