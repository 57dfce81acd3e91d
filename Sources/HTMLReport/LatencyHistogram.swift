/// A latency distribution from the observation log, binned for a bar chart.
///
/// Narrow distributions get linear bins of a round width; wide ones (largest over
/// smallest positive value above 20, typical of retries and timeouts) get logarithmic bins,
/// five per decade, with zeros in a bin of their own.
struct LatencyHistogram {
    /// One bar: observations in `lower..<upper`.
    struct Bin {
        let lower: Double
        let upper: Double
        var count = 0
    }

    /// The bars and the x-axis labels of a binning.
    struct Binning {
        /// The bars, left to right (all drawn equally wide).
        var bins: [Bin]
        /// Axis labels at bin edges: (edge index 0…bins.count, text).
        var ticks: [(edge: Int, label: String)]
        /// A caption under the axis (`bins of 2ms`, `logarithmic: 5 bins per decade`).
        var caption: String
    }

    /// The chart's title (`Acquire latency`).
    let title: String
    /// What it measures, in one sentence.
    let explanation: String
    /// The observations, in seconds, sorted ascending.
    let values: [Double]

    /// Creates a histogram of `values` (any order).
    init(title: String, explanation: String, values: [Double]) {
        self.title = title
        self.explanation = explanation
        self.values = values.sorted()
    }

    /// The nearest-rank percentile `p` (0…100) of the observations.
    func percentile(_ p: Double) -> Double? {
        guard !values.isEmpty else { return nil }
        let rank = Int((p / 100 * Double(values.count)).rounded(.up))
        return values[min(max(rank, 1), values.count) - 1]
    }

    /// The binning of the observations (empty when there are none).
    var binning: Binning {
        guard let largest = values.last else { return Binning(bins: [], ticks: [], caption: "") }
        if let smallest = values.first(where: { $0 > 0 }), largest / smallest > 20 {
            return logarithmic(from: smallest, to: largest)
        }
        return linear(to: largest)
    }

    private func linear(to largest: Double) -> Binning {
        let width = Self.niceWidth(for: largest > 0 ? largest / 24 : 0.001)
        let count = max(Int((largest / width).rounded(.down)) + 1, 10)
        var bins = (0..<count).map { Bin(lower: Double($0) * width, upper: Double($0 + 1) * width) }
        for value in values { bins[min(Int((value / width).rounded(.down)), count - 1)].count += 1 }
        let every = max(1, Int((Double(count) / 5).rounded(.up)))
        let ticks = stride(from: 0, through: count, by: every).map { ($0, Format.duration(Double($0) * width)) }
        return Binning(bins: bins, ticks: ticks, caption: "bins of " + Format.duration(width))
    }

    private func logarithmic(from smallest: Double, to largest: Double) -> Binning {
        let steps = [1.0, 1.5848931924611136, 2.51188643150958, 3.981071705534973, 6.309573444801933]
        var decade = 1e-9
        while decade * 10 <= smallest { decade *= 10 }
        var edges: [Double] = []
        var current = decade
        while edges.isEmpty || edges[edges.count - 1] <= largest {
            edges += steps.map { $0 * current }
            current *= 10
        }
        edges.append(current)
        var bins: [Bin] = []
        let hasZeros = values[0] <= 0
        if hasZeros { bins.append(Bin(lower: 0, upper: 0)) }
        let offset = bins.count
        for index in 0..<(edges.count - 1) { bins.append(Bin(lower: edges[index], upper: edges[index + 1])) }
        for value in values {
            guard value > 0 else {
                bins[0].count += 1
                continue
            }
            var low = 0
            var high = edges.count - 2
            while low < high {  // the last edge at or below `value`
                let middle = (low + high + 1) / 2
                if edges[middle] <= value { low = middle } else { high = middle - 1 }
            }
            bins[offset + low].count += 1
        }
        var ticks: [(Int, String)] = hasZeros ? [(0, "0")] : []
        for index in stride(from: 0, to: edges.count, by: steps.count) {
            ticks.append((offset + index, Format.duration(edges[index])))
        }
        let caption = "logarithmic scale, 5 bins per decade" + (hasZeros ? "; first bar: 0" : "")
        return Binning(bins: bins, ticks: ticks, caption: caption)
    }

    /// The smallest of 1, 2, 5 × 10ⁿ seconds at least `minimum`.
    static func niceWidth(for minimum: Double) -> Double {
        var magnitude = 1e-6
        while true {
            for factor in [1.0, 2.0, 5.0] where magnitude * factor >= minimum { return magnitude * factor }
            magnitude *= 10
        }
    }
}
