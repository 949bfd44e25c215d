//! The canonical state hash: blake3 over every part of the state, written field by
//! field in a fixed order, numbers little-endian, `f64` as its bits, collections by
//! index. Two runs agree on the hash exactly when they agree on the state.
//!
//! Every struct of state is destructured here without `..`: a new field does not
//! compile until it is hashed, or bound to `_` with the reason it need not be (fixed by
//! the scenario, or derived from what is hashed). A new component or resource is caught
//! by a test against `covered_types`.

use std::fmt;

use bevy_ecs::prelude::*;
use bevy_ecs::query::{QueryData, QueryFilter, ROQueryItem};
use bevy_ecs::system::SystemParam;

use crate::command::{Actor, Command, IncidentId, Recipient, TaskId, Tlp};
use crate::decisions::{DecisionPoints, DecisionState, RansomPolicies, RansomRule, Settlement};
use crate::detection::FoundBy;
use crate::economics::{Cause, Ledger, RansomCase};
use crate::notifications::{Notification, Notifications};
use crate::outcomes::{Achieved, Outcome, Outcomes, Watches};
use crate::partners::{PartnerMoves, PartnerTrust};
use crate::protection::{ChildCase, ChildProtection};
use crate::readiness::ReadinessMoves;
use crate::scenario::model::{CampaignIdx, EconomyIdx, InjectIdx, Posture, Readiness, TeamIdx};
use crate::spam::{Spam, SpamFilter, SpamTally};
use crate::systems::repair_hazards::Crews;
use crate::view::{Source, Stage};
use crate::world::{
    Activity, Assets, Assignment, AssistanceRequest, Awareness, Clock, Contained, Delivered,
    DeliveryId, Detected, Disrupted, Done, EconomyRecord, EconomyRecordItem, Firing, Hit, Ids,
    Impacted, IncidentRecord, IncidentRecordItem, Indicators, Intrusion, Key, Knowing, KnownBy,
    Loss, Message, MessageId, Pillars, Progress, Recovered, RequestId, Rng, Service, Shipment,
    Staff, TakenDown, Trust, Wording,
};

/// A blake3 digest of the canonical state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct StateHash(pub [u8; 32]);

impl StateHash {
    /// 64 lowercase hex characters.
    pub fn to_hex(&self) -> String {
        self.0.iter().map(|b| format!("{b:02x}")).collect()
    }
}

impl fmt::Display for StateHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_hex())
    }
}

impl serde::Serialize for StateHash {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.to_hex())
    }
}

/// Canonical writer over a blake3 hasher. The bytes are gathered in a buffer and handed
/// to the hasher in large blocks: blake3 hashes a stream, so the hash is the same however
/// the stream is cut, and a call per field (several per asset, every tick of a verified
/// replay) cost far more than hashing the bytes.
struct Canon {
    hasher: blake3::Hasher,
    buf: Vec<u8>,
}

/// Bytes gathered before they go to the hasher.
const CANON_BLOCK: usize = 64 * 1024;

impl Canon {
    fn new() -> Self {
        Self {
            hasher: blake3::Hasher::new(),
            buf: Vec::with_capacity(CANON_BLOCK),
        }
    }
    fn bytes(&mut self, bytes: &[u8]) {
        if self.buf.len() + bytes.len() > CANON_BLOCK {
            self.hasher.update(&self.buf);
            self.buf.clear();
        }
        if bytes.len() > CANON_BLOCK {
            self.hasher.update(bytes);
        } else {
            self.buf.extend_from_slice(bytes);
        }
    }
    fn finish(mut self) -> StateHash {
        self.hasher.update(&self.buf);
        StateHash(*self.hasher.finalize().as_bytes())
    }
    fn u8(&mut self, v: u8) {
        self.bytes(&[v]);
    }
    fn u32(&mut self, v: u32) {
        self.bytes(&v.to_le_bytes());
    }
    fn u64(&mut self, v: u64) {
        self.bytes(&v.to_le_bytes());
    }
    fn u128(&mut self, v: u128) {
        self.bytes(&v.to_le_bytes());
    }
    fn f64(&mut self, v: f64) {
        self.u64(v.to_bits());
    }
    fn bool(&mut self, v: bool) {
        self.u8(u8::from(v));
    }
    fn opt_u32(&mut self, v: Option<u32>) {
        match v {
            None => self.u8(0),
            Some(x) => {
                self.u8(1);
                self.u32(x);
            }
        }
    }
    fn str(&mut self, s: &str) {
        self.u64(s.len() as u64);
        self.bytes(s.as_bytes());
    }
    fn len(&mut self, n: usize) {
        self.u64(n as u64);
    }
    fn actor(&mut self, a: Actor) {
        match a {
            Actor::Facilitator => self.u8(0),
            Actor::Team(t) => {
                self.u8(1);
                self.u32(t.0);
            }
        }
    }
    fn recipient(&mut self, r: Recipient) {
        match r {
            Recipient::Team(t) => {
                self.u8(0);
                self.u32(t.0);
            }
            Recipient::Economy(e) => {
                self.u8(1);
                self.u32(e.0);
            }
            Recipient::Facilitator => self.u8(2),
            Recipient::All => self.u8(3),
        }
    }
    fn tlp(&mut self, t: Tlp) {
        self.u8(t as u8);
    }
}

/// JSON of a command: plain data with a stable serde form, so the JSON is canonical
/// (fields in declaration order, no maps).
fn command_json(c: &Command) -> String {
    serde_json::to_string(c).unwrap_or_else(|_| c.label().to_owned())
}

/// JSON of an outcome, plain data with a stable serde form as commands.
fn outcome_json(what: &Achieved) -> String {
    serde_json::to_string(what).unwrap_or_else(|_| "?".to_owned())
}

/// The JSON of every task's command and every outcome as last hashed, by position.
/// Both are written once and never change, and encoding all of them again every tick
/// made the hash (and so a verified replay) cost more the longer an exercise ran. An
/// entry is used only while the value at its position is still equal to the one it
/// encodes, so a changed value cannot be hashed from a stale encoding.
#[derive(Default)]
pub struct JsonMemo {
    commands: Vec<(Command, String)>,
    outcomes: Vec<(Achieved, String)>,
}

/// The JSON of `value`, the `k`th of its kind, from `memo` when it encodes that value.
fn memoized<'m, T: PartialEq + Clone>(
    memo: &'m mut Vec<(T, String)>,
    k: usize,
    value: &T,
    encode: fn(&T) -> String,
) -> &'m str {
    if !memo.get(k).is_some_and(|(seen, _)| seen == value) {
        let entry = (value.clone(), encode(value));
        match memo.get_mut(k) {
            Some(slot) => *slot = entry,
            None => {
                memo.truncate(k);
                memo.push(entry);
            }
        }
    }
    memo.get(k).map_or("", |(_, json)| json.as_str())
}

/// Every component and resource type of the world, each either hashed below or left
/// out for the reason given (fixed by the scenario, or derived from what is hashed). A
/// test (`every_component_and_resource_is_covered_by_the_hash`, `sim/tests.rs`) checks
/// the world's registry against this list, so a new one cannot be forgotten.
#[cfg(test)]
pub(crate) fn covered_types() -> Vec<std::any::TypeId> {
    use crate::trust::TrustMoves;
    use crate::world::{History, Id, Investigated, Pillars, ScenarioData};
    use std::any::TypeId;
    macro_rules! types {
        ($($ty:ty),* $(,)?) => { vec![$(TypeId::of::<$ty>()),*] };
    }
    types![
        // Resources.
        ScenarioData, // the scenario: fixed for the run, named by the journal
        Clock,
        Rng,
        Assets,
        Progress,
        Outcomes,
        Watches,
        DecisionPoints,
        RansomPolicies,
        Notifications,
        Ledger,
        Crews,
        ChildProtection,
        Spam,
        // Entity lists by id: their order is the order hashed.
        Ids<EconomyIdx>,
        Ids<TeamIdx>,
        Ids<CampaignIdx>,
        Ids<InjectIdx>,
        Ids<IncidentId>,
        Ids<TaskId>,
        Ids<DeliveryId>,
        Ids<MessageId>,
        Ids<RequestId>,
        // Ids: an entity's position in its kind's list.
        Id<EconomyIdx>,
        Id<TeamIdx>,
        Id<CampaignIdx>,
        Id<InjectIdx>,
        Id<IncidentId>,
        Id<TaskId>,
        Id<DeliveryId>,
        Id<MessageId>,
        Id<RequestId>,
        // Economies.
        Trust,
        TrustMoves, // derived: trust's changes split by cause, read by no system
        Awareness,
        Loss,
        Service,
        Pillars,
        ReadinessMoves,
        Indicators,
        Disrupted,
        History, // derived: the trust, loss and service of each past tick, hashed then
        PartnerTrust,
        // Teams, campaigns, injects.
        Staff,
        Activity,
        TakenDown,
        Wording,
        Firing,
        // Incidents.
        Hit,
        Intrusion,
        Impacted,
        Detected,
        Contained,
        Recovered,
        Investigated,
        KnownBy,
        FoundBy,
        // Tasks, deliveries, messages, assistance requests.
        Assignment,
        Done,
        Shipment,
        Delivered,
        Message,
        AssistanceRequest,
    ]
}

/// Read access to every part of the state, for the hash.
#[derive(SystemParam)]
pub struct StateParts<'w, 's> {
    clock: Res<'w, Clock>,
    rng: Res<'w, Rng>,
    assets: Res<'w, Assets>,
    progress: Res<'w, Progress>,
    ledger: Res<'w, Ledger>,
    crews: Res<'w, Crews>,
    protection: Res<'w, ChildProtection>,
    spam: Res<'w, Spam>,
    economy_ids: Res<'w, Ids<EconomyIdx>>,
    economies: Query<'w, 's, EconomyRecord>,
    campaign_ids: Res<'w, Ids<CampaignIdx>>,
    campaigns: Query<'w, 's, (&'static Activity, &'static TakenDown)>,
    incident_ids: Res<'w, Ids<IncidentId>>,
    incidents: Query<'w, 's, IncidentRecord>,
    team_ids: Res<'w, Ids<TeamIdx>>,
    teams: Query<'w, 's, &'static Staff>,
    task_ids: Res<'w, Ids<TaskId>>,
    tasks: Query<'w, 's, (&'static Assignment, Option<&'static Done>)>,
    delivery_ids: Res<'w, Ids<DeliveryId>>,
    deliveries: Query<'w, 's, (&'static Shipment, Has<Delivered>)>,
    message_ids: Res<'w, Ids<MessageId>>,
    messages: Query<'w, 's, &'static Message>,
    request_ids: Res<'w, Ids<RequestId>>,
    requests: Query<'w, 's, &'static AssistanceRequest>,
    inject_ids: Res<'w, Ids<InjectIdx>>,
    injects: Query<'w, 's, (&'static Firing, &'static Wording)>,
    outcomes: Res<'w, Outcomes>,
    watches: Res<'w, Watches>,
    decision_points: Res<'w, DecisionPoints>,
    ransom_policies: Res<'w, RansomPolicies>,
    notifications: Res<'w, Notifications>,
}

/// The items of one kind of entity, in id order.
fn in_order<'a, 's, K: Key, D: QueryData, F: QueryFilter>(
    ids: &'a Ids<K>,
    query: &'a Query<'_, 's, D, F>,
) -> Vec<ROQueryItem<'a, 's, D>> {
    ids.iter().filter_map(|(_, e)| query.get(e).ok()).collect()
}

/// The hash of the whole state (and the seed it was built from).
pub fn state_hash(parts: &StateParts, seed: u64, memo: &mut JsonMemo) -> StateHash {
    let mut c = Canon::new();
    let Clock { tick } = *parts.clock;
    c.str("cyberdrill-state-v1");
    c.u64(seed);
    c.u32(tick);
    // The stream is fixed by the seed; its position is its whole state.
    c.u128(parts.rng.0.word_pos());
    hash_assets(&mut c, &parts.assets);
    let economies = in_order(&parts.economy_ids, &parts.economies);
    c.len(economies.len());
    for EconomyRecordItem {
        trust: Trust(trust),
        // derived: trust's changes split by cause, read by no system (the changes
        // themselves are hashed as `trust`)
        trust_moves: _,
        awareness: Awareness(awareness),
        loss: Loss(loss),
        service: Service(service),
        pillars: Pillars(pillars),
        readiness_moves: ReadinessMoves {
            training,
            assistance,
        },
        indicators: Indicators(indicators),
        disrupted: Disrupted(disrupted),
        history: _, // derived: the trust, loss and service of each past tick, hashed then
        partners: PartnerTrust { level, moves },
    } in economies
    {
        c.f64(*trust);
        c.f64(*awareness);
        c.f64(*loss);
        c.f64(*service);
        for readiness in [pillars, training, assistance] {
            let &Readiness {
                legal,
                technical,
                organizational,
                capacity,
                cooperation,
            } = readiness;
            for score in [legal, technical, organizational, capacity, cooperation] {
                c.u8(score);
            }
        }
        c.len(indicators.len());
        for (&known, &disrupted) in indicators.iter().zip(disrupted) {
            c.bool(known);
            c.bool(disrupted);
        }
        c.len(level.len());
        for (&level, moves) in level.iter().zip(moves) {
            let &PartnerMoves {
                timely_sharing,
                assistance,
                refusals,
            } = moves;
            c.f64(level);
            c.f64(timely_sharing);
            c.f64(assistance);
            c.f64(refusals);
        }
    }
    let campaigns = in_order(&parts.campaign_ids, &parts.campaigns);
    c.len(campaigns.len());
    for (
        &Activity {
            started_at,
            stopped_at,
            stopped_by,
        },
        TakenDown(taken_down),
    ) in campaigns
    {
        c.opt_u32(started_at);
        c.opt_u32(stopped_at);
        c.u8(stopped_by.map_or(0, |cause| cause as u8 + 1));
        c.len(taken_down.len());
        for e in taken_down {
            c.u32(e.0);
        }
    }
    let incidents = in_order(&parts.incident_ids, &parts.incidents);
    c.len(incidents.len());
    for IncidentRecordItem {
        id: _, // its position in the list
        hit,
        intrusion,
        impacted,
        detected,
        contained,
        recovered,
        investigated,
        known,
        found_by: found,
    } in incidents
    {
        let &Hit {
            asset,
            economy: _, // the asset's economy
            campaign,
            kind: _, // the campaign's kind
            hazard,
        } = hit;
        let &Intrusion {
            stage,
            started_at,
            stage_entered_at,
        } = intrusion;
        c.u32(asset.0);
        c.u32(campaign.0);
        c.bool(hazard);
        c.u8(stage_code(stage));
        c.u32(started_at);
        c.u32(stage_entered_at);
        c.opt_u32(impacted.map(|&Impacted(at)| at));
        c.opt_u32(detected.map(|&Detected(at)| at));
        c.opt_u32(contained.map(|&Contained(at)| at));
        c.opt_u32(recovered.map(|&Recovered(at)| at));
        c.bool(investigated);
        let KnownBy(known) = known;
        c.len(known.len());
        for &Knowing {
            economy,
            team,
            at,
            source,
        } in known
        {
            c.u32(economy.0);
            c.opt_u32(team.map(|t| t.0));
            c.u32(at);
            match source {
                Source::Own => c.u8(0),
                Source::SharedBy { economy, tlp } => {
                    c.u8(1);
                    c.u32(economy.0);
                    c.tlp(tlp);
                }
            }
        }
        found_by(&mut c, found.copied());
    }
    let teams = in_order(&parts.team_ids, &parts.teams);
    c.len(teams.len());
    for &Staff {
        analysts,
        busy,
        lent,
        borrowed,
    } in teams
    {
        c.u32(analysts);
        c.u32(busy);
        c.u32(lent);
        c.u32(borrowed);
    }
    c.len(parts.task_ids.len());
    let mut hashed_tasks = 0;
    for (id, entity) in parts.task_ids.iter() {
        let Ok((
            Assignment {
                team,
                command,
                analysts,
                started_at,
                done_at,
            },
            done,
        )) = parts.tasks.get(entity)
        else {
            continue;
        };
        c.u32(id.0);
        c.u32(team.0);
        c.str(memoized(
            &mut memo.commands,
            hashed_tasks,
            command,
            command_json,
        ));
        hashed_tasks += 1;
        c.u32(*analysts);
        c.u32(*started_at);
        c.u32(*done_at);
        c.bool(done.is_some());
        c.str(done.map_or("", |Done { outcome }| outcome.as_str()));
    }
    let deliveries = in_order(&parts.delivery_ids, &parts.deliveries);
    c.len(deliveries.len());
    for (
        &Shipment {
            arrives_at,
            incident,
            from,
            to,
            team,
            tlp,
        },
        delivered,
    ) in deliveries
    {
        c.u32(arrives_at);
        c.u32(incident.0);
        c.u32(from.0);
        c.u32(to.0);
        c.opt_u32(team.map(|t| t.0));
        c.tlp(tlp);
        c.bool(delivered);
    }
    let messages = in_order(&parts.message_ids, &parts.messages);
    c.len(messages.len());
    for Message {
        tick,
        from,
        to,
        text,
    } in messages
    {
        c.u32(*tick);
        c.actor(*from);
        c.recipient(*to);
        c.str(text);
    }
    let requests = in_order(&parts.request_ids, &parts.requests);
    c.len(requests.len());
    for &AssistanceRequest {
        from_team,
        to,
        analysts,
        at,
        provided,
    } in requests
    {
        c.u32(from_team.0);
        c.u32(to.0);
        c.u32(analysts);
        c.u32(at);
        c.u32(provided);
    }
    let injects = in_order(&parts.inject_ids, &parts.injects);
    c.len(injects.len());
    for (&Firing { fired_at, queued }, Wording { headline, text }) in injects {
        c.opt_u32(fired_at);
        c.str(headline);
        c.str(text);
        c.bool(queued);
    }
    let Progress {
        objective_ok_ticks,
        service_sum,
        service_now,
    } = &*parts.progress;
    c.len(objective_ok_ticks.len());
    for &ok in objective_ok_ticks {
        c.u32(ok);
    }
    c.f64(*service_sum);
    c.f64(*service_now);
    hash_books(&mut c, &parts.ledger);
    hash_children(&mut c, &parts.protection);
    hash_spam(&mut c, &parts.spam);
    let Crews(crews) = &*parts.crews;
    c.len(crews.len());
    for &rate in crews {
        c.f64(rate);
    }
    // The tallies are derived from the outcomes.
    let Outcomes(outcomes, _tallies) = &*parts.outcomes;
    c.len(outcomes.len());
    for (k, Outcome { tick, what }) in outcomes.iter().enumerate() {
        c.u32(*tick);
        c.str(memoized(&mut memo.outcomes, k, what, outcome_json));
    }
    let Watches(watches) = &*parts.watches;
    c.len(watches.len());
    for &w in watches {
        c.opt_u32(w);
    }
    let DecisionPoints(decisions) = &*parts.decision_points;
    c.len(decisions.len());
    for &DecisionState {
        offered_at,
        settled,
    } in decisions
    {
        c.opt_u32(offered_at);
        match settled {
            None => c.u8(0),
            Some(Settlement {
                option,
                by,
                at,
                applied,
            }) => {
                c.u8(1);
                c.u32(option);
                c.opt_u32(by.map(|t| t.0));
                c.u32(at);
                c.bool(applied);
            }
        }
    }
    let RansomPolicies(rules) = &*parts.ransom_policies;
    c.len(rules.len());
    for &RansomRule {
        economy,
        campaign,
        policy,
        at,
    } in rules
    {
        c.u32(economy.0);
        c.opt_u32(campaign.map(|x| x.0));
        c.u8(policy as u8);
        c.u32(at);
    }
    let Notifications(notifications) = &*parts.notifications;
    c.len(notifications.len());
    for Notification {
        team,
        from,
        to,
        campaign,
        sent_at,
        arrives_at,
        arrived_at,
        assets,
    } in notifications
    {
        c.u32(team.0);
        c.u32(from.0);
        c.u32(to.0);
        c.u32(campaign.0);
        c.u32(*sent_at);
        c.u32(*arrives_at);
        c.opt_u32(*arrived_at);
        c.len(assets.len());
        for a in assets {
            c.u32(a.0);
        }
    }
    c.finish()
}

fn hash_assets(c: &mut Canon, assets: &Assets) {
    let Assets {
        // Fixed by the scenario for the whole run:
        economy: _,
        sector: _,
        resilience: _,
        dep_start: _,
        dep_on: _,
        dep_weight: _,
        loss_per_tick: _,
        // Scratch space of the cascade, overwritten before it is read:
        scratch: _,
        // Derived from the state: which assets the passes visit.
        active: _,
        posture,
        inoperability,
        damage,
        open_incident,
    } = assets;
    c.len(assets.len());
    for i in 0..assets.len() {
        let Posture {
            patching,
            monitoring,
            backups,
        } = posture[i];
        // One asset's bytes written at once (the same stream as a field at a time).
        let mut record = [0u8; 23];
        record[0] = patching;
        record[1] = monitoring;
        record[2] = backups;
        record[3..11].copy_from_slice(&inoperability[i].to_bits().to_le_bytes());
        record[11..19].copy_from_slice(&damage[i].to_bits().to_le_bytes());
        record[19..23].copy_from_slice(&open_incident[i].to_le_bytes());
        c.bytes(&record);
    }
}

/// Children exposed to harmful content and whether each incident was referred, in id
/// order.
fn hash_children(c: &mut Canon, protection: &ChildProtection) {
    let ChildProtection { cases } = protection;
    c.len(cases.len());
    for (
        id,
        &ChildCase {
            economy,
            exposed,
            referred_at,
        },
    ) in cases
    {
        c.u32(id.0);
        c.u32(economy.0);
        c.f64(exposed);
        c.opt_u32(referred_at);
    }
}

/// Each economy's spam filtering and spam so far, in economy order.
fn hash_spam(c: &mut Canon, spam: &Spam) {
    let Spam { filters, tallies } = spam;
    c.len(filters.len());
    for &SpamFilter { level, target } in filters {
        c.f64(level);
        c.f64(target);
    }
    c.len(tallies.len());
    for &SpamTally {
        sent,
        reached,
        responded,
        loss,
    } in tallies
    {
        c.f64(sent);
        c.f64(reached);
        c.f64(responded);
        c.f64(loss);
    }
}

/// The economic books (the output shares are the scenario's, not state).
fn hash_books(c: &mut Canon, ledger: &Ledger) {
    let Ledger {
        shares: _,          // what each asset carries: fixed by the scenario
        output_per_tick: _, // fixed by the scenario
        sectors: _,         // fixed by the scenario
        direct,
        asset_loss,
        breakdown,
        sector_loss,
        victims,
        ransoms,
    } = ledger;
    c.len(direct.len());
    for (&direct, &loss) in direct.iter().zip(asset_loss) {
        let mut record = [0u8; 16];
        record[..8].copy_from_slice(&direct.to_bits().to_le_bytes());
        record[8..].copy_from_slice(&loss.to_bits().to_le_bytes());
        c.bytes(&record);
    }
    c.len(breakdown.len());
    for (parts, &victims) in breakdown.iter().zip(victims) {
        for cause in Cause::ALL {
            c.f64(parts.part(cause));
        }
        c.f64(victims);
    }
    c.len(sector_loss.len());
    for &loss in sector_loss {
        c.f64(loss);
    }
    c.len(ransoms.len());
    for &RansomCase {
        incident,
        economy,
        at,
        demand,
        paid,
        recovery,
    } in ransoms
    {
        c.u32(incident.0);
        c.u32(economy.0);
        c.u32(at);
        c.f64(demand);
        c.f64(paid);
        c.f64(recovery);
    }
}

/// How an incident was found, if it was.
fn found_by(c: &mut Canon, found: Option<FoundBy>) {
    match found {
        None => c.u8(0),
        Some(FoundBy::Watch) => c.u8(1),
        Some(FoundBy::OwnIndicators) => c.u8(2),
        Some(FoundBy::Impact) => c.u8(3),
        Some(FoundBy::RansomNote) => c.u8(4),
        Some(FoundBy::SharedIndicators { from }) => {
            c.u8(5);
            c.u32(from.0);
        }
        Some(FoundBy::Notified { by }) => {
            c.u8(6);
            c.u32(by.0);
        }
        Some(FoundBy::VictimReport) => c.u8(7),
    }
}

fn stage_code(stage: Stage) -> u8 {
    match stage {
        Stage::Reconnaissance => 0,
        Stage::InitialAccess => 1,
        Stage::Foothold => 2,
        Stage::Impact => 3,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The buffered writer hashes exactly the stream of bytes written, wherever the
    /// blocks are cut: the state hash did not change when the buffer came in.
    #[test]
    fn the_buffer_does_not_change_the_hash() {
        let mut c = Canon::new();
        let mut stream = Vec::new();
        let long = "x".repeat(CANON_BLOCK + 17);
        for i in 0..40_000u32 {
            c.u8(i as u8);
            c.u32(i);
            c.f64(f64::from(i) / 7.0);
            stream.push(i as u8);
            stream.extend_from_slice(&i.to_le_bytes());
            stream.extend_from_slice(&(f64::from(i) / 7.0).to_bits().to_le_bytes());
            if i % 10_000 == 0 {
                c.str(&long);
                stream.extend_from_slice(&(long.len() as u64).to_le_bytes());
                stream.extend_from_slice(long.as_bytes());
            }
        }
        assert!(stream.len() > 5 * CANON_BLOCK);
        assert_eq!(c.finish().0, *blake3::hash(&stream).as_bytes());
    }

    /// A memoized encoding is reused only for the value it encodes.
    #[test]
    fn memoized_json_follows_the_value_at_its_position() {
        let mut memo: Vec<(u32, String)> = Vec::new();
        let encode: fn(&u32) -> String = |v| format!("<{v}>");
        assert_eq!(memoized(&mut memo, 0, &7, encode), "<7>");
        assert_eq!(memoized(&mut memo, 1, &8, encode), "<8>");
        assert_eq!(
            memoized(&mut memo, 0, &7, |_| "stale".into()),
            "<7>",
            "reused"
        );
        assert_eq!(memoized(&mut memo, 1, &9, encode), "<9>", "a changed value");
        assert_eq!(memoized(&mut memo, 1, &9, |_| "stale".into()), "<9>");
    }
}
