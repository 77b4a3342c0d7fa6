//! `index-schema/quickwit.yaml` declares the same fields as `schema.toml`:
//! 1. the same field names, in the same order;
//! 2. compatible types (text/string -> text or array<text>, date -> datetime, u64 -> u64);
//! 3. the same stored/fast flags, and positions wherever schema.toml records them;
//! 4. multi-valued fields are arrays; the exact analyzer maps to a tokenizer with
//!    the same filters.

use sgsearch::schema::{FieldType, IndexSchema, Record};
use std::collections::BTreeMap;

const QUICKWIT: &str = include_str!("../index-schema/quickwit.yaml");

/// The `field_mappings` of the YAML, as name -> key/value pairs (the file is
/// plain block YAML: one `- name:` per field, `key: value` lines under it).
fn quickwit_fields() -> Vec<(String, BTreeMap<String, String>)> {
    let mut out: Vec<(String, BTreeMap<String, String>)> = Vec::new();
    let mut in_mappings = false;
    for line in QUICKWIT.lines() {
        let t = line.trim();
        if t.starts_with("field_mappings:") {
            in_mappings = true;
            continue;
        }
        if in_mappings && !line.starts_with("    ") && !t.is_empty() {
            break;
        }
        if !in_mappings {
            continue;
        }
        if let Some(name) = t.strip_prefix("- name:") {
            out.push((name.trim().to_string(), BTreeMap::new()));
        } else if let (Some((k, v)), Some(last)) = (t.split_once(':'), out.last_mut()) {
            last.1.insert(k.trim().to_string(), v.trim().to_string());
        }
    }
    out
}

#[test]
fn quickwit_config_matches_the_schema() {
    let schema = IndexSchema::builtin().unwrap();
    let qw = quickwit_fields();
    // Local-only fields (phrase tokens) are sgsearch's own accelerator, not exported.
    let exported: Vec<_> = schema.spec.fields.iter().filter(|f| !f.local_only).collect();
    let names: Vec<&str> = exported.iter().map(|f| f.name.as_str()).collect();
    let qw_names: Vec<&str> = qw.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, qw_names, "field names differ between schema.toml and quickwit.yaml");
    for (spec, (name, kv)) in exported.iter().zip(&qw) {
        let get = |k: &str| kv.get(k).map(String::as_str).unwrap_or("");
        let want_type = match (spec.kind, spec.multi) {
            (FieldType::Text | FieldType::String, false) => "text",
            (FieldType::Text | FieldType::String, true) => "array<text>",
            (FieldType::Date, _) => "datetime",
            (FieldType::U64, _) => "u64",
        };
        assert_eq!(get("type"), want_type, "{name}: type");
        assert_eq!(get("stored") == "true", spec.stored || spec.texts_file, "{name}: stored");
        if spec.export_only {
            assert_eq!(get("tokenizer"), "default", "{name}: export-only stemmed text is pre-stemmed");
            continue;
        }
        assert_eq!(get("fast") == "true", spec.fast, "{name}: fast");
        match spec.kind {
            FieldType::String => {
                assert_eq!(get("tokenizer"), "raw", "{name}: exact values need the raw tokenizer");
                assert_eq!(get("indexed") == "true", spec.indexed, "{name}: indexed");
            }
            FieldType::Text => {
                let want_record = match spec.record {
                    Record::Position => "position",
                    Record::Freq => "freq",
                    Record::Basic => "basic",
                };
                assert_eq!(get("record"), want_record, "{name}: record");
                assert_eq!(get("fieldnorms"), "true", "{name}: BM25 needs fieldnorms");
                let analyzer = spec.analyzer.as_deref().unwrap();
                let filters = &schema.spec.analyzers[analyzer].filters;
                if filters.iter().any(|f| f.starts_with("stemmer")) {
                    // Stemmed on our side at export; Quickwit only splits words.
                    assert_eq!(get("tokenizer"), "default", "{name}: stemmed text is exported pre-stemmed");
                } else {
                    assert_eq!(get("tokenizer"), "sgsearch_exact", "{name}: tokenizer");
                    let filter_line = QUICKWIT
                        .lines()
                        .skip_while(|l| !l.contains("name: sgsearch_exact"))
                        .find(|l| l.trim().starts_with("filters:"))
                        .unwrap();
                    assert_eq!(
                        filter_line.trim(),
                        format!("filters: [{}]", filters.join(", ")),
                        "exact analyzer filters"
                    );
                }
            }
            FieldType::Date | FieldType::U64 => assert_eq!(get("indexed") == "true", spec.indexed, "{name}: indexed"),
        }
    }
    assert!(QUICKWIT.contains("timestamp_field: meeting_date"));
}
