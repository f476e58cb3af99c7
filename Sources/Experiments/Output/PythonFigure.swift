import ArrayIO
import Foundation

/// Renders a figure with matplotlib, the plotting tool physicists already use: the experiment
/// writes its JSON, then a small Python script (kept next to the results so a person can edit
/// and re-run it) turns that JSON into a PNG.
///
/// `scripts/setup.sh` installs matplotlib. Without Python or matplotlib the data files are
/// still complete; ``render(script:named:in:)`` throws ``ExperimentError/outputFailed(path:detail:)``
/// with the reason and the command to run later.
public enum PythonFigure {
    /// Writes `script` as `directory/name` and runs `python3 name` in `directory`.
    public static func render(script: String, named name: String, in directory: String) throws {
        let path = directory + "/" + name
        try ResultFile.write(script, to: path)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", name]
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        do { try process.run() } catch {
            throw ExperimentError.outputFailed(path: path, detail: "cannot start python3 (\(error)); run `python3 \(path)` later")
        }
        let message = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let lines = String(decoding: message, as: UTF8.self).split(separator: "\n")
            let last = lines.last.map(String.init) ?? "exit status \(process.terminationStatus)"
            throw ExperimentError.outputFailed(path: path, detail: "python3 failed: \(last) (is matplotlib installed? scripts/setup.sh installs it)")
        }
    }
}
