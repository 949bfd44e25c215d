//! Bot policies for empty seats and batch runs. A bot decides **from its team's view
//! only**, exactly what a human player in that seat would see, so the same code can
//! play a seat over the network.
//!
//! - `idle`: nobody responds (the baseline).
//! - `isolated`: each economy responds competently on its own: contain and investigate
//!   what it detects, restore damaged assets, harden weak sectors, run awareness
//!   campaigns, prosecute where the police can reach a campaign (its origin or hosting
//!   is at home, or it has victims there), take down content hosted at home, and when
//!   nothing is open at home train their own economy on their role's pillar (CSIRT
//!   technical, regulator organizational) while it is below 80.
//! - `cooperative`: as isolated, plus sharing indicators with every other economy,
//!   notifying every other economy's CSIRT about each campaign investigated at home,
//!   answering and making requests for assistance, and mutual legal assistance
//!   requests to the economy an investigation traced the campaign to, then to those
//!   hosting it (APEC 2005 action areas 2 and 7; ITU 2009 "cooperate across borders"),
//!   and, when quiet, capacity-building assistance to the partner weakest on the
//!   team's pillar, 20 points or more behind (ITU GCI cooperation pillar).
//!
//! Decision points (both `isolated` and `cooperative`): a bot offered an open decision
//! takes the option the scenario's author marked `recommended`, at once; with none
//! recommended it leaves the decision to its default at the deadline. `idle` never
//! decides, so its decisions all take their defaults.

use std::convert::Infallible;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::command::{Actor, Command, IncidentId, Pillar, Tlp};
use crate::scenario::model::{
    AssetIdx, CampaignIdx, CampaignKind, EconomyIdx, Operator, Role, SectorIdx, TeamIdx,
    can_be_taken_down,
};
use crate::view::{IncidentView, Severity, Sight, Source, Stage, TeamInfo, View, find_by};
use crate::{Accepted, CommandError, Simulation};

/// How a bot plays a seat.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Policy {
    Idle,
    Isolated,
    Cooperative,
}

impl Policy {
    /// Every policy, weakest first.
    pub const ALL: [Policy; 3] = [Policy::Idle, Policy::Isolated, Policy::Cooperative];
}

impl fmt::Display for Policy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Policy::Idle => "idle",
            Policy::Isolated => "isolated",
            Policy::Cooperative => "cooperative",
        })
    }
}

/// An unknown policy name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown policy `{0}`: use idle, isolated or cooperative")]
pub struct UnknownPolicy(pub String);

impl FromStr for Policy {
    type Err = UnknownPolicy;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "idle" => Ok(Policy::Idle),
            "isolated" => Ok(Policy::Isolated),
            "cooperative" => Ok(Policy::Cooperative),
            _ => Err(UnknownPolicy(s.to_string())),
        }
    }
}

/// Trust below which a team runs an awareness campaign.
const AWARENESS_TRUST: f64 = 65.0;
/// A regulator hardens a sector whose mean patching is below this.
const HARDEN_BELOW: f64 = 80.0;
/// Analysts a CSIRT keeps for itself before lending any.
const KEEP_FOR_SELF: u32 = 4;
/// A team trains a pillar of its economy scored below this.
const TRAIN_BELOW: u8 = 80;
/// Analysts a team keeps free beyond a training's (as many as a CSIRT keeps before
/// lending any: an incident found tomorrow needs them).
const TRAIN_SPARE: u32 = KEEP_FOR_SELF;
/// A cooperative team trains a partner at least this many points behind on the pillar.
const TEACH_GAP: u8 = 20;

/// Something bots can play seats on: a bare [`Simulation`], or a
/// [`Recorder`](crate::replay::Recorder) that journals every accepted command and step.
/// The one bot round ([`play_seats`], [`play_until`]) is written against this, so a
/// journaled run and a bare one make exactly the same moves.
pub trait Seats {
    /// A failure outside the simulation (writing the journal); a bare simulation has none.
    type Error;
    /// The simulation, for views and the clock.
    fn simulation(&self) -> &Simulation;
    /// Submits a command: the outer error stops the run, the inner one is the
    /// simulation's refusal.
    fn submit(
        &mut self,
        actor: Actor,
        command: Command,
    ) -> Result<Result<Accepted, CommandError>, Self::Error>;
    /// Runs one tick.
    fn step(&mut self) -> Result<(), Self::Error>;
}

impl Seats for Simulation {
    type Error = Infallible;

    fn simulation(&self) -> &Simulation {
        self
    }

    fn submit(
        &mut self,
        actor: Actor,
        command: Command,
    ) -> Result<Result<Accepted, CommandError>, Infallible> {
        Ok(Simulation::submit(self, actor, command))
    }

    fn step(&mut self) -> Result<(), Infallible> {
        Simulation::step(self);
        Ok(())
    }
}

/// One round of bot play: every team, in index order, decides from its own view and
/// submits at once, so later teams see earlier teams' moves. A refused command is
/// simply a move not made (the plan was overtaken this tick, e.g. analysts now busy).
pub fn play_seats<S: Seats>(seats: &mut S, policy: Policy) -> Result<(), S::Error> {
    // Idle bots never act: skip building views nobody reads (most of a run's cost).
    if policy == Policy::Idle {
        return Ok(());
    }
    let teams = seats.simulation().scenario().teams.len() as u32;
    let mut next = 0;
    // Teams that do nothing change nothing: their views are read in one go, up to the
    // next team with moves, whose commands change what the teams after it see.
    while let Some((team, commands)) = seats
        .simulation()
        .first_bot_move((next..teams).map(TeamIdx), |view| {
            Some(decide_from(policy, view)).filter(|c| !c.is_empty())
        })
    {
        for command in commands {
            let _refused = seats.submit(Actor::Team(team), command)?;
        }
        next = team.0 + 1;
    }
    Ok(())
}

/// Bot rounds and steps, tick after tick, until tick `limit` or the end of the exercise.
pub fn play_until<S: Seats>(seats: &mut S, policy: Policy, limit: u32) -> Result<(), S::Error> {
    while seats.simulation().tick() < limit && !seats.simulation().is_finished() {
        play_seats(seats, policy)?;
        seats.step()?;
    }
    Ok(())
}

/// [`play_seats`] on a bare simulation, which cannot fail.
pub fn play_round(sim: &mut Simulation, policy: Policy) {
    let Ok(()) = play_seats(sim, policy);
}

/// What `team`'s bot does now on a local simulation, from its sight of the team's bot
/// view ([`Simulation::first_bot_move`]): bots read neither history nor words, and the
/// sight lends what the simulation keeps instead of copying it.
pub fn bot_commands(sim: &Simulation, team: TeamIdx, policy: Policy) -> Vec<Command> {
    sim.first_bot_move([team], |sight| Some(decide_from(policy, sight)))
        .map(|(_, commands)| commands)
        .unwrap_or_default()
}

/// The commands a team's bot issues this tick, from what the team can see. The
/// facilitator's view (no team) gets none.
pub fn decide(policy: Policy, view: &View) -> Vec<Command> {
    decide_from(policy, &Sight::of_view(view))
}

/// [`decide`] from a sight of the team's view: a local simulation lends its bots what
/// it keeps up to date instead of copying it into a `View` per team per tick
/// (`Simulation::first_bot_move`); the commands are those [`decide`] gives from the
/// view the sight stands for ([`Sight::to_view`]).
pub fn decide_from(policy: Policy, view: &Sight) -> Vec<Command> {
    if policy == Policy::Idle || view.tick >= view.duration_ticks {
        return Vec::new();
    }
    let Some(me) = view.my_team.and_then(|t| view.teams.get(t.index())) else {
        return Vec::new();
    };
    let mut bot = Bot {
        view,
        me,
        cooperative: policy == Policy::Cooperative,
        free: view.analysts.free(),
        out: Vec::new(),
    };
    bot.take_decisions();
    match me.role {
        Role::Csirt => bot.play_csirt(),
        Role::Operator => bot.play_operator(),
        Role::Regulator => bot.play_regulator(),
        Role::LawEnforcement => bot.play_law_enforcement(),
    }
    bot.out
}

struct Bot<'a> {
    view: &'a Sight<'a>,
    me: &'a TeamInfo,
    cooperative: bool,
    free: u32,
    out: Vec<Command>,
}

impl<'a> Bot<'a> {
    /// Queues a command if it is not already running and the analysts are free.
    fn try_issue(&mut self, command: Command) -> bool {
        let needed = command.analysts();
        if needed > self.free || self.running(&command) || self.out.contains(&command) {
            return false;
        }
        self.free -= needed;
        self.out.push(command);
        true
    }

    /// The recommended option of every open decision offered to the team.
    fn take_decisions(&mut self) {
        let me = self.me.idx;
        for d in self.view.decisions.iter() {
            if !d.is_open() || !d.teams.contains(&me) {
                continue;
            }
            if let Some(option) = d.options.iter().position(|o| o.recommended) {
                self.out.push(Command::Decide {
                    decision: d.idx,
                    option: option as u32,
                });
            }
        }
    }

    fn running(&self, command: &Command) -> bool {
        self.view
            .tasks
            .iter()
            .any(|t| !t.finished && &t.command == command)
    }

    /// Whether any task in view (running or recently finished) matches.
    fn done_or_running(&self, matches: impl Fn(&Command) -> bool) -> bool {
        self.view.tasks.iter().any(|t| matches(&t.command)) || self.out.iter().any(matches)
    }

    fn answers_for(&self, sector: SectorIdx) -> bool {
        self.me.sectors.is_empty() || self.me.sectors.contains(&sector)
    }

    fn asset_sector(&self, incident: &IncidentView) -> Option<SectorIdx> {
        self.view.asset(incident.asset).map(|a| a.sector)
    }

    /// Open incidents of the team's own economy it detected, in id order.
    fn own_open(&self) -> impl Iterator<Item = &'a IncidentView> + '_ {
        let view: &'a Sight<'a> = self.view;
        view.incidents.iter().filter(|i| {
            i.economy == self.me.economy
                && i.is_open()
                && matches!(i.source, Source::Own)
                && self.asset_sector(i).is_some_and(|s| self.answers_for(s))
        })
    }

    /// [`Bot::own_open`], most severe first.
    fn own_open_incidents(&self) -> Vec<&'a IncidentView> {
        let mut list: Vec<&'a IncidentView> = self.own_open().collect();
        list.sort_by_key(|i| (std::cmp::Reverse(severity_rank(i.severity)), i.id));
        list
    }

    /// Output per tick an own asset carries (0 if unknown), and its direct damage.
    fn stake(&self, asset: AssetIdx) -> (f64, f64) {
        self.view.stake(asset)
    }

    /// One queue of contain, investigate and restore, ranked by the output at stake:
    /// scarce analysts go where the money is. Containing an incident at impact is worth
    /// the damage it does (at least a tenth of the asset) plus what it may still do;
    /// before impact, half of what the asset carries. Investigating is worth less than
    /// containing, and nothing for a campaign already investigated at home (its
    /// indicators are held). Restoring is worth the damage it undoes.
    fn triage(&mut self) {
        let open = self.own_open_incidents();
        let mut queue: Vec<(f64, Command)> = Vec::new();
        for incident in &open {
            if is_hazard_kind(incident.kind) {
                continue;
            }
            let (stake, damage) = self.stake(incident.asset);
            let value = if incident.stage == Stage::Impact {
                stake * (damage.max(0.1) + 0.2)
            } else {
                0.5 * stake
            };
            queue.push((
                value,
                Command::Contain {
                    incident: incident.id,
                },
            ));
            let known_here = incident.campaign.is_some_and(|c| {
                self.view.incidents.iter().any(|other| {
                    other.economy == self.me.economy
                        && other.investigated
                        && other.campaign == Some(c)
                })
            });
            if !incident.investigated && !known_here {
                queue.push((
                    0.3 * value,
                    Command::Investigate {
                        incident: incident.id,
                    },
                ));
            }
        }
        // An asset with an open incident (not a hazard) is not restored yet.
        let blocked = |asset: AssetIdx| {
            self.view
                .incidents
                .iter()
                .any(|i| i.asset == asset && i.is_open() && !is_hazard_kind(i.kind))
        };
        for asset in self.view.damaged_assets() {
            if asset.economy == self.me.economy
                && asset.damage.is_some_and(|d| d > 0.0)
                && self.answers_for(asset.sector)
                && !blocked(asset.idx)
            {
                let (stake, damage) = self.stake(asset.idx);
                queue.push((damage * stake, Command::Restore { asset: asset.idx }));
            }
        }
        // Stable: equal values keep the order above (most severe incidents first).
        queue.sort_by(|a, b| b.0.total_cmp(&a.0));
        for (_, command) in queue {
            self.try_issue(command);
        }
    }

    fn raise_awareness_if_trust_falls(&mut self) {
        let Some(economy) = self.view.economy(self.me.economy) else {
            return;
        };
        if economy.trust < AWARENESS_TRUST {
            self.try_issue(Command::AwarenessCampaign);
        }
    }

    fn play_csirt(&mut self) {
        self.refer_harmful_content();
        self.triage();
        if !self.police_here() {
            let cases = self.cases();
            self.take_down_hosted_content(&cases);
        }
        if self.cooperative {
            self.share_indicators();
            self.notify_partners();
            self.ask_for_help();
        }
        self.raise_awareness_if_trust_falls();
        if self.cooperative {
            self.answer_requests();
        }
        self.train_when_quiet(Pillar::Technical);
    }

    fn play_operator(&mut self) {
        self.triage();
        self.harden_weakest_sector(false);
    }

    fn play_regulator(&mut self) {
        self.harden_weakest_sector(false);
        self.harden_weakest_sector(true);
        self.raise_awareness_if_trust_falls();
        self.train_when_quiet(Pillar::Organizational);
    }

    /// Police: legal action where it can reach a campaign (its origin or hosting is
    /// here, or it has victims here), takedowns of content hosted here, and, when
    /// cooperative, mutual legal assistance to the economy the campaign was traced to,
    /// then to the economies hosting it.
    fn play_law_enforcement(&mut self) {
        // The cases depend on the view alone: worked out once for both.
        let cases = self.cases();
        self.take_down_hosted_content(&cases);
        // No training for the police: their cases arrive unannounced (shared
        // indicators), and analysts away training are a prosecution not started.
        self.legal_work(&cases);
    }

    /// Training where it pays: with no open incident at home and analysts to spare once
    /// everything else is done, a team trains its own economy on its role's `pillar`
    /// while that is below [`TRAIN_BELOW`]; a cooperative team then also trains the
    /// partner weakest on that pillar, if it is at least [`TEACH_GAP`] points behind
    /// (capacity-building assistance; the scores are public, as the GCI's are).
    fn train_when_quiet(&mut self, pillar: Pillar) {
        let quiet = !self
            .view
            .incidents
            .iter()
            .any(|i| i.economy == self.me.economy && i.is_open());
        if !quiet || self.free < TRAIN_SPARE + 2 {
            return;
        }
        let score = |e: EconomyIdx| {
            self.view
                .economy(e)
                .and_then(|v| v.readiness)
                .map(|r| pillar.of(r))
        };
        let Some(ours) = score(self.me.economy) else {
            return;
        };
        if ours < TRAIN_BELOW {
            self.try_issue(Command::Train { pillar });
        }
        if !self.cooperative || self.free < TRAIN_SPARE + 2 {
            return;
        }
        let teaching = self.view.tasks.iter().any(|t| {
            !t.finished
                && t.team == self.me.idx
                && matches!(t.command, Command::BuildCapacity { .. })
        });
        if teaching {
            return;
        }
        let weakest = self
            .view
            .economies()
            .filter(|e| e.idx != self.me.economy)
            .filter_map(|e| score(e.idx).map(|s| (s, e.idx)))
            .min();
        if let Some((theirs, to)) = weakest
            && ours >= theirs + TEACH_GAP
        {
            self.try_issue(Command::BuildCapacity { to, pillar });
        }
    }

    /// Legal action where the police can reach a campaign, and mutual legal assistance.
    fn legal_work(&mut self, cases: &[(IncidentId, CampaignIdx)]) {
        let view: &'a Sight<'a> = self.view;
        for &(incident, campaign) in cases {
            let Some(info) = view.campaign(campaign) else {
                continue;
            };
            let here = self.me.economy;
            let victims_here = self
                .view
                .incidents
                .iter()
                .any(|i| i.campaign == Some(campaign) && i.economy == here);
            let reaches = info.origin == Some(here) || info.hosting.contains(&here) || victims_here;
            let on_campaign = |c: &Command, pick: fn(&Command) -> Option<IncidentId>| {
                pick(c).is_some_and(|i| self.campaign_of(i) == Some(campaign))
            };
            if reaches && !self.done_or_running(|c| on_campaign(c, legal_incident)) {
                self.try_issue(Command::LegalAction { incident });
            }
            if !self.cooperative {
                continue;
            }
            let running = self.view.tasks.iter().any(|t| {
                !t.finished
                    && matches!(t.command, Command::MutualLegalAssistance { incident: i, .. } if self.campaign_of(i) == Some(campaign))
            });
            if running {
                continue;
            }
            // Whether an economy was already asked about the campaign (in view or queued).
            let asked = |e: EconomyIdx| {
                self.view
                    .tasks
                    .iter()
                    .map(|t| &t.command)
                    .chain(&self.out)
                    .any(|c| match *c {
                        Command::MutualLegalAssistance { incident: i, to } => {
                            to == e && self.campaign_of(i) == Some(campaign)
                        }
                        _ => false,
                    })
            };
            let next = info
                .origin
                .into_iter()
                .chain(
                    info.hosting
                        .iter()
                        .copied()
                        .filter(|h| !info.taken_down.contains(h)),
                )
                .find(|e| *e != here && !asked(*e));
            if let Some(to) = next {
                self.try_issue(Command::MutualLegalAssistance { incident, to });
            }
        }
    }

    /// One investigated incident known here per campaign, own incidents first: the cases
    /// police can act on.
    fn cases(&self) -> Vec<(IncidentId, CampaignIdx)> {
        // Each campaign's first incident in (elsewhere, id) order, then the cases in
        // that order: one pass, no list of every incident to sort.
        let mut firsts: Vec<((bool, IncidentId), CampaignIdx)> = Vec::new();
        for incident in self.view.incidents.iter().filter(|i| i.investigated) {
            let Some(c) = incident.campaign else {
                continue;
            };
            let key = (incident.economy != self.me.economy, incident.id);
            match firsts.iter_mut().find(|(_, seen)| *seen == c) {
                Some(first) => first.0 = first.0.min(key),
                None => firsts.push((key, c)),
            }
        }
        firsts.sort_unstable_by_key(|&(key, _)| key);
        firsts.into_iter().map(|((_, id), c)| (id, c)).collect()
    }

    /// Takes down the content of campaigns hosted in this economy, once each, as soon as
    /// an investigated incident of theirs is known here (own or shared indicators).
    fn take_down_hosted_content(&mut self, cases: &[(IncidentId, CampaignIdx)]) {
        let here = self.me.economy;
        let view: &'a Sight<'a> = self.view;
        for &(incident, campaign) in cases {
            let Some(info) = view.campaign(campaign) else {
                continue;
            };
            if !can_be_taken_down(info.kind)
                || !info.hosting.contains(&here)
                || info.taken_down.contains(&here)
            {
                continue;
            }
            let taking_down = self.done_or_running(|c| {
                matches!(*c, Command::Takedown { incident: i } if self.campaign_of(i) == Some(campaign))
            });
            if !taking_down {
                self.try_issue(Command::Takedown { incident });
            }
        }
    }

    /// Refers harmful content reaching children at home to the hotline and the police
    /// as soon as it is identified (child online protection: the first thing a competent
    /// CIRT does with it), once per incident.
    fn refer_harmful_content(&mut self) {
        let here = self.me.economy;
        let view: &'a Sight<'a> = self.view;
        for incident in view.incidents.iter() {
            if incident.economy != here
                || incident.kind != Some(CampaignKind::HarmfulContent)
                || incident.referred
            {
                continue;
            }
            let referring = self.done_or_running(
                |c| matches!(*c, Command::Refer { incident: i } if i == incident.id),
            );
            if !referring {
                self.try_issue(Command::Refer {
                    incident: incident.id,
                });
            }
        }
    }

    /// Whether this economy has a law-enforcement team (the CSIRT takes content down
    /// only where there is none).
    fn police_here(&self) -> bool {
        self.view.police_in(self.me.economy)
    }

    fn campaign_of(&self, incident: IncidentId) -> Option<CampaignIdx> {
        find_by(&self.view.incidents, incident, |i| i.id).and_then(|i| i.campaign)
    }

    fn harden_weakest_sector(&mut self, private_operators: bool) {
        let mut sectors: Vec<(SectorIdx, f64)> = Vec::new();
        for sector in self.view.sectors {
            if !self.answers_for(sector.idx) {
                continue;
            }
            // Totalled as read, no list per sector: postures are whole numbers, so the
            // total is exact whatever the order.
            let (total, count) = self
                .view
                .assets()
                .filter(|a| {
                    a.economy == self.me.economy
                        && a.sector == sector.idx
                        && (!private_operators || a.operator == Operator::Private)
                })
                .filter_map(|a| a.posture)
                .fold((0.0_f64, 0_usize), |(total, count), p| {
                    let value = if private_operators {
                        p.monitoring
                    } else {
                        p.patching
                    };
                    (total + f64::from(value), count + 1)
                });
            if count == 0 {
                continue;
            }
            let mean = total / count as f64;
            if mean < HARDEN_BELOW {
                sectors.push((sector.idx, mean));
            }
        }
        sectors.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
        if let Some(&(sector, _)) = sectors.first() {
            let command = if private_operators {
                if self.me.role != Role::Regulator {
                    return;
                }
                Command::CoordinateOperators { sector }
            } else {
                Command::HardenSector { sector }
            };
            self.try_issue(command);
        }
    }

    /// Every economy in view but the team's own: those a CSIRT shares with and notifies
    /// (listed only once a bot has something to tell them).
    fn other_economies(&self) -> Vec<EconomyIdx> {
        self.view
            .economies()
            .map(|e| e.idx)
            .filter(|e| *e != self.me.economy)
            .collect()
    }

    fn share_indicators(&mut self) {
        let candidates: Vec<(IncidentId, Option<CampaignIdx>, Tlp)> = self
            .view
            .incidents
            .iter()
            .filter(|i| {
                i.economy == self.me.economy && i.investigated && matches!(i.source, Source::Own)
            })
            .map(|i| (i.id, i.campaign, label_for(i.kind)))
            .collect();
        if candidates.is_empty() {
            return;
        }
        let others = self.other_economies();
        if others.is_empty() {
            return;
        }
        let mut shared: Vec<Option<CampaignIdx>> = self
            .view
            .tasks
            .iter()
            .filter_map(|t| match t.command {
                Command::ShareIndicators { incident, .. } => Some(self.campaign_of(incident)),
                _ => None,
            })
            .collect();
        for (incident, campaign, tlp) in candidates {
            if campaign.is_some() && shared.contains(&campaign) {
                continue;
            }
            if self.try_issue(Command::ShareIndicators {
                incident,
                with: others.clone(),
                tlp,
                teams: Vec::new(),
            }) {
                shared.push(campaign);
            }
        }
    }

    /// Tells every other economy's CSIRT which of its assets talk to the servers of a
    /// campaign investigated at home, once per campaign and economy while the last
    /// notification is in view (APEC 2005 action area 7; M-Trends 2024: most intrusions
    /// are first learned of from outside, often by such a notification).
    fn notify_partners(&mut self) {
        let investigated: Vec<(IncidentId, Option<CampaignIdx>)> = self
            .view
            .incidents
            .iter()
            .filter(|i| {
                i.economy == self.me.economy
                    && i.investigated
                    && matches!(i.source, Source::Own)
                    && !is_hazard_kind(i.kind)
            })
            .map(|i| (i.id, i.campaign))
            .collect();
        if investigated.is_empty() {
            return;
        }
        let others = self.other_economies();
        // The notifications in view (running or recently finished) and those queued,
        // each with its incident's campaign: read once rather than once per economy.
        let mut sent: Vec<(EconomyIdx, IncidentId, Option<CampaignIdx>)> = self
            .view
            .tasks
            .iter()
            .map(|t| &t.command)
            .chain(&self.out)
            .filter_map(|c| match *c {
                Command::Notify { incident, to } => {
                    Some((to, incident, self.campaign_of(incident)))
                }
                _ => None,
            })
            .collect();
        // Which economies (by index) were told of the incident at hand.
        let mut told = vec![false; others.iter().map(|e| e.index() + 1).max().unwrap_or(0)];
        for (incident, campaign) in investigated {
            told.fill(false);
            for &(to, i, c) in &sent {
                if (i == incident || campaign.is_some() && c == campaign)
                    && let Some(slot) = told.get_mut(to.index())
                {
                    *slot = true;
                }
            }
            for &to in &others {
                let already = told.get(to.index()).copied().unwrap_or(false);
                if !already && self.try_issue(Command::Notify { incident, to }) {
                    sent.push((to, incident, self.campaign_of(incident)));
                }
            }
        }
    }

    /// Asks the economy with the best published service for analysts when the work
    /// waiting on open incidents (containing and investigating each) outruns the free
    /// analysts.
    fn ask_for_help(&mut self) {
        // A sum: the order of the incidents does not matter.
        let waiting: u32 = self
            .own_open()
            .map(|i| {
                let contain = Command::Contain { incident: i.id };
                let investigate = Command::Investigate { incident: i.id };
                let mut need = 0;
                if !self.running(&contain) && !self.out.contains(&contain) {
                    need += contain.analysts();
                }
                if !i.investigated
                    && !self.running(&investigate)
                    && !self.out.contains(&investigate)
                {
                    need += investigate.analysts();
                }
                need
            })
            .sum();
        if waiting <= self.free || self.view.analysts.borrowed > 0 {
            return;
        }
        if self.done_or_running(|c| matches!(c, Command::RequestAssistance { .. })) {
            return;
        }
        let best = self
            .view
            .economies()
            .filter(|e| e.idx != self.me.economy)
            .max_by(|a, b| a.service.total_cmp(&b.service).then(b.idx.cmp(&a.idx)));
        if let Some(from) = best.map(|e| e.idx) {
            self.try_issue(Command::RequestAssistance { from, analysts: 4 });
        }
    }

    /// Lends spare analysts (beyond a reserve kept for home) to teams that asked this economy.
    fn answer_requests(&mut self) {
        for request in self.view.assistance_requests.iter() {
            if self.free <= KEEP_FOR_SELF {
                return;
            }
            let spare = self.free - KEEP_FOR_SELF;
            let analysts = (request.analysts - request.provided).min(spare);
            if analysts > 0 {
                self.try_issue(Command::ProvideAssistance {
                    to: request.from_team,
                    analysts,
                });
            }
        }
    }
}

/// The label a competent CSIRT shares under: a public warning (TLP:CLEAR) for scams
/// aimed at people, which the public must recognise (APEC 2005 action area 5), the
/// region's community (TLP:GREEN) for the rest (FIRST TLP 2.0).
fn label_for(kind: Option<CampaignKind>) -> Tlp {
    match kind {
        Some(CampaignKind::Phishing | CampaignKind::FakeWebsite | CampaignKind::IdentityTheft) => {
            Tlp::Clear
        }
        _ => Tlp::Green,
    }
}

fn legal_incident(command: &Command) -> Option<IncidentId> {
    match command {
        Command::LegalAction { incident } => Some(*incident),
        _ => None,
    }
}

fn is_hazard_kind(kind: Option<CampaignKind>) -> bool {
    matches!(
        kind,
        Some(CampaignKind::NaturalDisaster | CampaignKind::TechnicalFailure)
    )
}

fn severity_rank(severity: Severity) -> u8 {
    match severity {
        Severity::Low => 0,
        Severity::Medium => 1,
        Severity::High => 2,
        Severity::Critical => 3,
    }
}
