import ArgumentParser
import ArrayIO
import Foundation

/// The one place that prints an error: `paththermo: error: <message>` as a single line on stderr,
/// then the exit status swift-argument-parser assigns (64 for usage errors, 1 otherwise).
///
/// - Parser errors: the parser's message without its usage block and "Help:" hint lines (the full
///   usage is one `--help` away); several remaining lines are joined with "; ".
/// - Errors thrown while running: their whole description.
/// - Control characters (C0, DEL, C1 — including a newline or an escape sequence read from a damaged
///   file) are escaped by ArrayIO's ``PrintableText`` (`\n`, `\t`, `\x1b`), so a message can neither span
///   lines nor drive the terminal.
/// Clean exits (`--help`, `--version`) are left to swift-argument-parser, which prints them on stdout.
enum ErrorLine {
    static func exit(with error: Error, duringParsing: Bool) -> Never {
        let code = PathThermoCommand.exitCode(for: error)
        if code.isSuccess { PathThermoCommand.exit(withError: error) }
        let line = "paththermo: error: " + message(for: error, duringParsing: duringParsing) + "\n"
        FileHandle.standardError.write(Data(line.utf8))
        Foundation.exit(code.rawValue)
    }

    /// The escaped one-line message (without the `paththermo: error: ` prefix).
    static func message(for error: Error, duringParsing: Bool) -> String {
        var text = PathThermoCommand.message(for: error)
        if duringParsing {
            let lines = text.split(separator: "\n", omittingEmptySubsequences: true)
                .map { $0.trimmingCharacters(in: .whitespaces) }
                .filter { !$0.isEmpty && !$0.hasPrefix("Help:") && !$0.hasPrefix("Usage:") && !$0.hasPrefix("See '") }
            text = lines.joined(separator: "; ")
        }
        if text.hasPrefix("Error: ") { text.removeFirst("Error: ".count) }
        if text.isEmpty { text = "failed with exit status \(PathThermoCommand.exitCode(for: error).rawValue)" }
        return PrintableText.escaped(text)
    }
}
