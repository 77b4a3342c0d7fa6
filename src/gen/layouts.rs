//! The seven page layouts: each turns a spec into page blocks plus what the page states.
//!
//! Structure follows the real formats in shared/corpus/README.md ("Formats seen"); every
//! sentence comes from our own generator.

use super::calendar::{format_time, Date, DateStyle};
use super::meeting::{self, flatten, item_body, plan_meeting, ItemBody, Meeting, Para};
use super::page::{Blank, Block, BulletStyle, Page};
use super::rng::Rng;
use super::text::{self, Ctx, Voice};
use super::vocab::{self, TOPICS};
use super::world::{Council, Numbering, World};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Layout {
    /// ModernGov "Agenda and minutes" list page with numbered items.
    Meeting,
    /// The same list flattened to a `No. | Item |` table.
    MeetingTable,
    /// "Agenda item" page (mgAi).
    AgendaItem,
    /// "Issue - meetings" page.
    Issue,
    /// "Decision details" page.
    Decision,
    /// Report with headed sections (partnership annual reports, strategies).
    BoardReport,
    /// Legacy "Meeting documents" page with an embedded report.
    Legacy,
}

/// Labels used in HTML chrome (`<title>`, breadcrumb).
pub const CHROME_LABELS: &[&str] = &[
    "Agenda and minutes",
    "Meeting",
    "Agenda item",
    "Issue - meetings",
    "Decision details",
    "Document",
    "Meeting documents",
];

impl Layout {
    pub const ALL: [Layout; 7] = [
        Layout::Meeting,
        Layout::MeetingTable,
        Layout::AgendaItem,
        Layout::Issue,
        Layout::Decision,
        Layout::BoardReport,
        Layout::Legacy,
    ];

    /// Share of files (before the final size-matching pages).
    pub fn share(self) -> f64 {
        match self {
            Layout::Meeting => 0.33,
            Layout::MeetingTable => 0.10,
            Layout::AgendaItem => 0.17,
            Layout::Issue => 0.10,
            Layout::Decision => 0.10,
            Layout::BoardReport => 0.12,
            Layout::Legacy => 0.08,
        }
    }

    /// The `layout` value in planted.jsonl.
    pub fn name(self) -> &'static str {
        match self {
            Layout::Meeting => "meeting",
            Layout::MeetingTable => "meeting_table",
            Layout::AgendaItem => "agenda_item",
            Layout::Issue => "issue",
            Layout::Decision => "decision",
            Layout::BoardReport => "board_report",
            Layout::Legacy => "legacy",
        }
    }

    pub fn file_stem(self) -> &'static str {
        match self {
            Layout::Meeting | Layout::MeetingTable => "ieListDocuments",
            Layout::AgendaItem => "mgAi",
            Layout::Issue => "ieIssueDetails",
            Layout::Decision => "ieDecisionDetails",
            Layout::BoardReport => "report",
            Layout::Legacy => "CeListDocuments",
        }
    }

    pub fn chrome_label(self) -> &'static str {
        match self {
            Layout::Meeting => CHROME_LABELS[0],
            Layout::MeetingTable => CHROME_LABELS[1],
            Layout::AgendaItem => CHROME_LABELS[2],
            Layout::Issue => CHROME_LABELS[3],
            Layout::Decision => CHROME_LABELS[4],
            Layout::BoardReport => CHROME_LABELS[5],
            Layout::Legacy => CHROME_LABELS[6],
        }
    }
}

/// One planted item.
#[derive(Debug, Clone)]
pub struct PlantedItem {
    pub number: Option<String>,
    pub title: String,
    pub topics: Vec<&'static str>,
}

/// A built page and what it states.
pub struct Built {
    pub page: Page,
    pub committee: Option<String>,
    pub meeting_date: Option<Date>,
    pub page_type: String,
    pub url: String,
    pub items: Vec<PlantedItem>,
    /// Year for the HTML footer.
    pub year: i32,
    /// The meeting's committee and date even where the page does not state them (for
    /// sidecars, which a reader prefers to the text).
    pub true_committee: Option<String>,
    pub true_date: Option<Date>,
}

/// What to build.
pub struct Spec {
    pub layout: Layout,
    pub council: usize,
    /// Wanted length of the visible text in bytes (free-size layouts only).
    pub target: usize,
    pub html: bool,
    /// Name the council in the text.
    pub states_council: bool,
}

/// Meeting pages never grow past this (the largest pages are ~50 KB).
const MAX_CONTENT: usize = 47_000;

struct Style {
    spacer: f64,
    dash: &'static str,
    resolved_label: &'static str,
}

fn page_and_style(rng: &mut Rng, compact: bool) -> (Page, Style) {
    let blank = rng.pick(&[Blank::Empty, Blank::Space, Blank::Nbsp, Blank::Nbsp]);
    let bullets = rng.pick(&[BulletStyle::MiddleDot, BulletStyle::Bullet, BulletStyle::Dash]);
    let style = Style {
        spacer: if rng.chance(0.4) { 0.3 } else { 0.0 },
        dash: if rng.chance(0.6) { "–" } else { "-" },
        resolved_label: rng.pick(&["RESOLVED", "RESOLVED", "Resolved", "RESOLVED THAT"]),
    };
    (Page::new(compact, blank, bullets), style)
}

pub fn build(world: &World, spec: &Spec, rng: &mut Rng) -> Built {
    match spec.layout {
        Layout::Meeting => meeting_list(world, spec, rng, false),
        Layout::MeetingTable => meeting_list(world, spec, rng, true),
        Layout::AgendaItem => agenda_item(world, spec, rng),
        Layout::Issue => issue(world, spec, rng),
        Layout::Decision => decision(world, spec, rng),
        Layout::BoardReport => board_report(world, spec, rng),
        Layout::Legacy => legacy(world, spec, rng),
    }
}

fn pick_meeting(world: &World, council: usize, rng: &mut Rng, decision_maker: bool) -> Meeting {
    let c = &world.councils[council];
    let committee = if decision_maker && rng.chance(0.85) { c.decision_maker } else { rng.weighted(&c.committee_cum) };
    let seq = rng.below(c.meetings(committee, world.years()) as usize) as u32;
    plan_meeting(world, council, committee, seq)
}

fn time_of(c: &Council, m: &Meeting) -> String {
    let com = &c.committees[m.committee];
    format_time(com.hour, com.minute, c.time_style)
}

fn council_header(page: &mut Page, c: &Council, spec: &Spec, rng: &mut Rng) -> bool {
    let header = spec.states_council && rng.chance(0.5);
    if header {
        page.line(c.name.clone());
    }
    header
}

fn council_footer(page: &mut Page, c: &Council, spec: &Spec, rng: &mut Rng, done: bool) {
    if spec.states_council && !done {
        let s = match rng.below(3) {
            0 => format!("Democratic Services, {}", c.name),
            1 => format!("Published by {}", c.name),
            _ => c.name.clone(),
        };
        page.line(s);
    }
}

fn push_paras(page: &mut Page, paras: &[Para], st: &Style, rng: &mut Rng, mut numbered: Option<(u32, &mut u32)>) {
    for p in paras {
        match p {
            Para::Text(s) => match numbered.as_mut() {
                Some((base, k)) => {
                    **k += 1;
                    page.para(format!("{base}.{} {s}", **k));
                }
                None => page.para(s.clone()),
            },
            Para::Bullets(lead, pts) => {
                page.para(lead.clone());
                page.push(Block::Bullets(pts.clone()));
            }
        }
        if rng.chance(st.spacer) {
            page.push(Block::Blank);
        }
    }
}

fn push_resolved(page: &mut Page, resolved: &[String], st: &Style) {
    match resolved {
        [] => {}
        [one] => page.para(format!("{} {} {one}", st.resolved_label, st.dash)),
        many => {
            page.para(format!("{}:", st.resolved_label));
            for (i, r) in many.iter().enumerate() {
                page.para(format!("({}) {r}", i + 1));
            }
        }
    }
}

fn url_list(c: &Council, m: &Meeting) -> String {
    format!("https://{}/ieListDocuments.aspx?CId={}&MId={}&Ver=4", c.host, 100 + m.committee, m.mid)
}

fn date_line(c: &Council, m: &Meeting) -> String {
    format!("{} {}", m.date.long(c.date_style), time_of(c, m))
}

// ---------------------------------------------------------------- 1 and 2: meeting lists

fn meeting_list(world: &World, spec: &Spec, rng: &mut Rng, table: bool) -> Built {
    let c = &world.councils[spec.council];
    let m = pick_meeting(world, spec.council, rng, false);
    let com = &c.committees[m.committee];
    let (mut page, st) = page_and_style(rng, false);
    let decision_maker = m.committee == c.decision_maker;
    let heading = if decision_maker {
        rng.pick(&["Agenda, decisions and minutes", "Agenda and decisions", "Agenda and minutes"])
    } else {
        rng.pick(&["Agenda and minutes", "Agenda and minutes", "Agenda and minutes", "Agenda and draft minutes"])
    };
    let with_minutes = heading != "Agenda and decisions";
    let with_decisions = heading.contains("decisions");
    let header_done = council_header(&mut page, c, spec, rng);

    let mut states_meeting = true;
    if table {
        states_meeting = rng.chance(0.7);
    } else {
        if rng.chance(0.1) {
            page.line(format!("Home > {heading}"));
        }
        page.push(Block::Heading(1, heading.to_string()));
        if rng.chance(0.03) {
            page.push(Block::Heading(1, heading.to_string()));
        }
        if rng.chance(0.05) {
            // Page shows no meeting title (seen in the wild): committee and date unknown.
            states_meeting = false;
        }
    }
    if states_meeting {
        if c.one_line_title && !table {
            page.push(Block::Heading(2, format!("{} - {}", com.name, date_line(c, &m))));
        } else if spec.html {
            page.push(Block::Heading(2, com.name.clone()));
            page.line(date_line(c, &m));
        } else {
            page.line(format!("{}\n{}", com.name, date_line(c, &m)));
        }
    }
    if !table && rng.chance(0.2) {
        page.line("Committee papers can also be read in the modern.gov app on a tablet or phone.");
    }
    if !table || rng.chance(0.6) {
        if (2020..=2021).contains(&m.date.year) && rng.chance(0.5) {
            page.line("Venue: This meeting will be held online.");
        } else {
            page.line(format!("Venue: {}. View directions", c.venue));
        }
        let contact = rng.pick_ref(&c.officers).clone();
        let email = if rng.chance(0.5) {
            format!("  Email: {}@{}", contact.to_lowercase().replace(' ', "."), c.email_domain)
        } else {
            "  Email:".into()
        };
        let phone = if rng.chance(0.5) { format!("\n{}", c.phone) } else { String::new() };
        page.line(format!("Contact: {contact}{phone}{email}"));
    }
    if !table && m.date.year >= 2014 && rng.chance(0.15) {
        page.line("Webcast: Watch the recording of this meeting");
    }

    let mut items = Vec::new();
    let show_numbers = c.numbering != Numbering::Dropped && !table;
    if table {
        let mut rows = Vec::new();
        let spacer_rows = rng.chance(0.7);
        let mut len = page.approx_len();
        for (i, it) in m.items.iter().enumerate() {
            if len > MAX_CONTENT {
                break;
            }
            let b = item_body(world, &m, i);
            let mut cell = it.title.clone();
            if rng.chance(0.5) {
                cell.push_str(&it.pdf);
            }
            let desc = flatten(&b.description);
            if !desc.is_empty() {
                cell.push(' ');
                cell.push_str(&desc);
            }
            if !b.documents.is_empty() {
                cell.push_str(" Additional documents:");
            }
            if with_minutes && !b.minutes.is_empty() {
                cell.push_str(" Minutes: ");
                cell.push_str(&flatten(&b.minutes));
            }
            if let Some(r) = b.resolved.first() {
                cell.push_str(&format!(" {} {} {r}", st.resolved_label, st.dash));
            }
            len += cell.len() + 8;
            rows.push(vec![String::new(), cell]);
            if spacer_rows {
                rows.push(vec![String::new(), String::new()]);
            }
            items.push(PlantedItem { number: None, title: it.title.clone(), topics: meeting::topic_keys(&it.topics) });
        }
        page.push(Block::Table(vec!["No.".into(), "Item".into()], rows));
    } else {
        if rng.chance(0.7) {
            page.line("Items");
        }
        page.line("No. Item");
        for (i, it) in m.items.iter().enumerate() {
            if page.approx_len() > MAX_CONTENT {
                break;
            }
            let b = item_body(world, &m, i);
            if show_numbers {
                page.line(it.shown.clone());
            }
            page.push(Block::Heading(3, format!("{}{}", it.title, it.pdf)));
            push_paras(&mut page, &b.description, &st, rng, None);
            if !b.documents.is_empty() {
                page.line("Additional documents:");
                for d in &b.documents {
                    page.line(d.clone());
                }
            }
            if with_decisions && it.kind.substantive() {
                page.line("Decision:");
                push_resolved(&mut page, &b.resolved, &st);
            }
            if with_minutes && !b.minutes.is_empty() {
                // Some skins drop the "Minutes:" label (numbers-dropped councils do).
                if c.numbering != Numbering::Dropped {
                    page.line("Minutes:");
                }
                push_paras(&mut page, &b.minutes, &st, rng, None);
                if !with_decisions || !it.kind.substantive() {
                    push_resolved(&mut page, &b.resolved, &st);
                }
            }
            items.push(PlantedItem {
                number: show_numbers.then(|| it.number.clone()),
                title: it.title.clone(),
                topics: meeting::topic_keys(&it.topics),
            });
        }
    }
    council_footer(&mut page, c, spec, rng, header_done);
    Built {
        page,
        committee: states_meeting.then(|| com.name.clone()),
        meeting_date: states_meeting.then_some(m.date),
        page_type: if table { "other".into() } else { heading.into() },
        url: url_list(c, &m),
        items,
        year: m.date.year,
        true_committee: Some(com.name.clone()),
        true_date: Some(m.date),
    }
}

// ---------------------------------------------------------------- 3: agenda item

/// A report item of the meeting (every plan has at least one).
fn pick_item(rng: &mut Rng, m: &Meeting) -> usize {
    let subs: Vec<usize> = (0..m.items.len()).filter(|&i| m.items[i].kind.substantive()).collect();
    if subs.is_empty() {
        rng.below(m.items.len())
    } else {
        rng.pick(&subs)
    }
}

fn agenda_item(world: &World, spec: &Spec, rng: &mut Rng) -> Built {
    let c = &world.councils[spec.council];
    let m = pick_meeting(world, spec.council, rng, false);
    let com = &c.committees[m.committee];
    let i = pick_item(rng, &m);
    let it = &m.items[i];
    let b = item_body(world, &m, i);
    let (mut page, st) = page_and_style(rng, false);
    let header_done = council_header(&mut page, c, spec, rng);
    if rng.chance(0.1) {
        page.line("Home > Agenda item");
    }
    page.push(Block::Heading(1, "Agenda item".into()));
    if rng.chance(0.03) {
        page.push(Block::Heading(1, "Agenda item".into()));
    }
    page.push(Block::Heading(2, it.title.clone()));
    let meeting_line = rng.chance(0.4);
    let mut number = None;
    if meeting_line {
        page.line(format!("- Meeting of {}, {} (Item {})", com.name, date_line(c, &m), it.number));
        number = Some(it.number.clone());
    }
    push_paras(&mut page, &b.description, &st, rng, None);
    page.line("Minutes:");
    let mut k = 0;
    let numbered = it.para_base.filter(|_| rng.chance(0.6));
    if let Some(base) = numbered {
        number = Some(base.to_string());
        push_paras(&mut page, &b.minutes, &st, rng, Some((base, &mut k)));
    } else {
        push_paras(&mut page, &b.minutes, &st, rng, None);
    }
    push_resolved(&mut page, &b.resolved, &st);
    page.line("Supporting documents:");
    if b.documents.is_empty() {
        page.line(format!("{}{}", it.title, if it.pdf.is_empty() { " PDF 96 KB" } else { &it.pdf }));
    }
    for d in &b.documents {
        page.line(d.clone());
    }
    council_footer(&mut page, c, spec, rng, header_done);
    Built {
        page,
        committee: meeting_line.then(|| com.name.clone()),
        meeting_date: meeting_line.then_some(m.date),
        page_type: "Agenda item".into(),
        url: format!("https://{}/mgAi.aspx?ID={}", c.host, m.mid * 100 + i as u64),
        items: vec![PlantedItem { number, title: it.title.clone(), topics: meeting::topic_keys(&it.topics) }],
        year: m.date.year,
        true_committee: Some(com.name.clone()),
        true_date: Some(m.date),
    }
}

// ---------------------------------------------------------------- 4: issue

fn issue(world: &World, spec: &Spec, rng: &mut Rng) -> Built {
    let c = &world.councils[spec.council];
    let to_decision_maker = rng.chance(0.4);
    let m = pick_meeting(world, spec.council, rng, to_decision_maker);
    let com = &c.committees[m.committee];
    let i = pick_item(rng, &m);
    let it = &m.items[i];
    let b = item_body(world, &m, i);
    let (mut page, st) = page_and_style(rng, false);
    let header_done = council_header(&mut page, c, spec, rng);
    page.push(Block::Heading(1, "Issue - meetings".into()));
    if rng.chance(0.95) {
        page.push(Block::Heading(2, it.title.clone()));
    } else {
        page.push(Block::Blank);
    }
    page.line(format!("Meeting: {} - {} (Item {})", m.date.slash(), com.name, it.number));
    page.push(Block::Heading(3, format!("{} {}{}", it.number, it.title, it.pdf)));
    let decision_maker = m.committee == c.decision_maker;
    if decision_maker && rng.chance(0.5) {
        page.line(format!("Cabinet Member: {}", text::councillor(rng, c)));
    }
    push_paras(&mut page, &b.description, &st, rng, None);
    if !b.documents.is_empty() {
        page.line("Additional documents:");
        for d in &b.documents {
            page.line(d.clone());
        }
    }
    if decision_maker {
        page.line("Decision:");
        push_resolved(&mut page, &b.resolved, &st);
    }
    page.line("Minutes:");
    push_paras(&mut page, &b.minutes, &st, rng, None);
    push_resolved(&mut page, &b.resolved, &st);
    council_footer(&mut page, c, spec, rng, header_done);
    Built {
        page,
        committee: Some(com.name.clone()),
        meeting_date: Some(m.date),
        page_type: "Issue - meetings".into(),
        url: format!("https://{}/ieIssueDetails.aspx?IId={}&Opt=0", c.host, m.mid * 100 + i as u64),
        items: vec![PlantedItem {
            number: Some(it.number.clone()),
            title: it.title.clone(),
            topics: meeting::topic_keys(&it.topics),
        }],
        year: m.date.year,
        true_committee: Some(com.name.clone()),
        true_date: Some(m.date),
    }
}

// ---------------------------------------------------------------- 5: decision (free size)

/// Appends paragraphs (about `topics`) until the page reaches `until` bytes.
fn fill(page: &mut Page, rng: &mut Rng, ctx: &Ctx, topics: &[usize], voice: &mut Voice, until: usize, st: &Style) {
    while page.approx_len() < until {
        let room = until - page.approx_len();
        let n = (room / 110).clamp(1, 5);
        let sentences = rng.range(1, n);
        page.para(text::paragraph(rng, ctx, topics, 0.3, sentences, voice));
        if rng.chance(st.spacer) {
            page.push(Block::Blank);
        }
    }
}

fn decision(world: &World, spec: &Spec, rng: &mut Rng) -> Built {
    let c = &world.councils[spec.council];
    let m = pick_meeting(world, spec.council, rng, true);
    let com = &c.committees[m.committee];
    let i = pick_item(rng, &m);
    let it = &m.items[i];
    let b: ItemBody = item_body(world, &m, i);
    let (mut page, st) = page_and_style(rng, false);
    let ctx = Ctx { council: c, year: m.date.year, gap: if rng.chance(0.15) { "  " } else { " " } };
    let mut voice = Voice::default();
    let header_done = council_header(&mut page, c, spec, rng);
    page.push(Block::Heading(1, "Decision details".into()));
    page.push(Block::Heading(2, it.title.clone()));
    page.line(format!("Decision Maker: {}", com.name));
    page.line(format!("Decision status: {}", rng.pick(vocab::DECISION_STATUSES)));
    page.line(format!("Is Key decision?: {}", if rng.chance(0.4) { "Yes" } else { "No" }));
    page.line(format!("Is subject to call in?: {}", if rng.chance(0.6) { "Yes" } else { "No" }));
    page.line("Purpose:");
    push_paras(&mut page, &b.description, &st, rng, None);
    page.line("Decision:");
    for (k, r) in b.resolved.iter().enumerate() {
        page.para(format!("({}) {r}", k + 1));
    }
    page.line("Reasons for the decision:");
    let pub_date = m.date.add_days(rng.range(1, 6) as i64);
    let tail = [
        format!("Report author: {}", rng.pick_ref(&c.officers)),
        format!("Publication date: {}", pub_date.slash()),
        format!("Date of decision: {}", m.date.slash()),
        format!("Decided at meeting: {} - {}", m.date.slash(), com.name),
    ];
    let reserve = tail.iter().map(|s| s.len() + 2).sum::<usize>() + 120;
    let sentences = rng.range(1, 3);
    page.para(text::paragraph(rng, &ctx, &it.topics, 0.5, sentences, &mut voice));
    fill(&mut page, rng, &ctx, &it.topics, &mut voice, spec.target.saturating_sub(reserve), &st);
    for t in tail {
        page.line(t);
    }
    if rng.chance(0.6) {
        page.line(format!("Effective from: {}", m.date.add_days(8).slash()));
    }
    if !b.documents.is_empty() {
        page.line("Accompanying Documents:");
        for d in &b.documents {
            page.line(d.clone());
        }
    }
    council_footer(&mut page, c, spec, rng, header_done);
    Built {
        page,
        committee: Some(com.name.clone()),
        meeting_date: Some(m.date),
        page_type: "Decision details".into(),
        url: format!("https://{}/ieDecisionDetails.aspx?ID={}", c.host, m.mid * 100 + i as u64),
        items: vec![PlantedItem { number: None, title: it.title.clone(), topics: meeting::topic_keys(&it.topics) }],
        year: m.date.year,
        true_committee: Some(com.name.clone()),
        true_date: Some(m.date),
    }
}

// ---------------------------------------------------------------- 6: board report (free size)

#[derive(Clone, Copy)]
enum HeadingStyle {
    Numbered,
    Upper,
    Plain,
}

fn heading_text(style: HeadingStyle, n: usize, title: &str) -> String {
    match style {
        HeadingStyle::Numbered => format!("{n}. {title}"),
        HeadingStyle::Upper => title.to_uppercase(),
        HeadingStyle::Plain => title.to_string(),
    }
}

fn board_report(world: &World, spec: &Spec, rng: &mut Rng) -> Built {
    let c = &world.councils[spec.council];
    let year = world.first_year + rng.below(world.years() as usize) as i32;
    let yy = (year + 1).rem_euclid(100);
    let n_topics = rng.range(2, 6);
    let mut topics = text::draw_topics(rng, year, n_topics);
    let partnership_key = TOPICS.iter().position(|t| t.key == "safeguarding_partnership").unwrap_or(0);
    let (title, intro_topics) = match rng.below(3) {
        0 => {
            topics.retain(|&t| t != partnership_key);
            (format!("{} Annual Report {year}/{yy:02}", c.partnership(year)), vec![partnership_key])
        }
        1 => {
            let t = topics[0];
            (format!("{} {} Strategy {year}-{}", c.place, TOPICS[t].titles[0], year + 3), vec![t])
        }
        _ => {
            let t = topics[0];
            (format!("Annual Report: {} {year}/{yy:02}", TOPICS[t].titles[0]), vec![t])
        }
    };
    let compact = rng.chance(0.3);
    let (mut page, st) = page_and_style(rng, compact);
    let ctx = Ctx { council: c, year, gap: if rng.chance(0.2) { "  " } else { " " } };
    let mut voice = Voice::default();
    page.push(Block::Heading(1, title));
    let header_done = spec.states_council && rng.chance(0.6);
    if header_done {
        page.line(c.name.clone());
    }
    let hs = rng.pick(&[HeadingStyle::Numbered, HeadingStyle::Numbered, HeadingStyle::Upper, HeadingStyle::Plain]);

    // Section plan: introduction, topic sections and general ones, ending with a conclusion.
    let mut plan: Vec<(String, Vec<usize>)> = vec![("Introduction".into(), intro_topics)];
    let mut general = vocab::REPORT_SECTION_TITLES[1..vocab::REPORT_SECTION_TITLES.len() - 1].to_vec();
    for i in (1..general.len()).rev() {
        general.swap(i, rng.below(i + 1));
    }
    let mut g = general.into_iter();
    for &t in &topics {
        plan.push((rng.pick(TOPICS[t].titles).to_string(), vec![t]));
        if rng.chance(0.4) {
            if let Some(s) = g.next() {
                plan.push((s.to_string(), vec![]));
            }
        }
    }
    plan.push(("Conclusion".into(), vec![]));
    let per_section = (spec.target / plan.len()).max(300);

    if rng.chance(0.3) {
        page.line("Contents");
        for (n, (t, _)) in plan.iter().enumerate() {
            page.line(format!("{}. {t}", n + 1));
        }
    }
    let mut items = Vec::new();
    for (n, (t, tops)) in plan.iter().enumerate() {
        let h = heading_text(hs, n + 1, t);
        page.push(Block::Heading(2, h.clone()));
        let start = page.approx_len();
        let mut first = String::new();
        for &tp in tops {
            text::topic_sentence(rng, &ctx, tp, &mut voice, &mut first);
            first.push(' ');
        }
        let sentences = rng.range(1, 3);
        first.push_str(&text::paragraph(rng, &ctx, tops, 0.4, sentences, &mut voice));
        page.para(first);
        if rng.chance(0.3) {
            let pts = (0..rng.range(2, 5))
                .map(|_| {
                    let topic = (!tops.is_empty() && rng.chance(0.5)).then(|| tops[0]);
                    text::bullet(rng, &ctx, topic, &mut voice)
                })
                .collect();
            page.push(Block::Bullets(pts));
        }
        fill(&mut page, rng, &ctx, tops, &mut voice, start + per_section, &st);
        items.push(PlantedItem { number: None, title: h, topics: meeting::topic_keys(tops) });
    }
    council_footer(&mut page, c, spec, rng, header_done);
    Built {
        page,
        committee: None,
        meeting_date: None,
        page_type: "other".into(),
        url: format!("https://{}/documents/s{}/report-{year}.pdf", c.host, rng.range(10_000, 99_999)),
        items,
        year,
        true_committee: None,
        true_date: None,
    }
}

// ---------------------------------------------------------------- 7: legacy (free size)

fn legacy(world: &World, spec: &Spec, rng: &mut Rng) -> Built {
    let c = &world.councils[spec.council];
    let committee = rng.weighted(&c.committee_cum);
    let com = &c.committees[committee];
    // Old committee systems: keep to the early years of the range.
    let last = world.last_year.min(world.first_year.max(2010));
    let year = world.first_year + rng.below((last - world.first_year + 1) as usize) as i32;
    let seq = (year - world.first_year) as u32 * com.per_year + rng.below(com.per_year as usize) as u32;
    let m = plan_meeting(world, spec.council, committee, seq);
    let compact = rng.chance(0.5);
    let (mut page, st) = page_and_style(rng, compact);
    let ctx = Ctx { council: c, year: m.date.year, gap: if rng.chance(0.3) { "  " } else { " " } };
    let mut voice = Voice::default();
    let n_topics = rng.range(1, 2);
    let topics = text::draw_topics(rng, m.date.year, n_topics);
    let title = format!(
        "{}{}",
        rng.pick(TOPICS[topics[0]].titles),
        rng.pick(&[" - Annual Report", " - Progress Report", "", " Review"])
    );
    page.push(Block::Heading(1, "Meeting documents".into()));
    page.line(com.name.clone());
    let style = rng.pick(&[DateStyle::Plain, DateStyle::CommaOrdinal, DateStyle::Upper]);
    page.line(m.date.long(style));
    let mut number = None;
    let mut header_done = false;
    if rng.chance(0.5) {
        page.line(format!("Date of meeting: {}", m.date.dots2()));
        page.line("Document type: Report");
        page.line(format!("Committee: {}", com.name));
        page.line(format!("Title: {title}"));
        page.line("Report text (plain text version)");
    } else {
        if spec.states_council {
            page.line(c.name.clone());
            header_done = true;
        }
        let paper = rng.range(3, 60);
        number = Some(paper.to_string());
        for l in ["MEETING:".to_string(), com.name.clone(), "DATE:".into(), m.date.plain(), "PAPER NUMBER".into()] {
            page.line(l);
        }
        page.line(paper.to_string());
        page.line("TITLE:");
        page.line(title.clone());
        page.line("WARD:");
        page.line("All");
        page.line("PUBLIC REPORT");
    }
    let sections = vocab::LEGACY_SECTION_TITLES;
    let per = (spec.target / sections.len()).max(250);
    for (n, s) in sections.iter().enumerate() {
        page.line(format!("{} {s}", n + 1));
        let stop = page.approx_len() + per;
        let mut k = 0;
        while page.approx_len() < stop || k == 0 {
            k += 1;
            let tops: &[usize] = if n == 0 || n == 2 || rng.chance(0.4) { &topics } else { &[] };
            let sentences = rng.range(1, 4);
            let mut p = String::new();
            if n == 0 && k == 1 {
                // The report names each of its topics in its first paragraph.
                for &t in &topics {
                    text::topic_sentence(rng, &ctx, t, &mut voice, &mut p);
                    p.push_str(ctx.gap);
                }
            }
            p.push_str(&text::paragraph(rng, &ctx, tops, 0.35, sentences, &mut voice));
            page.para(format!("{}.{k} {p}", n + 1));
            if rng.chance(st.spacer) {
                page.push(Block::Blank);
            }
        }
    }
    council_footer(&mut page, c, spec, rng, header_done);
    Built {
        page,
        committee: Some(com.name.clone()),
        meeting_date: Some(m.date),
        page_type: "Meeting documents".into(),
        url: format!(
            "https://{}/CeListDocuments.aspx?CommitteeId={}&MeetingId={}&DF={}&Ver=2",
            c.host,
            100 + committee,
            m.mid,
            m.date.slash()
        ),
        items: vec![PlantedItem { number, title, topics: meeting::topic_keys(&topics) }],
        year: m.date.year,
        true_committee: Some(com.name.clone()),
        true_date: Some(m.date),
    }
}
