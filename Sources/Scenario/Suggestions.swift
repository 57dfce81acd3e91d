/// Spelling suggestions for unknown keys, names and units ("did you mean …?").
enum Suggestions {
    /// The candidate closest to `word` by edit distance (swaps count as one edit), if it is
    /// close enough to be a likely typo.
    ///
    /// A case-insensitive exact match wins; otherwise the candidate with the smallest
    /// Levenshtein distance, provided the distance is at most a third of the longer word
    /// (and at least 1, at most 3); failing that, the only candidate that starts with the
    /// word (of three or more letters). Ties go to the earlier candidate, so the answer is stable.
    /// - Complexity: O(*c* × *n* × *m*) for *c* candidates of length *m* and a word of length *n*.
    static func nearest(to word: String, among candidates: [String]) -> String? {
        let lowered = word.lowercased()
        var best: (candidate: String, distance: Int)?
        for candidate in candidates where candidate != word {
            if candidate.lowercased() == lowered {
                return candidate
            }
            let distance = editDistance(lowered, candidate.lowercased())
            let limit = min(3, max(1, max(word.count, candidate.count) / 3))
            guard distance <= limit, distance < word.count else { continue }
            if let current = best, current.distance <= distance { continue }
            best = (candidate, distance)
        }
        if let best { return best.candidate }
        let prefixed = candidates.filter { lowered.count >= 3 && $0.lowercased().hasPrefix(lowered) }
        return prefixed.count == 1 ? prefixed[0] : nil
    }

    /// `"; did you mean 'X'?"` for the nearest candidate, or the empty string.
    static func didYouMean(_ word: String, among candidates: [String]) -> String {
        guard let match = nearest(to: word, among: candidates) else { return "" }
        return "; did you mean '\(match)'?"
    }

    /// Edit distance between two strings by Unicode scalars, counting an insertion, a
    /// deletion, a substitution or a swap of two neighbours (`nodse` → `nodes`) as one edit
    /// (optimal string alignment distance).
    /// - Complexity: O(*n* × *m*) time and space.
    static func editDistance(_ lhs: String, _ rhs: String) -> Int {
        let left = Array(lhs.unicodeScalars)
        let right = Array(rhs.unicodeScalars)
        if left.isEmpty { return right.count }
        if right.isEmpty { return left.count }
        var table = Array(repeating: Array(repeating: 0, count: right.count + 1), count: left.count + 1)
        for i in 0...left.count { table[i][0] = i }
        for j in 0...right.count { table[0][j] = j }
        for i in 1...left.count {
            for j in 1...right.count {
                let cost = left[i - 1] == right[j - 1] ? 0 : 1
                var best = min(table[i - 1][j] + 1, table[i][j - 1] + 1, table[i - 1][j - 1] + cost)
                if i > 1, j > 1, left[i - 1] == right[j - 2], left[i - 2] == right[j - 1] {
                    best = min(best, table[i - 2][j - 2] + 1)
                }
                table[i][j] = best
            }
        }
        return table[left.count][right.count]
    }

    /// `'a', 'b' or 'c'` — a readable list of alternatives.
    static func alternatives(_ values: [String]) -> String {
        let quoted = values.map { "'\($0)'" }
        guard quoted.count > 1 else { return quoted.first ?? "" }
        return quoted.dropLast().joined(separator: ", ") + " or " + quoted[quoted.count - 1]
    }
}
