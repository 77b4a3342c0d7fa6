//! Layout fixtures, written for these tests (no text from real pages). Each test
//! checks one layout or trap:
//! 1. meeting pages with number lines, two-line headers, coded and slash numbers;
//! 2. "20.1" minute paragraphs are not items; previous-meeting dates are not the date;
//! 3. flattened tables and time-numbered agendas;
//! 4. agenda item pages: paragraph numbers, quoted agenda items, the Croydon trap;
//! 5. issue pages, with one or two meetings, and a missing title;
//! 6. decision pages: decided-at-meeting wins; no meeting date without a meeting;
//! 7. legacy meeting documents; 8. other pages: notes, grids, fragments, prose names;
//! 9. pages that state nothing get nothing.

use super::*;

fn nums(p: &ParsedPage) -> Vec<&str> {
    p.items.iter().filter_map(|i| i.number.as_deref()).collect()
}

fn date(p: &ParsedPage) -> Option<String> {
    p.meeting_date.map(|d| d.to_string())
}

#[test]
fn meeting_page_with_number_lines() {
    let page = "Agenda and minutes\n\nFenmere Youth Scrutiny Panel - Tuesday, 4th March, 2014 6.30 pm\n\nVenue: Room 3, Market House. View directions\n\nContact: A. Clerk  Email:\n\nItems\nNo. Item\n\n12.\n\nApologies for absence\n\nMinutes:\n\nNone were given.\n\n13.\n\nMinutes of the last meeting pdf icon PDF 80 KB\n\nTo agree the minutes of the meeting held on 2 February 2014.\n\n13.1 The minutes were agreed.\n\n14.\n\nRunaway young people: annual review\n\nMinutes:\n\nThe panel heard about return interviews.";
    let p = parse_page(page);
    assert_eq!(p.page_type, "Agenda and minutes");
    assert_eq!(p.committee.as_deref(), Some("Fenmere Youth Scrutiny Panel"));
    assert_eq!(date(&p).as_deref(), Some("2014-03-04"));
    assert_eq!(nums(&p), vec!["12", "13", "14"]);
    assert_eq!(p.items[1].title.as_deref(), Some("Minutes of the last meeting"));
    assert!(p.items[2].text.contains("return interviews"));
    // Nothing is lost: the header opens the first item, the others start at their number.
    assert!(p.items[0].text.starts_with("Agenda and minutes") && p.items[0].text.contains("Venue: Room 3"));
    assert!(p.items[1].text.starts_with("13.") && !p.items[1].text.contains("Venue"));
}

#[test]
fn meeting_header_on_two_lines_and_coded_numbers() {
    let page = "Agenda and draft minutes\n\nCorporate Parenting Board\nWednesday, 9th October, 2019 5.00 pm\n\nVenue: Hall\n\nNo. Item\n\n19.CP1\n\nWelcome\n\nText one.\n\n19.CP2\n\nCare placements\n\nText two.";
    let p = parse_page(page);
    assert_eq!(p.page_type, "Agenda and draft minutes");
    assert_eq!(p.committee.as_deref(), Some("Corporate Parenting Board"));
    assert_eq!(date(&p).as_deref(), Some("2019-10-09"));
    assert_eq!(nums(&p), vec!["19.CP1", "19.CP2"]);
}

#[test]
fn slash_numbers_and_no_header_title() {
    let page = "Home > Agenda and minutes\n\nAgenda and minutes\n\nVenue: Town Hall\n\nItems\nNo. Item\n\n41/19\n\nApologies\n\nNone.\n\n42/19\n\nDisclosures\n\nNone declared at the meeting held on 3 June 2019.";
    let p = parse_page(page);
    assert_eq!(p.committee, None);
    assert_eq!(p.meeting_date, None);
    assert_eq!(nums(&p), vec!["41/19", "42/19"]);
}

#[test]
fn paragraphs_inside_items_are_not_items() {
    let page = "Agenda and minutes\n\nSchools Forum Committee - Monday 2 May 2016 10.00 am\n\nNo. Item\n\n19.\n\nDeclarations\n\nNone.\n\n20.\n\nInspection outcome\n\n20.1     The inspector spoke.\n\n20.1.1  More detail.\n\n21.\n\nClose";
    assert_eq!(nums(&parse_page(page)), vec!["19", "20", "21"]);
}

#[test]
fn flattened_table_and_time_agendas() {
    let table = "Venue: Town Hall\nNo. | Item |\n---|---|\nApologies for Absence To note apologies. Minutes: None. |\n|\nNeglect Strategy Update The board considered the neglect strategy. Minutes: Noted. |\n|";
    let p = parse_page(table);
    assert_eq!(p.page_type, "other");
    assert_eq!(p.items.len(), 2);
    assert_eq!(p.items[1].title.as_deref(), Some("Neglect Strategy Update"));
    assert!(nums(&p).is_empty());

    let times = "Agenda and minutes\n\nVenue: Centre\n\nNo. Item\n\n13:30 Apologies\n\nNames.\n\n13:45 Contact Point Update\n\nUpdate given.";
    let p = parse_page(times);
    assert_eq!(p.items.len(), 2);
    assert!(nums(&p).is_empty());
    assert_eq!(p.items[1].title.as_deref(), Some("Contact Point Update"));
}

#[test]
fn agenda_item_pages() {
    let page = "Agenda item\n\nRunaway and missing young people\n\nMinutes:\n\n44.1     The Committee considered a report on return interviews.\n\n44.2 Members asked questions.";
    let p = parse_page(page);
    assert_eq!(p.page_type, "Agenda item");
    assert_eq!(p.items[0].title.as_deref(), Some("Runaway and missing young people"));
    assert_eq!(nums(&p), vec!["44"]);
    assert_eq!(p.committee, None);

    let quoted = "Agenda item\n\nStaff recruitment\n\nThe Committee considered a report. A copy of the report marked ‘Agenda Item 6’ is filed with these minutes.";
    assert_eq!(nums(&parse_page(quoted)), vec!["6"]);

    // Boilerplate that mentions another agenda item is not this item's number.
    let trap = "Agenda item\n\nDisclosures of interest\n\nMembers will be invited to disclose at the commencement of Agenda item 3.";
    assert!(nums(&parse_page(trap)).is_empty());

    let th = "Agenda item\nKnife crime review\n- Meeting of Overview & Scrutiny Committee, Thursday, 22nd March, 2018 6.30 p.m. (Item 7.3)\nMinutes:\nThe Committee noted it.";
    let p = parse_page(th);
    assert_eq!(p.committee.as_deref(), Some("Overview & Scrutiny Committee"));
    assert_eq!(date(&p).as_deref(), Some("2018-03-22"));
    assert_eq!(nums(&p), vec!["7.3"]);
}

#[test]
fn issue_pages() {
    let page = "Issue - meetings\n\nRegional adoption partnership\n\nMeeting: 11/04/2018 - Cabinet (Item 163)\n\n163 Regional adoption partnership pdf icon PDF 500 KB\n\nReport of the director.\n\nMinutes:\n\nThe Cabinet agreed.";
    let p = parse_page(page);
    assert_eq!(p.page_type, "Issue - meetings");
    assert_eq!(p.committee.as_deref(), Some("Cabinet"));
    assert_eq!(date(&p).as_deref(), Some("2018-04-11"));
    assert_eq!(nums(&p), vec!["163"]);
    assert_eq!(p.items[0].title.as_deref(), Some("Regional adoption partnership"));

    let untitled = "Issue - meetings\n\n\nMeeting: 02/03/2011 - Joint meeting of A Panel &B Committee (Item 12)\n\n12 Minutes pdf icon PDF 75 KB\n\nText.";
    let p = parse_page(untitled);
    assert_eq!(p.items[0].title.as_deref(), Some("Minutes"));
    assert_eq!(p.committee.as_deref(), Some("Joint meeting of A Panel &B Committee"));

    let two = "Issue - meetings\n\nYouth plan\n\nMeeting: 10/09/2019 - Council (Item 9)\n\nText at council.\n\nMeeting: 01/08/2019 - Cabinet (Item 80)\n\nText at cabinet.";
    let p = parse_page(two);
    assert_eq!(p.items.len(), 2);
    assert_eq!(nums(&p), vec!["9", "80"]);
    assert_eq!(p.items[1].committee.as_deref(), Some("Cabinet"));
    assert_eq!(p.items[1].meeting_date.map(|d| d.to_string()).as_deref(), Some("2019-08-01"));
}

#[test]
fn decision_pages() {
    let page = "Decision details\n\nFoster carer fees\n\nDecision Maker: Cabinet Member - Children (meeting)\n\nDecision status: Approved\n\nPublication date: 06/10/2010\n\nDate of decision: 30/09/2010\n\nDecided at meeting: 30/09/2010 - Cabinet";
    let p = parse_page(page);
    assert_eq!(p.page_type, "Decision details");
    assert_eq!(p.committee.as_deref(), Some("Cabinet"));
    assert_eq!(date(&p).as_deref(), Some("2010-09-30"));

    // A decision without a meeting has no meeting date.
    let page = "Decision details\n\nSchool places\n\nDecision Maker: Executive\n\nPublication date: 26/02/2015\n\nDate of decision: 26/02/2015";
    let p = parse_page(page);
    assert_eq!(p.committee.as_deref(), Some("Executive"));
    assert_eq!(p.meeting_date, None);

    let resolution = "Decision details\n\nYouth plan\n\nDecision Maker: Cabinet\n\nRESOLVED that the Cabinet:\n\n2.1  Agreed the plan;";
    assert!(nums(&parse_page(resolution)).is_empty());

    let due = "Issue details\n\nUrgent items\n\nDecision type: Non-key\n\nDecision due: 18 Jul 2016 by Executive";
    let p = parse_page(due);
    assert_eq!(p.committee.as_deref(), Some("Executive"));
    assert_eq!(p.meeting_date, None);
}

#[test]
fn legacy_meeting_documents() {
    let page = "Meeting documents\n\nSocial Care Committee\nTuesday 12 November 1996\n\nDate of meeting: 12.11.96\nCommittee: Social Care Committee\nTitle: Child protection annual report\n\nPAPER NUMBER\n\n19\n\nThe report follows.";
    let p = parse_page(page);
    assert_eq!(p.page_type, "Meeting documents");
    assert_eq!(p.committee.as_deref(), Some("Social Care Committee"));
    assert_eq!(date(&p).as_deref(), Some("1996-11-12"));
    assert_eq!(nums(&p), vec!["19"]);
    assert_eq!(p.items[0].title.as_deref(), Some("Child protection annual report"));
}

#[test]
fn other_pages_that_state_their_meeting() {
    let notes = "Young People's Trust Board\nNotes of meeting on 14th May 2008\nAttendees listed here\n1. Apologies for absence\nNoted.\n2. Minutes of last meeting\nAgreed.\n3. Review of the year\nDiscussed.";
    let p = parse_page(notes);
    assert_eq!(p.committee.as_deref(), Some("Young People's Trust Board"));
    assert_eq!(date(&p).as_deref(), Some("2008-05-14"));
    assert_eq!(nums(&p), vec!["1", "2", "3"]);

    let grid = "Service papers\n\nMeeting           EASTFORD SAFEGUARDING CHILDREN BOARD          Venue      ROOM 9\nDate              MONDAY 2ND MARCH 2009                           Start Time 9.00AM\n";
    let p = parse_page(grid);
    assert_eq!(p.committee.as_deref(), Some("EASTFORD SAFEGUARDING CHILDREN BOARD"));
    assert_eq!(date(&p).as_deref(), Some("2009-03-02"));

    let fragment = "317 Annual Youth Offending Plan PDF 73 KB\nThe plan was presented.";
    let p = parse_page(fragment);
    assert_eq!(nums(&p), vec!["317"]);
    assert_eq!(p.items[0].title.as_deref(), Some("Annual Youth Offending Plan"));

    let first = "Schools Scrutiny Committee - Wednesday, 10th December, 2014 10.00 am\n\nVenue: Room 2\n\nDeclarations of Interest";
    let p = parse_page(first);
    assert_eq!(p.committee.as_deref(), Some("Schools Scrutiny Committee"));
    assert_eq!(date(&p).as_deref(), Some("2014-12-10"));

    let prose = "Minutes:\nThe Fostering Panel considered the annual report.\nIt was noted.";
    assert_eq!(parse_page(prose).committee.as_deref(), Some("Fostering Panel"));
}

#[test]
fn pages_that_state_nothing_get_nothing() {
    let manual = "Neglect guidance\n\nSCOPE OF THIS CHAPTER\n\nThis chapter covers neglect. It was updated on 3 July 2024.\n\n1. Introduction\n\n1.1 The Committee considered neglect in 2019.";
    let p = parse_page(manual);
    assert_eq!(p.page_type, "other");
    assert_eq!(p.committee, None);
    assert_eq!(p.meeting_date, None);
    assert!(nums(&p).is_empty());
    assert_eq!(p.items.len(), 1);
    assert_eq!(p.items[0].title.as_deref(), Some("Neglect guidance"));
}

#[test]
fn empty_and_odd_pages_do_not_panic() {
    for page in [
        "",
        "\n\n\n",
        "Agenda item",
        "Issue - meetings\nMeeting:",
        "No. | Item |\n|",
        "1.\n2.\n3.",
        "\u{00A0}",
        "?",
        "Decision Maker:",
    ] {
        let p = parse_page(page);
        assert!(p.items.iter().all(|i| !i.text.is_empty() || i.title.is_some()), "{page:?}");
    }
}

#[test]
fn agendas_whose_numbers_were_lost_split_at_title_lines() {
    let page = "Agenda and minutes\n\nYouth Board - Tuesday 3 May 2022 5.00 pm\n\nVenue: Hall\n\nNo. Item\n\nApologies\n\nNone were received.\n\nMinutes of the previous meeting pdf icon PDF 90 KB\n\nTo agree the minutes.\n\nAdditional documents:\n\nAppendix A - Action Log\n\nThe minutes were agreed as a true record of the meeting held in April.\n\nRunaway Young People\n\nThe board heard about return interviews and asked for quarterly figures.\n\nDemocratic Services, Town Hall";
    let p = parse_page(page);
    let titles: Vec<&str> = p.items.iter().filter_map(|i| i.title.as_deref()).collect();
    assert_eq!(titles, vec!["Apologies", "Minutes of the previous meeting", "Runaway Young People"]);
    assert!(nums(&p).is_empty(), "no numbers were printed, none are invented");
    assert!(p.items[1].text.contains("Appendix A"), "attachments stay in their item");
}

#[test]
fn html_tables_have_one_row_per_line() {
    let page = "Venue: Hall\n\nNo. | Item\nApologies To note apologies. Minutes: None.\nNeglect Strategy Update The board endorsed the neglect strategy. Minutes: Agreed.\nEastford Borough Council";
    let p = parse_page(page);
    let titles: Vec<&str> = p.items.iter().filter_map(|i| i.title.as_deref()).collect();
    assert_eq!(titles, vec!["Apologies", "Neglect Strategy Update"]);
}

#[test]
fn long_reports_split_into_headed_sections() {
    let para = "The partnership reviewed its work over the year and agreed the priorities for the next one with every agency. ".repeat(12);
    let page = format!(
        "Eastford Safeguarding Children Partnership Annual Report 2021/22\nEastford Borough Council\nContents\n1. Introduction\n2. Neglect\n3. Conclusion\n1. Introduction\n{para}\n2. Neglect\n{para}\nNEGLECT TOOLKIT\n{para}\n3. Conclusion\n{para}"
    );
    let p = parse_page(&page);
    let titles: Vec<&str> = p.items.iter().filter_map(|i| i.title.as_deref()).collect();
    assert_eq!(titles, vec!["1. Introduction", "2. Neglect", "NEGLECT TOOLKIT", "3. Conclusion"]);
    assert!(p.items[0].text.starts_with("Eastford Safeguarding"), "the preamble joins the first section");
    assert_eq!(p.committee, None, "the authority's name is not a committee");
    assert!(nums(&p).is_empty(), "section numbers are not agenda item numbers");
    // A short page with the same headings stays whole.
    let short =
        "Guidance\n1. Introduction\nA short paragraph of guidance for staff.\n2. Neglect\nAnother short paragraph.";
    assert_eq!(parse_page(short).items.len(), 1);
}

#[test]
fn other_pages_with_a_two_line_header() {
    let page = "Eastford Borough Council\n\nCabinet Member for Children's Services\nWednesday 5 June 2013 5.00pm\n\nVenue: Room 1\n\nNo. | Item |\n---|---|\nApologies None. |\n|\nFoster care fees The member agreed new fees. |";
    let p = parse_page(page);
    assert_eq!(p.committee.as_deref(), Some("Cabinet Member for Children's Services"));
    assert_eq!(date(&p).as_deref(), Some("2013-06-05"));
    assert_eq!(p.items.len(), 2);
}

#[test]
fn notes_keep_their_attendance_preamble_as_an_item() {
    let page = "Young People's Trust Board\nNotes of meeting on 14th May 2008\nPresent: A Reeve (Chair), B Carter, C Dunmore, D Ellery, E Fenwick, F Garside, G Holt, H Ingram, J Kettle\n1. Apologies for absence\nNoted.\n2. Minutes of last meeting\nAgreed.";
    let p = parse_page(page);
    assert_eq!(p.items.len(), 3);
    assert!(p.items[0].text.contains("Garside"), "attendance is not lost");
    assert_eq!(p.items[0].number, None);
    assert_eq!(nums(&p), vec!["1", "2"]);
}
