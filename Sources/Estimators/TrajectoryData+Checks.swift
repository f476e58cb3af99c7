import ArrayIO

/// Checks that file input carries dynamics before any estimate is made of it (docs/theory/estimators.md §6).
///
/// An estimate from degenerate data is not an estimate: a zero-padded `.npy` left by an interrupted
/// simulation (its unfinished rollouts read as zeros) still gives finite, wrong rates, and a time
/// column taken as a coordinate (drift 1/Δt per unit time) gives a rate of order 1/(D̂Δt²).
/// ``TrajectoryFile`` runs both checks on everything it reads.
extension TrajectoryData {
    /// Evidence the monotone check needs before it refuses a coordinate: Σ (states − 2) over the
    /// segments of ≥ 3 states. A coordinate whose increments have independent random signs is
    /// strictly monotone along a segment of n states with probability 2·2^−(n−1) = 2^−(n−2), so
    /// along all of them with probability 2^−Σ(n−2) ≤ 2^−30 ≈ 10⁻⁹.
    public static let monotoneEvidence = 30

    /// Throws unless every rollout and every coordinate moves.
    ///
    /// Refused, in this order: rollouts that are entirely zero or end in two or more all-zero
    /// states (what an unfinished, zero-padded file holds); rollouts that are constant (every
    /// state equals the first); a coordinate that never changes between consecutive states of any
    /// segment (constant within every rollout: no dynamics, and a singular diffusion estimate).
    /// Rollouts with no segment (all NaN) are not checked.
    /// - Parameters:
    ///   - coordinateNames: names for the message (CSV header names), else indices are shown.
    ///   - rolloutNames: names of the source rollouts (CSV ids), else indices are shown.
    /// - Throws: ``EstimatorError/degenerateData(_:)`` naming the rollouts or the coordinate.
    public func checkNotDegenerate(coordinateNames: [String]? = nil, rolloutNames: [String]? = nil) throws {
        let d = dimension
        var zero: [Int] = [], constant: [Int] = [], zeroTails: [(rollout: Int, states: Int)] = []
        var moves = [Bool](repeating: false, count: d)
        withStorage { v in
            var i = 0
            while i < segments.count {
                let r = segments[i].rollout
                var j = i
                while j < segments.count, segments[j].rollout == r { j += 1 }
                let reference = segments[i].start * d
                var isConstant = true
                // Stops at the first state that differs from the first (a moving rollout costs a few states).
                scan: for s in segments[i..<j] {
                    for k in s.start..<(s.start + s.count) {
                        for c in 0..<d where v[k * d + c] != v[reference + c] { isConstant = false; break scan }
                    }
                }
                if isConstant {
                    if (0..<d).allSatisfy({ v[reference + $0] == 0 }) { zero.append(r) } else { constant.append(r) }
                } else {
                    let last = segments[j - 1]
                    var tail = 0
                    while tail < last.count, (0..<d).allSatisfy({ v[(last.start + last.count - 1 - tail) * d + $0] == 0 }) {
                        tail += 1
                    }
                    if tail >= 2 { zeroTails.append((r, tail)) }
                }
                i = j
            }
            var unmoved = d
            // Stops once every coordinate has moved (typically within the first states).
            scan: for s in segments {
                for k in s.start..<(s.start + s.count - 1) {
                    for c in 0..<d where !moves[c] && v[(k + 1) * d + c] != v[k * d + c] {
                        moves[c] = true
                        unmoved -= 1
                    }
                    if unmoved == 0 { break scan }
                }
            }
        }
        func rollout(_ r: Int) -> String { rolloutNames.map { "'\(PrintableText.clipped($0[r], limit: 40))'" } ?? "\(r)" }
        if !zero.isEmpty || !zeroTails.isEmpty {
            var parts: [String] = []
            if !zero.isEmpty {
                parts.append("\(Self.list(zero, of: rollouts, name: rolloutNames == nil ? nil : rollout)) "
                             + (zero.count == 1 ? "is" : "are") + " entirely zero")
            }
            if !zeroTails.isEmpty {
                let first = zeroTails[0]
                let more = zeroTails.count > 1 ? " (and \(zeroTails.count - 1) more rollouts end in zeros)" : ""
                parts.append("rollout \(rollout(first.rollout)) ends in \(first.states) all-zero states\(more)")
            }
            throw EstimatorError.degenerateData(parts.joined(separator: "; ")
                + ": the file looks unfinished (zero-padded), e.g. from an interrupted simulation")
        }
        if !constant.isEmpty {
            throw EstimatorError.degenerateData("\(Self.list(constant, of: rollouts, name: rolloutNames == nil ? nil : rollout)) "
                + (constant.count == 1 ? "is" : "are") + " constant (every state equals the first)")
        }
        if let c = moves.firstIndex(of: false) {
            let name = coordinateNames.map { "'\($0[c])'" } ?? "\(c)"
            throw EstimatorError.degenerateData("coordinate \(name) never changes within a rollout: it carries no dynamics")
        }
    }

    /// Coordinates that are strictly monotone, in one direction, along every segment of ≥ 3
    /// states, with at least ``monotoneEvidence`` of evidence: time stamps or step counters
    /// rather than states.
    public func monotoneCoordinates() -> [(coordinate: Int, increasing: Bool)] {
        let d = dimension
        var found: [(coordinate: Int, increasing: Bool)] = []
        withStorage { v in
            for c in 0..<d {
                var evidence = 0, direction: Bool? = nil, monotone = true
                for s in segments where s.count >= 3 && monotone {
                    let up = v[(s.start + 1) * d + c] > v[s.start * d + c]
                    if let direction, direction != up { monotone = false; break }
                    direction = up
                    for k in s.start..<(s.start + s.count - 1) {
                        let a = v[k * d + c], b = v[(k + 1) * d + c]
                        if up ? !(b > a) : !(b < a) { monotone = false; break }
                    }
                    evidence += s.count - 2
                }
                if monotone, evidence >= Self.monotoneEvidence, let direction { found.append((c, direction)) }
            }
        }
        return found
    }

    /// "rollouts 3–5, 9 (4 of 20)" or "rollout 7 (1 of 20)"; at most 8 items, ranges joined.
    static func list(_ indices: [Int], of total: Int, name: ((Int) -> String)?) -> String {
        var items: [String] = []
        if let name {
            items = indices.prefix(8).map(name)
        } else {
            var i = 0
            while i < indices.count, items.count < 8 {
                var j = i
                while j + 1 < indices.count, indices[j + 1] == indices[j] + 1 { j += 1 }
                items.append(j > i ? "\(indices[i])–\(indices[j])" : "\(indices[i])")
                i = j + 1
            }
            if i < indices.count { items.append("…") }
        }
        if name != nil, indices.count > 8 { items.append("…") }
        let noun = indices.count == 1 ? "rollout" : "rollouts"
        return "\(noun) \(items.joined(separator: ", ")) (\(indices.count) of \(total))"
    }
}
