import Foundation

/// Draws a figure's PNG after its data files are written, unless `--no-plot`. A failed plot (no
/// matplotlib, say) is a warning on stderr, not an error: the JSON and CSV are already on disk.
/// Returns the note for the command's "wrote …" line.
func renderFigurePNG(command: String, png: String, skip: Bool, _ render: () throws -> Void) -> String {
    if skip { return "(no PNG: --no-plot)" }
    do {
        try render()
        return "and \(png)"
    } catch {
        FileHandle.standardError.write(Data("paththermo \(command): warning: \(error)\n".utf8))
        return "but no PNG: \(error)"
    }
}
