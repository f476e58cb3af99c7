import ArrayIO
@_exported import TestSupport
import Foundation
import Testing

/// The NumPy-written fixtures, found relative to this source file (no SwiftPM resources).
enum Fixtures {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()   // ArrayIOTests
        .deletingLastPathComponent()   // Tests
        .appendingPathComponent("Fixtures/npy")

    static func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    static func bytes(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: directory.appendingPathComponent(name)))
    }
}

/// A fresh temporary directory, removed by `cleanup()`.
struct TemporaryDirectory {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "/arrayio-tests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func file(_ name: String) -> String { path + "/" + name }

    func contents() throws -> [String] { try FileManager.default.contentsOfDirectory(atPath: path).sorted() }

    func cleanup() { try? FileManager.default.removeItem(atPath: path) }
}

extension ArrayIOError {
    /// The case name ("badMagic", "malformedHeader", …), to match the kind of error without
    /// spelling out its message.
    var caseName: String {
        Mirror(reflecting: self).children.first?.label ?? "\(self)"
    }
}

/// Runs `body`, which must throw an ``ArrayIOError``, and returns the error.
func arrayIOError<T>(_ body: () throws -> T, sourceLocation: SourceLocation = #_sourceLocation) -> ArrayIOError? {
    do {
        let value = try body()
        Issue.record("expected an ArrayIOError, got \(value)", sourceLocation: sourceLocation)
    } catch let error as ArrayIOError {
        return error
    } catch {
        Issue.record("expected an ArrayIOError, got \(type(of: error)): \(error)", sourceLocation: sourceLocation)
    }
    return nil
}

/// `python3` with NumPy, when this machine has it.
enum Python {
    static let numpyAvailable: Bool = run(["-c", "import numpy"])?.status == 0

    /// Runs `python3 arguments…`; `nil` if it cannot be started.
    static func run(_ arguments: [String]) -> (status: Int32, output: String)? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        do { try process.run() } catch { return nil }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}

/// Bit-for-bit equality (so -0.0 and float32 rounding are checked exactly); any NaN matches any NaN.
func bitwiseEqual(_ a: [Double], _ b: [Double]) -> Bool {
    a.count == b.count && zip(a, b).allSatisfy { $0.bitPattern == $1.bitPattern || ($0.isNaN && $1.isNaN) }
}
