//! MITRE Attack Flow import: a flow (a STIX 2.1 bundle with the Attack Flow extension, as
//! the Center for Threat-Informed Defense publishes example flows) becomes a campaign
//! whose stages carry the flow's ATT&CK techniques in the order the flow runs them.
//!
//! The flow is a graph: the `attack-flow` object's `start_refs` lead to actions,
//! operators (AND/OR) and conditions, linked by `effect_refs`, `on_true_refs` and
//! `on_false_refs`. [`read_flow`] walks it from its starts (or, when a flow lists none,
//! from every node nothing leads to), takes each node once all nodes leading to it are
//! taken (a topological order; ties go to the node reached first), and breaks a cycle at
//! the node of it reached first. Each action's technique goes to the campaign stage of
//! its ATT&CK tactic (the action's `tactic_id`, else the tactic the technique belongs to
//! in ATT&CK Enterprise). Objects the import has no use for (tools, assets, identities,
//! objects of other extensions) are skipped; what is dropped is reported as a note.
//!
//! [`add_campaign`] writes the campaign into a scenario's text with `toml_edit`, leaving
//! every other byte of the file as it was.
//!
//! Sources: Attack Flow 2.0 specification (MITRE CTID, 2023); STIX 2.1 (OASIS, 2021);
//! MITRE ATT&CK Enterprise tactics and techniques (v16).

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use serde_json::Value;
use toml_edit::{Array, ArrayOfTables, DocumentMut, InlineTable, Item, Table};

use super::raw::{CampaignKind, RawTechniques};
use super::validate::is_technique_id;

/// A flow read from its bundle: its name and techniques, ready to become a campaign.
#[derive(Debug, Clone, PartialEq)]
pub struct Flow {
    /// The `attack-flow` object's name ("Conti Ransomware").
    pub name: String,
    /// Its STIX id (`attack-flow--...`), written in the campaign's comment for tracing.
    pub stix_id: String,
    /// Its external references' URLs (the reports the flow was drawn from).
    pub references: Vec<String>,
    /// Techniques per stage, each list in flow order, without repeats.
    pub techniques: RawTechniques,
    /// Every technique id in flow order (repeats kept once), across stages.
    pub order: Vec<String>,
    /// Actions read (with or without a technique).
    pub actions: usize,
    /// What the import dropped or decided, for the author to check.
    pub notes: Vec<String>,
}

/// Why a file cannot be imported as a flow.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FlowError {
    #[error("not JSON: {message} (line {line}, column {column})")]
    Json {
        message: String,
        line: usize,
        column: usize,
    },
    #[error("not a STIX 2.1 bundle: {0}")]
    NotBundle(String),
    #[error(
        "the bundle has no `attack-flow` object: export the flow from the Attack Flow Builder (File > Save as STIX)"
    )]
    NoFlow,
    #[error(
        "the flow `{0}` has no attack action with an ATT&CK `technique_id`: there is nothing to import"
    )]
    NoTechniques(String),
}

/// A flow node: an action, an operator or a condition.
#[derive(Debug)]
struct Node<'a> {
    object: &'a Value,
    /// Ids of the nodes it leads to, in the order written.
    next: Vec<&'a str>,
}

/// Reads a flow from the text of its JSON bundle.
pub fn read_flow(json: &str) -> Result<Flow, FlowError> {
    let bundle: Value = serde_json::from_str(json).map_err(|e| FlowError::Json {
        message: e.to_string(),
        line: e.line(),
        column: e.column(),
    })?;
    if bundle.get("type").and_then(Value::as_str) != Some("bundle") {
        return Err(FlowError::NotBundle(
            "its `type` is not \"bundle\"".to_string(),
        ));
    }
    let Some(objects) = bundle.get("objects").and_then(Value::as_array) else {
        return Err(FlowError::NotBundle("it has no `objects` list".to_string()));
    };
    let mut notes = Vec::new();
    let flows: Vec<&Value> = objects
        .iter()
        .filter(|o| kind(o) == "attack-flow")
        .collect();
    let Some(flow) = flows.first().copied() else {
        return Err(FlowError::NoFlow);
    };
    let name = text(flow, "name")
        .unwrap_or("Attack Flow")
        .trim()
        .to_string();
    if flows.len() > 1 {
        notes.push(format!(
            "the bundle holds {} attack flows; imported the first, `{name}`",
            flows.len()
        ));
    }

    // The graph, keyed by STIX id, in bundle order.
    let mut nodes: BTreeMap<&str, Node<'_>> = BTreeMap::new();
    let mut position: BTreeMap<&str, usize> = BTreeMap::new();
    for (k, object) in objects.iter().enumerate() {
        let fields: &[&str] = match kind(object) {
            "attack-action" | "attack-operator" => &["effect_refs"],
            "attack-condition" => &["on_true_refs", "on_false_refs"],
            _ => continue,
        };
        let Some(id) = text(object, "id") else {
            notes.push(format!(
                "object #{} ({}) has no `id`: skipped",
                k + 1,
                kind(object)
            ));
            continue;
        };
        let next = fields.iter().flat_map(|f| refs(object, f)).collect();
        if nodes.insert(id, Node { object, next }).is_none() {
            position.insert(id, k);
        } else {
            notes.push(format!("`{id}` appears twice: the last one is used"));
        }
    }
    for node in nodes.values_mut() {
        let from = label(node.object, "a node").to_string();
        node.next.retain(|to| {
            let known = position.contains_key(to);
            if !known && !to.starts_with("attack-asset--") {
                notes.push(format!(
                    "`{from}` leads to `{to}`, which is not an action, operator or condition of the bundle: that link is ignored"
                ));
            }
            known
        });
    }

    let order = walk(flow, &nodes, &position, &mut notes);
    let mut techniques = RawTechniques::default();
    let mut all: Vec<String> = Vec::new();
    let mut actions = 0;
    let mut without = Vec::new();
    for id in order {
        let Some(node) = nodes.get(id) else { continue };
        if kind(node.object) != "attack-action" {
            continue;
        }
        actions += 1;
        let action = text(node.object, "name").unwrap_or(id);
        let Some(written) = text(node.object, "technique_id").map(str::trim) else {
            without.push(action.to_string());
            continue;
        };
        // Flows written by hand list several ids in one action (`T1072; T1505`) or write a
        // sub-technique with a slash (`T1218/011`).
        for technique in written
            .split([';', ',', ' '])
            .filter(|t| !t.is_empty())
            .map(|t| t.replace('/', ".").to_ascii_uppercase())
        {
            if !is_technique_id(&technique) {
                notes.push(format!(
                    "action `{action}`: `{technique}` is not an ATT&CK technique id (T#### or T####.###): skipped"
                ));
                continue;
            }
            let reached_foothold = !techniques.foothold.is_empty() || !techniques.impact.is_empty();
            let stage = match text(node.object, "tactic_id").map(str::trim) {
                Some(tactic) => match stage_of_tactic(tactic) {
                    Some(stage) => stage,
                    None => {
                        notes.push(format!(
                            "action `{action}`: tactic `{tactic}` is not an ATT&CK Enterprise tactic id; placed by its technique"
                        ));
                        stage_of_technique(&technique, reached_foothold)
                    }
                },
                None => stage_of_technique(&technique, reached_foothold),
            };
            let list = stage_list(&mut techniques, stage);
            if !list.contains(&technique) {
                list.push(technique.clone());
            }
            if !all.contains(&technique) {
                all.push(technique);
            }
        }
    }
    if !without.is_empty() {
        notes.push(format!(
            "{} action(s) without an ATT&CK technique: {}",
            without.len(),
            without.join(", ")
        ));
    }
    if all.is_empty() {
        return Err(FlowError::NoTechniques(name));
    }
    let references = flow
        .get("external_references")
        .and_then(Value::as_array)
        .map(|refs| {
            refs.iter()
                .filter_map(|r| text(r, "url"))
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default();
    Ok(Flow {
        stix_id: text(flow, "id").unwrap_or_default().to_string(),
        name,
        references,
        techniques,
        order: all,
        actions,
        notes,
    })
}

/// The nodes in flow order: topological from the starts, ties and cycles broken by the
/// order in which a breadth-first walk from the starts reaches them.
fn walk<'a>(
    flow: &'a Value,
    nodes: &BTreeMap<&'a str, Node<'a>>,
    position: &BTreeMap<&'a str, usize>,
    notes: &mut Vec<String>,
) -> Vec<&'a str> {
    let mut incoming: BTreeMap<&str, usize> = nodes.keys().map(|id| (*id, 0)).collect();
    for node in nodes.values() {
        for to in &node.next {
            if let Some(n) = incoming.get_mut(to) {
                *n += 1;
            }
        }
    }
    let mut bundle_order: Vec<&str> = nodes.keys().copied().collect();
    bundle_order.sort_by_key(|id| position.get(id).copied().unwrap_or(usize::MAX));

    // Roots: the flow's starts, then every node nothing leads to, then the rest (nodes
    // only reachable through a cycle), each group in bundle order.
    let mut roots: Vec<&str> = Vec::new();
    for start in refs(flow, "start_refs") {
        if nodes.contains_key(start) {
            roots.push(start);
        } else {
            notes.push(format!(
                "the flow starts at `{start}`, which is not an action, operator or condition of the bundle: ignored"
            ));
        }
    }
    roots.extend(bundle_order.iter().filter(|id| incoming[*id] == 0));
    roots.extend(bundle_order.iter());
    let mut reached: BTreeMap<&str, usize> = BTreeMap::new();
    for root in roots {
        if reached.contains_key(root) {
            continue;
        }
        let mut queue = VecDeque::from([root]);
        reached.insert(root, reached.len());
        while let Some(id) = queue.pop_front() {
            for to in nodes.get(id).map(|n| n.next.as_slice()).unwrap_or_default() {
                if !reached.contains_key(to) {
                    reached.insert(to, reached.len());
                    queue.push_back(to);
                }
            }
        }
    }

    // Kahn's algorithm, always taking the ready node reached first.
    let rank = |id: &str| reached.get(id).copied().unwrap_or(usize::MAX);
    let mut ready: BTreeSet<(usize, &str)> = incoming
        .iter()
        .filter(|(_, n)| **n == 0)
        .map(|(id, _)| (rank(id), *id))
        .collect();
    let mut left: BTreeSet<(usize, &str)> = nodes.keys().map(|id| (rank(id), *id)).collect();
    let mut order = Vec::with_capacity(nodes.len());
    while !left.is_empty() {
        let next = match ready.pop_first() {
            Some(next) => next,
            None => {
                // Every node left waits on another: a cycle. Enter it where the walk did.
                let Some(first) = left.first().copied() else {
                    break;
                };
                let name = nodes
                    .get(first.1)
                    .map_or(first.1, |n| label(n.object, first.1));
                notes.push(format!(
                    "the flow loops back to `{name}`: the loop is read once, from there"
                ));
                first
            }
        };
        if !left.remove(&next) {
            continue;
        }
        order.push(next.1);
        for to in nodes
            .get(next.1)
            .map(|n| n.next.as_slice())
            .unwrap_or_default()
        {
            if let Some(n) = incoming.get_mut(to) {
                *n = n.saturating_sub(1);
                if *n == 0 && left.contains(&(rank(to), *to)) {
                    ready.insert((rank(to), to));
                }
            }
        }
    }
    order
}

/// A campaign stage (a field of [`RawTechniques`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stage {
    Reconnaissance,
    InitialAccess,
    Foothold,
    Impact,
}

fn stage_list(techniques: &mut RawTechniques, stage: Stage) -> &mut Vec<String> {
    match stage {
        Stage::Reconnaissance => &mut techniques.reconnaissance,
        Stage::InitialAccess => &mut techniques.initial_access,
        Stage::Foothold => &mut techniques.foothold,
        Stage::Impact => &mut techniques.impact,
    }
}

/// The stage of an ATT&CK Enterprise tactic id; `None` for an id that is not one.
fn stage_of_tactic(tactic: &str) -> Option<Stage> {
    Some(match tactic {
        "TA0043" | "TA0042" => Stage::Reconnaissance,
        "TA0001" => Stage::InitialAccess,
        "TA0002" | "TA0003" | "TA0004" | "TA0005" | "TA0006" | "TA0007" | "TA0008" | "TA0009"
        | "TA0011" => Stage::Foothold,
        "TA0010" | "TA0040" => Stage::Impact,
        _ => return None,
    })
}

/// ATT&CK Enterprise (v16) techniques of the tactics Reconnaissance and Resource
/// Development.
const RECONNAISSANCE: &[&str] = &[
    "T1595", "T1592", "T1589", "T1590", "T1591", "T1598", "T1597", "T1596", "T1593", "T1594",
    "T1650", "T1583", "T1586", "T1584", "T1587", "T1585", "T1588", "T1608",
];
/// Techniques of Initial Access only.
const INITIAL_ACCESS: &[&str] = &[
    "T1659", "T1189", "T1190", "T1200", "T1566", "T1195", "T1199", "T1669",
];
/// Techniques of Initial Access that also belong to a foothold tactic (persistence,
/// privilege escalation, defence evasion, lateral movement): initial access until the
/// flow has reached its foothold.
const INITIAL_ACCESS_OR_FOOTHOLD: &[&str] = &["T1078", "T1133", "T1091"];
/// Techniques of Exfiltration and Impact.
const IMPACT: &[&str] = &[
    "T1020", "T1030", "T1048", "T1041", "T1011", "T1052", "T1567", "T1029", "T1537", "T1531",
    "T1485", "T1486", "T1565", "T1491", "T1561", "T1667", "T1499", "T1657", "T1495", "T1490",
    "T1498", "T1496", "T1489", "T1529",
];

/// The stage of a technique by the ATT&CK tactics it belongs to; every technique of the
/// tactics between initial access and exfiltration is foothold.
fn stage_of_technique(technique: &str, reached_foothold: bool) -> Stage {
    let parent = technique.split('.').next().unwrap_or(technique);
    if RECONNAISSANCE.contains(&parent) {
        Stage::Reconnaissance
    } else if INITIAL_ACCESS.contains(&parent) {
        Stage::InitialAccess
    } else if INITIAL_ACCESS_OR_FOOTHOLD.contains(&parent) {
        if reached_foothold {
            Stage::Foothold
        } else {
            Stage::InitialAccess
        }
    } else if IMPACT.contains(&parent) {
        Stage::Impact
    } else {
        Stage::Foothold
    }
}

/// The campaign kind a flow's impact suggests: encryption for impact is ransomware,
/// denial of service a DDoS, phishing with no further stage a phishing campaign, and
/// any other intrusion malware.
pub fn suggested_kind(flow: &Flow) -> CampaignKind {
    let has = |prefix: &str| {
        flow.order
            .iter()
            .any(|t| t.split('.').next() == Some(prefix))
    };
    if has("T1486") {
        CampaignKind::Ransomware
    } else if has("T1498") || has("T1499") {
        CampaignKind::Ddos
    } else if has("T1566")
        && flow.techniques.foothold.is_empty()
        && flow.techniques.impact.is_empty()
    {
        CampaignKind::Phishing
    } else {
        CampaignKind::Malware
    }
}

/// A campaign id made of the flow's name: lower case, words joined by `-`.
pub fn id_from_name(name: &str) -> String {
    let mut id = String::new();
    for word in name
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        if !id.is_empty() {
            id.push('-');
        }
        id.push_str(&word.to_ascii_lowercase());
    }
    if id.is_empty() {
        "attack-flow".to_string()
    } else {
        id
    }
}

/// The campaign fields the flow does not give.
#[derive(Debug, Clone)]
pub struct CampaignSpec {
    pub id: String,
    pub actor: String,
    pub kind: CampaignKind,
    /// Economies targeted (empty: every economy).
    pub economies: Vec<String>,
    pub start: Option<u32>,
}

/// Why a campaign cannot be added to a scenario's text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AddError {
    #[error("the scenario is not valid TOML: {0}")]
    Toml(String),
    #[error("`campaign` is not a list of `[[campaign]]` tables in the scenario")]
    NotCampaigns,
    #[error("the scenario already has a campaign `{0}`: give the new one another id with `--id`")]
    Taken(String),
}

/// The scenario text with the flow added as a last `[[campaign]]`, headed by a comment
/// naming the flow and its sources; the rest of the text is unchanged.
pub fn add_campaign(text: &str, flow: &Flow, spec: &CampaignSpec) -> Result<String, AddError> {
    let mut doc: DocumentMut = text
        .parse()
        .map_err(|e: toml_edit::TomlError| AddError::Toml(e.message().trim_end().to_string()))?;
    let campaigns = doc
        .entry("campaign")
        .or_insert_with(|| Item::ArrayOfTables(ArrayOfTables::new()))
        .as_array_of_tables_mut()
        .ok_or(AddError::NotCampaigns)?;
    if campaigns
        .iter()
        .any(|c| c.get("id").and_then(Item::as_str) == Some(spec.id.as_str()))
    {
        return Err(AddError::Taken(spec.id.clone()));
    }
    let mut table = Table::new();
    let mut comment = format!(
        "\n# Imported from the Attack Flow \"{}\" ({}): {} techniques of {} actions, in flow order.\n",
        one_line(&flow.name),
        flow.stix_id,
        flow.order.len(),
        flow.actions
    );
    for url in &flow.references {
        comment.push_str(&format!("# Source: {}\n", one_line(url)));
    }
    table.decor_mut().set_prefix(comment);
    table.insert("id", toml_edit::value(spec.id.as_str()));
    table.insert("name", toml_edit::value(one_line(&flow.name)));
    table.insert("actor", toml_edit::value(spec.actor.as_str()));
    table.insert("kind", toml_edit::value(kind_name(spec.kind)));
    let mut targets = InlineTable::new();
    targets.insert("economies", spec.economies.iter().collect::<Array>().into());
    table.insert("targets", toml_edit::value(targets));
    if let Some(start) = spec.start {
        table.insert("start", toml_edit::value(i64::from(start)));
    }
    let mut stages = Table::new();
    for (stage, ids) in flow.techniques.stages() {
        if !ids.is_empty() {
            stages.insert(stage, toml_edit::value(ids.iter().collect::<Array>()));
        }
    }
    table.insert("techniques", Item::Table(stages));
    campaigns.push(table);
    Ok(doc.to_string())
}

/// The kind's name as written in a scenario file.
pub fn kind_name(kind: CampaignKind) -> &'static str {
    match kind {
        CampaignKind::Phishing => "phishing",
        CampaignKind::IdentityTheft => "identity_theft",
        CampaignKind::FakeWebsite => "fake_website",
        CampaignKind::Ddos => "ddos",
        CampaignKind::Ransomware => "ransomware",
        CampaignKind::Malware => "malware",
        CampaignKind::HarmfulContent => "harmful_content",
        CampaignKind::Spam => "spam",
        CampaignKind::NaturalDisaster => "natural_disaster",
        CampaignKind::TechnicalFailure => "technical_failure",
    }
}

/// Text without line breaks or control characters (a flow's name goes into a comment).
fn one_line(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect::<String>()
        .trim()
        .to_string()
}

/// What to call a node in a note: its name, else its description (conditions have no
/// name), else `fallback`.
fn label<'a>(object: &'a Value, fallback: &'a str) -> &'a str {
    text(object, "name")
        .or_else(|| text(object, "description"))
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(|t| t.char_indices().nth(80).map_or(t, |(end, _)| &t[..end]))
        .unwrap_or(fallback)
}

fn kind(object: &Value) -> &str {
    text(object, "type").unwrap_or_default()
}

fn text<'a>(object: &'a Value, field: &str) -> Option<&'a str> {
    object.get(field).and_then(Value::as_str)
}

fn refs<'a>(object: &'a Value, field: &str) -> Vec<&'a str> {
    object
        .get(field)
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests;
