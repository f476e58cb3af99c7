import Foundation
@testable import Autoregressive

/// A test model over tokens: a first-order Markov chain with a BOS distribution. State = the last
/// token (−1 before the first). Small enough to enumerate all K^T sequences for exact answers.
struct MarkovTokenModel: TokenAutoregressiveModel {
    let alphabetSize: Int
    /// Row-stochastic log-probabilities: logP[from][to]; row K is the BOS distribution.
    let logP: [[Double]]

    /// Random logits with inverse temperature 1/temperature (high temperature = near uniform).
    init(alphabetSize k: Int, temperature: Double, seed: UInt64) {
        var rng = SplitMix(seed)
        alphabetSize = k
        logP = (0...k).map { _ in
            let logits = (0..<k).map { _ in (Double(rng.next() >> 11) / 9007199254740992.0 * 6 - 3) / temperature }
            let m = logits.max()!
            let z = log(logits.reduce(0) { $0 + exp($1 - m) }) + m
            return logits.map { $0 - z }
        }
    }

    var initialState: Int { -1 }

    func update(_ state: Int, with symbol: Int) throws -> Int {
        guard (0..<alphabetSize).contains(symbol) else { throw AutoregressiveError.invalidArgument("token \(symbol) out of range") }
        return symbol
    }

    func logDensity(of symbol: Int, given state: Int) throws -> Double {
        guard (0..<alphabetSize).contains(symbol) else { throw AutoregressiveError.invalidArgument("token \(symbol) out of range") }
        return logP[state < 0 ? alphabetSize : state][symbol]
    }

    func sample(given state: Int, noise: SampleNoise, step: Int) throws -> Int {
        let u = try noise.uniform(step: step)
        var acc = 0.0
        let row = logP[state < 0 ? alphabetSize : state]
        for (k, lp) in row.enumerated() {
            acc += exp(lp)
            if u < acc { return k }
        }
        return alphabetSize - 1
    }

    /// Every sequence of length T with its probability.
    func enumerate(length t: Int) throws -> [([Int], Double)] {
        var out = [([Int], Double)]()
        let total = Int(pow(Double(alphabetSize), Double(t)))
        for code in 0..<total {
            var c = code
            let y = (0..<t).map { _ in defer { c /= alphabetSize }; return c % alphabetSize }
            out.append((y, exp(try logLikelihood(of: y))))
        }
        return out
    }
}
