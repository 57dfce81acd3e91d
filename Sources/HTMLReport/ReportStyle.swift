/// The stylesheet of the HTML report.
enum ReportStyle {
    /// The report's stylesheet: system fonts, generous spacing, print-friendly. It contains
    /// no `<` or `&`, so it is valid XML character data as is.
    static let css = """
        :root { --ink: #1F2328; --muted: #59636E; --line: #D8DEE4; --soft: #F6F8FA; --pass: #007A5A; \
        --fail: #B54700; --accent: #0072B2; }
        * { box-sizing: border-box; }
        body { margin: 0; color: var(--ink); background: #FFFFFF; font: 15px/1.5 -apple-system, \
        BlinkMacSystemFont, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", "Liberation Sans", sans-serif; }
        main { max-width: 1040px; margin: 0 auto; padding: 28px 32px 64px; }
        h1 { font-size: 26px; margin: 0 0 4px; letter-spacing: -0.01em; }
        h2 { font-size: 19px; margin: 40px 0 6px; padding-bottom: 6px; border-bottom: 1px solid var(--line); }
        h3 { font-size: 15px; margin: 20px 0 2px; }
        p { margin: 6px 0; }
        code, pre, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace; \
        font-size: 13px; }
        pre { white-space: pre-wrap; overflow-wrap: anywhere; background: var(--soft); border: 1px solid var(--line); \
        border-radius: 6px; padding: 8px 10px; \
        overflow-x: auto; margin: 6px 0 0; line-height: 1.45; }
        .subtitle { color: var(--muted); margin: 0 0 18px; }
        .description { max-width: 760px; }
        .banner { display: flex; align-items: center; gap: 16px; padding: 14px 18px; border-radius: 8px; \
        margin: 18px 0; border: 1px solid; }
        .banner.pass { background: #EAF6F1; border-color: #9AD3BF; }
        .banner.fail { background: #FBEFE7; border-color: #EDB892; }
        .banner .word { font-size: 22px; font-weight: 700; letter-spacing: 0.04em; }
        .banner.pass .word { color: var(--pass); }
        .banner.fail .word { color: var(--fail); }
        .facts { display: flex; flex-wrap: wrap; gap: 4px 32px; margin: 10px 0; }
        .facts div { display: flex; gap: 8px; min-width: 0; }
        .facts div.wide { flex-basis: 100%; }
        .facts dt { color: var(--muted); white-space: nowrap; }
        .facts dd { margin: 0; overflow-wrap: anywhere; }
        .tiles { display: grid; grid-template-columns: repeat(auto-fill, minmax(118px, 1fr)); gap: 8px; \
        margin: 16px 0; }
        .tile { border: 1px solid var(--line); border-radius: 8px; padding: 8px 12px; }
        .tile .value { font-size: 20px; font-weight: 600; font-variant-numeric: tabular-nums; }
        .tile .label { color: var(--muted); font-size: 12.5px; }
        table { border-collapse: collapse; width: 100%; margin: 8px 0; }
        th { text-align: left; font-weight: 600; color: var(--muted); font-size: 12.5px; text-transform: uppercase; \
        letter-spacing: 0.04em; }
        th, td { padding: 6px 10px; border-bottom: 1px solid var(--line); vertical-align: baseline; }
        td.explain { color: var(--muted); font-size: 13.5px; }
        td.num { font-variant-numeric: tabular-nums; white-space: nowrap; }
        .status { display: inline-block; min-width: 44px; text-align: center; font-size: 12px; font-weight: 700; \
        border-radius: 4px; padding: 1px 6px; color: #FFFFFF; }
        .status.pass { background: var(--pass); }
        .status.fail { background: var(--fail); }
        .violation { border-left: 3px solid var(--fail); padding: 4px 0 4px 12px; margin: 10px 0; }
        .violation .when { color: var(--muted); font-size: 13px; }
        .note { color: var(--muted); font-style: italic; }
        .legend { display: flex; flex-wrap: wrap; gap: 6px 18px; color: var(--muted); font-size: 13px; margin: 8px 0; }
        .legend span { display: inline-flex; align-items: center; gap: 6px; }
        .chart { margin: 2px 0 8px; }
        .chart svg, svg.chart { display: block; width: 100%; height: auto; }
        .chart-title { display: flex; justify-content: space-between; align-items: baseline; gap: 12px; \
        margin-top: 14px; }
        .chart-title .stats { color: var(--muted); font-size: 13px; font-variant-numeric: tabular-nums; }
        .grid3 { display: grid; grid-template-columns: repeat(auto-fit, minmax(300px, 1fr)); gap: 18px; }
        .grid3 h3 { margin-top: 8px; }
        .grid3 .note { font-size: 13px; min-height: 2.6em; }
        .summary { color: var(--muted); font-size: 12.5px; font-variant-numeric: tabular-nums; }
        .summary b { color: var(--ink); font-weight: 600; }
        nav { font-size: 13.5px; color: var(--muted); }
        nav a { color: var(--accent); text-decoration: none; margin-right: 14px; }
        footer { margin-top: 48px; color: var(--muted); font-size: 12.5px; }
        svg text { font-family: -apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, "Helvetica Neue", Arial, \
        "Noto Sans", "Liberation Sans", sans-serif; }
        @media print { main { max-width: none; padding: 0; } h2 { break-after: avoid; } \
        .chart { break-inside: avoid; } }
        """
}
