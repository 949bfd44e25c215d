//! Code slips (`serve --slips FILE.html`): a page to print before the session, with the
//! roster of seats first (to pin up or project: no codes on it), then one slip per seat
//! to cut out and hand to its team: team, economy, role, the code, and what to type.
//! A self-contained HTML page: any browser prints it, nothing to install.

use std::fmt::Write;

use cyberdrill_engine::scenario::Scenario;
use cyberdrill_engine::scenario::model::Role;

use crate::net::codes::JoinCodes;
use crate::report::html::escape;

/// The printable page for `scenario`'s seats and their `codes`; players connect to
/// `addr` (HOST:PORT).
pub fn page(scenario: &Scenario, codes: &JoinCodes, addr: &str) -> String {
    let title = escape(&scenario.meta.title);
    let mut out = String::new();
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <title>Join codes: {title}</title>\n<style>{STYLE}</style></head><body>\n\
         <section class=\"roster\"><h1>{title}</h1>\n\
         <p>Server: <code>{addr}</code>. Each team gets the slip with its code.</p>\n\
         <table><thead><tr><th>Seat</th><th>Economy</th><th>Role</th></tr></thead><tbody>\n",
        addr = escape(addr)
    );
    for team in &scenario.teams {
        let economy = economy_name(scenario, team.economy.index());
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(&team.name),
            escape(&economy),
            role_words(team.role)
        );
    }
    let _ = writeln!(
        out,
        "<tr><td>Facilitator</td><td>all</td><td>white cell: runs the clock and the injects</td></tr>"
    );
    for n in 1..=codes.evaluators.len() {
        let _ = writeln!(
            out,
            "<tr><td>Evaluator {n}</td><td>all</td><td>observes and writes notes</td></tr>"
        );
    }
    out.push_str("</tbody></table></section>\n<section class=\"slips\">\n");
    for team in &scenario.teams {
        let Some(code) = codes.teams.get(&team.id) else {
            continue;
        };
        let economy = economy_name(scenario, team.economy.index());
        slip(
            &mut out,
            &team.name,
            &format!("{} · {}", economy, role_words(team.role)),
            code,
            addr,
        );
    }
    slip(
        &mut out,
        "Facilitator",
        "white cell: sees everything, runs the clock and the injects",
        &codes.facilitator,
        addr,
    );
    for (n, code) in codes.evaluators.iter().enumerate() {
        slip(
            &mut out,
            &format!("Evaluator {}", n + 1),
            "sees everything, cannot act, writes notes for the report",
            code,
            addr,
        );
    }
    out.push_str("</section></body></html>\n");
    out
}

/// One slip: who, what, the code, and the command to type.
fn slip(out: &mut String, seat: &str, what: &str, code: &str, addr: &str) {
    let _ = writeln!(
        out,
        "<div class=\"slip\"><h2>{seat}</h2><p class=\"what\">{what}</p>\
         <p class=\"code\">{code}</p>\
         <p>Type <code>cyberdrill join {addr}</code> and enter this code when asked \
         (dashes and case do not matter). Keep the slip: the same code rejoins.</p></div>",
        seat = escape(seat),
        what = escape(what),
        code = escape(code),
        addr = escape(addr),
    );
}

fn economy_name(scenario: &Scenario, index: usize) -> String {
    scenario
        .economies
        .get(index)
        .map_or_else(String::new, |e| e.name.clone())
}

/// A team's role in words.
pub fn role_words(role: Role) -> &'static str {
    match role {
        Role::Csirt => "national CSIRT",
        Role::Regulator => "sector regulator",
        Role::Operator => "infrastructure operator",
        Role::LawEnforcement => "law enforcement",
    }
}

/// Print layout: the roster on its own page, then slips two abreast with dashed cut
/// lines, never split across pages.
const STYLE: &str = "body{font-family:sans-serif;margin:1cm}\
table{border-collapse:collapse}td,th{border:1px solid #999;padding:4px 8px;text-align:left}\
.roster{page-break-after:always}\
.slips{display:flex;flex-wrap:wrap;gap:0}\
.slip{box-sizing:border-box;width:50%;padding:12px;border:1px dashed #666;\
page-break-inside:avoid;break-inside:avoid}\
.slip h2{margin:0 0 4px}.what{margin:0 0 8px;color:#333}\
.code{font-family:monospace;font-size:22pt;letter-spacing:2px;margin:8px 0}\
code{font-family:monospace}";

#[cfg(test)]
mod tests {
    use super::*;
    use cyberdrill_engine::testkit::two_economies;

    #[test]
    fn every_seat_gets_one_slip_with_its_code_and_the_roster_has_no_codes() {
        let scenario = two_economies();
        let ids: Vec<String> = scenario.teams.iter().map(|t| t.id.clone()).collect();
        let codes = JoinCodes::generate(&ids, 2).expect("OS randomness");
        let page = page(&scenario, &codes, "192.168.1.10:7777");
        let (roster, slips) = page
            .split_once("<section class=\"slips\">")
            .expect("two parts");
        assert_eq!(slips.matches("class=\"slip\"").count(), 8 + 1 + 2);
        for code in codes
            .teams
            .values()
            .chain([&codes.facilitator])
            .chain(codes.evaluators.iter())
        {
            assert_eq!(slips.matches(code.as_str()).count(), 1, "{code}");
            assert!(!roster.contains(code.as_str()), "the roster shows no code");
        }
        assert!(slips.contains("cyberdrill join 192.168.1.10:7777"));
        assert!(slips.contains("strong economy · national CSIRT"));
        assert!(roster.contains("<td>Evaluator 2</td>"));
    }
}
