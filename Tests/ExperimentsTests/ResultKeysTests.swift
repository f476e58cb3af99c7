import ArrayIO
import Foundation
import Testing
@testable import Experiments
import WorldModel

/// Result types have camelCase properties and snake_case JSON keys (explicit `CodingKeys`, docs/api.md); the
/// keys written by ``ResultJSON`` are exactly those of the files written before the rename, and read back.
@Suite struct ResultKeysTests {
    /// The top-level keys of `value` as written by ResultJSON.
    static func keys<T: Encodable>(_ value: T) throws -> [String] {
        let json = try ResultJSON(value).text
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        return object.keys.sorted()
    }

    @Test func comparisonKeysAreSnakeCaseAndReadBack() throws {
        let c = TextSetComparison(textSet: "default", level: "sentence", statistic: "per_token", uStatistic: 3, pValue: 0.25,
                                  pHolm: 0.5, method: "exact",
                                  effectSize: 0.5, effectSizeCI: [0.1, 0.9], meanCausal: 1.5, meanNoncausal: 0.5,
                                  sdCausal: 0.25, sdNoncausal: 0.125)
        #expect(try Self.keys(c) == ["effect_size", "effect_size_ci", "level", "mean_causal", "mean_noncausal", "method",
                                     "p_holm", "p_value", "sd_causal", "sd_noncausal", "statistic", "text_set", "u_statistic"])
        let back = try ResultJSON.decode(TextSetComparison.self, from: Data(try ResultJSON(c).text.utf8))
        #expect(back == c)
    }

    @Test func readingKeysAreSnakeCaseAndReadBack() throws {
        let r = EntropyReading(method: "grid", entropyProductionRate: 2.5, standardError: 0.125, floor: 0.5,
                               debiased: 2, diffusion: 1, samplesUsed: 1_000)
        #expect(try Self.keys(r) == ["debiased", "diffusion", "entropy_production_rate", "floor", "method",
                                     "samples_used", "stderr"])
        #expect(try ResultJSON.decode(EntropyReading.self, from: Data(try ResultJSON(r).text.utf8)) == r)
        // A file written before the rename (same keys) reads into the renamed properties.
        let old = #"{"debiased":2,"diffusion":1,"entropy_production_rate":2.5,"floor":0.5,"method":"grid","samples_used":1000,"stderr":0.125}"#
        #expect(try ResultJSON.decode(EntropyReading.self, from: Data(old.utf8)) == r)
    }

    /// The non-normality reading after issue 15: the primary N is `index`, the old averaged-Jacobian N is
    /// `mean_jacobian`; a file with the pre-15 key `antisymmetric_ratio` does not read (its N meant something else).
    @Test func nonNormalityKeysNameTheDefinition() throws {
        let r = NonNormalityReading(index: 0.5, meanRatio: 0.625, meanJacobian: 0.25, henrici: 0.125, henriciRelative: 0.0625,
                                    commutator: 0.375, samples: 6_400)
        #expect(try Self.keys(r) == ["commutator", "henrici", "henrici_relative", "index", "mean_jacobian", "mean_ratio",
                                     "samples"])
        #expect(try ResultJSON.decode(NonNormalityReading.self, from: Data(try ResultJSON(r).text.utf8)) == r)
        let old = #"{"antisymmetric_ratio":0.25,"commutator":0.375,"henrici":0.125,"henrici_relative":0.0625}"#
        #expect(throws: (any Error).self) { try ResultJSON.decode(NonNormalityReading.self, from: Data(old.utf8)) }
    }
}
