/// Draws lease lifetimes per node as a compact Gantt chart: one band per node, one bar per
/// lease from its grant to its end, coloured by how it ended, with renewals as ticks.
///
/// A node with too many leases to draw one by one (or a run with too many in all) is drawn
/// as a density band instead: live leases over time, binned, with expiries per bin below.
struct LeaseChart {
    /// The shared time axis.
    let axis: TimeAxis
    /// The fault periods, shaded behind the bars.
    let faults: [FaultPeriod]
    /// At most this many lanes of bars per node before switching to a density band.
    var maximumLanes = 10
    /// At most this many bars in all before every node switches to density bands.
    var maximumBars = 600
    /// At most this many nodes drawn (the busiest, in cluster order).
    var maximumNodes = 24

    private static let laneHeight = 10.0
    private static let barHeight = 7.0
    private static let headerHeight = 16.0
    private static let densityHeight = 40.0
    private static let bins = 240

    /// One node's band: its leases, and their lanes (nil: drawn as a density band).
    private typealias Row = (node: String, leases: [LeaseTimeline.Lease], lanes: [Int]?)

    /// Appends the chart for the leases held by `nodes` (cluster order; other holders last).
    func append(_ timeline: LeaseTimeline, nodes: [String], to html: inout Markup) {
        let rows = self.rows(timeline, nodes: nodes, to: &html)
        let denseNodes = rows.filter { $0.lanes == nil }.map(\.node)
        if denseNodes.count < rows.count {
            html.element("p", text: "Each bar runs from the lease's grant to its removal or expiry, coloured by how "
                         + "it ended; white ticks are renewals (keep-alives). Hover over a bar for its details.")
            Legend.appendLeases(to: &html)
        }
        if !denseNodes.isEmpty {
            let which = denseNodes.count == rows.count ? "every node" : denseNodes.joined(separator: ", ")
            html.element("p", text: "Too many leases to draw one by one on \(which): the band shows how many leases "
                         + "were live at once in each time bin (the number at its left is the most), and the "
                         + "vermillion marks below it count the leases that expired in that bin.")
        }
        var height = 4.0
        for row in rows { height += Self.headerHeight + rowHeight(row) + 6 }
        let axisTop = height
        var svg = Markup(capacity: 16_384)
        svg.openSVG(width: TimeAxis.width, height: (height + 20).rounded(.up), label: "lease lifetimes per node")
        axis.appendFaults(faults, top: 4, bottom: axisTop, strip: nil, to: &svg)
        axis.appendGrid(top: 4, bottom: axisTop, labels: true, to: &svg)
        var top = 4.0
        for row in rows {
            svg.label(row.node + "  ·  " + Format.counted(row.leases.count, "lease"), x: TimeAxis.left, y: top + 11,
                      size: 11.5, fill: Palette.ink, [("font-weight", "600")])
            top += Self.headerHeight
            if let lanes = row.lanes {
                appendBars(row.leases, lanes: lanes, top: top, to: &svg)
            } else {
                appendDensity(row.leases, top: top, to: &svg)
            }
            top += rowHeight(row) + 6
        }
        svg.close("svg")
        html.open("div", [("class", "chart")])
        html.raw(svg.output)
        html.close("div")
        html.newline()
    }

    /// The nodes' bands in cluster order (other holders after, by name), at most
    /// `maximumNodes` of them (the busiest, with a note saying so).
    private func rows(_ timeline: LeaseTimeline, nodes: [String], to html: inout Markup) -> [Row] {
        var byNode: [String: [LeaseTimeline.Lease]] = [:]
        for lease in timeline.leases { byNode[lease.holder, default: []].append(lease) }
        var order = nodes.filter { byNode[$0] != nil }
        order += byNode.keys.filter { !nodes.contains($0) }.sorted()
        if order.count > maximumNodes {
            let ranked = order.sorted { (byNode[$0]?.count ?? 0, $1) > (byNode[$1]?.count ?? 0, $0) }
            let busiest = Set(ranked.prefix(maximumNodes))
            html.element("p", [("class", "note")],
                         text: "Showing the \(maximumNodes) nodes with the most leases of \(order.count).")
            order = order.filter { busiest.contains($0) }
        }
        let dense = timeline.leases.count > maximumBars
        return order.map { node in
            let leases = byNode[node] ?? []
            return (node, leases, dense ? nil : lanes(for: leases))
        }
    }

    private func rowHeight(_ row: Row) -> Double {
        row.lanes.map { Double(($0.max() ?? 0) + 1) * Self.laneHeight } ?? Self.densityHeight
    }

    /// Greedy lane packing in grant order; nil when more than `maximumLanes` are needed.
    private func lanes(for leases: [LeaseTimeline.Lease]) -> [Int]? {
        var laneEnds: [Double] = []
        var lanes: [Int] = []
        for lease in leases {
            let start = axis.x(lease.granted)
            let end = max(axis.x(lease.end), start + 2) + 1
            if let free = laneEnds.firstIndex(where: { $0 <= start }) {
                lanes.append(free)
                laneEnds[free] = end
            } else {
                guard laneEnds.count < maximumLanes else { return nil }
                lanes.append(laneEnds.count)
                laneEnds.append(end)
            }
        }
        return lanes
    }

    private func appendBars(_ leases: [LeaseTimeline.Lease], lanes: [Int], top: Double, to svg: inout Markup) {
        var ticks = ""
        for (lease, lane) in zip(leases, lanes) {
            let start = axis.x(lease.granted)
            let width = max(axis.x(lease.end) - start, 2)
            let y = top + Double(lane) * Self.laneHeight
            var tooltip = lease.id + " of " + lease.user + " on " + lease.holder + ": granted "
                + Format.duration(lease.granted)
            if !lease.renewals.isEmpty { tooltip += ", renewed \(lease.renewals.count)×" }
            tooltip += lease.outcome == .live
                ? ", live at the end" : ", " + lease.outcome.rawValue + " at " + Format.duration(lease.end)
            svg.rect(x: start, y: y, width: width, height: Self.barHeight,
                     [("rx", "1.5"), ("fill", lease.outcome.colour)], title: tooltip)
            var lastTick = -10.0
            for renewal in lease.renewals {
                let x = axis.x(renewal)
                guard x - lastTick >= 3, x < start + width - 1 else { continue }
                ticks += "M" + Format.coordinate(x) + " " + Format.coordinate(y + 1)
                    + "v" + Format.coordinate(Self.barHeight - 2)
                lastTick = x
            }
        }
        if !ticks.isEmpty {
            svg.path(ticks, [("stroke", "#FFFFFF"), ("stroke-width", "1"), ("stroke-opacity", "0.9")])
        }
    }

    /// Live leases (max per bin) as a step area, and expiries per bin as bars below it.
    private func appendDensity(_ leases: [LeaseTimeline.Lease], top: Double, to svg: inout Markup) {
        let binWidth = axis.end / Double(Self.bins)
        func bin(_ time: Double) -> Int { binWidth > 0 ? min(Int(time / binWidth), Self.bins - 1) : 0 }
        var edges: [(time: Double, delta: Int)] = []
        var expiries = Array(repeating: 0, count: Self.bins)
        for lease in leases {
            edges.append((lease.granted, 1))
            edges.append((lease.end, -1))
            if lease.outcome == .expired { expiries[bin(lease.end)] += 1 }
        }
        edges.sort { $0.time < $1.time || ($0.time == $1.time && $0.delta < $1.delta) }
        var peaks = Array(repeating: 0, count: Self.bins)
        var live = 0
        var index = 0
        for current in 0..<Self.bins {
            peaks[current] = live
            let binEnd = Double(current + 1) * binWidth
            while index < edges.count, edges[index].time < binEnd || current == Self.bins - 1 {
                live += edges[index].delta
                peaks[current] = max(peaks[current], live)
                index += 1
            }
        }
        let areaHeight = Self.densityHeight - 12
        let highest = max(peaks.max() ?? 0, 1)
        let bottom = top + areaHeight
        var path = "M" + Format.coordinate(TimeAxis.left) + " " + Format.coordinate(bottom)
        for (current, peak) in peaks.enumerated() {
            path += " V" + Format.coordinate(bottom - areaHeight * Double(peak) / Double(highest))
            path += " H" + Format.coordinate(axis.x(Double(current + 1) * binWidth))
        }
        path += " V" + Format.coordinate(bottom) + " Z"
        svg.path(path, [("fill", Palette.blue), ("fill-opacity", "0.35"), ("stroke", Palette.blue),
                        ("stroke-width", "0.8")],
                 title: "live leases per time bin (\(Format.duration(binWidth)) each); at most \(highest) at once")
        svg.label(Format.count(highest), x: TimeAxis.left - 6, y: top + 9, anchor: "end")
        svg.label("0", x: TimeAxis.left - 6, y: bottom + 1, anchor: "end")
        let mostExpiries = max(expiries.max() ?? 0, 1)
        let barWidth = Format.coordinate(max(axis.plotWidth / Double(Self.bins) - 0.6, 1))
        var bars = ""
        for (current, count) in expiries.enumerated() where count > 0 {
            let height = max(9 * Double(count) / Double(mostExpiries), 1.5)
            bars += "M" + Format.coordinate(axis.x(Double(current) * binWidth)) + " " + Format.coordinate(bottom + 2)
                + "h" + barWidth + "v" + Format.coordinate(height) + "h-" + barWidth + "z"
        }
        if !bars.isEmpty {
            svg.path(bars, [("fill", Palette.vermillion)],
                     title: "expired leases per time bin; \(expiries.reduce(0, +)) in all, "
                        + "at most \(mostExpiries) in one bin")
        }
    }
}
