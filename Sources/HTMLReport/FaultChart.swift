/// Draws the scenario's faults as labelled bars on the shared time axis, one lane per
/// overlap, so the shaded bands of the other charts can be read against it.
enum FaultChart {
    private static let laneHeight = 20.0

    /// Appends the chart (the caller says when there are no faults).
    static func append(_ faults: [FaultPeriod], axis: TimeAxis, to html: inout Markup) {
        let lanes = (faults.map(\.lane).max() ?? 0) + 1
        let bottom = 6 + Double(lanes) * laneHeight
        var svg = Markup(capacity: 2_048)
        svg.openSVG(width: TimeAxis.width, height: bottom + 20, label: "fault periods")
        axis.appendGrid(top: 4, bottom: bottom, labels: true, to: &svg)
        for fault in faults {
            let y = 6 + Double(fault.lane) * laneHeight
            let start = axis.x(fault.start)
            let period = fault.isInstant ? "at " + Format.duration(fault.start)
                : Format.duration(fault.start) + " to " + Format.duration(fault.end)
            let tooltip = fault.label + ": " + period
            if fault.isInstant {
                let diamond = "M" + Format.coordinate(start) + " " + Format.coordinate(y + 2) + " l6 7 l-6 7 l-6 -7 z"
                svg.path(diamond, [("fill", fault.kind.colour)], title: tooltip)
            } else {
                svg.rect(x: start, y: y + 2, width: max(axis.x(fault.end) - start, 3), height: 14,
                         [("rx", "2"), ("fill", fault.kind.colour), ("fill-opacity", "0.55"),
                          ("stroke", fault.kind.colour)],
                         title: tooltip)
            }
            // The label goes inside the bar when it fits, else after it, else before it.
            let label = fault.label + " · " + period
            let estimated = Double(label.count) * 5.8
            let barEnd = fault.isInstant ? start + 7 : max(axis.x(fault.end), start + 3)
            if !fault.isInstant, barEnd - start > estimated + 10 {
                svg.label(label, x: start + 5, y: y + 13, size: 10.5, fill: Palette.ink)
            } else if barEnd + 5 + estimated < TimeAxis.plotRight {
                svg.label(label, x: barEnd + 5, y: y + 13, size: 10.5, fill: Palette.ink)
            } else {
                svg.label(label, x: start - 5, y: y + 13, size: 10.5, anchor: "end", fill: Palette.ink)
            }
        }
        svg.close("svg")
        html.open("div", [("class", "chart")])
        html.raw(svg.output)
        html.close("div")
        html.newline()
    }
}
