import ArrayIO
import Foundation

/// Renders a figure with matplotlib, the plotting tool physicists already use: the experiment
/// writes its JSON, then a small Python script (kept next to the results so a person can edit
/// and re-run it) turns that JSON into a PNG.
///
/// The PNG is written like every other output (``StagedFile``): the script saves to the temporary name it is
/// given as its first argument (`python3 plot_x.py .x.png.<random>.tmp`; without an argument it writes `x.png`
/// itself, for a person re-running it), and the temporary is renamed over `x.png` only when python3 exits 0
/// with a non-empty file. A failed, killed or interrupted plot leaves the previous PNG (or none); python3 is
/// registered with ``InterruptCleanup`` so that SIGINT/SIGTERM stop it before its temporary is removed.
///
/// The scripts are resource files, `Sources/Experiments/Plots/plot_*.py`, compiled into the module as bytes
/// (`PackageResources`: SwiftPM's `.embedInCode("Plots")`, and the same generated type in the CMake build,
/// `paththermo_embed_resources`), so an installed `paththermo` needs no data files; each figure's `…Plot` names its
/// script and the file is written byte for byte.
///
/// `scripts/setup.sh` installs matplotlib. Without Python or matplotlib the data files are
/// still complete; ``render(script:named:png:in:)`` throws ``ExperimentError/outputFailed(path:detail:)``
/// with the reason and the command to run later.
public enum PythonFigure {
    /// Writes `script` as `directory/name` and runs `python3 name <temporary>` in `directory`, then renames the
    /// temporary to `directory/png`.
    public static func render(script: String, named name: String, png: String, in directory: String) throws {
        let path = directory + "/" + name
        try ResultFile.write(script, to: path)
        let target = directory + "/" + png
        let staged: StagedFile
        do { staged = try StagedFile(destination: target) } catch {
            throw ExperimentError.outputFailed(path: target, detail: "\(error)")
        }
        defer { staged.discard() }  // no-op after the commit
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", name, URL(fileURLWithPath: staged.temporaryPath).lastPathComponent]
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        // Started and registered with interrupts held back, so a signal always finds python3 registered.
        let slot: Int? = try InterruptCleanup.deferringInterrupts {
            do { try process.run() } catch {
                throw ExperimentError.outputFailed(path: path, detail: "cannot start python3 (\(error)); run `python3 \(path)` later")
            }
            return InterruptCleanup.registerProcess(process.processIdentifier)
        }
        let message = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        InterruptCleanup.unregisterProcess(slot)
        guard process.terminationStatus == 0 else {
            let lines = String(decoding: message, as: UTF8.self).split(separator: "\n")
            let last = lines.last.map(String.init) ?? "exit status \(process.terminationStatus)"
            throw ExperimentError.outputFailed(path: path, detail: "python3 failed: \(last) (is matplotlib installed? scripts/setup.sh installs it)")
        }
        let size = (try? FileManager.default.attributesOfItem(atPath: staged.temporaryPath)[.size] as? Int) ?? 0
        guard size > 0 else {
            throw ExperimentError.outputFailed(path: target, detail: "python3 \(name) wrote no image")
        }
        do { try staged.commit() } catch {
            throw ExperimentError.outputFailed(path: target, detail: "\(error)")
        }
    }
}
