/// Draws one user's (or the aggregate's) live controlled connections over virtual time as
/// an SVG step line against the limit, with the user's leases at the backend, fault periods
/// shaded, over-limit episodes and invariant violations highlighted, and rejections and
/// terminations marked in a strip below the plot.
///
/// Output size is bounded by the chart's width, not by the data: changes that fall into
/// the same half-pixel column are drawn as one vertical stroke (their min, max and last
/// value), and markers closer than 8 pixels are merged into one glyph whose tooltip
/// counts them (an aggregate gets counts per bin instead).
struct ConnectionChart {
    /// The shared time axis.
    let axis: TimeAxis
    /// The fault periods, shaded on every chart.
    let faults: [FaultPeriod]
    /// Invariant violations, drawn on the charts of the users they involve.
    var violations: [(invariant: String, time: Double, users: [String], message: String)] = []

    private static let plotHeight = 96.0

    /// Appends the chart for `timeline` as an inline SVG.
    func append(_ timeline: UserTimeline, to html: inout Markup) {
        let top = 4 + TimeAxis.stripHeight(for: faults)
        let bottom = top + Self.plotHeight
        let highest = max(timeline.peak, timeline.leasePeak, timeline.limit ?? 0, 1)
        let tickStep = Self.integerStep(for: highest)
        let yMax = Double((highest / tickStep + 1) * tickStep)
        func y(_ value: Int) -> Double { bottom - Self.plotHeight * Double(value) / yMax }

        var svg = Markup(capacity: 8_192)
        svg.openSVG(width: TimeAxis.width, height: bottom + 48, label: "live connections of " + timeline.name)
        svg.rect(x: TimeAxis.left, y: top, width: axis.plotWidth, height: Self.plotHeight,
                 [("fill", Palette.plot), ("stroke", Palette.grid)])
        axis.appendFaults(faults, top: top, bottom: bottom, strip: 4, to: &svg)
        for tick in stride(from: 0, through: Int(yMax), by: tickStep) {
            svg.line(TimeAxis.left, y(tick), TimeAxis.plotRight, y(tick), [("stroke", Palette.grid)])
            svg.label(String(tick), x: TimeAxis.left - 6, y: y(tick) + 4, anchor: "end")
        }
        axis.appendGrid(top: top, bottom: bottom + 30, labels: true, to: &svg)
        for episode in timeline.overLimit {
            let start = axis.x(episode.start)
            svg.rect(x: start, y: top, width: max(axis.x(episode.end) - start, 2), height: Self.plotHeight,
                     [("fill", Palette.vermillion), ("fill-opacity", "0.28")],
                     title: "over the limit from " + Format.duration(episode.start) + " to "
                        + Format.duration(episode.end) + " (" + Format.duration(episode.end - episode.start) + ")")
        }
        svg.path(stepPath(timeline.leaseSteps, y: y), [("fill", "none"), ("stroke", Palette.orange),
                                                       ("stroke-width", "1.4"), ("stroke-linejoin", "round")])
        let line = stepPath(timeline.steps, y: y)
        let area = line + " V" + Format.coordinate(bottom) + " H" + Format.coordinate(TimeAxis.left) + " Z"
        svg.path(area, [("fill", Palette.blue), ("fill-opacity", "0.10"), ("stroke", "none")])
        svg.path(line, [("fill", "none"), ("stroke", Palette.blue), ("stroke-width", "1.6"),
                        ("stroke-linejoin", "round")])
        if let limit = timeline.limit {
            svg.line(TimeAxis.left, y(limit), TimeAxis.plotRight, y(limit),
                     [("stroke", Palette.ink), ("stroke-width", "1.2"), ("stroke-dasharray", "6 4")])
            svg.label("limit \(limit)", x: TimeAxis.plotRight - 4, y: y(limit) - 4, anchor: "end", fill: Palette.ink)
        }
        appendViolations(of: timeline.name, top: top, bottom: bottom, to: &svg)
        if timeline.limit == nil {
            appendMarkerCounts(timeline.markers, baseline: bottom + 17, to: &svg)
        } else {
            appendMarkers(timeline.markers, rows: (bottom + 12, bottom + 24), to: &svg)
        }
        svg.close("svg")
        html.open("div", [("class", "chart")])
        html.raw(svg.output)
        html.close("div")
        html.newline()
    }

    /// The path of a step line: horizontal runs, vertical changes, one column at a time.
    private func stepPath(_ steps: [(time: Double, live: Int)], y: (Int) -> Double) -> String {
        guard let first = steps.first else { return "" }
        var path = "M" + Format.coordinate(TimeAxis.left) + " " + Format.coordinate(y(first.live))
        var column: (index: Int, low: Int, high: Int, last: Int)?
        func flush() {
            guard let column else { return }
            path += " H" + Format.coordinate(Double(column.index) / 2)
            for value in [column.low, column.high, column.last] { path += " V" + Format.coordinate(y(value)) }
        }
        var previous = first.live
        for step in steps.dropFirst() {
            let index = Int((axis.x(step.time) * 2).rounded())
            if var current = column, current.index == index {
                current.low = min(current.low, step.live)
                current.high = max(current.high, step.live)
                current.last = step.live
                column = current
            } else {
                flush()
                column = (index, min(previous, step.live), max(previous, step.live), step.live)
            }
            previous = step.live
        }
        flush()
        return path + " H" + Format.coordinate(axis.x(axis.end))
    }

    /// A red line topped by a `!` at each violation that involves `user` (at most 50).
    private func appendViolations(of user: String, top: Double, bottom: Double, to svg: inout Markup) {
        for violation in violations.filter({ $0.users.contains(user) }).prefix(50) {
            let x = axis.x(violation.time)
            svg.open("g")
            svg.element("title", text: violation.invariant + " violated at " + Format.duration(violation.time) + ": "
                        + violation.message)
            svg.line(x, top, x, bottom, [("stroke", Palette.vermillion), ("stroke-width", "2")])
            svg.empty("circle", [("cx", Format.coordinate(x)), ("cy", Format.coordinate(top + 7)), ("r", "6.5"),
                                 ("fill", Palette.vermillion)])
            svg.label("!", x: x, y: top + 11, anchor: "middle", fill: "#FFFFFF", [("font-weight", "700")])
            svg.close("g")
        }
    }

    /// Rejections (triangles: filled for `max_connections`, hollow for other reasons) and
    /// terminations (crosses), merged when closer than 8 pixels to the first of a group.
    private func appendMarkers(_ markers: [UserTimeline.Marker], rows: (rejections: Double, terminations: Double),
                               to svg: inout Markup) {
        let kinds: [UserTimeline.Marker.Kind] = [.rejectedOther, .rejectedForLimit, .terminated]
        for kind in kinds {
            var groups: [(x: Double, markers: [UserTimeline.Marker])] = []
            for marker in markers where marker.kind == kind {
                let x = axis.x(marker.time)
                if let last = groups.last, x - last.x < 8 {
                    groups[groups.count - 1].markers.append(marker)
                } else {
                    groups.append((x, [marker]))
                }
            }
            for group in groups {
                let x = group.x
                switch kind {
                case .rejectedForLimit, .rejectedOther:
                    let glyph = "M" + Format.coordinate(x) + " " + Format.coordinate(rows.rejections - 5)
                        + " l4.5 8 h-9 z"
                    let fill = kind == .rejectedForLimit ? Palette.vermillion : "#FFFFFF"
                    svg.path(glyph, [("fill", fill), ("stroke", Palette.vermillion), ("stroke-width", "1.2")],
                             title: Self.tooltip(group.markers))
                case .terminated:
                    let glyph = "M" + Format.coordinate(x - 3.5) + " " + Format.coordinate(rows.terminations - 3.5)
                        + " l7 7 m0 -7 l-7 7"
                    svg.path(glyph, [("stroke", Palette.ink), ("stroke-width", "1.6"), ("fill", "none")],
                             title: Self.tooltip(group.markers))
                }
            }
        }
    }

    /// For aggregates: rejections (vermillion, up) and terminations (black, down) per
    /// 4-pixel bin as bars either side of a baseline, scaled to the busiest bin.
    private func appendMarkerCounts(_ markers: [UserTimeline.Marker], baseline: Double, to svg: inout Markup) {
        let bins = Int(axis.plotWidth / 4)
        var rejected = Array(repeating: 0, count: bins)
        var terminated = Array(repeating: 0, count: bins)
        for marker in markers {
            let bin = min(max(Int((axis.x(marker.time) - TimeAxis.left) / 4), 0), bins - 1)
            if marker.kind == .terminated { terminated[bin] += 1 } else { rejected[bin] += 1 }
        }
        let series = [(rejected, 13.0, Palette.vermillion, "rejections"),
                      (terminated, -10.0, Palette.ink, "terminations")]
        for (counts, reach, colour, noun) in series {
            let most = counts.max() ?? 0
            guard most > 0 else { continue }
            var path = ""
            for (bin, count) in counts.enumerated() where count > 0 {
                let height = max(abs(reach) * Double(count) / Double(most), 1.5) * (reach > 0 ? 1 : -1)
                path += "M" + Format.coordinate(TimeAxis.left + Double(bin) * 4 + 0.4) + " "
                    + Format.coordinate(baseline) + "h3.2v" + Format.coordinate(-height) + "h-3.2z"
            }
            svg.path(path, [("fill", colour)],
                     title: "\(noun) per \(Format.duration(axis.end * 4 / axis.plotWidth)) bin: "
                        + "\(Format.count(counts.reduce(0, +))) in all, at most \(Format.count(most)) in one bin")
        }
        svg.line(TimeAxis.left, baseline, TimeAxis.plotRight, baseline, [("stroke", Palette.grid)])
    }

    /// `rejected: max_connections on node-3 at 20s`, or `12 rejections, 20s to 21.5s: …`.
    private static func tooltip(_ markers: [UserTimeline.Marker]) -> String {
        let verb = markers[0].kind == .terminated ? "terminated" : "rejected"
        if markers.count == 1 { return verb + ": " + markers[0].detail + " at " + Format.duration(markers[0].time) }
        var reasons: [String] = []
        for marker in markers where !reasons.contains(marker.detail) && reasons.count < 4 {
            reasons.append(marker.detail)
        }
        let noun = markers[0].kind == .terminated ? "terminations" : "rejections"
        return "\(Format.count(markers.count)) \(noun), " + Format.duration(markers[0].time) + " to "
            + Format.duration(markers[markers.count - 1].time) + ": " + reasons.joined(separator: "; ")
    }

    /// A tick step (1, 2, 5, 10, 20, …) giving at most 5 ticks up to `maximum`.
    static func integerStep(for maximum: Int) -> Int {
        var step = 1
        while maximum / step > 4 {
            var leading = step
            while leading >= 10 { leading /= 10 }
            step = leading == 2 ? step * 5 / 2 : step * 2  // 1 → 2 → 5 → 10 → 20 → …
        }
        return step
    }
}
