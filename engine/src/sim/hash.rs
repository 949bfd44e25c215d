//! The canonical state hash: blake3 over every part of the state, written field by
//! field in a fixed order, numbers little-endian, `f64` as its bits, collections by
//! index. Two runs agree on the hash exactly when they agree on the state.
//!
//! Two definitions ([`HashVersion`]); a journal's header says which one its hashes were
//! recorded with, so that journals recorded before version 2 still verify:
//!
//! - **Version 1** writes every list item by item at every tick. The append-only lists
//!   (outcomes, messages, tasks, deliveries, notifications) are most of the state after
//!   a few hundred ticks, so hashing a tick cost more the longer an exercise ran
//!   (`docs/performance.md`, "Verified replay").
//! - **Version 2** writes each of those lists as its length, the length of its *settled
//!   prefix* (the items from the first one that can no longer change: outcomes and
//!   messages at once, a task once done, a delivery once delivered, a notification once
//!   arrived), a running blake3 digest of the prefix's items, and then the items after
//!   the prefix: a settled one as its own digest, an open one in full. Everything else
//!   is written as in version 1. The running digests are kept between hashes
//!   ([`HashCache`]), so an item is encoded and hashed once, when it settles; the hash
//!   itself is still a function of the state alone (the cache is never part of it), so
//!   a rewound, resumed or branched simulation computes the same hash as one that ran
//!   straight through. The layout is in `docs/debrief.md`, "The state hash".
//!
//! Every struct of state is destructured here without `..`: a new field does not
//! compile until it is hashed, or bound to `_` with the reason it need not be (fixed by
//! the scenario, or derived from what is hashed). A new component or resource is caught
//! by a test against `covered_types`.

use std::collections::{BTreeMap, VecDeque};
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
        blake3::Hash::from_bytes(self.0).to_hex().to_string()
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

/// Which definition of the state hash: journals record it in their header
/// (`hash_version`), and replaying a journal computes the hashes it recorded with the
/// definition it recorded them with. Both definitions cover the same state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum HashVersion {
    /// Every list written item by item at every tick: journals whose header has no
    /// `hash_version` (recorded before version 2).
    V1,
    /// The append-only lists written as running digests of their settled items: what
    /// this build records.
    V2,
}

impl HashVersion {
    /// The definition new journals are recorded with.
    pub const CURRENT: HashVersion = HashVersion::V2;

    /// The number a journal's header records.
    pub fn number(self) -> u32 {
        match self {
            HashVersion::V1 => 1,
            HashVersion::V2 => 2,
        }
    }

    /// The definition numbered `number`, if this build knows it.
    pub fn from_number(number: u32) -> Option<HashVersion> {
        match number {
            1 => Some(HashVersion::V1),
            2 => Some(HashVersion::V2),
            _ => None,
        }
    }
}

impl fmt::Display for HashVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.number())
    }
}

/// The canonical encoding's primitives, written to a byte sink: the hash's stream
/// ([`Canon`]) or one item's bytes (a `Vec<u8>`, hashed on its own in version 2).
trait Sink {
    fn bytes(&mut self, bytes: &[u8]);
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
    /// A collection's length.
    fn count(&mut self, n: usize) {
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

impl Sink for Vec<u8> {
    fn bytes(&mut self, bytes: &[u8]) {
        self.extend_from_slice(bytes);
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
    fn finish(mut self) -> StateHash {
        self.hasher.update(&self.buf);
        StateHash(*self.hasher.finalize().as_bytes())
    }
}

impl Sink for Canon {
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

/// Appends `value`'s JSON to `out` as [`Sink::str`] writes a string (its length, then
/// its bytes), or `fallback` if it cannot be encoded: the bytes `out.str(&json)` writes,
/// encoded in place rather than into a string of its own first.
fn json_str(out: &mut Vec<u8>, value: &impl serde::Serialize, fallback: impl FnOnce() -> String) {
    let start = out.len();
    out.u64(0);
    if serde_json::to_writer(&mut *out, value).is_ok() {
        let len = (out.len() - start - 8) as u64;
        out[start..start + 8].copy_from_slice(&len.to_le_bytes());
    } else {
        out.truncate(start);
        out.str(&fallback());
    }
}

/// The JSON of every task's command and every outcome as last hashed by version 1, by
/// position. Both are written once and never change, and encoding all of them again
/// every tick made the hash (and so a verified replay) cost more the longer an exercise
/// ran. An entry is used only while the value at its position is still equal to the one
/// it encodes, so a changed value cannot be hashed from a stale encoding.
#[derive(Default)]
struct JsonMemo {
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

/// What the hash keeps from one call to the next to avoid redoing work: encodings
/// (version 1) and the running digests of the append-only lists (version 2). The hash is
/// a function of the state alone: a fresh cache gives the same hash (tested at every
/// tick), so what is kept is never part of the state and need not be saved or rewound.
#[derive(Default)]
pub struct HashCache {
    json: JsonMemo,
    tasks: ListDigest,
    /// The JSON of the commands of the tasks after the settled prefix, by position.
    open_commands: BTreeMap<usize, (Command, String)>,
    deliveries: ListDigest,
    messages: ListDigest,
    outcomes: ListDigest,
    notifications: ListDigest,
    /// One item's bytes, reused.
    item: Vec<u8>,
}

/// The running digest of one append-only list (version 2): the list's settled prefix
/// folded into a blake3 hasher, item digest after item digest, and the digests of the
/// settled items after it. Relies on settled items never changing, which the engine
/// guarantees (entities are never despawned; a settled item's components are never
/// written again) and a test checks against a fresh cache at every tick.
#[derive(Default)]
struct ListDigest {
    /// Items folded into `prefix`: the first `folded` items, all settled.
    folded: usize,
    /// blake3 of the concatenated 32-byte digests of the folded items.
    prefix: blake3::Hasher,
    /// For each item after the prefix that was seen by the last hash, in order: its
    /// digest once settled, `None` while open or missing.
    tail: VecDeque<Option<[u8; 32]>>,
}

/// The digest of item `at`: blake3 of its canonical bytes.
fn item_digest<T>(
    item: &mut Vec<u8>,
    at: usize,
    found: &T,
    encode: &mut impl FnMut(usize, &T, &mut Vec<u8>),
) -> [u8; 32] {
    item.clear();
    encode(at, found, item);
    *blake3::hash(item).as_bytes()
}

impl ListDigest {
    /// Writes the list of `len` items to `c`: its length, the length of its settled
    /// prefix, the prefix's running digest, then each later item as a mark (1 settled,
    /// 0 open, 2 missing) followed by its digest (settled) or its bytes (open).
    ///
    /// `get(k)` finds item `k` (`None`: missing, an id whose entity lacks its
    /// components, never made by the engine and written as a mark of its own so that it
    /// cannot alias an item); `settled(item)` says whether it can no longer change (an
    /// outcome, a message, a task done, a delivery delivered, a notification arrived:
    /// hashed once, as its own digest) or may still (written in full at every hash);
    /// `encode(k, item, out)` appends its bytes. An item is looked up once per visit.
    fn write<T>(
        &mut self,
        c: &mut Canon,
        item: &mut Vec<u8>,
        len: usize,
        get: impl Fn(usize) -> Option<T>,
        settled: impl Fn(&T) -> bool,
        mut encode: impl FnMut(usize, &T, &mut Vec<u8>),
    ) {
        if len < self.folded + self.tail.len() {
            // A shorter list than last time: not the state this cache followed (the
            // engine's lists only grow); start again from the first item.
            *self = ListDigest::default();
        }
        let Self {
            folded,
            prefix,
            tail,
        } = self;
        for (k, slot) in tail.iter_mut().enumerate() {
            let at = *folded + k;
            if slot.is_none()
                && let Some(found) = get(at)
                && settled(&found)
            {
                *slot = Some(item_digest(item, at, &found, &mut encode));
            }
        }
        for at in *folded + tail.len()..len {
            let slot = get(at)
                .filter(|found| settled(found))
                .map(|found| item_digest(item, at, &found, &mut encode));
            tail.push_back(slot);
        }
        // The digests joining the prefix go to its hasher in one block (the same stream
        // as one call per digest, at a fraction of the calls).
        item.clear();
        while let Some(Some(digest)) = tail.front() {
            item.extend_from_slice(digest);
            *folded += 1;
            tail.pop_front();
        }
        prefix.update(item);
        c.count(len);
        c.count(*folded);
        c.bytes(prefix.finalize().as_bytes());
        for (k, slot) in tail.iter().enumerate() {
            match slot {
                Some(digest) => {
                    c.u8(1);
                    c.bytes(digest);
                }
                None => match get(*folded + k) {
                    None => c.u8(2),
                    Some(found) => {
                        c.u8(0);
                        item.clear();
                        encode(*folded + k, &found, item);
                        c.bytes(item);
                    }
                },
            }
        }
    }
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

/// The hash of the whole state (and the seed it was built from) by definition
/// `version`, reusing what `cache` kept from earlier calls on the same simulation.
pub fn state_hash(
    parts: &StateParts,
    seed: u64,
    version: HashVersion,
    cache: &mut HashCache,
) -> StateHash {
    let hash = compute(parts, seed, version, cache);
    // What the cache keeps must never change the hash: every hash taken in the engine's
    // tests is checked against one taken from scratch.
    #[cfg(test)]
    assert_eq!(
        hash,
        compute(parts, seed, version, &mut HashCache::default()),
        "the kept digests give another hash than a fresh cache at tick {}",
        parts.clock.tick
    );
    hash
}

fn compute(
    parts: &StateParts,
    seed: u64,
    version: HashVersion,
    cache: &mut HashCache,
) -> StateHash {
    let mut c = Canon::new();
    let Clock { tick } = *parts.clock;
    c.str(match version {
        HashVersion::V1 => "cyberdrill-state-v1",
        HashVersion::V2 => "cyberdrill-state-v2",
    });
    c.u64(seed);
    c.u32(tick);
    // The stream is fixed by the seed; its position is its whole state.
    c.u128(parts.rng.0.word_pos());
    hash_assets(&mut c, &parts.assets);
    hash_economies(&mut c, parts);
    hash_campaigns(&mut c, parts);
    hash_incidents(&mut c, parts);
    hash_teams(&mut c, parts);
    match version {
        HashVersion::V1 => tasks_v1(&mut c, parts, &mut cache.json),
        HashVersion::V2 => tasks_v2(&mut c, parts, cache),
    }
    match version {
        HashVersion::V1 => deliveries_v1(&mut c, parts),
        HashVersion::V2 => deliveries_v2(&mut c, parts, cache),
    }
    match version {
        HashVersion::V1 => messages_v1(&mut c, parts),
        HashVersion::V2 => messages_v2(&mut c, parts, cache),
    }
    hash_requests(&mut c, parts);
    hash_injects(&mut c, parts);
    hash_progress(&mut c, &parts.progress);
    hash_books(&mut c, &parts.ledger);
    hash_children(&mut c, &parts.protection);
    hash_spam(&mut c, &parts.spam);
    let Crews(crews) = &*parts.crews;
    c.count(crews.len());
    for &rate in crews {
        c.f64(rate);
    }
    // The tallies are derived from the outcomes.
    let Outcomes(outcomes, _tallies) = &*parts.outcomes;
    match version {
        HashVersion::V1 => {
            c.count(outcomes.len());
            for (k, Outcome { tick, what }) in outcomes.iter().enumerate() {
                c.u32(*tick);
                c.str(memoized(&mut cache.json.outcomes, k, what, outcome_json));
            }
        }
        HashVersion::V2 => cache.outcomes.write(
            &mut c,
            &mut cache.item,
            outcomes.len(),
            |k| outcomes.get(k),
            |_| true,
            |_, Outcome { tick, what }, out| {
                out.u32(*tick);
                json_str(out, what, || "?".to_owned());
            },
        ),
    }
    hash_watches(&mut c, &parts.watches);
    hash_decisions(&mut c, &parts.decision_points);
    hash_ransom_rules(&mut c, &parts.ransom_policies);
    let Notifications(notifications) = &*parts.notifications;
    match version {
        HashVersion::V1 => {
            c.count(notifications.len());
            for notification in notifications {
                notification_bytes(&mut c, notification);
            }
        }
        HashVersion::V2 => cache.notifications.write(
            &mut c,
            &mut cache.item,
            notifications.len(),
            |k| notifications.get(k),
            |notification| notification.arrived_at.is_some(),
            |_, notification, out| notification_bytes(out, notification),
        ),
    }
    c.finish()
}

fn hash_economies(c: &mut Canon, parts: &StateParts) {
    let economies = in_order(&parts.economy_ids, &parts.economies);
    c.count(economies.len());
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
        c.count(indicators.len());
        for (&known, &disrupted) in indicators.iter().zip(disrupted) {
            c.bool(known);
            c.bool(disrupted);
        }
        c.count(level.len());
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
}

fn hash_campaigns(c: &mut Canon, parts: &StateParts) {
    let campaigns = in_order(&parts.campaign_ids, &parts.campaigns);
    c.count(campaigns.len());
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
        c.count(taken_down.len());
        for e in taken_down {
            c.u32(e.0);
        }
    }
}

fn hash_incidents(c: &mut Canon, parts: &StateParts) {
    let incidents = in_order(&parts.incident_ids, &parts.incidents);
    c.count(incidents.len());
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
        c.count(known.len());
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
        found_by(c, found.copied());
    }
}

fn hash_teams(c: &mut Canon, parts: &StateParts) {
    let teams = in_order(&parts.team_ids, &parts.teams);
    c.count(teams.len());
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
}

/// One task's bytes, its command's JSON written by `command_json`.
fn task_bytes<S: Sink>(
    out: &mut S,
    id: TaskId,
    assignment: &Assignment,
    done: Option<&Done>,
    command_json: impl FnOnce(&mut S),
) {
    let Assignment {
        team,
        command: _, // written by `command_json`
        analysts,
        started_at,
        done_at,
    } = assignment;
    out.u32(id.0);
    out.u32(team.0);
    command_json(out);
    out.u32(*analysts);
    out.u32(*started_at);
    out.u32(*done_at);
    out.bool(done.is_some());
    out.str(done.map_or("", |Done { outcome }| outcome.as_str()));
}

fn tasks_v1(c: &mut Canon, parts: &StateParts, memo: &mut JsonMemo) {
    c.count(parts.task_ids.len());
    let mut hashed_tasks = 0;
    for (id, entity) in parts.task_ids.iter() {
        let Ok((assignment, done)) = parts.tasks.get(entity) else {
            continue;
        };
        let json = memoized(
            &mut memo.commands,
            hashed_tasks,
            &assignment.command,
            command_json,
        );
        hashed_tasks += 1;
        task_bytes(c, id, assignment, done, |c| c.str(json));
    }
}

fn tasks_v2(c: &mut Canon, parts: &StateParts, cache: &mut HashCache) {
    let HashCache {
        tasks,
        open_commands,
        item,
        ..
    } = cache;
    let task = |k: usize| {
        let id = TaskId::from_position(k as u32);
        let entity = parts.task_ids.get(id)?;
        let (assignment, done) = parts.tasks.get(entity).ok()?;
        Some((id, assignment, done))
    };
    tasks.write(
        c,
        item,
        parts.task_ids.len(),
        task,
        |&(_, _, done)| done.is_some(),
        |k, &(id, assignment, done), out| {
            let command = &assignment.command;
            if done.is_some() {
                // A done task is encoded once, as it settles: its JSON goes straight
                // into its bytes.
                task_bytes(out, id, assignment, done, |out| {
                    json_str(out, command, || command.label().to_owned());
                });
                return;
            }
            // A running task is written at every hash: its command's JSON is kept
            // while the command at its position is the one encoded.
            if !open_commands
                .get(&k)
                .is_some_and(|(seen, _)| seen == command)
            {
                open_commands.insert(k, (command.clone(), command_json(command)));
            }
            let json = open_commands.get(&k).map_or("", |(_, json)| json.as_str());
            task_bytes(out, id, assignment, done, |out| out.str(json));
        },
    );
    // The tasks folded into the running digest are never written again.
    let kept = open_commands.split_off(&tasks.folded);
    *open_commands = kept;
}

fn delivery_bytes(out: &mut impl Sink, shipment: &Shipment, delivered: bool) {
    let &Shipment {
        arrives_at,
        incident,
        from,
        to,
        team,
        tlp,
    } = shipment;
    out.u32(arrives_at);
    out.u32(incident.0);
    out.u32(from.0);
    out.u32(to.0);
    out.opt_u32(team.map(|t| t.0));
    out.tlp(tlp);
    out.bool(delivered);
}

fn deliveries_v1(c: &mut Canon, parts: &StateParts) {
    let deliveries = in_order(&parts.delivery_ids, &parts.deliveries);
    c.count(deliveries.len());
    for (shipment, delivered) in deliveries {
        delivery_bytes(c, shipment, delivered);
    }
}

fn deliveries_v2(c: &mut Canon, parts: &StateParts, cache: &mut HashCache) {
    let delivery = |k: usize| {
        let entity = parts
            .delivery_ids
            .get(DeliveryId::from_position(k as u32))?;
        parts.deliveries.get(entity).ok()
    };
    cache.deliveries.write(
        c,
        &mut cache.item,
        parts.delivery_ids.len(),
        delivery,
        |&(_, delivered)| delivered,
        |_, &(shipment, delivered), out| delivery_bytes(out, shipment, delivered),
    );
}

fn message_bytes(out: &mut impl Sink, message: &Message) {
    let Message {
        tick,
        from,
        to,
        text,
    } = message;
    out.u32(*tick);
    out.actor(*from);
    out.recipient(*to);
    out.str(text);
}

fn messages_v1(c: &mut Canon, parts: &StateParts) {
    let messages = in_order(&parts.message_ids, &parts.messages);
    c.count(messages.len());
    for message in messages {
        message_bytes(c, message);
    }
}

fn messages_v2(c: &mut Canon, parts: &StateParts, cache: &mut HashCache) {
    let message = |k: usize| {
        let entity = parts.message_ids.get(MessageId::from_position(k as u32))?;
        parts.messages.get(entity).ok()
    };
    cache.messages.write(
        c,
        &mut cache.item,
        parts.message_ids.len(),
        message,
        |_| true,
        |_, message, out| message_bytes(out, message),
    );
}

fn hash_requests(c: &mut Canon, parts: &StateParts) {
    let requests = in_order(&parts.request_ids, &parts.requests);
    c.count(requests.len());
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
}

fn hash_injects(c: &mut Canon, parts: &StateParts) {
    let injects = in_order(&parts.inject_ids, &parts.injects);
    c.count(injects.len());
    for (&Firing { fired_at, queued }, Wording { headline, text }) in injects {
        c.opt_u32(fired_at);
        c.str(headline);
        c.str(text);
        c.bool(queued);
    }
}

fn hash_progress(c: &mut Canon, progress: &Progress) {
    let Progress {
        objective_ok_ticks,
        service_sum,
        service_now,
    } = progress;
    c.count(objective_ok_ticks.len());
    for &ok in objective_ok_ticks {
        c.u32(ok);
    }
    c.f64(*service_sum);
    c.f64(*service_now);
}

fn hash_watches(c: &mut Canon, watches: &Watches) {
    let Watches(watches) = watches;
    c.count(watches.len());
    for &w in watches {
        c.opt_u32(w);
    }
}

fn hash_decisions(c: &mut Canon, points: &DecisionPoints) {
    let DecisionPoints(decisions) = points;
    c.count(decisions.len());
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
}

fn hash_ransom_rules(c: &mut Canon, policies: &RansomPolicies) {
    let RansomPolicies(rules) = policies;
    c.count(rules.len());
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
}

fn notification_bytes(out: &mut impl Sink, notification: &Notification) {
    let Notification {
        team,
        from,
        to,
        campaign,
        sent_at,
        arrives_at,
        arrived_at,
        assets,
    } = notification;
    out.u32(team.0);
    out.u32(from.0);
    out.u32(to.0);
    out.u32(campaign.0);
    out.u32(*sent_at);
    out.u32(*arrives_at);
    out.opt_u32(*arrived_at);
    out.count(assets.len());
    for a in assets {
        out.u32(a.0);
    }
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
    c.count(assets.len());
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
    c.count(cases.len());
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
    c.count(filters.len());
    for &SpamFilter { level, target } in filters {
        c.f64(level);
        c.f64(target);
    }
    c.count(tallies.len());
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
    c.count(direct.len());
    for (&direct, &loss) in direct.iter().zip(asset_loss) {
        let mut record = [0u8; 16];
        record[..8].copy_from_slice(&direct.to_bits().to_le_bytes());
        record[8..].copy_from_slice(&loss.to_bits().to_le_bytes());
        c.bytes(&record);
    }
    c.count(breakdown.len());
    for (parts, &victims) in breakdown.iter().zip(victims) {
        for cause in Cause::ALL {
            c.f64(parts.part(cause));
        }
        c.f64(victims);
    }
    c.count(sector_loss.len());
    for &loss in sector_loss {
        c.f64(loss);
    }
    c.count(ransoms.len());
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
    use crate::sim::Simulation;

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

    /// JSON encoded in place gives the bytes of the JSON string written as a string.
    #[test]
    fn json_in_place_is_the_json_string() {
        let command = Command::Message {
            to: Recipient::All,
            text: "a \"quoted\" line\nand é".into(),
        };
        let mut in_place = vec![7u8];
        json_str(&mut in_place, &command, || unreachable!("encodable"));
        let mut written = vec![7u8];
        written.str(&command_json(&command));
        assert_eq!(in_place, written);
        assert!(written.len() > 30);
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

    /// A list of `(value, settled)` items written by `cache`, hashed alone.
    fn list_hash(cache: &mut ListDigest, items: &[(u32, bool)]) -> StateHash {
        let mut c = Canon::new();
        let mut item = Vec::new();
        cache.write(
            &mut c,
            &mut item,
            items.len(),
            |k| items.get(k),
            |&&(_, settled)| settled,
            |_, &&(value, settled), out| {
                out.u32(value);
                out.bool(settled);
            },
        );
        c.finish()
    }

    /// Items appended and settled in any order, the cache kept from one hash to the
    /// next: always the hash of a fresh cache, which depends on the items alone.
    #[test]
    fn kept_digests_give_the_hash_of_a_fresh_cache() {
        let mut rng = crate::rng::SimRng::new(18);
        let mut items: Vec<(u32, bool)> = Vec::new();
        let mut kept = ListDigest::default();
        let mut folded_at_most = 0;
        for step in 0..600 {
            for _ in 0..rng.below(4) {
                let settled = rng.below(3) == 0;
                items.push((rng.below(1000) as u32, settled));
            }
            // Open items settle in no particular order, some long after others.
            for item in items.iter_mut().filter(|(_, settled)| !settled) {
                if rng.below(8) == 0 {
                    item.1 = true;
                }
            }
            if step == 300 {
                // Another list altogether (shorter): the cache starts again.
                items.truncate(5);
            }
            assert_eq!(
                list_hash(&mut kept, &items),
                list_hash(&mut ListDigest::default(), &items),
                "step {step}"
            );
            folded_at_most = folded_at_most.max(kept.folded);
            let first_open = items.iter().position(|(_, s)| !s).unwrap_or(items.len());
            assert_eq!(
                kept.folded, first_open,
                "the prefix ends at the first open item"
            );
        }
        assert!(folded_at_most > 100, "the prefix grew: {folded_at_most}");
    }

    /// No aliasing: a list's bytes change with any item's content, its standing, the
    /// order of the items and their count, in the prefix as after it.
    #[test]
    fn every_change_of_a_list_changes_its_hash() {
        let base: Vec<(u32, bool)> = vec![
            (10, true),
            (11, true),
            (12, true),
            (13, false),
            (14, true),
            (15, false),
            (16, true),
        ];
        let hash = |items: &[(u32, bool)]| list_hash(&mut ListDigest::default(), items);
        let mut variants = vec![base.clone()];
        for k in 0..base.len() {
            let mut changed = base.clone();
            changed[k].0 += 100;
            variants.push(changed);
            let mut flipped = base.clone();
            flipped[k].1 = !flipped[k].1;
            variants.push(flipped);
            if k + 1 < base.len() {
                let mut swapped = base.clone();
                swapped.swap(k, k + 1);
                variants.push(swapped);
            }
        }
        variants.push(base[..base.len() - 1].to_vec());
        variants.push(base[1..].to_vec());
        variants.push(Vec::new());
        let mut longer = base.clone();
        longer.push((17, true));
        variants.push(longer);
        let hashes: std::collections::BTreeSet<[u8; 32]> =
            variants.iter().map(|v| hash(v).0).collect();
        assert_eq!(hashes.len(), variants.len(), "two lists gave one hash");
    }

    /// The state hash of `sim` by `version`, from a fresh cache.
    fn fresh(sim: &Simulation, version: HashVersion) -> StateHash {
        let mut guard = sim.reads();
        let reads = &mut *guard;
        let parts = reads
            .state
            .get(&sim.world)
            .expect("every resource is inserted");
        compute(&parts, sim.seed(), version, &mut HashCache::default())
    }

    fn entity<K: Key>(world: &World, k: u32) -> Entity {
        world
            .resource::<Ids<K>>()
            .get(K::from_position(k))
            .expect("the item exists")
    }

    /// The first item of kind `K` whose components match `pick`, by position.
    fn first<K: Key>(world: &World, pick: impl Fn(&World, Entity) -> bool) -> u32 {
        let ids: Vec<Entity> = world.resource::<Ids<K>>().iter().map(|(_, e)| e).collect();
        let found = ids.iter().position(|&e| pick(world, e));
        found.expect("the run made such an item") as u32
    }

    /// A change of the world, undone by calling it again with `true`.
    type Mutate = dyn Fn(&mut World, bool);

    /// Changing any item of any append-only list (in place, its order, their count)
    /// changes the state hash, by both definitions: settled items folded into a
    /// running digest are covered as fully as the items written out.
    #[test]
    fn changing_an_item_of_any_list_changes_the_state_hash() {
        use crate::policy::{Policy, play_round};
        let scenario = crate::scenario::parse(crate::scenario::bundled::APEC_REGIONAL)
            .expect("bundled")
            .scenario;
        let mut sim = Simulation::new(scenario, 5);
        for _ in 0..40 {
            play_round(&mut sim, Policy::Cooperative);
            sim.step();
        }
        // Tasks started now are still running at the hash.
        play_round(&mut sim, Policy::Cooperative);
        for text in ["first", "second"] {
            sim.submit(
                Actor::Team(TeamIdx(0)),
                Command::Message {
                    to: Recipient::All,
                    text: text.into(),
                },
            )
            .expect("a message is accepted");
        }
        let world = &sim.world;
        let done = first::<TaskId>(world, |w, e| w.get::<Done>(e).is_some());
        let running = first::<TaskId>(world, |w, e| w.get::<Done>(e).is_none());
        let delivered = first::<DeliveryId>(world, |w, e| w.get::<Delivered>(e).is_some());
        let arrived = world
            .resource::<Notifications>()
            .0
            .iter()
            .position(|n| n.arrived_at.is_some())
            .expect("a notification arrived");
        assert!(
            world.resource::<Outcomes>().0.len() > 2,
            "outcomes recorded"
        );
        let before = |version| fresh(&sim, version);
        let (v1, v2) = (before(HashVersion::V1), before(HashVersion::V2));
        // Each mutation is undone by calling it again with `true`.
        let mutations: Vec<(&str, Box<Mutate>)> = vec![
            (
                "an outcome's tick",
                Box::new(|w: &mut World, _| w.resource_mut::<Outcomes>().0[0].tick ^= 1),
            ),
            (
                "the order of two outcomes",
                Box::new(|w: &mut World, _| {
                    let mut outcomes = w.resource_mut::<Outcomes>();
                    let last = outcomes.0.len() - 1;
                    outcomes.0.swap(0, last);
                }),
            ),
            (
                "the number of outcomes",
                Box::new(|w: &mut World, undo| {
                    let mut outcomes = w.resource_mut::<Outcomes>();
                    if undo {
                        outcomes.0.pop();
                    } else {
                        let again = outcomes.0[outcomes.0.len() - 1];
                        outcomes.0.push(again);
                    }
                }),
            ),
            (
                "a message's text",
                Box::new(|w: &mut World, undo| {
                    let e = entity::<MessageId>(w, 0);
                    let mut message = w.get_mut::<Message>(e).expect("a message");
                    if undo {
                        message.text.pop();
                    } else {
                        message.text.push('!');
                    }
                }),
            ),
            (
                "the order of two messages",
                Box::new(|w: &mut World, _| {
                    // The two messages sent above, the last ones.
                    let last = w.resource::<Ids<MessageId>>().len() as u32 - 1;
                    let (a, b) = (
                        entity::<MessageId>(w, last - 1),
                        entity::<MessageId>(w, last),
                    );
                    let first = w.get::<Message>(a).cloned().expect("a message");
                    let second = w.get::<Message>(b).cloned().expect("a message");
                    w.entity_mut(a).insert(second);
                    w.entity_mut(b).insert(first);
                }),
            ),
            (
                "a done task's outcome",
                Box::new(move |w: &mut World, undo| {
                    let e = entity::<TaskId>(w, done);
                    let mut task = w.get_mut::<Done>(e).expect("done");
                    if undo {
                        task.outcome.pop();
                    } else {
                        task.outcome.push('!');
                    }
                }),
            ),
            (
                "a done task's analysts",
                Box::new(move |w: &mut World, _| {
                    let e = entity::<TaskId>(w, done);
                    w.get_mut::<Assignment>(e).expect("a task").analysts ^= 1;
                }),
            ),
            (
                "a running task's analysts",
                Box::new(move |w: &mut World, _| {
                    let e = entity::<TaskId>(w, running);
                    w.get_mut::<Assignment>(e).expect("a task").analysts ^= 1;
                }),
            ),
            (
                "a delivered shipment's arrival",
                Box::new(move |w: &mut World, _| {
                    let e = entity::<DeliveryId>(w, delivered);
                    w.get_mut::<Shipment>(e).expect("a shipment").arrives_at ^= 1;
                }),
            ),
            (
                "an arrived notification's assets",
                Box::new(move |w: &mut World, undo| {
                    let assets = &mut w.resource_mut::<Notifications>().0[arrived].assets;
                    if undo {
                        assets.pop();
                    } else {
                        assets.push(crate::scenario::model::AssetIdx(u32::MAX));
                    }
                }),
            ),
        ];
        for (what, mutate) in &mutations {
            mutate(&mut sim.world, false);
            assert_ne!(fresh(&sim, HashVersion::V2), v2, "v2 misses {what}");
            assert_ne!(fresh(&sim, HashVersion::V1), v1, "v1 misses {what}");
            mutate(&mut sim.world, true);
            assert_eq!(fresh(&sim, HashVersion::V2), v2, "{what} undone");
        }
        assert_ne!(v1, v2, "the definitions differ");
    }
}
