import Foundation

/// Reading a whole file, with errors that name the path.
public enum FileInput {
    /// The file's bytes.
    /// - Throws: ``ArrayIOError/fileNotFound(path:)`` when nothing exists at `path`,
    ///   ``ArrayIOError/unreadableFile(path:detail:)`` for a directory or a read failure.
    public static func contents(of path: String) throws -> Data {
        var isDirectory: ObjCBool = false
        guard !path.isEmpty, FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw ArrayIOError.fileNotFound(path: path)
        }
        guard !isDirectory.boolValue else {
            throw ArrayIOError.unreadableFile(path: path, detail: "it is a directory")
        }
        do {
            return try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw ArrayIOError.unreadableFile(path: path, detail: error.localizedDescription)
        }
    }
}
