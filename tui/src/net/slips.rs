//! Code slips (`serve --slips FILE.html`): a page to print before the session, with the
//! roster of seats first (to pin up or project: no codes on it), then one slip per seat
//! to cut out and hand to its team: team, economy, role, the code, and what to type.
//! A self-contained HTML page: any browser prints it, nothing to install.

use std::fmt::Write;

use cyberdrill_engine::names;
use cyberdrill_engine::scenario::Scenario;
use cyberdrill_engine::scenario::model::Role;

use crate::net::codes::JoinCodes;
use crate::report::html::escape;

/// How players reach the server over SSH (`serve --ssh`), for the slips.
#[derive(Debug, Clone)]
pub struct SshAccess {
    /// What to type, e.g. `ssh -p 2222 192.168.1.10`.
    pub command: String,
    /// The server's host key fingerprint (`SHA256:…`), which `ssh` shows the first time.
    pub fingerprint: String,
    /// The server's directory where reports asked for over SSH are written (an SSH
    /// seat cannot download them): on the facilitator's slip.
    pub report_dir: String,
}

/// The printable page for `scenario`'s seats and their `codes`; players connect to
/// `addr` (HOST:PORT) with `cyberdrill join`, or with `ssh` when `ssh` is given.
pub fn page(scenario: &Scenario, codes: &JoinCodes, addr: &str, ssh: Option<&SshAccess>) -> String {
    let title = escape(&scenario.meta.title);
    let mut out = String::new();
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <title>Join codes: {title}</title>\n<style>{STYLE}</style></head><body>\n\
         <section class=\"roster\"><h1>{title}</h1>\n\
         <p>Server: <code>{addr}</code>.{over_ssh} Each team gets the slip with its code.</p>\n\
         <table><thead><tr><th>Seat</th><th>Economy</th><th>Role</th></tr></thead><tbody>\n",
        addr = escape(addr),
        over_ssh = ssh.map_or_else(String::new, |ssh| format!(
            " Over SSH: <code>{}</code>, host key <code>{}</code>.",
            escape(&ssh.command),
            escape(&ssh.fingerprint)
        )),
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
    for n in 0..codes.evaluators.len() {
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td>all</td><td>observes and writes notes</td></tr>",
            names::evaluator(n as u32)
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
            ssh,
        );
    }
    let facilitator = match ssh {
        Some(ssh) => format!(
            "white cell: sees everything, runs the clock and the injects. A report asked \
             for over ssh is written on the server in {}; with cyberdrill join it is \
             written on your own machine.",
            ssh.report_dir
        ),
        None => "white cell: sees everything, runs the clock and the injects".to_string(),
    };
    slip(
        &mut out,
        "Facilitator",
        &facilitator,
        &codes.facilitator,
        addr,
        ssh,
    );
    for (n, code) in codes.evaluators.iter().enumerate() {
        slip(
            &mut out,
            &names::evaluator(n as u32),
            "sees everything, cannot act, writes notes for the report",
            code,
            addr,
            ssh,
        );
    }
    out.push_str("</section></body></html>\n");
    out
}

/// One slip: who, what, the code, and the command to type.
fn slip(out: &mut String, seat: &str, what: &str, code: &str, addr: &str, ssh: Option<&SshAccess>) {
    let how = match ssh {
        Some(ssh) => format!(
            "Type <code>{command}</code> in a terminal (PowerShell, Terminal) and enter this \
             code when asked (dashes and case do not matter). The first time, ssh shows the \
             server's key: go on only if it is <code>{fingerprint}</code>. With cyberdrill \
             installed: <code>cyberdrill join {addr}</code>.",
            command = escape(&ssh.command),
            fingerprint = escape(&ssh.fingerprint),
            addr = escape(addr),
        ),
        None => format!(
            "Type <code>cyberdrill join {}</code> and enter this code when asked (dashes \
             and case do not matter).",
            escape(addr)
        ),
    };
    let _ = writeln!(
        out,
        "<div class=\"slip\"><h2>{seat}</h2><p class=\"what\">{what}</p>\
         <p class=\"code\">{code}</p>\
         <p>{how} Keep the slip: the same code rejoins.</p></div>",
        seat = escape(seat),
        what = escape(what),
        code = escape(code),
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
        let page = page(&scenario, &codes, "192.168.1.10:7777", None);
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

    #[test]
    fn with_ssh_each_slip_gives_the_ssh_command_and_the_host_key_to_expect() {
        let scenario = two_economies();
        let ids: Vec<String> = scenario.teams.iter().map(|t| t.id.clone()).collect();
        let codes = JoinCodes::generate(&ids, 0).expect("OS randomness");
        let ssh = SshAccess {
            command: "ssh -p 2222 192.168.1.10".to_string(),
            fingerprint: "SHA256:abc+def/123".to_string(),
            report_dir: "/srv/drill".to_string(),
        };
        let page = page(&scenario, &codes, "192.168.1.10:7777", Some(&ssh));
        let (_, slips) = page
            .split_once("<section class=\"slips\">")
            .expect("two parts");
        let seats = 8 + 1;
        assert_eq!(
            slips
                .matches("<code>ssh -p 2222 192.168.1.10</code>")
                .count(),
            seats
        );
        assert_eq!(
            slips.matches("<code>SHA256:abc+def/123</code>").count(),
            seats
        );
        // Only the facilitator may ask for the report: their slip says where it goes.
        assert_eq!(
            slips
                .matches("report asked for over ssh is written on the server in /srv/drill")
                .count(),
            1
        );
    }
}
