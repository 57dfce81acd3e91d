/// Draws a ``LatencyHistogram`` as an SVG bar chart with its summary line.
enum HistogramChart {
    private static let width = 330.0
    private static let height = 178.0
    private static let left = 38.0
    private static let right = 14.0
    private static let top = 8.0
    private static let bottom = 140.0

    /// Appends the title, the chart (or a note when there are no observations) and the summary.
    static func append(_ histogram: LatencyHistogram, to html: inout Markup) {
        html.open("div")
        html.element("h3", text: histogram.title)
        html.element("p", [("class", "note")], text: histogram.explanation)
        guard !histogram.values.isEmpty else {
            html.element("p", text: "No observations in this run.")
            html.close("div")
            html.newline()
            return
        }
        let binning = histogram.binning
        let highest = max(binning.bins.map(\.count).max() ?? 1, 1)
        let step = ConnectionChart.integerStep(for: highest)
        let yMax = Double((highest + step - 1) / step * step)
        let plotWidth = width - left - right
        let barWidth = plotWidth / Double(binning.bins.count)
        var svg = Markup(capacity: 4_096)
        svg.openSVG(width: width, height: height, label: histogram.title + " histogram", [("class", "chart")])
        for tick in stride(from: 0, through: Int(yMax), by: step) {
            let y = bottom - (bottom - top) * Double(tick) / yMax
            svg.line(left, y, width - right, y, [("stroke", Palette.grid)])
            svg.label(Format.count(tick), x: left - 5, y: y + 4, anchor: "end")
        }
        for (index, bin) in binning.bins.enumerated() where bin.count > 0 {
            let barHeight = max((bottom - top) * Double(bin.count) / yMax, 1.5)
            let range = bin.upper == 0 ? "0" : Format.duration(bin.lower) + " to " + Format.duration(bin.upper)
            svg.rect(x: left + Double(index) * barWidth + 0.5, y: bottom - barHeight, width: max(barWidth - 1, 0.8),
                     height: barHeight, [("fill", Palette.blue)],
                     title: range + ": " + Format.counted(bin.count, "observation"))
        }
        for tick in binning.ticks {
            let x = left + Double(tick.edge) * barWidth
            svg.line(x, bottom, x, bottom + 4, [("stroke", Palette.muted)])
            let anchor = tick.edge == binning.bins.count ? "end" : tick.edge == 0 ? "start" : "middle"
            svg.label(tick.label, x: x, y: bottom + 16, anchor: anchor)
        }
        svg.line(left, bottom, width - right, bottom, [("stroke", Palette.muted)])
        svg.label(binning.caption, x: left + plotWidth / 2, y: height - 4, size: 10.5, anchor: "middle")
        svg.close("svg")
        html.raw(svg.output)
        let values = histogram.values
        let summary = [
            ("n", Format.count(values.count)), ("min", Format.duration(values[0])),
            ("p50", Format.duration(histogram.percentile(50) ?? 0)),
            ("p90", Format.duration(histogram.percentile(90) ?? 0)),
            ("p99", Format.duration(histogram.percentile(99) ?? 0)),
            ("max", Format.duration(values[values.count - 1])),
        ]
        html.open("p", [("class", "summary")])
        for (index, (name, value)) in summary.enumerated() {
            if index > 0 { html.text(" · ") }
            html.text(name + " ")
            html.element("b", text: value)
        }
        html.close("p")
        html.close("div")
        html.newline()
    }
}
