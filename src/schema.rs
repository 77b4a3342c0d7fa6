//! The index schema, loaded from `index-schema/schema.toml`: tantivy fields and
//! analyzers. Code names fields by [`Role`]; field names are spelled only in the
//! TOML file, so renaming a field is a data change.

use crate::tokenize::{ExactTokenizer, MAX_TOKEN_BYTES};
use serde::Deserialize;
use std::collections::BTreeMap;
use tantivy::schema::{
    DateOptions, DateTimePrecision, Field, IndexRecordOption, NumericOptions, Schema, TextFieldIndexing, TextOptions,
};
use tantivy::tokenizer::{
    AsciiFoldingFilter, LowerCaser, RemoveLongFilter, SimpleTokenizer, TextAnalyzer, TokenizerManager,
};

/// The schema file compiled into the binary; an index keeps its own copy.
pub const SCHEMA_TOML: &str = include_str!("../index-schema/schema.toml");

/// What a field is for. Each role is bound to exactly one field of the schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    ChunkId,
    ItemId,
    SourceId,
    Source,
    Url,
    Council,
    CouncilKey,
    Committee,
    CommitteeKey,
    PageType,
    Topics,
    TopicMentions,
    MeetingDate,
    Year,
    Month,
    ItemNumber,
    ItemOrdinal,
    ChunkOrdinal,
    TokenOffset,
    Title,
    Text,
    TextStemmed,
    Phrases,
    AsciiWords,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldType {
    Text,
    String,
    Date,
    U64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Record {
    #[default]
    Basic,
    Freq,
    Position,
}

/// One `[[fields]]` entry of schema.toml.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldSpec {
    pub name: String,
    pub role: Role,
    #[serde(rename = "type")]
    pub kind: FieldType,
    pub analyzer: Option<String>,
    #[serde(default)]
    pub record: Record,
    #[serde(default)]
    pub stored: bool,
    #[serde(default)]
    pub indexed: bool,
    #[serde(default)]
    pub fast: bool,
    #[serde(default)]
    pub multi: bool,
    /// Not in the local index; computed by the NDJSON export for Quickwit.
    #[serde(default)]
    pub export_only: bool,
    /// In the local index only: not exported, not in quickwit.yaml.
    #[serde(default)]
    pub local_only: bool,
    /// Kept in each segment's `.texts` file instead of the document store (the
    /// chunk text only; see `index::texts`): stored all the same for readers, and
    /// in Quickwit.
    #[serde(default)]
    pub texts_file: bool,
}

/// One `[analyzers.NAME]` entry.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnalyzerSpec {
    pub tokenizer: String,
    pub filters: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SchemaSpec {
    pub version: u32,
    pub analyzers: BTreeMap<String, AnalyzerSpec>,
    pub fields: Vec<FieldSpec>,
}

#[derive(Debug, thiserror::Error)]
pub enum SchemaError {
    #[error("{origin}: {message}\n\nFix the schema file; every field needs a known role, type and analyzer.")]
    Invalid { origin: String, message: String },
}

fn invalid(origin: &str, message: impl Into<String>) -> SchemaError {
    SchemaError::Invalid { origin: origin.to_string(), message: message.into() }
}

/// Field handles by role.
#[derive(Debug, Clone)]
pub struct Fields {
    by_role: BTreeMap<Role, Field>,
}

impl Fields {
    /// The field bound to `role`. Every indexed role is present:
    /// [`IndexSchema::parse`] refuses a schema that lacks one. Asking for an
    /// export-only role is a programming error.
    pub fn get(&self, role: Role) -> Field {
        self.by_role[&role]
    }

    /// The field bound to an optional role ([`Role::Phrases`],
    /// [`Role::AsciiWords`]: indexes built before them have none, and are read
    /// without them).
    pub fn find(&self, role: Role) -> Option<Field> {
        self.by_role.get(&role).copied()
    }
}

/// The parsed schema: spec, tantivy schema, fields by role, analyzers.
#[derive(Clone)]
pub struct IndexSchema {
    pub spec: SchemaSpec,
    pub schema: Schema,
    pub fields: Fields,
    /// xxh3 of the TOML text: an index built from another schema must be rebuilt.
    pub hash: String,
}

const ALL_ROLES: &[Role] = &[
    Role::ChunkId,
    Role::ItemId,
    Role::SourceId,
    Role::Source,
    Role::Url,
    Role::Council,
    Role::CouncilKey,
    Role::Committee,
    Role::CommitteeKey,
    Role::PageType,
    Role::Topics,
    Role::TopicMentions,
    Role::MeetingDate,
    Role::Year,
    Role::Month,
    Role::ItemNumber,
    Role::ItemOrdinal,
    Role::ChunkOrdinal,
    Role::TokenOffset,
    Role::Title,
    Role::Text,
    Role::TextStemmed,
    Role::Phrases,
    Role::AsciiWords,
];

/// Roles a schema may lack (added after indexes were built without them).
const OPTIONAL_ROLES: &[Role] = &[Role::Phrases, Role::AsciiWords];

impl IndexSchema {
    /// The schema compiled into this binary.
    pub fn builtin() -> Result<IndexSchema, SchemaError> {
        IndexSchema::parse(SCHEMA_TOML, "index-schema/schema.toml (built in)")
    }

    pub fn parse(text: &str, origin: &str) -> Result<IndexSchema, SchemaError> {
        let spec: SchemaSpec = toml::from_str(text).map_err(|e| invalid(origin, e.to_string()))?;
        let mut builder = Schema::builder();
        let mut by_role = BTreeMap::new();
        let mut export_only = Vec::new();
        for f in &spec.fields {
            if f.export_only {
                if !matches!(f.kind, FieldType::Text)
                    || f.analyzer.as_deref().is_none_or(|a| !spec.analyzers.contains_key(a))
                {
                    return Err(invalid(
                        origin,
                        format!("export-only field {:?} must be text with a known analyzer", f.name),
                    ));
                }
                export_only.push(f.role);
                continue;
            }
            if f.texts_file && (f.role != Role::Text || f.stored) {
                return Err(invalid(
                    origin,
                    format!("only the text field may be kept in the texts file, and not stored as well ({:?})", f.name),
                ));
            }
            let field = match f.kind {
                FieldType::Text => {
                    let analyzer = f
                        .analyzer
                        .as_deref()
                        .ok_or_else(|| invalid(origin, format!("text field {:?} needs an analyzer", f.name)))?;
                    if !spec.analyzers.contains_key(analyzer) {
                        return Err(invalid(origin, format!("field {:?} uses unknown analyzer {analyzer:?}", f.name)));
                    }
                    let record = match f.record {
                        Record::Basic => IndexRecordOption::Basic,
                        Record::Freq => IndexRecordOption::WithFreqs,
                        Record::Position => IndexRecordOption::WithFreqsAndPositions,
                    };
                    let indexing = TextFieldIndexing::default()
                        .set_tokenizer(analyzer)
                        .set_index_option(record)
                        .set_fieldnorms(true);
                    let mut opts = TextOptions::default().set_indexing_options(indexing);
                    if f.stored {
                        opts = opts.set_stored();
                    }
                    builder.add_text_field(&f.name, opts)
                }
                FieldType::String => {
                    let mut opts = TextOptions::default();
                    if f.indexed {
                        opts = opts.set_indexing_options(
                            TextFieldIndexing::default().set_tokenizer("raw").set_index_option(match f.record {
                                Record::Basic => IndexRecordOption::Basic,
                                // Counted values (phrase occurrences): how many each chunk holds.
                                Record::Freq | Record::Position => IndexRecordOption::WithFreqs,
                            }),
                        );
                    }
                    if f.stored {
                        opts = opts.set_stored();
                    }
                    if f.fast {
                        opts = opts.set_fast("raw");
                    }
                    builder.add_text_field(&f.name, opts)
                }
                FieldType::Date => {
                    let mut opts = DateOptions::default().set_precision(DateTimePrecision::Seconds);
                    if f.indexed {
                        opts = opts.set_indexed();
                    }
                    if f.stored {
                        opts = opts.set_stored();
                    }
                    if f.fast {
                        opts = opts.set_fast();
                    }
                    builder.add_date_field(&f.name, opts)
                }
                FieldType::U64 => {
                    let mut opts = NumericOptions::default();
                    if f.indexed {
                        opts = opts.set_indexed();
                    }
                    if f.stored {
                        opts = opts.set_stored();
                    }
                    if f.fast {
                        opts = opts.set_fast();
                    }
                    builder.add_u64_field(&f.name, opts)
                }
            };
            if by_role.insert(f.role, field).is_some() {
                return Err(invalid(origin, format!("two fields have role {:?}", f.role)));
            }
        }
        for role in ALL_ROLES {
            if !by_role.contains_key(role) && !export_only.contains(role) && !OPTIONAL_ROLES.contains(role) {
                return Err(invalid(origin, format!("no field has role {role:?}")));
            }
        }
        for (name, a) in &spec.analyzers {
            build_analyzer(a).map_err(|m| invalid(origin, format!("analyzer {name:?}: {m}")))?;
        }
        let hash = format!("{:016x}", xxhash_rust::xxh3::xxh3_64(text.as_bytes()));
        Ok(IndexSchema { spec, schema: builder.build(), fields: Fields { by_role }, hash })
    }

    /// Registers the analyzers under their names (tokenizers are not stored in an
    /// index, so this runs after every open).
    pub fn register(&self, manager: &TokenizerManager) {
        for (name, a) in &self.spec.analyzers {
            if let Ok(analyzer) = build_analyzer(a) {
                manager.register(name, analyzer);
            }
        }
    }

    /// Whether chunk texts are kept in `.texts` files (see `index::texts`).
    pub fn texts_file(&self) -> bool {
        self.spec.fields.iter().any(|f| f.role == Role::Text && f.texts_file)
    }

    /// The analyzer of a text field, for re-tokenising stored text and queries.
    pub fn analyzer_for(&self, role: Role) -> Option<TextAnalyzer> {
        let spec = self.spec.fields.iter().find(|f| f.role == role)?;
        build_analyzer(self.spec.analyzers.get(spec.analyzer.as_deref()?)?).ok()
    }

    /// The name of the field bound to `role` (for messages and the export).
    pub fn name(&self, role: Role) -> &str {
        self.spec.fields.iter().find(|f| f.role == role).map(|f| f.name.as_str()).unwrap_or("")
    }
}

fn build_analyzer(spec: &AnalyzerSpec) -> Result<TextAnalyzer, String> {
    if spec.tokenizer != "simple" {
        return Err(format!("unknown tokenizer {:?} (known: simple)", spec.tokenizer));
    }
    // The usual chains, fused into one tokenizer (same tokens as the chain, see
    // crate::tokenize): the chain as written decodes, copies and re-walks every token.
    let filters: Vec<&str> = spec.filters.iter().map(String::as_str).collect();
    match filters[..] {
        ["remove_long", "lower_caser", "ascii_folding"] => return Ok(TextAnalyzer::from(ExactTokenizer::default())),
        ["remove_long", "lower_caser", "ascii_folding", "stemmer_english"] => {
            return Ok(TextAnalyzer::builder(ExactTokenizer::default()).filter(crate::stem::CachedStemmer).build())
        }
        _ => {}
    }
    let mut b = TextAnalyzer::builder(SimpleTokenizer::default()).dynamic();
    for f in &spec.filters {
        b = match f.as_str() {
            "remove_long" => b.filter_dynamic(RemoveLongFilter::limit(MAX_TOKEN_BYTES)),
            "lower_caser" => b.filter_dynamic(LowerCaser),
            "ascii_folding" => b.filter_dynamic(AsciiFoldingFilter),
            "stemmer_english" => b.filter_dynamic(crate::stem::CachedStemmer),
            other => {
                return Err(format!(
                    "unknown filter {other:?} (known: remove_long, lower_caser, ascii_folding, stemmer_english)"
                ))
            }
        };
    }
    Ok(b.build())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_schema_binds_every_role() {
        let s = IndexSchema::builtin().unwrap();
        for role in ALL_ROLES {
            if *role != Role::TextStemmed {
                let _ = s.fields.get(*role);
            }
            assert!(!s.name(*role).is_empty());
        }
        assert!(s.schema.get_field(s.name(Role::TextStemmed)).is_err(), "export-only fields stay out of the index");
        assert!(s.schema.get_field(s.name(Role::Text)).is_ok());
    }

    #[test]
    fn bad_schemas_are_refused_with_the_reason() {
        let twice = SCHEMA_TOML.replace("role = \"title\"", "role = \"text\"");
        let err = IndexSchema::parse(&twice, "test.toml").err().unwrap().to_string();
        assert!(err.contains("two fields have role Text"), "{err}");
        // Drop the item_number field's block entirely.
        let start = SCHEMA_TOML.find("[[fields]]\nname = \"item_number\"").unwrap();
        let end = start + 10 + SCHEMA_TOML[start + 10..].find("[[fields]]").unwrap();
        let missing = format!("{}{}", &SCHEMA_TOML[..start], &SCHEMA_TOML[end..]);
        let err = IndexSchema::parse(&missing, "test.toml").err().unwrap().to_string();
        assert!(err.contains("no field has role ItemNumber"), "{err}");
        let bad_filter = SCHEMA_TOML.replace("\"stemmer_english\"", "\"stemmer_klingon\"");
        let err = IndexSchema::parse(&bad_filter, "test.toml").err().unwrap().to_string();
        assert!(err.contains("stemmer_klingon"), "{err}");
        let err = IndexSchema::parse("version = ", "x.toml").err().unwrap().to_string();
        assert!(err.starts_with("x.toml"), "{err}");
    }

    #[test]
    fn analyzers_split_possessives_and_stem() {
        let s = IndexSchema::builtin().unwrap();
        let mut exact = s.analyzer_for(Role::Text).unwrap();
        let mut toks = Vec::new();
        exact.token_stream("Children’s Exploitation café").process(&mut |t| toks.push(t.text.clone()));
        assert_eq!(toks, vec!["children", "s", "exploitation", "cafe"]);
        let mut stem = s.analyzer_for(Role::TextStemmed).unwrap();
        let mut toks = Vec::new();
        stem.token_stream("exploited exploitation").process(&mut |t| toks.push(t.text.clone()));
        assert_eq!(toks[0], toks[1]);
    }
}
