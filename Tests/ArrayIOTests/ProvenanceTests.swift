import ArrayIO
import Foundation
import Testing

/// The `"provenance"` object of JSON results: where it goes, its keys, and that nothing else changes.
/// (The process-wide ``Provenance/current`` is never set here: tests run in parallel and other suites write
/// ResultJSON too; every case passes its provenance explicitly.)
@Suite("Result JSON: provenance")
struct ProvenanceTests {
    struct Report: Encodable { let rate: Double; let bins: [Double]; let name: String }

    static let provenance = Provenance(version: "0.1.0", commit: "fcc3377", arguments: ["paththermo", "ou", "--drift", "[[-1,2],[-2,-1]]"],
                                       seed: 9_007_199_254_740_993, dt: 0.01, units: "entropy in nats")

    func parse(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test func provenanceIsATopLevelObjectWithSnakeCaseKeys() throws {
        let json = try ResultJSON(Report(rate: 0.25, bins: [1, 2], name: "x"), provenance: Self.provenance)
        let p = try #require(try parse(json.text)["provenance"] as? [String: Any])
        #expect(Set(p.keys) == ["version", "commit", "command_line", "seed", "dt", "units"])
        #expect(p["version"] as? String == "0.1.0" && p["commit"] as? String == "fcc3377")
        #expect(p["command_line"] as? String == "paththermo ou --drift '[[-1,2],[-2,-1]]'")
        #expect(p["seed"] as? UInt64 == 9_007_199_254_740_993)  // 2⁵³ + 1: an exact integer, not a rounded double
        #expect(p["dt"] as? Double == 0.01 && p["units"] as? String == "entropy in nats")
        #expect(json.warnings.isEmpty)
    }

    /// The value's own keys and numbers are written exactly as without provenance: removing the provenance
    /// lines from the pretty, key-sorted text gives the text without it, byte for byte.
    @Test func everythingElseIsUnchanged() throws {
        for report in [Report(rate: 0.1 + 0.2, bins: [1e-300, -0.0, 5e-324], name: "a"), Report(rate: .nan, bins: [.infinity], name: "b")] {
            let plain = try ResultJSON(report, warnings: ["w"], provenance: nil)
            let with = try ResultJSON(report, warnings: ["w"], provenance: Self.provenance)
            #expect(with.warnings == plain.warnings)
            var lines = with.text.split(separator: "\n", omittingEmptySubsequences: false)
            let start = try #require(lines.firstIndex(of: "  \"provenance\" : {"))
            let end = try #require(lines[start...].firstIndex(of: "  },"))
            lines.removeSubrange(start...end)
            #expect(lines.joined(separator: "\n") == plain.text)
            #expect(try parse(plain.text)["provenance"] == nil)
        }
    }

    @Test func keysACommandDoesNotHaveAreLeftOut() throws {
        let p = Provenance(version: "0.1.0", commit: "unknown", arguments: ["paththermo", "asymmetry", "--matrix", "[[1]]"])
        let o = try #require(try parse(ResultJSON(Report(rate: 1, bins: [], name: ""), provenance: p).text)["provenance"] as? [String: Any])
        #expect(Set(o.keys) == ["version", "commit", "command_line"])
    }

    /// A value that is not an object has no place for the key: the text is unchanged.
    @Test func nonObjectValuesCarryNoProvenance() throws {
        #expect(try ResultJSON([1.0, 2.0], provenance: Self.provenance).text == ResultJSON([1.0, 2.0], provenance: nil).text)
    }

    /// Readers of result files ignore the key.
    @Test func decodingIgnoresProvenance() throws {
        struct Row: Codable, Equatable { let alpha: Double; let sigma: Double }
        let json = try ResultJSON(Row(alpha: 0.5, sigma: .nan), provenance: Self.provenance)
        let back = try ResultJSON.decode(Row.self, from: Data(json.text.utf8))
        #expect(back.alpha == 0.5 && back.sigma.isNaN)
    }

    /// POSIX shell words: `shlex.split` of the joined command line gives back the arguments.
    @Test(arguments: [
        ("--drift", "--drift"), ("0.5", "0.5"), ("/tmp/a_b-c.npy", "/tmp/a_b-c.npy"), ("--q=-1", "--q=-1"),
        ("", "''"), ("a b", "'a b'"), ("[[-1,2],[-2,-1]]", "'[[-1,2],[-2,-1]]'"), ("it's", #"'it'\''s'"#),
        ("$HOME", "'$HOME'"), ("x\ny", "'x\ny'"), ("σ", "'σ'"),
    ])
    func shellQuoting(_ argument: String, _ quoted: String) {
        #expect(Provenance.shellQuoted(argument) == quoted)
    }
}
