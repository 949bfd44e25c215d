//! The exercise package: the documents trainers hand out before an exercise, written
//! from the scenario itself so they never drift from what the simulation runs. After
//! HSEEP (US FEMA, 2020) and the ENISA/ITU exercise handbooks:
//!
//! - the **situation manual** for every participant: background, economies and their
//!   readiness, teams and what each role can do, objectives, rules of play, schedule by
//!   module ([`situation`]);
//! - the **facilitator guide** for the exercise control: the master scenario events list
//!   (MSEL) with senders, channels, recipients, expected actions and discussion
//!   questions, and the adversary's campaigns ([`facilitator`]);
//! - the **evaluator guide**: training objectives and their criteria, objectives and how
//!   they are scored, expected actions with the evaluators' notes ([`evaluator`]).
//!
//! Each document is built once as a [`Doc`] and rendered to Markdown and to a
//! self-contained HTML page ([`render`]), so both formats say the same thing.

mod evaluator;
mod facilitator;
pub mod render;
mod situation;
mod words;

use cyberdrill_engine::scenario::Scenario;

use crate::report::tables::Table;

/// A document of the package.
#[derive(Debug, Clone, PartialEq)]
pub struct Doc {
    /// File name without extension (`situation-manual`).
    pub file: &'static str,
    pub title: String,
    /// One line under the title: which exercise, for whom.
    pub subtitle: String,
    pub sections: Vec<Section>,
}

/// A titled part of a document.
#[derive(Debug, Clone, PartialEq)]
pub struct Section {
    pub title: String,
    pub blocks: Vec<Block>,
}

/// What a section holds, in order.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// A sub-heading.
    Heading(String),
    Paragraph(String),
    /// `name: value` facts, as a definition list.
    Facts(Vec<(String, String)>),
    List(Vec<String>),
    Table(Table),
}

impl Section {
    fn new(title: impl Into<String>) -> Self {
        Section {
            title: title.into(),
            blocks: Vec::new(),
        }
    }

    fn heading(&mut self, text: impl Into<String>) {
        self.blocks.push(Block::Heading(text.into()));
    }

    fn paragraph(&mut self, text: impl Into<String>) {
        let text = text.into();
        if !text.trim().is_empty() {
            self.blocks.push(Block::Paragraph(text));
        }
    }

    fn facts(&mut self, facts: Vec<(String, String)>) {
        if !facts.is_empty() {
            self.blocks.push(Block::Facts(facts));
        }
    }

    fn list(&mut self, items: Vec<String>) {
        if !items.is_empty() {
            self.blocks.push(Block::List(items));
        }
    }

    fn table(&mut self, table: Table) {
        if !table.rows.is_empty() {
            self.blocks.push(Block::Table(table));
        }
    }
}

/// The three documents of a scenario's package, in the order they are handed out.
pub fn documents(scenario: &Scenario, source: &str) -> Vec<Doc> {
    vec![
        situation::manual(scenario),
        facilitator::guide(scenario, source),
        evaluator::guide(scenario),
    ]
}

#[cfg(test)]
mod tests;
