//! Meetings and their agenda items, as pure functions of (council, committee, seq).
//!
//! A meeting page, an agenda item page and an issue page about the same item all call
//! [`plan_meeting`] and [`item_body`] with the same ids, so they carry the same title,
//! number, topics and minutes: the duplicates DESIGN.md asks the engine to fold.

use super::calendar::Date;
use super::rng::{derive_seed, Rng};
use super::text::{self, Ctx, Voice};
use super::vocab::{self, TOPICS};
use super::world::{Numbering, World};
use std::fmt::Write as _;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Apologies,
    Declarations,
    Minutes,
    Urgent,
    Chair,
    Public,
    WorkProgramme,
    NextMeeting,
    Exclusion,
    /// A report with no safeguarding topic.
    General,
    /// A report about `topics`.
    Topical,
}

impl Kind {
    pub fn substantive(self) -> bool {
        matches!(self, Kind::General | Kind::Topical)
    }
}

#[derive(Debug, Clone)]
pub struct ItemPlan {
    pub kind: Kind,
    /// The item number as printed, without a trailing dot ("35", "33/17", "16.CSE1", "51a").
    pub number: String,
    /// How the number line shows it ("35." or the number itself).
    pub shown: String,
    /// Numeric minute number for "44.1"-style paragraphs, when the style is numeric.
    pub para_base: Option<u32>,
    pub title: String,
    /// " pdf icon PDF 71 KB" or "", appended to the title line on list pages.
    pub pdf: String,
    pub topics: Vec<usize>,
    pub seed: u64,
}

#[derive(Debug, Clone)]
pub struct Meeting {
    pub council: usize,
    pub committee: usize,
    pub date: Date,
    pub prev: Option<Date>,
    pub next: Date,
    /// Stable id used in URLs.
    pub mid: u64,
    pub items: Vec<ItemPlan>,
}

#[derive(Debug, Clone)]
pub enum Para {
    Text(String),
    /// A lead-in sentence and its bullet points.
    Bullets(String, Vec<String>),
}

#[derive(Debug, Clone, Default)]
pub struct ItemBody {
    pub description: Vec<Para>,
    pub documents: Vec<String>,
    pub minutes: Vec<Para>,
    pub resolved: Vec<String>,
}

fn pdf_size(rng: &mut Rng) -> String {
    if rng.chance(0.1) {
        format!("{} MB", rng.range(1, 12))
    } else {
        format!("{} KB", rng.range(40, 900))
    }
}

pub fn plan_meeting(world: &World, council: usize, committee: usize, seq: u32) -> Meeting {
    let c = &world.councils[council];
    let com = &c.committees[committee];
    let seed = derive_seed(&[world.seed, 0x4d45_4554, council as u64, committee as u64, seq as u64]);
    let mut rng = Rng::new(seed);
    let date = world.meeting_date(council, committee, seq);
    let prev = (seq > 0).then(|| world.meeting_date(council, committee, seq - 1));
    let next = world.meeting_date(council, committee, seq + 1);
    let n = (rng.lognormal(9.0, 0.4).round() as usize).clamp(5, 20);

    let mut kinds: Vec<Kind> = Vec::with_capacity(n);
    for (k, p) in [(Kind::Apologies, 0.9), (Kind::Declarations, 0.85), (Kind::Minutes, 0.8)] {
        if rng.chance(p) {
            kinds.push(k);
        }
    }
    if rng.chance(0.4) {
        kinds.push(rng.pick(&[Kind::Urgent, Kind::Chair, Kind::Public]));
    }
    let mut closing = Vec::new();
    for (k, p) in [(Kind::WorkProgramme, 0.5), (Kind::NextMeeting, 0.4), (Kind::Exclusion, 0.08)] {
        if rng.chance(p) {
            closing.push(k);
        }
    }
    while kinds.len() + closing.len() + 2 > n && !closing.is_empty() {
        closing.pop();
    }
    while kinds.len() + closing.len() < n {
        kinds.push(if rng.chance(com.topical) { Kind::Topical } else { Kind::General });
    }
    kinds.extend(closing);

    let j = seq % com.per_year;
    let yy = date.year.rem_euclid(100);
    let base = match c.numbering {
        Numbering::Running => 120 + seq * 11 + (council as u32 % 7) * 300,
        Numbering::Code => 1,
        _ => 1 + j * 9 + rng.below(4) as u32,
    };
    let with_icon = rng.chance(0.7);
    let items = kinds
        .into_iter()
        .enumerate()
        .map(|(i, kind)| {
            let k = base + i as u32;
            let (number, shown, para_base) = match c.numbering {
                Numbering::Dot | Numbering::Dropped | Numbering::Running => (k.to_string(), format!("{k}."), Some(k)),
                Numbering::Slash => {
                    let s = format!("{k}/{yy:02}");
                    (s.clone(), s, None)
                }
                Numbering::Code => {
                    let s = format!("{}.{}{}", j + 1, com.code, i + 1);
                    (s.clone(), s, None)
                }
                Numbering::Letter => {
                    let s = format!("{}{}", base, (b'a' + i as u8) as char);
                    (s.clone(), s, None)
                }
            };
            let topics = if kind == Kind::Topical {
                let nt = rng.pick(&[1usize, 1, 1, 1, 2, 2, 3]);
                text::draw_topics(&mut rng, date.year, nt)
            } else {
                Vec::new()
            };
            let title = item_title(&mut rng, kind, &topics, date.year);
            let pdf = if kind.substantive() || (kind == Kind::Minutes && rng.chance(0.6)) {
                let size = pdf_size(&mut rng);
                if with_icon {
                    format!(" pdf icon PDF {size}")
                } else {
                    format!(" PDF {size}")
                }
            } else {
                String::new()
            };
            ItemPlan { kind, number, shown, para_base, title, pdf, topics, seed: derive_seed(&[seed, i as u64]) }
        })
        .collect();
    Meeting {
        council,
        committee,
        date,
        prev,
        next,
        mid: (council as u64 + 1) * 1_000_000 + committee as u64 * 10_000 + seq as u64,
        items,
    }
}

fn item_title(rng: &mut Rng, kind: Kind, topics: &[usize], year: i32) -> String {
    let pick = |rng: &mut Rng, xs: &[&str]| xs[rng.below(xs.len())].to_string();
    match kind {
        Kind::Apologies => pick(rng, &["Apologies for absence", "Apologies for Absence", "Apologies"]),
        Kind::Declarations => pick(
            rng,
            &[
                "Declarations of interest",
                "Declarations of Interest",
                "Disclosures of interest",
                "Declarations of Members' Interests",
            ],
        ),
        Kind::Minutes => pick(rng, &["Minutes of the previous meeting", "Minutes", "Minutes of the Last Meeting"]),
        Kind::Urgent => pick(rng, &["Urgent business", "Items of urgent business"]),
        Kind::Chair => "Chair's announcements".into(),
        Kind::Public => pick(rng, &["Public questions", "Questions from the public"]),
        Kind::WorkProgramme => pick(rng, &["Work programme", "Forward Work Programme"]),
        Kind::NextMeeting => pick(rng, &["Date of next meeting", "Dates of future meetings"]),
        Kind::Exclusion => "Exclusion of the press and public".into(),
        Kind::General => {
            let t = pick(rng, vocab::GENERAL_ITEM_TITLES);
            if rng.chance(0.3) {
                format!("{t} {}/{:02}", year, (year + 1).rem_euclid(100))
            } else {
                t
            }
        }
        Kind::Topical => {
            let stem = pick(rng, TOPICS[topics[0]].titles);
            let suffix = pick(rng, vocab::TITLE_SUFFIXES);
            format!("{stem}{suffix}")
        }
    }
}

/// The text of item `i` of a meeting (same on every page that shows it).
pub fn item_body(world: &World, m: &Meeting, i: usize) -> ItemBody {
    let c = &world.councils[m.council];
    let it = &m.items[i];
    let mut rng = Rng::new(it.seed);
    let ctx = Ctx { council: c, year: m.date.year, gap: " " };
    let mut voice = Voice::default();
    let mut b = ItemBody::default();
    let cllr = |rng: &mut Rng| text::councillor(rng, c);
    match it.kind {
        Kind::Apologies => {
            b.description.push(Para::Text("To note any apologies sent by Members.".into()));
            b.minutes.push(Para::Text(match rng.below(3) {
                0 => "There were no apologies for absence.".into(),
                k => {
                    let first = cllr(&mut rng);
                    let mut second = cllr(&mut rng);
                    while second == first {
                        second = cllr(&mut rng);
                    }
                    if k == 1 {
                        format!("{first} and {second} had sent apologies.")
                    } else {
                        format!("{first} sent apologies and {second} attended in their place.")
                    }
                }
            }));
        }
        Kind::Declarations => {
            b.description.push(Para::Text(
                "Members are asked to declare any personal or prejudicial interests in items on this agenda.".into(),
            ));
            b.minutes.push(Para::Text(if rng.chance(0.6) {
                "No declarations of interest were made.".into()
            } else {
                // A reference to another item: a trap for item-number extraction.
                format!(
                    "{} declared a personal interest in item {} as a governor of a local school.",
                    cllr(&mut rng),
                    rng.range(4, 12)
                )
            }));
        }
        Kind::Minutes => {
            let prev = m.prev.unwrap_or(m.date.add_days(-42));
            b.description
                .push(Para::Text(format!("To agree the minutes of the last meeting, held on {}.", prev.plain())));
            b.minutes.push(Para::Text(format!(
                "The minutes of the last meeting, held on {}, were approved and the Chair signed them as a true record.",
                prev.plain()
            )));
            b.resolved.push("That the minutes be approved.".into());
        }
        Kind::Urgent => {
            b.description
                .push(Para::Text("The Chair will report on any urgent items accepted for consideration.".into()));
            b.minutes.push(Para::Text("There was no urgent business.".into()));
        }
        Kind::Chair => {
            b.minutes.push(Para::Text(format!(
                "The Chair welcomed {} to the meeting. {}",
                text::officer(&mut rng, c),
                text::paragraph(&mut rng, &ctx, &[], 0.0, 1, &mut voice)
            )));
        }
        Kind::Public => {
            b.description.push(Para::Text("To receive questions from members of the public.".into()));
            b.minutes.push(Para::Text("No questions had been received from members of the public.".into()));
        }
        Kind::WorkProgramme => {
            b.description.push(Para::Text("To consider the work programme for the remainder of the year.".into()));
            let mut s = String::from("Members discussed the work programme and agreed to add ");
            s.push_str(&vocab::capitalise(rng.pick(vocab::GENERAL_ITEM_TITLES)).to_lowercase());
            s.push_str(" to a future agenda.");
            b.minutes.push(Para::Text(s));
            b.resolved.push("That the work programme be agreed.".into());
        }
        Kind::NextMeeting => {
            b.minutes.push(Para::Text(format!("The next meeting will take place on {}.", m.next.long(c.date_style))));
        }
        Kind::Exclusion => {
            b.description.push(Para::Text(
                "To resolve that the press and public be excluded for the following item because it involves exempt information.".into(),
            ));
            b.resolved.push("That the press and public be excluded from the meeting for the remaining item.".into());
        }
        Kind::General | Kind::Topical => substantive(&mut rng, &ctx, it, &mut voice, &mut b),
    }
    b
}

fn substantive(rng: &mut Rng, ctx: &Ctx, it: &ItemPlan, voice: &mut Voice, b: &mut ItemBody) {
    let c = ctx.council;
    let role = rng.pick(vocab::ROLES);
    let mut d = format!(
        "To receive {} from the {role}",
        rng.pick(&["a report", "an update", "a presentation", "the annual report"])
    );
    if let Some(&t) = it.topics.first() {
        d.push_str(" on ");
        text::topic_phrase(rng, ctx.year, t, voice, &mut d);
    }
    d.push('.');
    // Every topic is named in the description, which every layout shows.
    for &t in it.topics.iter().skip(1) {
        d.push(' ');
        text::topic_sentence(rng, ctx, t, voice, &mut d);
    }
    if rng.chance(0.6) {
        d.push(' ');
        let sentences = rng.range(1, 2);
        d.push_str(&text::paragraph(rng, ctx, &it.topics, 0.4, sentences, voice));
    }
    b.description.push(Para::Text(d));
    for k in 0..rng.below(3) {
        let mut s = String::new();
        let _ = write!(s, "Appendix {} - {}", (b'A' + k as u8) as char, vocab::capitalise(rng.pick(vocab::NOUNS)));
        if rng.chance(0.8) {
            let _ = write!(s, " pdf icon PDF {}", pdf_size(rng));
        }
        b.documents.push(s);
    }

    let paras = (rng.lognormal(4.0, 0.6).round() as usize).clamp(1, 14);
    for p in 0..paras {
        if p == 0 {
            let mut s = format!("{} presented the report.", text::officer(rng, c));
            for &t in &it.topics {
                s.push(' ');
                text::topic_sentence(rng, ctx, t, voice, &mut s);
            }
            s.push(' ');
            let sentences = rng.range(1, 4);
            s.push_str(&text::paragraph(rng, ctx, &it.topics, 0.3, sentences, voice));
            b.minutes.push(Para::Text(s));
        } else if rng.chance(0.15) {
            let lead = format!("The main points of the {} were:", rng.pick(&["report", "presentation", "discussion"]));
            let points = (0..rng.range(2, 5))
                .map(|_| {
                    let topic = (!it.topics.is_empty() && rng.chance(0.4)).then(|| rng.pick(&it.topics));
                    text::bullet(rng, ctx, topic, voice)
                })
                .collect();
            b.minutes.push(Para::Bullets(lead, points));
        } else {
            let n = rng.range(2, 6);
            b.minutes.push(Para::Text(text::paragraph(rng, ctx, &it.topics, 0.3, n, voice)));
        }
    }
    for _ in 0..rng.range(1, 3) {
        let r = text::resolution(rng, ctx, &it.topics, voice);
        if !b.resolved.contains(&r) {
            b.resolved.push(r);
        }
    }
}

/// All text of a body flattened to one line (table rows, decision summaries).
pub fn flatten(paras: &[Para]) -> String {
    let mut out = String::new();
    for p in paras {
        if !out.is_empty() {
            out.push(' ');
        }
        match p {
            Para::Text(s) => out.push_str(s),
            Para::Bullets(lead, pts) => {
                out.push_str(lead);
                for x in pts {
                    out.push(' ');
                    out.push_str(x);
                }
            }
        }
    }
    out
}

/// Topic keys of an item.
pub fn topic_keys(topics: &[usize]) -> Vec<&'static str> {
    topics.iter().map(|&t| TOPICS[t].key).collect()
}
