import ArgumentParser
import Foundation

/// The output flags every figure command shares (`figure1`, `figure2`, `figure3`, `figure-kalman`) and
/// what follows a run: the PNG, then either nothing (`--quiet`), one JSON object (`--json`) or the
/// command's own table.
struct FigureOutputOptions: ParsableArguments {
    @Flag(help: "Skip the PNG (data files only).")
    var noPlot = false

    @Flag(help: "Print the result as one JSON object instead of a table.")
    var json = false

    /// Files only, nothing on stdout (`paththermo reproduce --json`).
    @Flag(help: .hidden)
    var quiet = false

    /// Draws the PNG after the data files are written, unless `--no-plot`; a failed plot (no matplotlib,
    /// say) is a warning on stderr, not an error, since the JSON and CSV are already on disk. Then prints
    /// `result` as JSON under `--json`. Returns the note on the PNG for the command's "wrote …" line, or
    /// nil when nothing more goes to stdout (`--quiet`, `--json`).
    func finish<R: Encodable>(_ result: R, command: String, png: String, render: () throws -> Void) throws -> String? {
        var note: String
        if noPlot {
            note = "(no PNG: --no-plot)"
        } else {
            do {
                try render()
                note = "and \(png)"
            } catch {
                FileHandle.standardError.write(Data("paththermo \(command): warning: \(error)\n".utf8))
                note = "but no PNG: \(error)"
            }
        }
        if quiet { return nil }
        if json { try JSONOutput.print(result); return nil }
        return note
    }
}
