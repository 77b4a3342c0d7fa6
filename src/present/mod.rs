//! Present: how results are shown — highlights in a terminal, CSV, charts.

pub mod chart;

use std::io::IsTerminal;

/// Whether to colour highlights: stdout is a terminal and NO_COLOR is not set.
pub fn use_color() -> bool {
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && std::io::stdout().is_terminal()
}

/// Replaces `[[`/`]]` highlight marks by bold yellow when `color`.
pub fn highlight(snippet: &str, color: bool) -> String {
    if !color {
        return snippet.to_string();
    }
    snippet.replace("[[", "\x1b[1;33m").replace("]]", "\x1b[0m")
}

#[cfg(test)]
mod tests {
    #[test]
    fn marks_become_colour_only_when_asked() {
        assert_eq!(super::highlight("a [[b]] c", false), "a [[b]] c");
        assert_eq!(super::highlight("a [[b]] c", true), "a \x1b[1;33mb\x1b[0m c");
    }
}
