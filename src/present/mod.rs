//! Present: how results are shown (charts; printers per format follow).

pub mod chart;
