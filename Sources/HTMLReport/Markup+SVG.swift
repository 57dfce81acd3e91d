/// Shorthands for the SVG elements the charts draw; coordinates are rounded to a tenth.
extension Markup {
    /// Opens an inline `<svg>` of `width` × `height` user units, labelled for screen readers.
    mutating func openSVG(width: Double, height: Double, label: String, _ attributes: [(String, String)] = []) {
        open("svg", [("xmlns", "http://www.w3.org/2000/svg"),
                     ("viewBox", "0 0 " + Format.coordinate(width) + " " + Format.coordinate(height)),
                     ("role", "img"), ("aria-label", label)] + attributes)
    }

    /// A `<line>` from (`x1`, `y1`) to (`x2`, `y2`), with an optional tooltip.
    mutating func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, _ style: [(String, String)],
                       title: String? = nil) {
        let geometry = [("x1", Format.coordinate(x1)), ("y1", Format.coordinate(y1)),
                        ("x2", Format.coordinate(x2)), ("y2", Format.coordinate(y2))]
        shape("line", geometry + style, title: title)
    }

    /// A `<rect>` at (`x`, `y`) of `width` × `height`, with an optional tooltip.
    mutating func rect(x: Double, y: Double, width: Double, height: Double, _ style: [(String, String)],
                       title: String? = nil) {
        let geometry = [("x", Format.coordinate(x)), ("y", Format.coordinate(y)),
                        ("width", Format.coordinate(width)), ("height", Format.coordinate(height))]
        shape("rect", geometry + style, title: title)
    }

    /// A `<path>` with data `d`, with an optional tooltip.
    mutating func path(_ d: String, _ style: [(String, String)], title: String? = nil) {
        shape("path", [("d", d)] + style, title: title)
    }

    /// A `<text>` at (`x`, `y`).
    mutating func label(_ text: String, x: Double, y: Double, size: Double = 11, anchor: String = "start",
                        fill: String = Palette.muted, _ attributes: [(String, String)] = []) {
        var all = [("x", Format.coordinate(x)), ("y", Format.coordinate(y)), ("font-size", Format.coordinate(size))]
        if anchor != "start" { all.append(("text-anchor", anchor)) }
        all.append(("fill", fill))
        element("text", all + attributes, text: text)
    }

    /// An element with a `<title>` child when `title` is given, else self-closed.
    private mutating func shape(_ name: String, _ attributes: [(String, String)], title: String?) {
        guard let title else {
            empty(name, attributes)
            return
        }
        open(name, attributes)
        element("title", text: title)
        close(name)
    }
}
