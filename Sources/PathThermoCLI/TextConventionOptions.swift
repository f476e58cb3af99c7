import ArgumentParser
import Experiments

/// `--leading-space` and `--segmentation`, shared by `text-ep` and `text-compare` (docs/cli.md, "Text
/// conventions"; the library's ``TextConventions``).
struct TextConventionOptions: ParsableArguments {
    @Flag(help: "Tokenize \" \" + text (the authors' second study) instead of the text as written.")
    var leadingSpace = false
    @Option(help: """
        Sentence blocks: tokens (tokenize the whole text, cut after every token ending in '.', '!' or '?') or text \
        (split the string after '. ', '! ', '? ' and tokenize each sentence alone; with --leading-space: PathThermo 0.1).
        """)
    var segmentation: String = TextSegmentation.tokens.rawValue

    /// The conventions, or a one-line error for an unknown segmentation.
    func conventions() throws -> TextConventions {
        guard let s = TextSegmentation(rawValue: segmentation) else {
            throw CLIError("unknown --segmentation '\(segmentation)' (use tokens or text)")
        }
        return TextConventions(tokenization: leadingSpace ? .leadingSpace : .asWritten, segmentation: s)
    }
}
