//! The fictional world: councils, their committees and house styles, and meeting schedules.
//!
//! Built once from the config seed. A meeting is identified by (council, committee, seq) and
//! its date is a pure function of those, so every page about the same meeting agrees.

use super::calendar::{nth_weekday, Date, DateStyle, TimeStyle};
use super::rng::{cumulative, derive_seed, Rng};
use super::vocab::{self, capitalise};
use std::collections::HashSet;

/// How a council prints agenda item numbers (one style per council).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Numbering {
    /// `35.` numbered through the municipal year
    Dot,
    /// `1346.` one running number since the system started
    Running,
    /// `33/17` number / two-digit year
    Slash,
    /// `16.CSE1` meeting number, committee code, item counter
    Code,
    /// `51a` one minute number with lettered parts
    Letter,
    /// numbers are dropped from list pages (still shown on issue pages)
    Dropped,
}

#[derive(Debug, Clone)]
pub struct Committee {
    pub name: String,
    /// Initials, for the `16.CSE1` numbering style.
    pub code: String,
    pub per_year: u32,
    pub weekday: usize,
    pub hour: u32,
    pub minute: u32,
    /// Share of substantive items that carry safeguarding topics.
    pub topical: f64,
}

#[derive(Debug, Clone)]
pub struct Council {
    pub name: String,
    /// Folder name; title-casing it (`-` -> space) gives `name` back.
    pub slug: String,
    pub place: String,
    pub host: String,
    pub email_domain: String,
    pub curly: bool,
    pub numbering: Numbering,
    pub date_style: DateStyle,
    pub time_style: TimeStyle,
    pub one_line_title: bool,
    /// Chance that a page names the council in its text.
    pub states_council: f64,
    pub manifest: bool,
    pub committees: Vec<Committee>,
    pub committee_cum: Vec<f64>,
    pub decision_maker: usize,
    pub councillors: Vec<String>,
    pub officers: Vec<String>,
    pub venue: String,
    pub phone: String,
}

impl Council {
    /// The safeguarding partnership's name in a given year (boards became partnerships in 2019).
    pub fn partnership(&self, year: i32) -> String {
        if year >= 2019 {
            format!("{} Safeguarding Children Partnership", self.place)
        } else {
            format!("{} Local Safeguarding Children Board", self.place)
        }
    }

    pub fn meetings(&self, committee: usize, years: u32) -> u32 {
        self.committees[committee].per_year * years
    }
}

#[derive(Debug)]
pub struct World {
    pub seed: u64,
    pub first_year: i32,
    pub last_year: i32,
    pub councils: Vec<Council>,
    pub council_cum: Vec<f64>,
}

impl World {
    pub fn new(seed: u64, councils: usize, committees: usize, first_year: i32, last_year: i32) -> World {
        let mut rng = Rng::derive(&[seed, 0x0057_4f52_4c44]); // "WORLD"
        let mut used = HashSet::new();
        let mut list = Vec::with_capacity(councils);
        for i in 0..councils {
            list.push(make_council(&mut rng, i, committees, &mut used));
        }
        let council_cum = cumulative((0..councils).map(|_| rng.lognormal(1.0, 0.5)));
        World { seed, first_year, last_year, councils: list, council_cum }
    }

    pub fn years(&self) -> u32 {
        (self.last_year - self.first_year + 1) as u32
    }

    /// Date and time of meeting `seq` of a committee: `per_year` meetings spread over each
    /// year, on the committee's weekday.
    pub fn meeting_date(&self, council: usize, committee: usize, seq: u32) -> Date {
        let c = &self.councils[council].committees[committee];
        let year = self.first_year + (seq / c.per_year) as i32;
        let j = seq % c.per_year;
        let span = 12 / c.per_year;
        let h = derive_seed(&[self.seed, council as u64, committee as u64, seq as u64]);
        let month = 1 + j * span + (h % u64::from(span.max(1))) as u32;
        nth_weekday(year, month.min(12), c.weekday, ((h >> 8) % 4) as u32)
    }
}

fn make_council(rng: &mut Rng, index: usize, n_committees: usize, used: &mut HashSet<String>) -> Council {
    // Unique place names; after many tries fall back to a numbered suffix word.
    let mut place = String::new();
    for attempt in 0.. {
        let base = format!("{}{}", rng.pick(vocab::PLACE_HEADS), rng.pick(vocab::PLACE_TAILS));
        let candidate = if attempt < 200 {
            format!("{}{}", rng.pick(vocab::PLACE_PREFIXES), base)
        } else {
            format!("{base} {}", capitalise(&vocab::pseudo_words()[index % vocab::PSEUDO_WORDS]))
        };
        if used.insert(candidate.clone()) {
            place = candidate;
            break;
        }
    }
    let kind = rng.pick(vocab::COUNCIL_KINDS);
    let name = format!("{place} {kind}");
    let slug = name.to_lowercase().replace(' ', "-");
    let bare = place.to_lowercase().replace(' ', "");
    let host = if rng.chance(0.6) { format!("moderngov.{bare}.example") } else { format!("democracy.{bare}.example") };
    let curly = rng.chance(0.35);
    let numbering = rng.pick(&[
        Numbering::Dot,
        Numbering::Dot,
        Numbering::Dot,
        Numbering::Running,
        Numbering::Slash,
        Numbering::Slash,
        Numbering::Code,
        Numbering::Letter,
        Numbering::Dropped,
        Numbering::Dropped,
    ]);
    let date_style = rng.pick(&[
        DateStyle::CommaOrdinal,
        DateStyle::CommaOrdinal,
        DateStyle::CommaOrdinal,
        DateStyle::Plain,
        DateStyle::Ordinal,
    ]);
    let time_style = rng.pick(&[
        TimeStyle::DotSpace,
        TimeStyle::DotSpace,
        TimeStyle::DotPeriods,
        TimeStyle::ColonTight,
        TimeStyle::DotTight,
    ]);

    let fix = |s: &str| {
        if curly {
            s.replace('\'', "’")
        } else {
            s.to_string()
        }
    };
    let mut names: Vec<String> = Vec::with_capacity(n_committees);
    names.push(fix(rng.pick(vocab::DECISION_MAKERS)));
    let mut pool: Vec<&str> = vocab::COMMITTEES.to_vec();
    // Fisher–Yates with our generator, so the draw is seed-stable.
    for i in (1..pool.len()).rev() {
        pool.swap(i, rng.below(i + 1));
    }
    let mut k = 0;
    while names.len() < n_committees {
        let name = if k < pool.len() {
            let mut n = fix(pool[k]);
            if n == "Corporate Parenting Panel" && rng.chance(0.4) {
                // A body whose name carries its own dates: a trap for date extraction.
                let from = 2004 + rng.below(8) as i32;
                n = format!("{n} (01/06/{from} - 31/05/{})", from + 10 + rng.below(5) as i32);
            }
            n
        } else {
            format!("{} Area Committee", capitalise(&vocab::pseudo_words()[(index * 31 + k) % vocab::PSEUDO_WORDS]))
        };
        k += 1;
        if !names.contains(&name) {
            names.push(name);
        }
    }
    let committees: Vec<Committee> = names
        .into_iter()
        .map(|name| {
            let code: String = name
                .split(|c: char| !c.is_alphanumeric())
                .filter_map(|w| w.chars().next())
                .filter(|c| c.is_ascii_uppercase())
                .collect();
            let per_year = rng.pick(&[4u32, 4, 6, 6, 6, 8, 10, 12]);
            let topical = if name.contains("Audit") || name.contains("Standards") || name.contains("Policy") {
                0.15
            } else {
                0.55 + 0.4 * rng.f64()
            };
            Committee {
                code: if code.is_empty() { "C".into() } else { code },
                per_year,
                weekday: rng.below(5),
                hour: rng.pick(&[10u32, 10, 14, 16, 17, 18, 19]),
                minute: rng.pick(&[0u32, 0, 0, 30]),
                topical,
                name,
            }
        })
        .collect();
    let committee_cum =
        cumulative((0..committees.len()).map(|i| if i == 0 { 1.5 } else { 1.0 / (i as f64).powf(0.6) }));

    let person = |rng: &mut Rng| {
        format!("{} {}{}", rng.pick(vocab::FIRST_NAMES), rng.pick(vocab::SURNAME_HEADS), rng.pick(vocab::SURNAME_TAILS))
    };
    let councillors = (0..14).map(|_| person(rng)).collect();
    let officers = (0..vocab::ROLES.len()).map(|_| person(rng)).collect();
    let postcode = format!(
        "{}Z{} {}{}{}",
        place.chars().last().map(|c| c.to_ascii_uppercase()).unwrap_or('Q'),
        1 + rng.below(9),
        1 + rng.below(9),
        (b'A' + rng.below(26) as u8) as char,
        (b'A' + rng.below(26) as u8) as char,
    );
    let venue = format!(
        "{}, {}, {}, {place} {postcode}",
        rng.pick(vocab::ROOMS),
        rng.pick(&["Town Hall", "Civic Centre", "County Hall", "Civic Offices"]),
        rng.pick(vocab::STREETS),
    );
    let phone = format!("01{:03} {:06}", rng.below(1000), rng.below(1_000_000));
    Council {
        email_domain: format!("{bare}.example"),
        name,
        slug,
        place,
        host,
        curly,
        numbering,
        date_style,
        time_style,
        one_line_title: rng.chance(0.5),
        states_council: 0.55 + 0.4 * rng.f64(),
        manifest: rng.chance(0.35),
        committees,
        committee_cum,
        decision_maker: 0,
        councillors,
        officers,
        venue,
        phone,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn councils_are_unique_and_slugs_round_trip() {
        let w = World::new(42, 200, 15, 2005, 2025);
        let mut names = HashSet::new();
        for c in &w.councils {
            assert!(names.insert(c.name.clone()), "duplicate {}", c.name);
            let back: Vec<String> = c.slug.split('-').map(capitalise).collect();
            assert_eq!(back.join(" "), c.name);
            assert_eq!(c.committees.len(), 15);
        }
    }

    #[test]
    fn meeting_dates_fall_in_range_on_the_committee_weekday() {
        let w = World::new(7, 10, 40, 2005, 2025);
        for (ci, c) in w.councils.iter().enumerate() {
            for (k, com) in c.committees.iter().enumerate() {
                for seq in 0..c.meetings(k, w.years()) {
                    let d = w.meeting_date(ci, k, seq);
                    assert!((2005..=2025).contains(&d.year));
                    assert_eq!(d.weekday(), com.weekday);
                    assert!(Date::new(d.year, d.month, d.day).is_some());
                }
            }
        }
    }
}
