//! Dependency-free SVG charts for `sgsearch count --by … --chart FILE.svg`.
//!
//! A chart shows two series per bucket: **items** (matching agenda items) and **mentions**
//! (occurrences of the query). Mentions are usually several times items, so each series gets
//! its own zero-based panel with its own scale; the panels share the bucket axis. Two panels
//! are more honest than a dual-axis plot: no reader can misread one series against the other's
//! scale.
//!
//! - [`Axis::Time`] (year, month): vertical layout, buckets left to right in the order given.
//!   Upper panel: items as solid dark-grey bars. Lower panel: mentions as a line with
//!   white-filled circle markers. Gaps are drawn as given (the caller decides whether missing
//!   years appear as zero buckets). The width grows with the bucket count up to a cap; with
//!   many buckets the labels are thinned, then rotated.
//! - [`Axis::Category`] (committee, council, topic): horizontal bars, one row per bucket in the
//!   order given, labels in a left-hand column (truncated after 40 characters with "…", the full
//!   name in a `<title>` tooltip). Left panel: items as solid dark-grey bars; right panel:
//!   mentions as hatched bars. The height grows with the bucket count.
//!
//! Both layouts are distinguishable in greyscale (solid vs line/hatch) and carry a legend with
//! each series' total (the sum over the buckets drawn; with `--by topic` an item tagged with
//! two topics is in two buckets). Every bar and marker has a `<title>` child
//! ("key: N items, M mentions"); each bar, marker and hover area carries `data-bucket="i"`.
//! Ticks are 1/2/5 × 10^k, zero-based, with thousands separators. The output is a standalone,
//! deterministic SVG document; all text is XML-escaped.

use std::fmt::{self, Write as _};

/// One bucket of a `count --by` table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Bucket {
    pub key: String,
    pub items: u64,
    pub mentions: u64,
}

/// What the buckets are: ordered time periods, or unordered categories.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Axis {
    /// Year or month buckets: vertical bars, left to right.
    Time,
    /// Committee, council or topic buckets: horizontal bars, top to bottom.
    Category,
}

/// Everything drawn on a chart.
#[derive(Clone, Copy, Debug)]
pub struct Chart<'a> {
    /// The query, e.g. `count "domestic violence"`.
    pub title: &'a str,
    /// The filters, e.g. "council: Haringey · from 2012 to 2016 · by year".
    pub subtitle: &'a str,
    /// Name of the bucket axis: "Year", "Committee"…
    pub x_label: &'a str,
    pub buckets: &'a [Bucket],
    pub axis: Axis,
}

const ITEMS_FILL: &str = "#4a4a4a";
const MENTIONS_COLOUR: &str = "#1f4e8c";
const GRID: &str = "#e2e2e2";
const AXIS_LINE: &str = "#333333";
const TEXT: &str = "#1a1a1a";
const MUTED: &str = "#555555";
const ZEBRA: &str = "#f3f3f3";
/// Labels longer than this many characters are truncated with "…".
const MAX_LABEL_CHARS: usize = 40;
const MIN_WIDTH: f64 = 800.0;
const MAX_TIME_WIDTH: f64 = 1600.0;
const MAX_CATEGORY_WIDTH: f64 = 1200.0;
const BASE_HEIGHT: f64 = 450.0;
const MAX_CATEGORY_HEIGHT: f64 = 6000.0;
const MARGIN: f64 = 16.0;
const TICK_FONT: f64 = 11.0;
const VALUE_FONT: f64 = 10.0;

/// Renders a complete standalone SVG document (UTF-8 text, starts with `<svg` and the xmlns).
pub fn render(chart: &Chart) -> String {
    if chart.buckets.is_empty() {
        return render_empty(chart);
    }
    match chart.axis {
        Axis::Time => render_time(chart),
        Axis::Category => render_category(chart),
    }
}

// ---------------------------------------------------------------------------------------------
// Layouts

fn render_empty(c: &Chart) -> String {
    let (w, h) = (MIN_WIDTH, 220.0);
    let mut o = String::with_capacity(2048);
    open_document(&mut o, c, w, h);
    header(&mut o, c, w);
    let _ = write!(
        o,
        "<rect x=\"{}\" y=\"84\" width=\"{}\" height=\"112\" fill=\"none\" stroke=\"#bbbbbb\" \
         stroke-dasharray=\"4 4\"/>",
        P(MARGIN),
        P(w - 2.0 * MARGIN)
    );
    let _ = write!(
        o,
        "<text x=\"{}\" y=\"146\" text-anchor=\"middle\" font-size=\"16\" fill=\"{MUTED}\">no matching items</text>",
        P(w / 2.0)
    );
    o.push_str("</svg>\n");
    o
}

/// Vertical layout: items panel above mentions panel, buckets left to right.
fn render_time(c: &Chart) -> String {
    let buckets = c.buckets;
    let n = buckets.len();
    let nf = n as f64;
    let max_items = buckets.iter().map(|b| b.items).max().unwrap_or(0);
    let max_mentions = buckets.iter().map(|b| b.mentions).max().unwrap_or(0);
    let it = nice_ticks(max_items, 5);
    let mt = nice_ticks(max_mentions, 5);

    let tick_label_w = text_width(&fmt_int(it.top), TICK_FONT).max(text_width(&fmt_int(mt.top), TICK_FONT));
    let axis_title_x = MARGIN + 4.0;
    let mut left = (axis_title_x + 12.0 + tick_label_w + 10.0).round();
    let right = 24.0;
    let w = (left + nf * 12.0 + right).clamp(MIN_WIDTH, MAX_TIME_WIDTH);

    // Bucket labels: all horizontal if they fit, else thinned; rotated when thinning alone
    // would drop more than every other label.
    let labels: Vec<(String, bool)> = buckets.iter().map(|b| truncate_chars(&clean(&b.key), MAX_LABEL_CHARS)).collect();
    let label_w = labels.iter().map(|(l, _)| text_width(l, TICK_FONT)).fold(0.0, f64::max);
    let mut slot = (w - left - right) / nf;
    let horizontal = time_labels(buckets, slot, label_w + 8.0);
    let rotated = horizontal.step > 2;
    let shown = if rotated {
        // Long rotated labels reach down and to the left: keep the first one on the canvas.
        let reach = (label_w + TICK_FONT) * std::f64::consts::FRAC_1_SQRT_2 - slot / 2.0 + 4.0;
        left = left.max(reach.round());
        slot = (w - left - right) / nf;
        time_labels(buckets, slot, TICK_FONT * 2.0)
    } else {
        horizontal
    };
    let plot_w = w - left - right;
    let cx = |i: usize| left + slot * (i as f64 + 0.5);
    let label_band = if rotated { (label_w + TICK_FONT) * std::f64::consts::FRAC_1_SQRT_2 + 10.0 } else { 16.0 };

    let panel_h = 136.0;
    let top1 = 92.0;
    let bottom1 = top1 + panel_h;
    let top2 = bottom1 + 34.0;
    let bottom2 = top2 + panel_h;
    let x_title_y = bottom2 + 6.0 + label_band + 18.0;
    let h = (x_title_y + 12.0).round();

    let mut o = String::with_capacity(4096 + n * 700);
    open_document(&mut o, c, w, h);
    header(&mut o, c, w);
    legend(&mut o, c, Legend::Line);

    // Hover areas: one column per bucket across both panels, so zero-height bars still answer.
    o.push_str("<g fill=\"#000000\" fill-opacity=\"0\">");
    for (i, b) in buckets.iter().enumerate() {
        let _ = write!(
            o,
            "<rect class=\"hit\" data-bucket=\"{i}\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"><title>{}</title></rect>",
            P(cx(i) - slot / 2.0),
            P(top1),
            P(slot),
            P(bottom2 - top1),
            esc(&tooltip(b))
        );
    }
    o.push_str("</g>");

    // Panels: grid, ticks, axis titles.
    let vp = |top: f64, bottom: f64, ticks: Ticks, title: &'static str| VPanel {
        left,
        right: left + plot_w,
        top,
        bottom,
        ticks,
        title,
        title_x: axis_title_x + 8.0,
    };
    let items_panel = vp(top1, bottom1, it, "Items");
    let mentions_panel = vp(top2, bottom2, mt, "Mentions");
    y_axis(&mut o, &items_panel);
    y_axis(&mut o, &mentions_panel);

    // Items: solid bars.
    let bar_w = (slot * 0.72).min(56.0);
    let show_values = n <= 60;
    let items_values = show_values && slot >= text_width(&fmt_int(max_items), VALUE_FONT) + 4.0;
    let mentions_values = show_values && slot >= text_width(&fmt_int(max_mentions), VALUE_FONT) + 4.0;
    let _ = write!(o, "<g fill=\"{ITEMS_FILL}\">");
    for (i, b) in buckets.iter().enumerate() {
        let bh = scale(b.items, it.top, panel_h);
        let _ = write!(
            o,
            "<rect class=\"items\" data-bucket=\"{i}\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"><title>{}</title></rect>",
            P(cx(i) - bar_w / 2.0),
            P(bottom1 - bh),
            P(bar_w),
            P(bh),
            esc(&tooltip(b))
        );
    }
    o.push_str("</g>");
    if items_values {
        let _ = write!(o, "<g font-size=\"{}\" fill=\"{MUTED}\" text-anchor=\"middle\">", P(VALUE_FONT));
        for (i, b) in buckets.iter().enumerate() {
            let y = bottom1 - scale(b.items, it.top, panel_h) - 4.0;
            let _ = write!(o, "<text x=\"{}\" y=\"{}\">{}</text>", P(cx(i)), P(y), fmt_int(b.items));
        }
        o.push_str("</g>");
    }

    // Mentions: a line with markers.
    let py = |b: &Bucket| bottom2 - scale(b.mentions, mt.top, panel_h);
    let stroke_w = if slot < 4.0 { 1.0 } else { 1.75 };
    o.push_str("<polyline class=\"mentions-line\" fill=\"none\" stroke=\"");
    o.push_str(MENTIONS_COLOUR);
    let _ = write!(o, "\" stroke-width=\"{}\" stroke-linejoin=\"round\" points=\"", P(stroke_w));
    for (i, b) in buckets.iter().enumerate() {
        if i > 0 {
            o.push(' ');
        }
        let _ = write!(o, "{},{}", P(cx(i)), P(py(b)));
    }
    o.push_str("\"/>");
    let r = (slot * 0.3).clamp(1.0, 4.0);
    let marker_fill = if r < 2.5 { MENTIONS_COLOUR } else { "#ffffff" };
    let _ = write!(
        o,
        "<g fill=\"{marker_fill}\" stroke=\"{MENTIONS_COLOUR}\" stroke-width=\"{}\">",
        P(if r < 2.5 { 0.5 } else { 1.5 })
    );
    for (i, b) in buckets.iter().enumerate() {
        let _ = write!(
            o,
            "<circle class=\"mentions\" data-bucket=\"{i}\" cx=\"{}\" cy=\"{}\" r=\"{}\"><title>{}</title></circle>",
            P(cx(i)),
            P(py(b)),
            P(r),
            esc(&tooltip(b))
        );
    }
    o.push_str("</g>");
    if mentions_values {
        let _ = write!(
            o,
            "<g font-size=\"{}\" fill=\"{MENTIONS_COLOUR}\" text-anchor=\"middle\" stroke=\"#ffffff\" \
             stroke-width=\"3\" stroke-linejoin=\"round\" paint-order=\"stroke\">",
            P(VALUE_FONT)
        );
        for (i, b) in buckets.iter().enumerate() {
            let _ = write!(o, "<text x=\"{}\" y=\"{}\">{}</text>", P(cx(i)), P(py(b) - r - 4.0), fmt_int(b.mentions));
        }
        o.push_str("</g>");
    }

    // Bucket axis: tick marks and labels under the lower panel, then its title.
    let _ = write!(o, "<g stroke=\"{AXIS_LINE}\" stroke-width=\"1\">");
    for i in (0..n).filter(|&i| shown.labelled(i)) {
        let _ =
            write!(o, "<line x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\"/>", P(cx(i)), P(bottom2), P(bottom2 + 4.0));
    }
    o.push_str("</g>");
    let anchor = if rotated { "end" } else { "middle" };
    let _ = write!(o, "<g font-size=\"{}\" fill=\"{TEXT}\" text-anchor=\"{anchor}\">", P(TICK_FONT));
    for i in (0..n).filter(|&i| shown.labelled(i)) {
        let (label, truncated) = &labels[i];
        let x = cx(i);
        if rotated {
            let y = bottom2 + 10.0;
            let _ = write!(
                o,
                "<text x=\"{0}\" y=\"{1}\" transform=\"rotate(-45 {0} {1})\">",
                P(x + TICK_FONT * 0.35),
                P(y)
            );
        } else {
            let _ = write!(o, "<text x=\"{}\" y=\"{}\">", P(x), P(bottom2 + 6.0 + TICK_FONT));
        }
        label_content(&mut o, label, *truncated, &buckets[i].key);
        o.push_str("</text>");
    }
    o.push_str("</g>");
    let _ = write!(
        o,
        "<text class=\"axis-title\" x=\"{}\" y=\"{}\" text-anchor=\"middle\" font-size=\"12\" fill=\"{TEXT}\">{}</text>",
        P(left + plot_w / 2.0),
        P(x_title_y),
        esc(&clean(c.x_label))
    );
    o.push_str("</svg>\n");
    o
}

/// Horizontal layout: a label column, then the items panel and the mentions panel side by side.
fn render_category(c: &Chart) -> String {
    let buckets = c.buckets;
    let n = buckets.len();
    let nf = n as f64;
    let max_items = buckets.iter().map(|b| b.items).max().unwrap_or(0);
    let max_mentions = buckets.iter().map(|b| b.mentions).max().unwrap_or(0);

    // Rows: generous for a few buckets, at least 18 px until the height cap, thinner beyond.
    let ticks_on_top = n > 25;
    let rows_top = if ticks_on_top { 126.0 } else { 110.0 };
    let bottom_band = 40.0;
    let avail = BASE_HEIGHT - rows_top - bottom_band;
    let mut row = (avail / nf).clamp(18.0, 36.0);
    if rows_top + nf * row + bottom_band > MAX_CATEGORY_HEIGHT {
        row = (MAX_CATEGORY_HEIGHT - rows_top - bottom_band) / nf;
    }
    let rows_bottom = rows_top + nf * row;
    let h = (rows_bottom + bottom_band).round();
    let label_font = (row * 0.72).clamp(8.0, 12.0);
    let label_step = thin_step(row, label_font * 1.15);

    let labels: Vec<(String, bool)> = buckets.iter().map(|b| truncate_chars(&clean(&b.key), MAX_LABEL_CHARS)).collect();
    let label_w = labels
        .iter()
        .map(|(l, _)| text_width(l, label_font))
        .fold(text_width(&clean(c.x_label), 12.0), f64::max)
        .max(40.0);
    let label_right = (MARGIN + label_w).round();
    let items_x0 = label_right + 12.0;
    let panel_gap = 64.0;
    let right_pad = 64.0;
    let w = (items_x0 + 2.0 * 250.0 + panel_gap + right_pad).clamp(MIN_WIDTH, MAX_CATEGORY_WIDTH).round();
    let panel_w = ((w - items_x0 - panel_gap - right_pad) / 2.0).max(120.0);
    let w = w.max(items_x0 + 2.0 * panel_w + panel_gap + right_pad);
    let mentions_x0 = items_x0 + panel_w + panel_gap;

    let target = |max: u64| {
        let lw = text_width(&fmt_int(max.saturating_mul(2)), TICK_FONT) + 24.0;
        ((panel_w / lw) as u64).clamp(2, 6)
    };
    let it = nice_ticks(max_items, target(max_items));
    let mt = nice_ticks(max_mentions, target(max_mentions));
    let id = format!("sg-hatch-{:08x}", fingerprint(c));

    let mut o = String::with_capacity(4096 + n * 900);
    open_document(&mut o, c, w, h);
    let _ = write!(
        o,
        "<defs><pattern id=\"{id}\" patternUnits=\"userSpaceOnUse\" width=\"5\" height=\"5\" \
         patternTransform=\"rotate(45)\"><rect width=\"5\" height=\"5\" fill=\"#ffffff\"/>\
         <line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"5\" stroke=\"{MENTIONS_COLOUR}\" stroke-width=\"2.2\"/></pattern></defs>"
    );
    header(&mut o, c, w);
    legend(&mut o, c, Legend::Hatch(&id));

    // Column headers.
    let hy = 100.0;
    let _ = write!(
        o,
        "<g font-size=\"12\" font-weight=\"bold\" fill=\"{TEXT}\">\
         <text class=\"axis-title\" x=\"{}\" y=\"{hy}\">{}</text>\
         <text class=\"axis-title\" x=\"{}\" y=\"{hy}\" text-anchor=\"middle\">Items</text>\
         <text class=\"axis-title\" x=\"{}\" y=\"{hy}\" text-anchor=\"middle\">Mentions</text></g>",
        P(MARGIN),
        esc(&clean(c.x_label)),
        P(items_x0 + panel_w / 2.0),
        P(mentions_x0 + panel_w / 2.0)
    );

    // Zebra rows that double as hover areas.
    o.push_str("<g>");
    for (i, b) in buckets.iter().enumerate() {
        let fill = if i % 2 == 1 { format!("fill=\"{ZEBRA}\"") } else { "fill=\"#000000\" fill-opacity=\"0\"".into() };
        let _ = write!(
            o,
            "<rect class=\"hit\" data-bucket=\"{i}\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" {fill}><title>{}</title></rect>",
            P(MARGIN / 2.0),
            P(rows_top + row * i as f64),
            P(w - MARGIN),
            P(row),
            esc(&tooltip(b))
        );
    }
    o.push_str("</g>");

    let hp =
        |x0: f64, ticks: Ticks| HPanel { left: x0, right: x0 + panel_w, top: rows_top, bottom: rows_bottom, ticks };
    let items_panel = hp(items_x0, it);
    let mentions_panel = hp(mentions_x0, mt);
    x_axis(&mut o, &items_panel, ticks_on_top);
    x_axis(&mut o, &mentions_panel, ticks_on_top);

    // Labels.
    let _ = write!(o, "<g font-size=\"{}\" fill=\"{TEXT}\" text-anchor=\"end\">", P(label_font));
    for i in (0..n).step_by(label_step) {
        let (label, truncated) = &labels[i];
        let y = rows_top + row * (i as f64 + 0.5) + label_font * 0.35;
        let _ = write!(o, "<text x=\"{}\" y=\"{}\">", P(label_right), P(y));
        label_content(&mut o, label, *truncated, &buckets[i].key);
        o.push_str("</text>");
    }
    o.push_str("</g>");

    // Bars.
    let bar_h = (row * 0.62).min(22.0);
    let bar = |o: &mut String, class: &str, i: usize, b: &Bucket, x0: f64, len: f64| {
        let _ = write!(
            o,
            "<rect class=\"{class}\" data-bucket=\"{i}\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"><title>{}</title></rect>",
            P(x0),
            P(rows_top + row * (i as f64 + 0.5) - bar_h / 2.0),
            P(len),
            P(bar_h),
            esc(&tooltip(b))
        );
    };
    let _ = write!(o, "<g fill=\"{ITEMS_FILL}\">");
    for (i, b) in buckets.iter().enumerate() {
        bar(&mut o, "items", i, b, items_x0, scale(b.items, it.top, panel_w));
    }
    o.push_str("</g>");
    let _ = write!(o, "<g fill=\"url(#{id})\" stroke=\"{MENTIONS_COLOUR}\" stroke-width=\"1\">");
    for (i, b) in buckets.iter().enumerate() {
        bar(&mut o, "mentions", i, b, mentions_x0, scale(b.mentions, mt.top, panel_w));
    }
    o.push_str("</g>");

    // Values at the bar ends, when rows are tall enough to read them.
    if row >= 14.0 {
        let _ = write!(o, "<g font-size=\"{}\" fill=\"{MUTED}\">", P(VALUE_FONT));
        for (i, b) in buckets.iter().enumerate() {
            let y = rows_top + row * (i as f64 + 0.5) + VALUE_FONT * 0.35;
            let xi = items_x0 + scale(b.items, it.top, panel_w) + 4.0;
            let xm = mentions_x0 + scale(b.mentions, mt.top, panel_w) + 4.0;
            let _ = write!(
                o,
                "<text x=\"{}\" y=\"{}\">{}</text><text x=\"{}\" y=\"{}\">{}</text>",
                P(xi),
                P(y),
                fmt_int(b.items),
                P(xm),
                P(y),
                fmt_int(b.mentions)
            );
        }
        o.push_str("</g>");
    }
    o.push_str("</svg>\n");
    o
}

// ---------------------------------------------------------------------------------------------
// Shared pieces

fn open_document(o: &mut String, c: &Chart, w: f64, h: f64) {
    let _ = write!(
        o,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{0}\" height=\"{1}\" viewBox=\"0 0 {0} {1}\" \
         font-family=\"sans-serif\" role=\"img\">",
        P(w),
        P(h)
    );
    let _ = write!(o, "<title>{}</title>", esc(&clean(c.title)));
    let desc = clean(c.subtitle);
    if !desc.is_empty() {
        let _ = write!(o, "<desc>{}</desc>", esc(&desc));
    }
    let _ = write!(o, "<rect width=\"{}\" height=\"{}\" fill=\"#ffffff\"/>", P(w), P(h));
}

/// Title and subtitle, each truncated to the width with the full text as a tooltip.
fn header(o: &mut String, c: &Chart, w: f64) {
    for (text, y, size, em, attrs) in [
        (c.title, 28.0, 18.0, 0.66, format!("font-weight=\"bold\" fill=\"{TEXT}\"")),
        (c.subtitle, 48.0, 13.0, 0.6, format!("fill=\"{MUTED}\"")),
    ] {
        let text = clean(text);
        if text.is_empty() {
            continue;
        }
        let max_chars = ((w - 2.0 * MARGIN) / (size * em)) as usize;
        let (shown, truncated) = truncate_chars(&text, max_chars.max(8));
        let _ = write!(o, "<text x=\"{}\" y=\"{y}\" font-size=\"{size}\" {attrs}>", P(MARGIN));
        label_content(o, &shown, truncated, &text);
        o.push_str("</text>");
    }
}

enum Legend<'a> {
    /// Mentions drawn as a line with circle markers.
    Line,
    /// Mentions drawn as bars filled with the pattern of this id.
    Hatch(&'a str),
}

fn legend(o: &mut String, c: &Chart, kind: Legend) {
    let items: u64 = c.buckets.iter().fold(0, |s, b| s.saturating_add(b.items));
    let mentions: u64 = c.buckets.iter().fold(0, |s, b| s.saturating_add(b.mentions));
    let items_label = format!("items ({})", fmt_int(items));
    let mentions_label = format!("mentions ({})", fmt_int(mentions));
    let y = 70.0;
    let x = MARGIN;
    o.push_str("<g class=\"legend\" font-size=\"12\">");
    let _ = write!(o, "<rect x=\"{}\" y=\"{}\" width=\"12\" height=\"12\" fill=\"{ITEMS_FILL}\"/>", P(x), P(y - 10.0));
    let _ = write!(o, "<text x=\"{}\" y=\"{}\" fill=\"{TEXT}\">{}</text>", P(x + 18.0), P(y), esc(&items_label));
    let x2 = x + 18.0 + text_width(&items_label, 12.0) + 24.0;
    match kind {
        Legend::Line => {
            let _ = write!(
                o,
                "<line x1=\"{0}\" y1=\"{2}\" x2=\"{1}\" y2=\"{2}\" stroke=\"{MENTIONS_COLOUR}\" stroke-width=\"1.75\"/>\
                 <circle cx=\"{3}\" cy=\"{2}\" r=\"4\" fill=\"#ffffff\" stroke=\"{MENTIONS_COLOUR}\" stroke-width=\"1.5\"/>",
                P(x2 - 3.0),
                P(x2 + 15.0),
                P(y - 4.0),
                P(x2 + 6.0)
            );
        }
        Legend::Hatch(id) => {
            let _ = write!(
                o,
                "<rect x=\"{}\" y=\"{}\" width=\"12\" height=\"12\" fill=\"url(#{id})\" stroke=\"{MENTIONS_COLOUR}\"/>",
                P(x2),
                P(y - 10.0)
            );
        }
    }
    let _ = write!(o, "<text x=\"{}\" y=\"{}\" fill=\"{TEXT}\">{}</text>", P(x2 + 18.0), P(y), esc(&mentions_label));
    o.push_str("</g>");
}

/// A panel with a vertical value axis (time layout).
struct VPanel {
    left: f64,
    right: f64,
    top: f64,
    bottom: f64,
    ticks: Ticks,
    title: &'static str,
    title_x: f64,
}

fn y_axis(o: &mut String, p: &VPanel) {
    let h = p.bottom - p.top;
    let _ = write!(o, "<g stroke=\"{GRID}\" stroke-width=\"1\">");
    for v in p.ticks.values().filter(|&v| v > 0) {
        let y = p.bottom - scale_u128(v, p.ticks.top, h);
        let _ = write!(o, "<line x1=\"{}\" y1=\"{2}\" x2=\"{}\" y2=\"{2}\"/>", P(p.left), P(p.right), P(y));
    }
    o.push_str("</g>");
    let _ = write!(
        o,
        "<line x1=\"{}\" y1=\"{2}\" x2=\"{}\" y2=\"{2}\" stroke=\"{AXIS_LINE}\" stroke-width=\"1\"/>",
        P(p.left),
        P(p.right),
        P(p.bottom)
    );
    let _ = write!(o, "<g font-size=\"{}\" fill=\"{MUTED}\" text-anchor=\"end\">", P(TICK_FONT));
    for v in p.ticks.values() {
        let y = p.bottom - scale_u128(v, p.ticks.top, h) + TICK_FONT * 0.35;
        let _ = write!(
            o,
            "<text class=\"tick\" data-tick=\"{v}\" x=\"{}\" y=\"{}\">{}</text>",
            P(p.left - 6.0),
            P(y),
            fmt_int(v)
        );
    }
    o.push_str("</g>");
    let cy = (p.top + p.bottom) / 2.0;
    let _ = write!(
        o,
        "<text class=\"axis-title\" x=\"{0}\" y=\"{1}\" transform=\"rotate(-90 {0} {1})\" text-anchor=\"middle\" \
         font-size=\"12\" fill=\"{TEXT}\">{2}</text>",
        P(p.title_x),
        P(cy),
        p.title
    );
}

/// A panel with a horizontal value axis (category layout).
struct HPanel {
    left: f64,
    right: f64,
    top: f64,
    bottom: f64,
    ticks: Ticks,
}

fn x_axis(o: &mut String, p: &HPanel, also_on_top: bool) {
    let w = p.right - p.left;
    let _ = write!(o, "<g stroke=\"{GRID}\" stroke-width=\"1\">");
    for v in p.ticks.values().filter(|&v| v > 0) {
        let x = p.left + scale_u128(v, p.ticks.top, w);
        let _ = write!(o, "<line x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\"/>", P(x), P(p.top), P(p.bottom));
    }
    o.push_str("</g>");
    let _ = write!(
        o,
        "<line x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\" stroke=\"{AXIS_LINE}\" stroke-width=\"1\"/>",
        P(p.left),
        P(p.top),
        P(p.bottom)
    );
    let _ = write!(o, "<g font-size=\"{}\" fill=\"{MUTED}\" text-anchor=\"middle\">", P(TICK_FONT));
    let mut rows = vec![p.bottom + 6.0 + TICK_FONT];
    if also_on_top {
        rows.push(p.top - 6.0);
    }
    for y in rows {
        for v in p.ticks.values() {
            let x = p.left + scale_u128(v, p.ticks.top, w);
            let _ =
                write!(o, "<text class=\"tick\" data-tick=\"{v}\" x=\"{}\" y=\"{}\">{}</text>", P(x), P(y), fmt_int(v));
        }
    }
    o.push_str("</g>");
}

/// Label text (already truncated), with the full text as a tooltip when it was cut.
fn label_content(o: &mut String, shown: &str, truncated: bool, full: &str) {
    if truncated {
        let _ = write!(o, "<title>{}</title>", esc(&clean(full)));
    }
    o.push_str(&esc(shown));
}

fn tooltip(b: &Bucket) -> String {
    let plural = |n: u64, one: &str, many: &str| format!("{} {}", fmt_int(n), if n == 1 { one } else { many });
    format!("{}: {}, {}", clean(&b.key), plural(b.items, "item", "items"), plural(b.mentions, "mention", "mentions"))
}

// ---------------------------------------------------------------------------------------------
// Numbers and text

/// Zero-based axis ticks: `0, step, 2·step, …, top` with `step` = 1, 2 or 5 × 10^k and
/// `top` ≥ the largest value. u128 so that `top` cannot overflow for any u64 value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Ticks {
    step: u128,
    top: u128,
}

impl Ticks {
    fn values(self) -> impl Iterator<Item = u128> {
        let step = self.step.max(1);
        (0..=self.top / step).map(move |k| k * step)
    }
}

/// The smallest nice step that covers `max` in at most `target` intervals (never a zero range).
fn nice_ticks(max: u64, target: u64) -> Ticks {
    let target = u128::from(target.max(1));
    let max = u128::from(max.max(1));
    let mut magnitude: u128 = 1;
    loop {
        for m in [1, 2, 5] {
            let step = m * magnitude;
            let intervals = max.div_ceil(step);
            if intervals <= target {
                return Ticks { step, top: intervals * step };
            }
        }
        magnitude *= 10;
    }
}

fn scale(v: u64, top: u128, len: f64) -> f64 {
    scale_u128(u128::from(v), top, len)
}

fn scale_u128(v: u128, top: u128, len: f64) -> f64 {
    if top == 0 {
        return 0.0;
    }
    (v as f64 / top as f64 * len).clamp(0.0, len)
}

/// The smallest step k in 1, 2, 5, 10, 20, 50… such that every k-th slot has `need` pixels.
fn thin_step(slot: f64, need: f64) -> usize {
    let mut magnitude = 1usize;
    loop {
        for m in [1, 2, 5] {
            let k = m * magnitude;
            if slot * k as f64 >= need || k >= 1_000_000_000 {
                return k;
            }
        }
        magnitude *= 10;
    }
}

/// Which time buckets get a label: every `step`-th one, such that labels are `need` px apart.
/// Month keys (`YYYY-MM`) step by 1, 2, 3, 6, 12, 24, 60… months and are labelled on calendar
/// boundaries (every January, every quarter…); other keys step by 1, 2, 5, 10… buckets.
struct TimeLabels {
    step: usize,
    /// Month number (year × 12 + month − 1) of each bucket, when every key is a month.
    months: Option<Vec<u64>>,
}

impl TimeLabels {
    fn labelled(&self, i: usize) -> bool {
        match &self.months {
            Some(months) => months.get(i).is_some_and(|m| m % self.step as u64 == 0),
            None => i.is_multiple_of(self.step),
        }
    }
}

fn time_labels(buckets: &[Bucket], slot: f64, need: f64) -> TimeLabels {
    let months: Option<Vec<u64>> = buckets.iter().map(|b| month_number(&b.key)).collect();
    let step = match months {
        Some(_) => {
            let mut steps = vec![1usize, 2, 3, 6, 12, 24];
            steps.extend([5usize, 10, 20, 50, 100, 200, 500, 1000].iter().map(|y| y * 12));
            steps.into_iter().find(|&k| slot * k as f64 >= need).unwrap_or(buckets.len().max(1))
        }
        None => thin_step(slot, need),
    };
    TimeLabels { step, months }
}

/// `2014-03` → 2014 × 12 + 2.
fn month_number(key: &str) -> Option<u64> {
    let (year, month) = key.split_once('-')?;
    if year.len() != 4 || month.len() != 2 || !year.bytes().chain(month.bytes()).all(|b| b.is_ascii_digit()) {
        return None;
    }
    let (year, month): (u64, u64) = (year.parse().ok()?, month.parse().ok()?);
    (1..=12).contains(&month).then_some(year * 12 + month - 1)
}

/// `1234567` → `1,234,567`.
fn fmt_int(v: impl Into<u128>) -> String {
    let digits = v.into().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// A pixel coordinate: at most one decimal, no trailing `.0`, never NaN.
struct P(f64);

impl fmt::Display for P {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let v = if self.0.is_finite() { (self.0 * 10.0).round() / 10.0 } else { 0.0 };
        if v == v.trunc() {
            write!(f, "{}", v as i64)
        } else {
            write!(f, "{v:.1}")
        }
    }
}

/// Approximate rendered width of `s` in a sans-serif font of `size` px.
fn text_width(s: &str, size: f64) -> f64 {
    s.chars().count() as f64 * size * 0.6
}

/// Whitespace runs (tabs, newlines) collapsed to one space, ends trimmed.
fn clean(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// At most `max` characters; longer text keeps `max - 1` and gains "…".
fn truncate_chars(s: &str, max: usize) -> (String, bool) {
    if s.chars().count() <= max {
        return (s.to_string(), false);
    }
    let mut out: String = s.chars().take(max.saturating_sub(1)).collect();
    out.truncate(out.trim_end().len());
    out.push('…');
    (out, true)
}

/// XML-escaped text; characters XML 1.0 forbids become U+FFFD.
fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..='\u{10FFFF}' => {
                out.push(c)
            }
            _ => out.push('\u{FFFD}'),
        }
    }
    out
}

/// FNV-1a over the chart's content: a deterministic id suffix, so that several charts inlined
/// in one HTML page do not share pattern ids.
fn fingerprint(c: &Chart) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    let mut eat = |bytes: &[u8]| {
        for &b in bytes {
            h ^= u32::from(b);
            h = h.wrapping_mul(0x0100_0193);
        }
    };
    eat(c.title.as_bytes());
    eat(c.subtitle.as_bytes());
    eat(c.x_label.as_bytes());
    for b in c.buckets {
        eat(b.key.as_bytes());
        eat(&b.items.to_le_bytes());
        eat(&b.mentions.to_le_bytes());
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    // --- a tiny XML well-formedness checker -----------------------------------------------

    /// Checks tag balance and nesting, a single root, quoted and unique attributes, and that
    /// `&`, `<` and `>` only appear escaped in text and attribute values. Returns the number of
    /// elements.
    fn check_xml(doc: &str) -> Result<usize, String> {
        let mut stack: Vec<&str> = Vec::new();
        let (mut roots, mut elements, mut i) = (0, 0, 0);
        while i < doc.len() {
            let Some(off) = doc[i..].find('<') else {
                let tail = &doc[i..];
                check_text(tail)?;
                if !tail.trim().is_empty() {
                    return Err(format!("text after the root element: {tail:?}"));
                }
                break;
            };
            let text = &doc[i..i + off];
            check_text(text)?;
            if stack.is_empty() && !text.trim().is_empty() {
                return Err(format!("text outside the root element: {text:?}"));
            }
            i += off;
            let end = i + doc[i..].find('>').ok_or_else(|| format!("unterminated tag at {i}"))?;
            let tag = &doc[i + 1..end];
            if let Some(name) = tag.strip_prefix('/') {
                let open = stack.pop().ok_or_else(|| format!("</{name}> closes nothing"))?;
                if open != name.trim_end() {
                    return Err(format!("<{open}> closed by </{name}>"));
                }
            } else {
                let self_closing = tag.ends_with('/');
                let body = tag.strip_suffix('/').unwrap_or(tag);
                let name_end = body.find(char::is_whitespace).unwrap_or(body.len());
                let name = &body[..name_end];
                if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || "-_:".contains(c)) {
                    return Err(format!("bad element name in <{tag}>"));
                }
                if stack.is_empty() {
                    roots += 1;
                    if roots > 1 {
                        return Err("more than one root element".into());
                    }
                }
                check_attributes(&body[name_end..])?;
                if !self_closing {
                    stack.push(name);
                }
                elements += 1;
            }
            i = end + 1;
        }
        if let Some(open) = stack.last() {
            return Err(format!("<{open}> never closed"));
        }
        if roots != 1 {
            return Err("no root element".into());
        }
        Ok(elements)
    }

    fn check_attributes(mut s: &str) -> Result<(), String> {
        let mut seen = Vec::new();
        loop {
            s = s.trim_start();
            if s.is_empty() {
                return Ok(());
            }
            let eq = s.find('=').ok_or_else(|| format!("attribute without value: {s:?}"))?;
            let name = &s[..eq];
            if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || "-_:".contains(c)) {
                return Err(format!("bad attribute name {name:?}"));
            }
            if seen.contains(&name) {
                return Err(format!("duplicate attribute {name}"));
            }
            seen.push(name);
            let rest = &s[eq + 1..];
            let quote = rest.chars().next().filter(|&q| q == '"' || q == '\'');
            let quote = quote.ok_or_else(|| format!("unquoted value for {name}"))?;
            let close = rest[1..].find(quote).ok_or_else(|| format!("unterminated value for {name}"))?;
            let value = &rest[1..1 + close];
            check_text(value)?;
            s = &rest[close + 2..];
            if !s.is_empty() && !s.starts_with(char::is_whitespace) {
                return Err(format!("no space after attribute {name}"));
            }
        }
    }

    fn check_text(s: &str) -> Result<(), String> {
        if s.contains('<') || s.contains('>') {
            return Err(format!("raw < or > in {s:?}"));
        }
        let mut rest = s;
        while let Some(at) = rest.find('&') {
            rest = &rest[at..];
            let end = rest.find(';').ok_or_else(|| format!("bare & in {s:?}"))?;
            let entity = &rest[1..end];
            let ok = ["amp", "lt", "gt", "quot", "apos"].contains(&entity)
                || entity.strip_prefix('#').is_some_and(|d| !d.is_empty() && d.chars().all(|c| c.is_ascii_digit()));
            if !ok {
                return Err(format!("bad entity &{entity}; in {s:?}"));
            }
            rest = &rest[end + 1..];
        }
        Ok(())
    }

    // --- helpers ---------------------------------------------------------------------------

    fn buckets(n: usize, f: impl Fn(usize) -> (u64, u64)) -> Vec<Bucket> {
        (0..n)
            .map(|i| {
                let (items, mentions) = f(i);
                Bucket { key: format!("{}", 2000 + i), items, mentions }
            })
            .collect()
    }

    fn chart(buckets: &[Bucket], axis: Axis) -> Chart<'_> {
        Chart { title: "count \"domestic violence\"", subtitle: "by year", x_label: "Year", buckets, axis }
    }

    fn assert_valid(doc: &str) {
        assert!(doc.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""), "{}", &doc[..doc.len().min(80)]);
        assert!(doc.ends_with("</svg>\n"));
        if let Err(e) = check_xml(doc) {
            panic!("malformed SVG: {e}");
        }
        for bad in ["NaN", "inf", "=\"-"] {
            assert!(!doc.contains(bad), "output contains {bad}");
        }
    }

    /// Values of `attr="…"` in document order.
    fn attr_values(doc: &str, attr: &str) -> Vec<String> {
        let needle = format!(" {attr}=\"");
        doc.match_indices(&needle)
            .filter_map(|(at, _)| {
                let rest = &doc[at + needle.len()..];
                rest.find('"').map(|end| rest[..end].to_string())
            })
            .collect()
    }

    fn root_size(doc: &str) -> (f64, f64) {
        let num = |a: &str| attr_values(doc, a).first().and_then(|v| v.parse().ok()).unwrap_or(f64::NAN);
        (num("width"), num("height"))
    }

    fn is_nice(step: u128) -> bool {
        let mut s = step;
        while s >= 10 && s.is_multiple_of(10) {
            s /= 10;
        }
        matches!(s, 1 | 2 | 5)
    }

    const AXES: [Axis; 2] = [Axis::Time, Axis::Category];

    // --- tests -----------------------------------------------------------------------------

    #[test]
    fn xml_checker_rejects_malformed_documents() {
        assert_eq!(check_xml("<a x=\"1\"><b/>text &amp; more</a>"), Ok(2));
        for bad in [
            "<a><b></a></b>",
            "<a x=1/>",
            "<a x=\"1\" x=\"2\"/>",
            "<a>&</a>",
            "<a>x > y</a>",
            "<a x=\"<\"/>",
            "<a>",
            "</a>",
            "<a/><b/>",
            "<a/>trailing",
            "<a x=\"1\"y=\"2\"/>",
        ] {
            assert!(check_xml(bad).is_err(), "accepted {bad:?}");
        }
    }

    #[test]
    fn renders_well_formed_svg_for_0_1_12_and_500_buckets() {
        for axis in AXES {
            for n in [0, 1, 12, 500] {
                let b = buckets(n, |i| (i as u64 % 17, (i as u64 % 17) * 3 + i as u64 % 5));
                let doc = render(&chart(&b, axis));
                assert_valid(&doc);
                assert_eq!(doc.contains("no matching items"), n == 0, "{axis:?} {n}");
            }
        }
    }

    #[test]
    fn one_bar_one_marker_and_one_hover_area_per_bucket() {
        for axis in AXES {
            for n in [1, 12, 500] {
                let b = buckets(n, |i| (i as u64, 2 * i as u64));
                let doc = render(&chart(&b, axis));
                for class in ["items", "mentions", "hit"] {
                    let ids = attr_values(
                        &doc.replace(&format!("class=\"{class}\" data-bucket="), "the-bucket="),
                        "the-bucket",
                    );
                    let expected: Vec<String> = (0..n).map(|i| i.to_string()).collect();
                    assert_eq!(ids, expected, "{axis:?} {n} {class}");
                }
            }
        }
    }

    #[test]
    fn every_bar_and_marker_has_a_tooltip() {
        let b = vec![
            Bucket { key: "2013".into(), items: 1234, mentions: 5678 },
            Bucket { key: "2014".into(), items: 1, mentions: 1 },
            Bucket { key: "2015".into(), items: 0, mentions: 0 },
        ];
        for axis in AXES {
            let doc = render(&chart(&b, axis));
            for class in ["items", "mentions"] {
                let mut found = 0;
                for (at, _) in doc.match_indices(&format!("class=\"{class}\" data-bucket=")) {
                    let element = &doc[at..];
                    let open_end = element.find('>').unwrap_or(0);
                    assert!(element[open_end..].starts_with("><title>"), "{axis:?} {class} without <title>");
                    found += 1;
                }
                assert_eq!(found, 3);
            }
            assert_eq!(doc.matches("<title>2013: 1,234 items, 5,678 mentions</title>").count(), 3, "{axis:?}");
            assert_eq!(doc.matches("<title>2014: 1 item, 1 mention</title>").count(), 3, "{axis:?}");
            assert_eq!(doc.matches("<title>2015: 0 items, 0 mentions</title>").count(), 3, "{axis:?}");
        }
    }

    #[test]
    fn title_subtitle_labels_and_keys_are_present_and_escaped() {
        let b = vec![
            Bucket { key: "Children & Young People <Panel>".into(), items: 3, mentions: 9 },
            Bucket { key: "O'Brien \"Review\"".into(), items: 1, mentions: 2 },
        ];
        for axis in AXES {
            let c = Chart {
                title: "count \"a & b\" <x>",
                subtitle: "council: Barking & Dagenham · by committee",
                x_label: "Children & Young People <Panel>",
                buckets: &b,
                axis,
            };
            let doc = render(&c);
            assert_valid(&doc);
            assert!(doc.contains(">count &quot;a &amp; b&quot; &lt;x&gt;</text>"), "{axis:?} title");
            assert!(doc.contains("<title>count &quot;a &amp; b&quot; &lt;x&gt;</title>"), "{axis:?} document title");
            assert!(doc.contains(">council: Barking &amp; Dagenham · by committee</text>"), "{axis:?} subtitle");
            assert!(doc.contains(">Children &amp; Young People &lt;Panel&gt;</text>"), "{axis:?} x label");
            assert!(doc.contains(">O&apos;Brien &quot;Review&quot;</text>"), "{axis:?} key");
            assert!(doc.contains("<title>Children &amp; Young People &lt;Panel&gt;: 3 items, 9 mentions</title>"));
            assert!(!doc.contains("Children & Young"));
            assert!(doc.contains(">items (4)</text>") && doc.contains(">mentions (11)</text>"), "{axis:?} legend");
            assert!(doc.contains(">Items</text>") && doc.contains(">Mentions</text>"), "{axis:?} axis titles");
            assert!(doc.contains("font-family=\"sans-serif\""));
        }
    }

    #[test]
    fn nice_ticks_are_1_2_5_steps_that_cover_the_maximum() {
        let mut maxima: Vec<u64> = (0..=2500).collect();
        maxima.extend([9_999, 10_001, 123_456, 999_999_999, u64::MAX / 3, u64::MAX - 1, u64::MAX]);
        for target in 2..=6 {
            for &max in &maxima {
                let t = nice_ticks(max, target);
                assert!(is_nice(t.step), "step {} for {max}", t.step);
                assert_eq!(t.top % t.step, 0);
                assert!(t.top >= u128::from(max) && t.top >= 1, "top {} < {max}", t.top);
                assert!(t.top / t.step <= u128::from(target), "{max}/{target}: too many intervals");
                assert!(t.top - t.step < u128::from(max.max(1)), "{max}/{target}: a wasted interval");
            }
        }
        assert_eq!(nice_ticks(0, 5), Ticks { step: 1, top: 1 });
        assert_eq!(nice_ticks(7, 5), Ticks { step: 2, top: 8 });
        assert_eq!(nice_ticks(1234, 5), Ticks { step: 500, top: 1500 });
    }

    #[test]
    fn tick_labels_are_zero_based_nice_sequences_reaching_the_maximum() {
        let b = buckets(12, |i| (if i == 5 { 1234 } else { i as u64 }, if i == 7 { 98_765 } else { 10 * i as u64 }));
        for axis in AXES {
            let doc = render(&chart(&b, axis));
            let ticks: Vec<u128> = attr_values(&doc, "data-tick").iter().filter_map(|v| v.parse().ok()).collect();
            let mut runs: Vec<Vec<u128>> = Vec::new();
            for v in ticks {
                match runs.last_mut() {
                    Some(run) if v != 0 => run.push(v),
                    _ => runs.push(vec![v]),
                }
            }
            assert!(runs.len() >= 2, "{axis:?}: {runs:?}");
            for run in &runs {
                assert_eq!(run[0], 0);
                assert!(run.len() >= 2);
                let step = run[1];
                assert!(is_nice(step), "{axis:?}: {run:?}");
                assert!(run.windows(2).all(|w| w[1] - w[0] == step), "{axis:?}: {run:?}");
            }
            let tops: Vec<u128> = runs.iter().filter_map(|r| r.last().copied()).collect();
            assert!(tops.contains(&1500) && tops.contains(&100_000), "{axis:?}: {tops:?}");
            assert!(doc.contains(">1,500</text>") && doc.contains(">100,000</text>"), "{axis:?}");
        }
    }

    #[test]
    fn long_labels_are_truncated_with_the_full_text_in_a_title() {
        let long = "Local Safeguarding Children Board Annual Report & Business Plan Sub-Committee";
        let forty = "Corporate Parenting Advisory Committee!!";
        assert_eq!(forty.chars().count(), 40);
        let b = vec![
            Bucket { key: long.into(), items: 5, mentions: 20 },
            Bucket { key: forty.into(), items: 2, mentions: 3 },
        ];
        let doc = render(&chart(&b, Axis::Category));
        assert_valid(&doc);
        let (shown, truncated) = truncate_chars(long, MAX_LABEL_CHARS);
        assert!(truncated && shown.ends_with('…') && shown.chars().count() <= MAX_LABEL_CHARS);
        assert_eq!(shown, "Local Safeguarding Children Board Annua…");
        assert!(doc.contains(&format!("<title>{}</title>{}</text>", esc(long), esc(&shown))));
        assert!(doc.contains(&format!(">{forty}</text>")), "a 40-character label is not truncated");
        assert!(!doc.contains(&format!(">{}</text>", esc(long))), "the long label is never shown in full");
        // Truncation counts characters, not bytes.
        let accents = "é".repeat(60);
        assert_eq!(truncate_chars(&accents, 40).0.chars().count(), 40);
    }

    #[test]
    fn all_zero_counts_render_without_dividing_by_zero() {
        let b = buckets(12, |_| (0, 0));
        for axis in AXES {
            let doc = render(&chart(&b, axis));
            assert_valid(&doc);
            assert!(doc.contains(">items (0)</text>") && doc.contains(">mentions (0)</text>"));
            let ticks = attr_values(&doc, "data-tick");
            assert!(ticks.iter().all(|t| t == "0" || t == "1"), "{axis:?}: {ticks:?}");
        }
        let doc = render(&chart(&b, Axis::Time));
        assert_eq!(doc.matches("height=\"0\"><title>").count(), 12, "zero-height item bars");
    }

    #[test]
    fn huge_counts_do_not_overflow() {
        let b = buckets(3, |i| if i == 0 { (u64::MAX, u64::MAX) } else { (u64::MAX / 2, 1) });
        for axis in AXES {
            let doc = render(&chart(&b, axis));
            assert_valid(&doc);
            assert!(doc.contains(&format!(">items ({})</text>", fmt_int(u64::MAX))), "legend saturates");
        }
    }

    #[test]
    fn output_is_deterministic() {
        for axis in AXES {
            let b = buckets(40, |i| ((i * 7 % 13) as u64, (i * 11 % 29) as u64));
            let first = render(&chart(&b, axis));
            assert_eq!(first, render(&chart(&b.clone(), axis)));
            let mut other = b.clone();
            other[3].mentions += 1;
            assert_ne!(first, render(&chart(&other, axis)));
        }
    }

    #[test]
    fn numbers_have_thousands_separators() {
        assert_eq!(fmt_int(0u64), "0");
        assert_eq!(fmt_int(999u64), "999");
        assert_eq!(fmt_int(1000u64), "1,000");
        assert_eq!(fmt_int(1_234_567u64), "1,234,567");
        assert_eq!(fmt_int(u64::MAX), "18,446,744,073,709,551,615");
        assert_eq!(P(12.0).to_string(), "12");
        assert_eq!(P(12.34).to_string(), "12.3");
        assert_eq!(P(-0.01).to_string(), "0");
        assert_eq!(P(f64::NAN).to_string(), "0");
    }

    #[test]
    fn characters_xml_forbids_are_replaced() {
        assert_eq!(esc("a\u{1}b\u{FFFE}c"), "a\u{FFFD}b\u{FFFD}c");
        assert_eq!(clean("  Cabinet\n\t Member  "), "Cabinet Member");
        let b = vec![Bucket { key: "Cab\u{0}inet\u{1b}".into(), items: 1, mentions: 1 }];
        for axis in AXES {
            let doc = render(&chart(&b, axis));
            assert_valid(&doc);
            assert!(!doc.contains('\u{0}') && !doc.contains('\u{1b}'));
        }
    }

    #[test]
    fn few_time_buckets_fit_800_by_450_with_every_label_upright() {
        let b = buckets(12, |i| (i as u64 + 1, 3 * i as u64 + 2));
        let doc = render(&chart(&b, Axis::Time));
        assert_eq!(root_size(&doc), (800.0, 450.0));
        assert!(!doc.contains("rotate(-45"));
        for year in 2000..2012 {
            assert!(doc.contains(&format!(">{year}</text>")), "label {year}");
        }
    }

    #[test]
    fn many_time_buckets_widen_up_to_a_cap_then_thin_and_rotate_labels() {
        let b = buckets(500, |i| (i as u64 % 9, i as u64 % 23));
        let doc = render(&chart(&b, Axis::Time));
        let (w, _) = root_size(&doc);
        assert!(w > 800.0 && w <= MAX_TIME_WIDTH, "width {w}");
        assert!(doc.contains("rotate(-45"));
        let labels = (2000..2500).filter(|y| doc.contains(&format!(">{y}</text>"))).count();
        assert!(labels > 10 && labels < 500, "{labels} labels");
    }

    #[test]
    fn month_labels_fall_on_calendar_boundaries() {
        let b: Vec<Bucket> = (0..144)
            .map(|i| Bucket { key: format!("{}-{:02}", 2012 + i / 12, i % 12 + 1), items: 1, mentions: 2 })
            .collect();
        let doc = render(&chart(&b, Axis::Time));
        assert_valid(&doc);
        let shown: Vec<&Bucket> = b.iter().filter(|b| doc.contains(&format!(">{}</text>", b.key))).collect();
        assert!(shown.len() > 6 && shown.len() < 144, "{} labels", shown.len());
        assert_eq!(shown[0].key, "2012-01");
        let months: Vec<u64> = shown.iter().filter_map(|b| month_number(&b.key)).collect();
        let step = months[1] - months[0];
        assert!([1, 2, 3, 6, 12].contains(&step));
        assert!(months.iter().all(|m| m % step == 0));
        assert_eq!(month_number("2014-03"), Some(2014 * 12 + 2));
        assert_eq!(month_number("2014-13"), None);
        assert_eq!(month_number("2014"), None);
    }

    #[test]
    fn category_charts_grow_taller_with_more_buckets_up_to_a_cap() {
        let heights: Vec<f64> = [1, 8, 40, 500, 5000]
            .iter()
            .map(|&n| {
                let b = buckets(n, |i| (i as u64, i as u64));
                root_size(&render(&chart(&b, Axis::Category))).1
            })
            .collect();
        assert!(heights[0] < 250.0, "one row is not stretched: {heights:?}");
        assert!(heights[1] > heights[0] && heights[1] <= BASE_HEIGHT, "8 rows fit 450 px: {heights:?}");
        assert!(heights[2] > BASE_HEIGHT);
        assert!(heights[3] > heights[2] && heights[3] <= MAX_CATEGORY_HEIGHT);
        assert!(heights[4] <= MAX_CATEGORY_HEIGHT);
    }
}
