/// The legends above the charts: a small inline SVG swatch and a word for each mark, so no
/// colour has to be guessed.
enum Legend {
    /// Live connections, the limit, over-limit time, markers, and the fault kinds in use.
    static func appendConnections(faults: [FaultPeriod], violations: Bool, to html: inout Markup) {
        html.open("div", [("class", "legend")])
        item("<path d=\"M1 9 H7 V3 H17\" fill=\"none\" stroke=\"\(Palette.blue)\" stroke-width=\"2\"/>",
             "live connections", to: &html)
        item("<path d=\"M1 9 H9 V4 H17\" fill=\"none\" stroke=\"\(Palette.orange)\" stroke-width=\"1.6\"/>",
             "leases at the backend", to: &html)
        item("<path d=\"M1 6 H17\" stroke=\"\(Palette.ink)\" stroke-width=\"1.5\" stroke-dasharray=\"4 3\"/>",
             "limit", to: &html)
        item("<rect x=\"1\" y=\"1\" width=\"16\" height=\"10\" fill=\"\(Palette.vermillion)\" fill-opacity=\"0.28\"/>",
             "over the limit", to: &html)
        item("<path d=\"M9 2 l4.5 8 h-9 z\" fill=\"\(Palette.vermillion)\" stroke=\"\(Palette.vermillion)\"/>",
             "rejected (max_connections)", to: &html)
        item("<path d=\"M9 2 l4.5 8 h-9 z\" fill=\"#FFFFFF\" stroke=\"\(Palette.vermillion)\" stroke-width=\"1.2\"/>",
             "rejected (other reason)", to: &html)
        item("<path d=\"M5.5 2.5 l7 7 m0 -7 l-7 7\" stroke=\"\(Palette.ink)\" stroke-width=\"1.6\"/>",
             "terminated", to: &html)
        if violations {
            item("<path d=\"M9 4 V12\" stroke=\"\(Palette.vermillion)\" stroke-width=\"2\"/>"
                 + "<circle cx=\"9\" cy=\"4\" r=\"3.5\" fill=\"\(Palette.vermillion)\"/>",
                 "invariant violation", to: &html)
        }
        var kinds: [FaultPeriod.Kind] = []
        for fault in faults where !kinds.contains(fault.kind) { kinds.append(fault.kind) }
        for kind in FaultPeriod.Kind.allCases where kinds.contains(kind) {
            item("<rect x=\"1\" y=\"1\" width=\"16\" height=\"10\" fill=\"\(kind.colour)\" fill-opacity=\"0.45\"/>",
                 kind.rawValue, to: &html)
        }
        html.close("div")
        html.newline()
    }

    /// The lease outcomes and the renewal tick.
    static func appendLeases(to html: inout Markup) {
        html.open("div", [("class", "legend")])
        for outcome in LeaseTimeline.Outcome.allCases {
            item("<rect x=\"1\" y=\"2\" width=\"16\" height=\"8\" rx=\"1.5\" fill=\"\(outcome.colour)\"/>",
                 outcome.rawValue, to: &html)
        }
        item("<rect x=\"1\" y=\"2\" width=\"16\" height=\"8\" rx=\"1.5\" fill=\"\(Palette.blue)\"/>"
             + "<path d=\"M6 3 v6 M11 3 v6\" stroke=\"#FFFFFF\"/>", "renewal", to: &html)
        html.close("div")
        html.newline()
    }

    /// One swatch (SVG markup drawn in an 18×12 box) and its label.
    private static func item(_ swatch: String, _ label: String, to html: inout Markup) {
        html.open("span")
        html.raw("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"18\" height=\"12\" viewBox=\"0 0 18 12\""
                 + " aria-hidden=\"true\">")
        html.raw(swatch)
        html.raw("</svg>")
        html.text(label)
        html.close("span")
    }
}
