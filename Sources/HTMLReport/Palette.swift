/// The colours of the HTML report.
///
/// The palette is Okabe and Ito's, which stays distinguishable with the common forms of
/// colour blindness; every colour also comes with a shape or a text label, so nothing is
/// told by colour alone.
enum Palette {
    /// Blue: live connections, cancelled leases, histogram bars.
    static let blue = "#0072B2"
    /// Sky blue: clock-skew faults.
    static let skyBlue = "#56B4E9"
    /// Bluish green: loss faults, upload throughput.
    static let green = "#009E73"
    /// Orange: partitions, leases at the backend.
    static let orange = "#E69F00"
    /// Vermillion: rejections, expired leases, over-limit time, violations.
    static let vermillion = "#D55E00"
    /// Reddish purple: crashes, deleted leases.
    static let purple = "#CC79A7"
    /// Yellow: latency faults.
    static let yellow = "#F0E442"
    /// Grey: storage outages, leases live at the end.
    static let grey = "#8C8C8C"
    /// Ink: text, limit lines, terminations.
    static let ink = "#1F2328"
    /// Muted text: axes and labels.
    static let muted = "#59636E"
    /// Grid lines.
    static let grid = "#E4E7EB"
    /// The plot area's background.
    static let plot = "#FBFCFD"
}
