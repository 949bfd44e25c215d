//! Why a command was refused: each error says what was wrong and how to fix it.

use serde::{Deserialize, Serialize};

use crate::scenario::model::TeamIdx;

/// A command refused at the facade's door. Nothing in the world changed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
#[serde(tag = "error", rename_all = "snake_case")]
pub enum CommandError {
    #[error(
        "the exercise is finished (tick {tick} of {duration}): no more commands are accepted; start a new run to play again"
    )]
    Finished { tick: u32, duration: u32 },
    #[error("unknown team #{team}: the scenario has {count} team(s), numbered from 0")]
    UnknownTeam { team: u32, count: u32 },
    #[error("unknown {what} #{index}: {hint}")]
    UnknownTarget {
        what: String,
        index: u32,
        hint: String,
    },
    #[error(
        "{what} belongs to {economy}, not to your economy ({yours}): a team acts only for its own economy"
    )]
    NotYourEconomy {
        what: String,
        economy: String,
        yours: String,
    },
    #[error(
        "{what} is in sector {sector}, which your team does not answer for (yours: {yours}); ask that sector's team"
    )]
    NotYourSector {
        what: String,
        sector: String,
        yours: String,
    },
    /// `role` and `allowed` come with their article (`a CSIRT team`, `a law enforcement
    /// team`), `action` is the catalogue's verb phrase (`take legal action`).
    #[error("{role} may not {action}: ask {allowed}")]
    RoleMayNot {
        role: String,
        action: String,
        allowed: String,
    },
    #[error(
        "not enough free analysts to {action}: {needed} needed, {free} free; wait for a task to finish or request assistance"
    )]
    NotEnoughAnalysts {
        action: String,
        needed: u32,
        free: u32,
    },
    #[error("only the facilitator may {action}")]
    FacilitatorOnly { action: String },
    #[error("the facilitator does not act as a team: {action} must be submitted by a team")]
    TeamOnly { action: String },
    #[error("the text is empty: write something to send")]
    EmptyText,
    #[error("the text is {len} characters long; the limit is {max}: shorten it")]
    TextTooLong { len: usize, max: usize },
    #[error(
        "incident #{incident} is not known to your economy: only detected or shared incidents can be acted on"
    )]
    IncidentNotKnown { incident: u32 },
    #[error("incident #{incident} has not been investigated yet: investigate it first to {action}")]
    NotInvestigated { incident: u32, action: String },
    #[error("incident #{incident} is already contained or recovered: nothing left to {action}")]
    IncidentClosed { incident: u32, action: String },
    #[error(
        "{asset} has no direct damage to restore (low service there comes from what it depends on: restore those)"
    )]
    NothingToRestore { asset: String },
    #[error(
        "{asset} still has an attack in progress (incident #{incident}): contain it before restoring"
    )]
    ContainFirst { asset: String, incident: u32 },
    #[error(
        "incident #{incident} is a {kind} incident: takedowns apply to fake websites, phishing sites and harmful content"
    )]
    NotTakedownKind { incident: u32, kind: String },
    #[error(
        "incident #{incident} is a {kind} incident: referral to a hotline or the police is for harmful content aimed at children"
    )]
    NotReferralKind { incident: u32, kind: String },
    #[error(
        "incident #{incident} was already referred to a hotline or the police: its children are being followed up; take its content down where it is hosted"
    )]
    AlreadyReferred { incident: u32 },
    #[error(
        "the content of incident #{incident}'s campaign is not hosted in {economy}: a takedown is done where it is hosted; share the indicators with a hosting economy, or ask it through mutual legal assistance"
    )]
    NotHostedHere { incident: u32, economy: String },
    #[error("{what} must name another economy than your own")]
    OwnEconomy { what: String },
    #[error("ask for at least one analyst")]
    ZeroAnalysts,
    #[error("{what} needs at least one other economy to send to")]
    NoRecipients { what: String },
    #[error(
        "TLP:RED is for named recipients only: name the teams that may see it (`teams`), of the economies you share with"
    )]
    RedWithoutTeams,
    #[error(
        "{team} is not a team of an economy you share with: under TLP:RED name teams of the economies ticked in `with`"
    )]
    RedTeamElsewhere { team: String },
    /// The same action of the same economy is under way; `holder` is the team doing it
    /// (so a server can tell the refused team "yours" without a view) and `team` its name.
    #[error(
        "{team} is already doing this (task #{task}): wait for it to finish, or coordinate with them"
    )]
    AlreadyInProgress {
        task: u32,
        holder: TeamIdx,
        team: String,
    },
    #[error("inject #{inject} has already fired: it can no longer be fired or edited")]
    AlreadyFired { inject: u32 },
    #[error("the decision \"{decision}\" is put to {teams}, not to your team: ask them to decide")]
    NotYourDecision { decision: String, teams: String },
    #[error(
        "the decision \"{decision}\" has not been offered yet: it opens when its trigger holds"
    )]
    DecisionNotOffered { decision: String },
    #[error("the decision \"{decision}\" is already settled ({option}): it cannot be taken again")]
    AlreadyDecided { decision: String, option: String },
}
