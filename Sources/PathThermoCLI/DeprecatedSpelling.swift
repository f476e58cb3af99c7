import ArgumentParser

/// Old option spellings, kept for one release as hidden aliases (docs/cli.md, "Deprecated spellings").
///
/// Each old spelling is its own option with `.hidden` help: it parses exactly as before, is absent from `--help`
/// (listed by `--help-hidden`), and the command folds it into the new option before it runs. Giving both
/// spellings is a one-line error rather than a silent choice.
enum DeprecatedSpelling {
    /// The `--help-hidden` text of an old spelling.
    static func help(of newName: String) -> ArgumentHelp {
        ArgumentHelp("Deprecated spelling of \(newName) (removed after 0.1).", visibility: .hidden)
    }

    /// `new ?? old`.
    /// - Throws: `ValidationError` (one line) when both are given.
    static func merge<T>(_ new: T?, _ newName: String, _ old: T?, _ oldName: String) throws -> T? {
        if new != nil, old != nil {
            throw ValidationError("\(oldName) is the deprecated spelling of \(newName): give only \(newName)")
        }
        return new ?? old
    }
}
