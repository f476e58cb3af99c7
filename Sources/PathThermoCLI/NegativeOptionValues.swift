import ArgumentParser
import Foundation

/// Negative numbers as option values: `--q -1`, `--at -0.5,1`, `--alphas 0 -0.5 1`.
///
/// swift-argument-parser reads any token that starts with `-` as an option name, so `--q -1` fails
/// with "missing value". Before parsing, a token that looks like a negative number (``isNegativeNumber(_:)``)
/// is attached to the option it belongs to with `=` — `--q -1` becomes `--q=-1` — which the parser
/// reads as a value. Which options take values comes from the command tree itself (the parser's
/// `--experimental-dump-help` description), so a flag is never given a value and a list option that reads
/// up to the next option (`--alphas 0 -0.5 1`) gets `--alphas=-0.5` for each negative entry. Nothing
/// changes after `--`, and arguments without a negative-number token are returned untouched without
/// building the description.
enum NegativeOptionValues {
    /// `arguments` (without the program name) with negative values attached to their options.
    static func rewrite(_ arguments: [String], root: ParsableCommand.Type) -> [String] {
        guard arguments.contains(where: isNegativeNumber) else { return arguments }
        guard let tree = CommandDescription(root) else { return arguments }
        var command = tree
        var atRoot = true
        var out: [String] = []
        // The option now reading values: its name, whether it takes a list, how many values it has read,
        // and whether a list entry has been attached with `=` (then every later entry is, too).
        var open: (name: String, list: Bool, values: Int, attached: Bool)?
        for (index, token) in arguments.enumerated() {
            if token == "--" {
                out.append(contentsOf: arguments[index...])
                break
            }
            if token.hasPrefix("--") {
                let name = String(token.dropFirst(2))
                open = command.options[name].map { (name, $0.readsUpToNextOption, 0, false) }
                out.append(token)
                continue
            }
            if atRoot, let sub = command.subcommands[token] {
                command = sub
                atRoot = false
                open = nil
                out.append(token)
                continue
            }
            guard var current = open else {
                out.append(token)
                continue
            }
            if current.values == 0 && isNegativeNumber(token) {
                out[out.count - 1] = "--\(current.name)=\(token)"     // `--q -1` → `--q=-1`
                current.attached = current.list
            } else if current.list && (current.attached || isNegativeNumber(token)) {
                out.append("--\(current.name)=\(token)")             // `--alphas 0 -0.5 1` → `… --alphas=-0.5 --alphas=1`
                current.attached = true
            } else {
                out.append(token)
            }
            current.values += 1
            open = current.list ? current : nil
        }
        return out
    }

    /// `-1`, `-0.5`, `-.5`, `-1e-3`, `-0.5,1`, `-inf`, `-nan`: a minus sign followed by a digit, a dot
    /// and a digit, or `inf`/`nan` — never an option name of this tool (they all start with a letter).
    static func isNegativeNumber(_ token: String) -> Bool {
        guard token.hasPrefix("-"), !token.hasPrefix("--") else { return false }
        let rest = token.dropFirst()
        if let c = rest.first, c.isASCII, c.isNumber { return true }
        if rest.hasPrefix("."), let c = rest.dropFirst().first, c.isASCII, c.isNumber { return true }
        let lower = rest.lowercased()
        return lower.hasPrefix("inf") || lower.hasPrefix("nan")
    }
}

/// The options and subcommands of a command, read from swift-argument-parser's description of the
/// command tree (`_dumpHelp()`, the JSON behind `--experimental-dump-help`).
struct CommandDescription {
    struct Option { let readsUpToNextOption: Bool }
    /// Long names (without `--`) of the options that take a value.
    var options: [String: Option] = [:]
    var subcommands: [String: CommandDescription] = [:]

    init?(_ root: ParsableCommand.Type) {
        struct Dump: Decodable { let command: Info }
        struct Info: Decodable {
            let commandName: String
            let subcommands: [Info]?
            let arguments: [Argument]?
        }
        struct Argument: Decodable {
            struct Name: Decodable { let kind: String; let name: String }
            let kind: String
            let parsingStrategy: String?
            let names: [Name]?
        }
        guard let dump = try? JSONDecoder().decode(Dump.self, from: Data(root._dumpHelp().utf8)) else { return nil }
        func build(_ info: Info) -> CommandDescription {
            var d = CommandDescription()
            for a in info.arguments ?? [] where a.kind == "option" {
                for n in a.names ?? [] where n.kind == "long" {
                    d.options[n.name] = Option(readsUpToNextOption: a.parsingStrategy == "upToNextOption")
                }
            }
            for s in info.subcommands ?? [] { d.subcommands[s.commandName] = build(s) }
            return d
        }
        self = build(dump.command)
    }

    private init() {}
}
