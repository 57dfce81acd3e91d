/// The horizontal geometry shared by every timeline chart: virtual time from 0 to the end
/// of the run, mapped onto the plot area of a fixed-width SVG (the page scales it).
struct TimeAxis {
    /// The SVG's width in user units.
    static let width = 960.0
    /// Left margin (room for the y-axis labels).
    static let left = 52.0
    /// Right margin.
    static let right = 18.0
    /// The right edge of the plot area.
    static let plotRight = width - right

    /// The end of the run, in seconds (the axis starts at 0).
    let end: Double
    /// The end of the workload (`duration`), marked as the start of the drain.
    let workloadEnd: Double

    /// The plot area's width.
    var plotWidth: Double { Self.plotRight - Self.left }

    /// The x coordinate of virtual time `seconds`, clamped to the plot.
    func x(_ seconds: Double) -> Double {
        guard end > 0 else { return Self.left }
        return Self.left + plotWidth * min(max(seconds / end, 0), 1)
    }

    /// Tick positions in seconds: a round step giving at most about 10 ticks.
    var ticks: [Double] {
        let steps: [Double] = [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 30, 60, 120,
                               300, 600, 900, 1_800, 3_600, 7_200, 10_800, 21_600, 43_200, 86_400]
        let step = steps.first { end / $0 <= 10 } ?? (end / 10).rounded(.up)
        var ticks: [Double] = []
        var index = 0.0
        while index * step <= end + step * 1e-9 {
            ticks.append(index * step)
            index += 1
        }
        return ticks
    }

    /// Appends vertical grid lines over `top..<bottom` with time labels below them, and a
    /// dashed line where the drain begins.
    func appendGrid(top: Double, bottom: Double, labels: Bool, to svg: inout Markup) {
        for tick in ticks {
            svg.line(x(tick), top, x(tick), bottom, [("stroke", Palette.grid)])
            if labels { svg.label(Format.duration(tick), x: x(tick), y: bottom + 14, anchor: "middle") }
        }
        if workloadEnd > 0, workloadEnd < end {
            svg.line(x(workloadEnd), top, x(workloadEnd), bottom,
                     [("stroke", Palette.muted), ("stroke-dasharray", "2 3")],
                     title: "end of the workload (" + Format.duration(workloadEnd) + "); drain follows")
        }
    }

    /// The height of the fault strip drawn above a plot by
    /// ``appendFaults(_:top:bottom:strip:to:)``.
    static func stripHeight(for faults: [FaultPeriod]) -> Double {
        faults.isEmpty ? 0 : Double((faults.map(\.lane).max() ?? 0) + 1) * 11 + 3
    }

    /// Appends the fault periods as light bands over the plot `top..<bottom`, each with a
    /// tooltip; with `strip`, also as labelled bars in a strip of one lane per overlap
    /// starting at that y (see ``stripHeight(for:)``).
    func appendFaults(_ faults: [FaultPeriod], top: Double, bottom: Double, strip: Double?, to svg: inout Markup) {
        for fault in faults {
            let start = x(fault.start)
            let width = max(x(fault.end) - start, 2)
            let tooltip = fault.label + ": " + Format.duration(fault.start)
                + (fault.isInstant ? "" : " to " + Format.duration(fault.end))
            if fault.isInstant {
                let style = [("stroke", fault.kind.colour), ("stroke-width", "1.5"), ("stroke-dasharray", "4 2")]
                svg.line(start, strip ?? top, start, bottom, style, title: tooltip)
                continue
            }
            svg.rect(x: start, y: top, width: width, height: bottom - top,
                     [("fill", fault.kind.colour), ("fill-opacity", "0.08")], title: tooltip)
            guard let strip else { continue }
            let y = strip + Double(fault.lane) * 11
            svg.rect(x: start, y: y, width: width, height: 9,
                     [("rx", "1.5"), ("fill", fault.kind.colour), ("fill-opacity", "0.5")], title: tooltip)
            let text = [fault.label, fault.kind.rawValue].first { width > Double($0.count) * 4.8 + 6 }
            if let text { svg.label(text, x: start + 3, y: y + 7.5, size: 8.5, fill: Palette.ink) }
        }
    }
}
