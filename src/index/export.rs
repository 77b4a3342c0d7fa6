//! `sgsearch export`: the whole index as NDJSON, one line per chunk, with the
//! fields of `index-schema/quickwit.yaml` (the same names as schema.toml), for a
//! Quickwit index beyond one machine. Fields the local index does not store are
//! derived: keys from names, year and month from the date, and `text_stemmed`
//! (Quickwit has no English stemmer) as the stems of the text joined by spaces.

use super::Opened;
use crate::error::{Error, Result};
use crate::parse::committee::committee_key;
use crate::parse::dates::Date;
use crate::schema::{FieldType, Role};
use serde_json::{Map, Value};
use std::io::Write;
use tantivy::schema::Value as _;
use tantivy::TantivyDocument;

/// Writes every live chunk; returns how many.
pub fn export(opened: &Opened, out: &mut dyn Write) -> Result<u64> {
    let reader = crate::index::reader(&opened.index)?;
    let searcher = reader.searcher();
    let schema = &opened.schema;
    let mut stemmer =
        schema.analyzer_for(Role::TextStemmed).ok_or_else(|| Error::Data("no stemmed analyzer".into()))?;
    let mut n = 0u64;
    for seg in searcher.segment_readers() {
        let store = seg.get_store_reader(64).map_err(|e| Error::io("reading the document store", e))?;
        let texts = super::texts::TextsCache::new(&opened.dir).get_checked(seg, schema.texts_file())?;
        let mut record_buf = Vec::new();
        for doc_id in 0..seg.max_doc() {
            if seg.is_deleted(doc_id) {
                continue;
            }
            let mut doc: TantivyDocument = store.get(doc_id)?;
            if let Some(texts) = &texts {
                let record = texts.record(doc_id, &mut record_buf).map_err(|e| Error::io("reading chunk texts", e))?;
                doc.add_text(schema.fields.get(Role::Text), record.text);
            }
            let mut obj = Map::new();
            let date = doc
                .get_first(schema.fields.get(Role::MeetingDate))
                .and_then(|v| v.as_datetime())
                .map(|d| d.into_timestamp_secs());
            for spec in schema.spec.fields.iter().filter(|f| !f.local_only) {
                let value: Option<Value> = match spec.role {
                    Role::TextStemmed => {
                        let text = first_str(&doc, schema.fields.get(Role::Text)).unwrap_or_default();
                        let mut stems = Vec::new();
                        stemmer.token_stream(&text).process(&mut |t| stems.push(t.text.clone()));
                        Some(Value::String(stems.join(" ")))
                    }
                    Role::CouncilKey => {
                        first_str(&doc, schema.fields.get(Role::Council)).map(|c| committee_key(&c).into())
                    }
                    Role::CommitteeKey => {
                        first_str(&doc, schema.fields.get(Role::Committee)).map(|c| committee_key(&c).into())
                    }
                    Role::Year => date.and_then(to_date).map(|d| d.year().into()),
                    Role::Month => {
                        date.and_then(to_date).map(|d| (d.year() as u64 * 100 + u64::from(d.month())).into())
                    }
                    Role::MeetingDate => date.and_then(to_date).map(|d| format!("{d}T00:00:00Z").into()),
                    _ => {
                        let field = schema.fields.get(spec.role);
                        let values: Vec<Value> = doc
                            .get_all(field)
                            .filter_map(|v| match spec.kind {
                                FieldType::U64 => v.as_u64().map(Value::from),
                                _ => v.as_str().map(Value::from),
                            })
                            .collect();
                        if spec.multi {
                            Some(Value::Array(values))
                        } else {
                            values.into_iter().next()
                        }
                    }
                };
                if let Some(v) = value {
                    obj.insert(spec.name.clone(), v);
                }
            }
            serde_json::to_writer(&mut *out, &obj).map_err(|e| Error::io("writing output", e.into()))?;
            out.write_all(b"\n").map_err(|e| Error::io("writing output", e))?;
            n += 1;
        }
    }
    Ok(n)
}

fn first_str(doc: &TantivyDocument, field: tantivy::schema::Field) -> Option<String> {
    doc.get_first(field).and_then(|v| v.as_str()).map(str::to_string)
}

fn to_date(secs: i64) -> Option<Date> {
    Date::from_days_since_epoch(secs.div_euclid(86_400))
}
