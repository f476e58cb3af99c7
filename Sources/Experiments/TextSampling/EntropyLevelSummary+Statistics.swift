import Autoregressive
import Foundation

extension EntropyLevelSummary {
    /// The summary of σ_i over texts of lengths L_i (> 0): mean ± std/√n of σ, of σ/L and of e^{−σ}
    /// (`MonteCarloEntropyProduction.meanAndStandardError`, summed in index order); NaN where n is too small.
    public init(sigmas: [Double], lengths: [Int]) {
        let (m, se) = MonteCarloEntropyProduction.meanAndStandardError(sigmas)
        let (pm, pse) = MonteCarloEntropyProduction.meanAndStandardError(zip(sigmas, lengths).map { $0 / Double($1) })
        let (fm, fse) = MonteCarloEntropyProduction.meanAndStandardError(sigmas.map { exp(-$0) })
        self.init(texts: sigmas.count, sigmaMean: m, sigmaStderr: se, perTokenMean: pm, perTokenStderr: pse,
                  fluctuationMean: fm, fluctuationStderr: fse,
                  meanLength: lengths.isEmpty ? .nan : Double(lengths.reduce(0, +)) / Double(lengths.count))
    }
}

extension TextSamplingResult {
    /// The sample sizes of the convergence table: 8, 16, 32, … below N, then N.
    public static func convergenceSizes(_ n: Int) -> [Int] {
        var sizes = [Int](), k = 8
        while k < n { sizes.append(k); k *= 2 }
        return sizes + [n]
    }

    /// Token- and block-level summaries of the first `n` texts (block level: those with a sentence end).
    static func summaries(_ texts: ArraySlice<SampledTextRecord>) -> (token: EntropyLevelSummary, block: EntropyLevelSummary) {
        let token = EntropyLevelSummary(sigmas: texts.map(\.sigmaToken), lengths: texts.map { $0.tokens.count })
        let withEnd = texts.filter { $0.sigmaBlock != nil }
        let block = EntropyLevelSummary(sigmas: withEnd.map { $0.sigmaBlock! }, lengths: withEnd.map(\.truncatedLength))
        return (token, block)
    }
}
