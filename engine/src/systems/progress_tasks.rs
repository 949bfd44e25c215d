//! Team tasks: actions that took analysts and ticks complete, in task id order, and
//! change the world. What each does, and its source clause:
//!
//! - investigate: the campaign is identified and its indicators known at home (APEC 3).
//! - contain: the attack stops progressing and harming; a contained DDoS is over (APEC 3).
//! - restore: the asset's direct damage is repaired (from backups; APEC 3 recovery).
//! - harden sector: patching +15 and monitoring +10 on own assets of the sector (ITU
//!   GCA technical measures; APEC 4 critical infrastructure protection).
//! - coordinate operators: patching +10, monitoring +15 and backups +10 on own private
//!   assets of the sector, and from then on the sector's operator teams are warned of
//!   attacks on it ([`super::warn_operators`]; APEC 4 public-private partnership); when
//!   a spam campaign targets the sector's services there, the providers also filter
//!   more: half of what got through is filtered out, rolled out over the next day
//!   ([`crate::spam`]; OECD Anti-Spam Toolkit 2006, industry-driven measures).
//! - awareness campaign: awareness + 8 + 8 x capacity readiness, trust +2 (APEC 5).
//! - share indicators: deliveries scheduled after the agreement delay (APEC 7).
//! - notify: a notification to another CSIRT, arriving after the same delay
//!   ([`super::deliver_notifications`]; APEC 7, detection from outside).
//! - request assistance: the request reaches the other economy's teams (APEC 7; ITU 2009).
//! - provide assistance: lent analysts go back when the loan ends (they left at once and
//!   joined the borrower on arrival: [`super::arrive_lent_analysts`]).
//! - train: the team's own economy's pillar + ceil(5 x (100 - r) / 100); build capacity:
//!   the same on another economy's pillar, never above the trainers' own
//!   ([`crate::readiness`]; ITU GCI capacity development and cooperation pillars).
//! - legal action, mutual legal assistance, takedown: where they reach the campaign, see
//!   [`super::enforcement`] (APEC 2; Budapest Convention; ITU 2009 legal measures).
//!
//! Tasks complete one after another, each seeing what the ones before it did (a
//! containment completing first closes the incident a takedown completing after it then
//! finds closed). The state they change is fetched once per tick; their structural
//! changes (incidents closed, shipments and messages spawned, the task marked done) go
//! into one command queue in the order the tasks make them, applied after the last task,
//! and the incidents closed so far this tick are kept aside so that the next task sees
//! them closed ([`IncidentResponse::case`]).

use bevy_ecs::prelude::*;
use bevy_ecs::system::{SystemParam, SystemState};

use super::{fraction, targets_people};
use crate::command::{Actor, Command, IncidentId, Pillar, Recipient, TaskId, Tlp};
use crate::notifications::{Notification, Notifications};
use crate::outcomes::{Achieved, Outcomes};
use crate::partners::{self, PartnerTrust};
use crate::protection::ChildProtection;
use crate::readiness::{self, ReadinessCause, ReadinessMoves};
use crate::scenario::model::{
    AgreementKind, AssetIdx, CampaignIdx, CampaignKind, EconomyIdx, Operator, Posture, Readiness,
    SectorIdx, TeamIdx,
};
use crate::sim::rules::agreement_delay;
use crate::spam::Spam;
use crate::trust::{TrustCause, TrustMoves};
use crate::world::{
    Activity, Assets, Assignment, AssistanceRequest, Awareness, Clock, Contained, DeliveryId,
    Disrupted, Done, Hit, Id, Ids, Impacted, Indicators, Investigated, Message, MessageId,
    NO_INCIDENT, Pillars, Recovered, RequestId, Rng, ScenarioData, Shipment, Staff, TakenDown,
    Trust, spawn_with_id,
};

/// Trust points an awareness campaign adds at home (a visible public effort).
const AWARENESS_CAMPAIGN_TRUST: f64 = 2.0;

/// Tasks not done yet, for the exclusive system to pick the due ones from.
type Unfinished = (Entity, &'static Id<TaskId>, &'static Assignment);

/// Completes every task due this tick, in task id order, each seeing what the ones
/// before it did.
///
/// Fetches the task effects once per tick rather than once per task: fetching their
/// twenty parameters and applying command queues cost more than most tasks' effects.
pub fn progress_tasks(
    world: &mut World,
    unfinished: &mut QueryState<Unfinished, Without<Done>>,
    effects: &mut SystemState<TaskEffects<'static, 'static>>,
) {
    let due = due_in_id_order(world, unfinished);
    if due.is_empty() {
        return;
    }
    // Every resource is inserted with the world (`Simulation::new`).
    let Ok(mut tick) = effects.get_mut(world) else {
        return;
    };
    tick.incidents.closed.clear();
    for (_, entity, task) in due {
        tick.release_analysts(&task);
        let outcome = tick.complete(task.team, &task.command);
        tick.commands.entity(entity).try_insert(Done { outcome });
    }
    effects.apply(world);
}

/// The tasks due by now and not done yet, in task id order.
fn due_in_id_order(
    world: &mut World,
    unfinished: &mut QueryState<Unfinished, Without<Done>>,
) -> Vec<(TaskId, Entity, Assignment)> {
    let now = world.resource::<Clock>().tick;
    let mut due: Vec<(TaskId, Entity, Assignment)> = unfinished
        .iter(world)
        .filter(|(_, _, task)| task.done_at <= now)
        .map(|(entity, id, task)| (id.0, entity, task.clone()))
        .collect();
    due.sort_unstable_by_key(|(id, _, _)| *id);
    due
}

/// Teams' analysts, by team.
#[derive(SystemParam)]
pub struct TeamStaff<'w, 's> {
    ids: Res<'w, Ids<TeamIdx>>,
    staff: Query<'w, 's, &'static mut Staff>,
}

impl TeamStaff<'_, '_> {
    fn get_mut(&mut self, team: TeamIdx) -> Option<Mut<'_, Staff>> {
        let entity = self.ids.get(team)?;
        self.staff.get_mut(entity).ok()
    }
}

/// What an incident's response depends on: what it hit and how far it is closed.
type CaseData = (&'static Hit, Has<Impacted>, Has<Contained>, Has<Recovered>);

/// Incidents, by id, as tasks change them.
#[derive(SystemParam)]
pub struct IncidentResponse<'w, 's> {
    pub(super) ids: Res<'w, Ids<IncidentId>>,
    incidents: Query<'w, 's, CaseData>,
    /// Incidents closed by this tick's tasks, whose components are still in the
    /// command queue.
    closed: Local<'s, ClosedThisTick>,
}

/// What this tick's tasks closed of an incident so far: [`Contained`] and
/// [`Recovered`] queued but not yet inserted.
#[derive(Debug, Clone, Copy, Default)]
struct Closure {
    contained: bool,
    recovered: bool,
}

/// The incidents this tick's tasks closed, with what they closed of each: a handful a
/// tick, so a list searched from the start.
#[derive(Debug, Default)]
pub struct ClosedThisTick(Vec<(Entity, Closure)>);

impl ClosedThisTick {
    fn clear(&mut self) {
        self.0.clear();
    }

    fn of(&self, entity: Entity) -> Closure {
        self.0
            .iter()
            .find(|(e, _)| *e == entity)
            .map_or_else(Closure::default, |(_, closure)| *closure)
    }

    fn entry(&mut self, entity: Entity) -> &mut Closure {
        let at = match self.0.iter().position(|(e, _)| *e == entity) {
            Some(at) => at,
            None => {
                self.0.push((entity, Closure::default()));
                self.0.len() - 1
            }
        };
        &mut self.0[at].1
    }
}

/// What a task needs to know of an incident.
#[derive(Debug, Clone, Copy)]
pub(super) struct Case {
    pub(super) entity: Entity,
    pub(super) hit: Hit,
    impacted: bool,
    contained: bool,
    recovered: bool,
}

impl Case {
    pub(super) fn is_open(&self) -> bool {
        !self.contained && !self.recovered
    }
}

impl IncidentResponse<'_, '_> {
    /// Incident `id` as the tasks before this one left it, closures still queued
    /// included.
    pub(super) fn case(&self, id: IncidentId) -> Option<Case> {
        let entity = self.ids.get(id)?;
        let (hit, impacted, contained, recovered) = self.incidents.get(entity).ok()?;
        let closed = self.closed.of(entity);
        Some(Case {
            entity,
            hit: *hit,
            impacted,
            contained: contained || closed.contained,
            recovered: recovered || closed.recovered,
        })
    }

    /// Notes that `entity` is contained, its [`Contained`] being queued.
    pub(super) fn note_contained(&mut self, entity: Entity) {
        self.closed.entry(entity).contained = true;
    }

    /// Notes that `entity` is recovered, its [`Recovered`] being queued.
    pub(super) fn note_recovered(&mut self, entity: Entity) {
        self.closed.entry(entity).recovered = true;
    }

    /// Every incident struck on `asset`, in id order.
    fn on_asset(&self, asset: AssetIdx) -> Vec<(IncidentId, Case)> {
        self.ids
            .iter()
            .filter_map(|(id, _)| self.case(id).map(|case| (id, case)))
            .filter(|(_, case)| case.hit.asset == asset)
            .collect()
    }
}

/// Economies' state that tasks change, by economy.
#[derive(SystemParam)]
pub struct EconomyResponse<'w, 's> {
    pub(super) ids: Res<'w, Ids<EconomyIdx>>,
    pub(super) economies: Query<
        'w,
        's,
        (
            &'static mut Pillars,
            &'static mut Awareness,
            &'static mut Trust,
            &'static mut Indicators,
            &'static mut Disrupted,
        ),
    >,
    /// How far each economy trusts the others (sharing goes faster to the trusted).
    pub(super) partners: Query<'w, 's, &'static PartnerTrust>,
    /// Where trust changes are booked by cause.
    pub(super) trust_moves: Query<'w, 's, &'static mut TrustMoves>,
    /// Where readiness rises are booked by cause.
    readiness_moves: Query<'w, 's, &'static mut ReadinessMoves>,
}

impl EconomyResponse<'_, '_> {
    /// An economy's readiness now.
    pub(super) fn pillars(&self, economy: EconomyIdx) -> Option<Readiness> {
        let entity = self.ids.get(economy)?;
        self.economies.get(entity).ok().map(|(p, ..)| p.0)
    }

    /// Raises one of `economy`'s pillars (never above `ceiling`), booked under `cause`;
    /// the points applied.
    fn raise(
        &mut self,
        economy: EconomyIdx,
        pillar: Pillar,
        cause: ReadinessCause,
        ceiling: u8,
    ) -> Option<u8> {
        let entity = self.ids.get(economy)?;
        let (mut pillars, ..) = self.economies.get_mut(entity).ok()?;
        let mut moves = self.readiness_moves.get_mut(entity).ok()?;
        let max = match cause {
            ReadinessCause::Training => readiness::TRAINING_GAIN,
            ReadinessCause::Assistance => readiness::ASSISTANCE_GAIN,
        };
        Some(moves.raise(&mut pillars.0, pillar, cause, max, ceiling))
    }
}

/// The ids of new entities tasks create (shipments of indicators, messages, assistance
/// requests) and the notifications they send.
#[derive(SystemParam)]
pub struct Dispatch<'w> {
    deliveries: ResMut<'w, Ids<DeliveryId>>,
    messages: ResMut<'w, Ids<MessageId>>,
    requests: ResMut<'w, Ids<RequestId>>,
    notifications: ResMut<'w, Notifications>,
}

/// The state a completing task may change.
#[derive(SystemParam)]
pub struct TaskEffects<'w, 's> {
    pub(super) scenario: Res<'w, ScenarioData>,
    pub(super) clock: Res<'w, Clock>,
    pub(super) rng: ResMut<'w, Rng>,
    pub(super) assets: ResMut<'w, Assets>,
    teams: TeamStaff<'w, 's>,
    pub(super) incidents: IncidentResponse<'w, 's>,
    pub(super) economies: EconomyResponse<'w, 's>,
    pub(super) campaigns: Query<
        'w,
        's,
        (
            &'static Id<CampaignIdx>,
            &'static mut Activity,
            &'static mut TakenDown,
        ),
    >,
    dispatch: Dispatch<'w>,
    pub(super) outcomes: ResMut<'w, Outcomes>,
    pub(super) protection: ResMut<'w, ChildProtection>,
    pub(super) spam: ResMut<'w, Spam>,
    /// The one queue of the tick's structural changes, in the order tasks make them:
    /// applied once, after the last task, they change the world as applying each
    /// task's before the next did.
    pub(super) commands: Commands<'w, 's>,
}

impl TaskEffects<'_, '_> {
    fn release_analysts(&mut self, task: &Assignment) {
        if let Command::ProvideAssistance { to, analysts } = task.command {
            if let Some(mut lender) = self.teams.get_mut(task.team) {
                lender.lent = lender.lent.saturating_sub(analysts);
            }
            if let Some(mut borrower) = self.teams.get_mut(to) {
                borrower.borrowed = borrower.borrowed.saturating_sub(analysts);
            }
        } else if let Some(mut team) = self.teams.get_mut(task.team) {
            team.busy = team.busy.saturating_sub(task.analysts);
        }
    }

    /// Applies a finished task's effect and says what happened.
    fn complete(&mut self, team: TeamIdx, command: &Command) -> String {
        let Some(economy) = self.scenario.0.teams.get(team.index()).map(|t| t.economy) else {
            return "the team is not in the scenario".into();
        };
        match command {
            Command::Investigate { incident } => self.investigate(*incident),
            Command::Contain { incident } => self.contain(*incident),
            Command::Restore { asset } => self.restore(*asset),
            Command::HardenSector { sector } => {
                let n = self.raise_posture(economy, *sector, false, harden);
                format!("{n} asset(s) hardened")
            }
            Command::CoordinateOperators { sector } => {
                let n = self.raise_posture(economy, *sector, true, coordinate);
                let filtering = self.filter_spam(economy, *sector);
                format!("{n} private operator asset(s) coordinated{filtering}")
            }
            Command::AwarenessCampaign => self.awareness_campaign(economy),
            Command::ShareIndicators {
                incident,
                with,
                tlp,
                teams,
            } => self.share(economy, *incident, with, *tlp, teams),
            Command::Notify { incident, to } => self.notify(team, economy, *incident, *to),
            Command::RequestAssistance { from, analysts } => {
                self.request_assistance(team, *from, *analysts)
            }
            Command::ProvideAssistance { analysts, .. } => {
                format!("{analysts} lent analyst(s) returned")
            }
            Command::LegalAction { incident } => self.legal_action(economy, *incident),
            Command::MutualLegalAssistance { incident, to } => {
                self.mutual_legal_assistance(economy, *incident, *to)
            }
            Command::Takedown { incident } => self.takedown(economy, *incident),
            Command::Refer { incident } => self.refer(*incident),
            Command::Train { pillar } => self.train(economy, *pillar),
            Command::BuildCapacity { to, pillar } => self.build_capacity(economy, *to, *pillar),
            Command::Message { .. }
            | Command::Decide { .. }
            | Command::FireInject { .. }
            | Command::EditInject { .. }
            | Command::Broadcast { .. } => "done".into(),
        }
    }

    /// A harmful-content incident reported to a hotline or the police: the children it
    /// reached (and will reach) count as safeguarded.
    fn refer(&mut self, id: IncidentId) -> String {
        let Some(case) = self.incidents.case(id) else {
            return "incident vanished".into();
        };
        let now = self.clock.tick;
        if !self.protection.refer(id, case.hit.economy, now) {
            return "already referred".into();
        }
        let reached = self.protection.cases.get(&id).map_or(0.0, |c| c.exposed);
        format!(
            "referred to the hotline and the police: {} child(ren) reached so far are followed up",
            reached.round()
        )
    }

    /// Training at home: the pillar rises by `ceil(5 x (100 - r) / 100)`.
    fn train(&mut self, economy: EconomyIdx, pillar: Pillar) -> String {
        match self
            .economies
            .raise(economy, pillar, ReadinessCause::Training, 100)
        {
            Some(points) => format!(
                "{} readiness +{points}, now {}",
                pillar.name(),
                self.economies.pillars(economy).map_or(0, |r| pillar.of(r))
            ),
            None => "the economy is not in the scenario".into(),
        }
    }

    /// Capacity-building assistance: `to`'s pillar rises by `ceil(5 x (100 - r) / 100)`,
    /// never above the trainers' own score.
    fn build_capacity(&mut self, from: EconomyIdx, to: EconomyIdx, pillar: Pillar) -> String {
        let Some(ours) = self.economies.pillars(from).map(|r| pillar.of(r)) else {
            return "the economy is not in the scenario".into();
        };
        match self
            .economies
            .raise(to, pillar, ReadinessCause::Assistance, ours)
        {
            Some(0) => format!(
                "nothing to teach: their {} readiness is already at least ours ({ours})",
                pillar.name()
            ),
            Some(points) => format!(
                "their {} readiness +{points}, now {}",
                pillar.name(),
                self.economies.pillars(to).map_or(0, |r| pillar.of(r))
            ),
            None => "the economy is not in the scenario".into(),
        }
    }

    fn investigate(&mut self, id: IncidentId) -> String {
        let Some(case) = self.incidents.case(id) else {
            return "incident vanished".into();
        };
        self.commands.entity(case.entity).insert(Investigated);
        if let Some(Ok((_, _, _, mut indicators, _))) = self
            .economies
            .ids
            .get(case.hit.economy)
            .map(|e| self.economies.economies.get_mut(e))
            && let Some(held) = indicators.0.get_mut(case.hit.campaign.index())
        {
            *held = true;
        }
        let campaign = &self.scenario.0.campaigns[case.hit.campaign.index()];
        format!("identified: {}", campaign.name)
    }

    fn contain(&mut self, id: IncidentId) -> String {
        let now = self.clock.tick;
        let Some(case) = self.incidents.case(id) else {
            return "incident vanished".into();
        };
        if !case.is_open() {
            return "already closed".into();
        }
        self.commands.entity(case.entity).insert(Contained(now));
        self.incidents.note_contained(case.entity);
        let a = case.hit.asset.index();
        if self.assets.open_incident[a] == id.0 {
            self.assets.open_incident[a] = NO_INCIDENT;
        }
        if case.hit.kind == CampaignKind::Ddos && case.impacted {
            self.assets.set_damage(a, 0.0);
            self.recover(case.entity, now);
            return "contained; traffic scrubbed, service returning".into();
        }
        if targets_people(case.hit.kind) && case.impacted {
            // Nothing to restore: the lure is blocked, the fraud here stops.
            self.assets.set_damage(a, 0.0);
            self.recover(case.entity, now);
            return "contained; the lure is blocked and the fraud here stops".into();
        }
        if case.impacted {
            "contained; the asset still needs restoring".into()
        } else {
            "contained before impact".into()
        }
    }

    /// Queues [`Recovered`] on an incident, seen as recovered by the tasks after this one.
    fn recover(&mut self, entity: Entity, now: u32) {
        self.commands.entity(entity).insert(Recovered(now));
        self.incidents.note_recovered(entity);
    }

    fn restore(&mut self, asset: AssetIdx) -> String {
        let now = self.clock.tick;
        let a = asset.index();
        self.assets.set_damage(a, 0.0);
        let open = self.assets.open_incident[a];
        let mut recovered = 0;
        for (id, case) in self.incidents.on_asset(asset) {
            let closable = case.contained || case.hit.hazard;
            if case.impacted && !case.recovered && closable {
                self.recover(case.entity, now);
                recovered += 1;
                if open == id.0 {
                    self.assets.open_incident[a] = NO_INCIDENT;
                }
            }
        }
        format!("service restored; {recovered} incident(s) recovered")
    }

    /// Applies `raise` to the posture of the economy's assets in a sector (private
    /// operators' only, if `private_only`).
    fn raise_posture(
        &mut self,
        economy: EconomyIdx,
        sector: SectorIdx,
        private_only: bool,
        raise: fn(&mut Posture),
    ) -> usize {
        let assets = &mut *self.assets;
        let mut count = 0;
        for i in 0..assets.len() {
            if assets.economy[i] == economy.0
                && assets.sector[i] == sector.0
                && (!private_only || self.scenario.0.assets[i].operator == Operator::Private)
            {
                raise(&mut assets.posture[i]);
                count += 1;
            }
        }
        count
    }

    /// When a spam campaign targets a service of `sector` in `economy`, its providers
    /// filter more ([`Spam::coordinate`]); says so, or nothing.
    fn filter_spam(&mut self, economy: EconomyIdx, sector: SectorIdx) -> String {
        let scenario = &self.scenario.0;
        let spammed = scenario
            .campaigns
            .iter()
            .filter(|c| c.kind == CampaignKind::Spam)
            .flat_map(|c| c.targets.iter())
            .filter_map(|t| scenario.assets.get(t.index()))
            .any(|a| a.economy == economy && a.sector == sector);
        if !spammed {
            return String::new();
        }
        match self.spam.coordinate(economy) {
            Some(target) => {
                format!("; providers filtering spam, rising to {target:.1}% over the next day")
            }
            None => String::new(),
        }
    }

    fn awareness_campaign(&mut self, economy: EconomyIdx) -> String {
        let Some(entity) = self.economies.ids.get(economy) else {
            return "the economy is not in the scenario".into();
        };
        let Ok((pillars, mut awareness, mut trust, _, _)) =
            self.economies.economies.get_mut(entity)
        else {
            return "the economy is not in the scenario".into();
        };
        awareness.0 = awareness_after_campaign(awareness.0, pillars.0.capacity);
        if let Ok(mut moves) = self.economies.trust_moves.get_mut(entity) {
            moves.apply(
                &mut trust.0,
                TrustCause::AwarenessCampaigns,
                AWARENESS_CAMPAIGN_TRUST,
            );
        }
        format!("public awareness now {:.0}", awareness.0)
    }

    fn share(
        &mut self,
        economy: EconomyIdx,
        incident: IncidentId,
        with: &[EconomyIdx],
        tlp: Tlp,
        teams: &[TeamIdx],
    ) -> String {
        let now = self.clock.tick;
        let scenario = &self.scenario.0;
        let recipients = crate::sim::rules::tlp_recipients(scenario, economy, with, tlp, teams);
        let sent = recipients.len();
        for (to, team) in recipients {
            let agreed = agreement_delay(
                scenario,
                AgreementKind::InformationSharing,
                economy,
                to,
                scenario.meta.sharing_delay_without_agreement,
            );
            let trust = self
                .economies
                .ids
                .get(economy)
                .and_then(|e| self.economies.partners.get(e).ok())
                .map_or(partners::START, |p| p.of(to.index()));
            let delay = partners::sharing_delay(agreed, trust);
            spawn_with_id(
                &mut self.commands,
                &mut self.dispatch.deliveries,
                Shipment {
                    arrives_at: now + delay,
                    incident,
                    from: economy,
                    to,
                    team,
                    tlp,
                },
            );
        }
        let whom = match tlp {
            Tlp::Clear | Tlp::Green | Tlp::Amber => "economy(ies)",
            Tlp::AmberStrict | Tlp::Red => "team(s)",
        };
        format!("indicators sent to {sent} {whom}")
    }

    /// Schedules a notification to `to` about the campaign of an incident investigated
    /// at home; it arrives after the information-sharing delay between the two.
    fn notify(
        &mut self,
        team: TeamIdx,
        economy: EconomyIdx,
        incident: IncidentId,
        to: EconomyIdx,
    ) -> String {
        let Some(case) = self.incidents.case(incident) else {
            return "incident vanished".into();
        };
        let now = self.clock.tick;
        let scenario = &self.scenario.0;
        let delay = agreement_delay(
            scenario,
            AgreementKind::InformationSharing,
            economy,
            to,
            scenario.meta.sharing_delay_without_agreement,
        );
        self.dispatch.notifications.0.push(Notification {
            team,
            from: economy,
            to,
            campaign: case.hit.campaign,
            sent_at: now,
            arrives_at: now + delay,
            arrived_at: None,
            assets: Vec::new(),
        });
        "notification sent".into()
    }

    fn request_assistance(&mut self, team: TeamIdx, from: EconomyIdx, analysts: u32) -> String {
        let now = self.clock.tick;
        if let Some(asking) = self.scenario.0.teams.get(team.index()) {
            self.outcomes.record(
                now,
                Achieved::AssistanceRequested {
                    from: asking.economy,
                    to: from,
                },
            );
        }
        spawn_with_id(
            &mut self.commands,
            &mut self.dispatch.requests,
            AssistanceRequest {
                from_team: team,
                to: from,
                analysts,
                at: now,
                provided: 0,
            },
        );
        let team_name = self.scenario.0.teams[team.index()].name.clone();
        spawn_with_id(
            &mut self.commands,
            &mut self.dispatch.messages,
            Message {
                tick: now,
                from: Actor::Team(team),
                to: Recipient::Economy(from),
                text: format!(
                    "Request for assistance: {analysts} analyst(s) needed by {team_name}."
                ),
            },
        );
        "request delivered".into()
    }
}

/// Hardening: patching +15 and monitoring +10, at most 100.
fn harden(posture: &mut Posture) {
    posture.patching = posture.patching.saturating_add(15).min(100);
    posture.monitoring = posture.monitoring.saturating_add(10).min(100);
}

/// Coordinating private operators: patching +10, monitoring +15 and backups +10, at
/// most 100.
fn coordinate(posture: &mut Posture) {
    posture.patching = posture.patching.saturating_add(10).min(100);
    posture.monitoring = posture.monitoring.saturating_add(15).min(100);
    posture.backups = posture.backups.saturating_add(10).min(100);
}

/// Awareness after a campaign: `+ 8 + 8 x capacity readiness`, at most 100.
pub fn awareness_after_campaign(awareness: f64, capacity: u8) -> f64 {
    (awareness + 8.0 + 8.0 * fraction(capacity)).min(100.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::systems::testing::{entity, get, get_mut, incident, outcome, run, task, world_at};
    use crate::view::Stage;
    use crate::world::Intrusion;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-12
    }

    #[test]
    fn awareness_formula() {
        for ((awareness, capacity), after) in [
            ((30.0, 0), 38.0),
            ((30.0, 50), 42.0),
            ((30.0, 100), 46.0),
            ((95.0, 100), 100.0),
        ] {
            let got = awareness_after_campaign(awareness, capacity);
            assert!(close(got, after), "{awareness} {capacity}: {got}");
        }
    }

    #[test]
    fn due_tasks_complete_in_id_order_each_seeing_the_ones_before() {
        // Campaign 0 is ransomware: containing it at impact leaves the asset to restore.
        let mut world = world_at(5);
        let ransom = incident(&mut world, 5, 0, Stage::Impact, 2);
        world.resource_mut::<Assets>().damage[5] = 0.4;
        let contain = task(&mut world, 4, Command::Contain { incident: ransom }, 2, 5);
        let again = task(&mut world, 7, Command::Contain { incident: ransom }, 2, 4);
        let later = task(
            &mut world,
            4,
            Command::Investigate { incident: ransom },
            2,
            6,
        );
        run(&mut world, progress_tasks);
        assert_eq!(
            outcome(&world, contain).as_deref(),
            Some("contained; the asset still needs restoring")
        );
        assert_eq!(outcome(&world, again).as_deref(), Some("already closed"));
        assert_eq!(outcome(&world, later), None, "due at tick 6");
        assert_eq!(get::<_, Contained>(&world, ransom).map(|c| c.0), Some(5));
        assert!(get::<_, Recovered>(&world, ransom).is_none());
        assert_eq!(
            world.resource::<Assets>().damage[5],
            0.4,
            "still to restore"
        );
        assert_eq!(world.resource::<Assets>().open_incident[5], NO_INCIDENT);
        let busy = |team| get::<_, Staff>(&world, TeamIdx(team)).map(|s| s.busy);
        assert_eq!(busy(4), Some(2), "the investigation still runs");
        assert_eq!(busy(7), Some(0));
    }

    /// The containment's `Contained` is still queued when the restoration after it in
    /// the same tick runs: the restoration sees the incident contained all the same.
    #[test]
    fn a_restore_after_a_containment_in_the_same_tick_recovers_the_incident() {
        let mut world = world_at(5);
        let ransom = incident(&mut world, 5, 0, Stage::Impact, 2);
        world.resource_mut::<Assets>().damage[5] = 0.4;
        let contain = task(&mut world, 4, Command::Contain { incident: ransom }, 2, 5);
        let restore = task(&mut world, 6, Command::Restore { asset: AssetIdx(5) }, 2, 5);
        run(&mut world, progress_tasks);
        assert_eq!(
            outcome(&world, contain).as_deref(),
            Some("contained; the asset still needs restoring")
        );
        assert_eq!(
            outcome(&world, restore).as_deref(),
            Some("service restored; 1 incident(s) recovered")
        );
        assert_eq!(get::<_, Contained>(&world, ransom).map(|c| c.0), Some(5));
        assert_eq!(get::<_, Recovered>(&world, ransom).map(|r| r.0), Some(5));
        assert_eq!(world.resource::<Assets>().damage[5], 0.0);
    }

    /// A tick's closures are forgotten once applied: the next tick reads the incident
    /// from the world.
    #[test]
    fn closures_kept_aside_last_one_tick() {
        let mut world = world_at(5);
        let ransom = incident(&mut world, 5, 0, Stage::Impact, 2);
        let mut state: SystemState<TaskEffects> = SystemState::new(&mut world);
        let contain = task(&mut world, 4, Command::Contain { incident: ransom }, 2, 5);
        let e = entity(&world, ransom);
        let mut unfinished = world.query_filtered::<Unfinished, Without<Done>>();
        progress_tasks(&mut world, &mut unfinished, &mut state);
        assert!(outcome(&world, contain).is_some());
        world.entity_mut(e).remove::<Contained>();
        world.resource_mut::<Clock>().tick = 6;
        let again = task(&mut world, 4, Command::Contain { incident: ransom }, 2, 6);
        progress_tasks(&mut world, &mut unfinished, &mut state);
        assert_eq!(
            outcome(&world, again).as_deref(),
            Some("contained; the asset still needs restoring"),
            "the world says open: the last tick's closure is not kept"
        );
    }

    #[test]
    fn containing_a_fraud_at_impact_stops_it_with_nothing_to_restore() {
        // Campaign 1 is phishing aimed at the bank's customers: blocking the lure ends it.
        let mut world = world_at(5);
        let phishing = incident(&mut world, 5, 1, Stage::Impact, 2);
        world.resource_mut::<Assets>().damage[5] = 0.4;
        let contain = task(&mut world, 4, Command::Contain { incident: phishing }, 2, 5);
        run(&mut world, progress_tasks);
        assert_eq!(
            outcome(&world, contain).as_deref(),
            Some("contained; the lure is blocked and the fraud here stops")
        );
        assert_eq!(get::<_, Contained>(&world, phishing).map(|c| c.0), Some(5));
        assert_eq!(get::<_, Recovered>(&world, phishing).map(|r| r.0), Some(5));
        assert_eq!(world.resource::<Assets>().damage[5], 0.0);
        assert_eq!(world.resource::<Assets>().open_incident[5], NO_INCIDENT);
    }

    #[test]
    fn a_takedown_first_leaves_nothing_to_contain() {
        // Campaign 1 names no hosting economy: the takedown removes all there is.
        let mut world = world_at(5);
        let phishing = incident(&mut world, 5, 1, Stage::Impact, 2);
        world.resource_mut::<Assets>().damage[5] = 0.4;
        let takedown = task(
            &mut world,
            7,
            Command::Takedown { incident: phishing },
            2,
            5,
        );
        let contain = task(&mut world, 4, Command::Contain { incident: phishing }, 2, 5);
        run(&mut world, progress_tasks);
        assert_eq!(
            outcome(&world, takedown).as_deref(),
            Some(
                "taken down everywhere it was hosted: the campaign has stopped, 1 open incident(s) closed"
            )
        );
        assert_eq!(outcome(&world, contain).as_deref(), Some("already closed"));
        assert_eq!(get::<_, Recovered>(&world, phishing).map(|r| r.0), Some(5));
        assert_eq!(world.resource::<Assets>().damage[5], 0.0);
    }

    #[test]
    fn investigating_identifies_the_campaign_and_restoring_recovers_contained_incidents() {
        let mut world = world_at(8);
        let ransom = incident(&mut world, 0, 0, Stage::Impact, 2);
        let e = entity(&world, ransom);
        world.entity_mut(e).insert(Contained(4));
        world.resource_mut::<Assets>().damage[0] = 0.8;
        let investigate = task(
            &mut world,
            0,
            Command::Investigate { incident: ransom },
            2,
            8,
        );
        let restore = task(&mut world, 2, Command::Restore { asset: AssetIdx(0) }, 2, 8);
        run(&mut world, progress_tasks);
        assert_eq!(
            outcome(&world, investigate).as_deref(),
            Some("identified: ransom")
        );
        assert!(get::<_, Investigated>(&world, ransom).is_some());
        let indicators = get::<_, Indicators>(&world, EconomyIdx(0)).map(|i| i.0.clone());
        assert_eq!(indicators, Some(vec![true, false]));
        assert_eq!(
            outcome(&world, restore).as_deref(),
            Some("service restored; 1 incident(s) recovered")
        );
        assert_eq!(world.resource::<Assets>().damage[0], 0.0);
        assert_eq!(get::<_, Recovered>(&world, ransom).map(|r| r.0), Some(8));
    }

    #[test]
    fn a_contained_flood_at_impact_is_over() {
        let mut world = world_at(6);
        let flood = incident(&mut world, 1, 0, Stage::Impact, 3);
        let mut hit = get_mut::<_, Hit>(&mut world, flood);
        hit.kind = CampaignKind::Ddos;
        world.resource_mut::<Assets>().damage[1] = 0.6;
        let contain = task(&mut world, 0, Command::Contain { incident: flood }, 2, 6);
        run(&mut world, progress_tasks);
        assert_eq!(
            outcome(&world, contain).as_deref(),
            Some("contained; traffic scrubbed, service returning")
        );
        assert_eq!(world.resource::<Assets>().damage[1], 0.0);
        assert_eq!(get::<_, Recovered>(&world, flood).map(|r| r.0), Some(6));
        let stage = get::<_, Intrusion>(&world, flood).map(|i| i.stage);
        assert_eq!(stage, Some(Stage::Impact));
    }

    #[test]
    fn hardening_and_coordination_raise_posture_on_own_assets_of_the_sector() {
        let mut world = world_at(3);
        let harden = task(
            &mut world,
            1,
            Command::HardenSector {
                sector: SectorIdx(2),
            },
            2,
            3,
        );
        let coordinate = task(
            &mut world,
            2,
            Command::CoordinateOperators {
                sector: SectorIdx(2),
            },
            2,
            3,
        );
        run(&mut world, progress_tasks);
        assert_eq!(
            outcome(&world, harden).as_deref(),
            Some("1 asset(s) hardened")
        );
        assert_eq!(
            outcome(&world, coordinate).as_deref(),
            Some("1 private operator asset(s) coordinated")
        );
        let posture = &world.resource::<Assets>().posture;
        // Strong's bank: patching 50 + 15 + 10; monitoring 50 + 10 + 15; backups 50 + 10.
        assert_eq!(
            posture[2],
            Posture {
                patching: 75,
                monitoring: 75,
                backups: 60
            }
        );
        assert_eq!(
            posture[5], posture[0],
            "Weak's bank and Strong's grid unchanged"
        );
    }

    /// Without an agreement indicators take the scenario's 12 ticks at neutral trust;
    /// Strong sends them to Weak, which it trusts fully, in half that (`partners`).
    #[test]
    fn indicators_go_sooner_to_a_trusted_partner() {
        let arrival = |trust: f64| {
            let mut scenario = crate::testkit::two_economies();
            scenario.agreements.clear();
            let mut world = crate::systems::testing::world_of(scenario, 4);
            get_mut::<_, PartnerTrust>(&mut world, EconomyIdx(0)).level[1] = trust;
            let ransom = incident(&mut world, 0, 0, Stage::Impact, 2);
            task(
                &mut world,
                0,
                Command::ShareIndicators {
                    incident: ransom,
                    with: vec![EconomyIdx(1)],
                    tlp: Tlp::Green,
                    teams: Vec::new(),
                },
                1,
                4,
            );
            run(&mut world, progress_tasks);
            get::<_, Shipment>(&world, DeliveryId(0)).map(|s| s.arrives_at)
        };
        assert_eq!(arrival(partners::START), Some(4 + 12));
        assert_eq!(arrival(100.0), Some(4 + 6));
        assert_eq!(arrival(0.0), Some(4 + 18));
    }

    #[test]
    fn sharing_and_asking_for_help_send_shipments_requests_and_messages() {
        let mut world = world_at(4);
        let ransom = incident(&mut world, 0, 0, Stage::Impact, 2);
        let share = task(
            &mut world,
            0,
            Command::ShareIndicators {
                incident: ransom,
                with: vec![EconomyIdx(0), EconomyIdx(1)],
                tlp: Tlp::Green,
                teams: Vec::new(),
            },
            1,
            4,
        );
        let ask = task(
            &mut world,
            4,
            Command::RequestAssistance {
                from: EconomyIdx(0),
                analysts: 3,
            },
            0,
            4,
        );
        run(&mut world, progress_tasks);
        assert_eq!(
            outcome(&world, share).as_deref(),
            Some("indicators sent to 1 economy(ies)")
        );
        assert_eq!(outcome(&world, ask).as_deref(), Some("request delivered"));
        // The information-sharing agreement's delay is 1 tick.
        let shipment = get::<_, Shipment>(&world, DeliveryId(0)).copied();
        assert_eq!(
            shipment,
            Some(Shipment {
                arrives_at: 5,
                incident: ransom,
                from: EconomyIdx(0),
                to: EconomyIdx(1),
                team: None,
                tlp: Tlp::Green,
            })
        );
        assert_eq!(world.resource::<Ids<DeliveryId>>().len(), 1);
        let request = get::<_, AssistanceRequest>(&world, RequestId(0)).copied();
        assert_eq!(
            request,
            Some(AssistanceRequest {
                from_team: TeamIdx(4),
                to: EconomyIdx(0),
                analysts: 3,
                at: 4,
                provided: 0,
            })
        );
        let message = get::<_, Message>(&world, MessageId(0)).cloned();
        assert_eq!(
            message.map(|m| (m.from, m.to, m.text)),
            Some((
                Actor::Team(TeamIdx(4)),
                Recipient::Economy(EconomyIdx(0)),
                "Request for assistance: 3 analyst(s) needed by weak-csirt.".to_string()
            ))
        );
    }

    #[test]
    fn a_loan_ending_sends_the_analysts_home() {
        let mut world = world_at(20);
        let loan = task(
            &mut world,
            0,
            Command::ProvideAssistance {
                to: TeamIdx(4),
                analysts: 3,
            },
            0,
            20,
        );
        get_mut::<_, Staff>(&mut world, TeamIdx(0)).lent = 3;
        get_mut::<_, Staff>(&mut world, TeamIdx(4)).borrowed = 3;
        run(&mut world, progress_tasks);
        assert_eq!(
            outcome(&world, loan).as_deref(),
            Some("3 lent analyst(s) returned")
        );
        let staff = |t| get::<_, Staff>(&world, TeamIdx(t)).map(|s| (s.lent, s.borrowed));
        assert_eq!(staff(0), Some((0, 0)));
        assert_eq!(staff(4), Some((0, 0)));
    }
}
