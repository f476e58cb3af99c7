import Foundation

/// Reading a user's text input (a score table, a text set) whole, with the size checked from the file's metadata
/// before a byte is read.
enum InputTextFile {
    /// The largest input file read (1 GiB).
    static let maximumBytes = 1 << 30

    /// The file's text (UTF-8, invalid bytes replaced).
    /// - Throws: ``ExperimentError/invalidConfiguration(_:)`` naming `what` and the path for a missing, unreadable,
    ///   oversized file or a directory.
    static func read(_ path: String, what: String) throws -> String {
        let attributes: [FileAttributeKey: Any]
        do { attributes = try FileManager.default.attributesOfItem(atPath: path) } catch {
            throw ExperimentError.invalidConfiguration("cannot read the \(what) \(path)")
        }
        guard attributes[.type] as? FileAttributeType != .typeDirectory else {
            throw ExperimentError.invalidConfiguration("the \(what) \(path) is a directory")
        }
        let size = (attributes[.size] as? NSNumber)?.intValue ?? 0
        guard size <= maximumBytes else {
            throw ExperimentError.invalidConfiguration("the \(what) \(path) has \(size) bytes, more than the \(maximumBytes)-byte limit")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ExperimentError.invalidConfiguration("cannot read the \(what) \(path)")
        }
        return String(decoding: data, as: UTF8.self)
    }
}
