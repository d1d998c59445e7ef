//! `juris inventory`: print the resource model juris builds from an input, the first
//! thing to look at when a verdict surprises.

use std::cell::RefCell;
use std::path::PathBuf;

use clap::Args;
use serde::ser::{Error as _, SerializeSeq};
use serde::{Serialize, Serializer};

use super::{EXIT_PASS, Failure, input, output};
use crate::adapters::{AdapterError, EntryReader, Listed};
use crate::model::{Document, Resource};

#[derive(Args, Debug)]
pub struct InventoryArgs {
    /// Plan, state or inventory JSON files, or Terraform source (a root module folder or
    /// its `.tf` files); `-` reads standard input.
    #[arg(value_name = "INPUT", required = true)]
    pub inputs: Vec<String>,
    #[command(flatten)]
    pub source: input::SourceArgs,
    #[command(flatten)]
    pub model: input::ModelArgs,
    /// Configuration file (default: juris.toml found upward from the current directory):
    /// its catalogs, default regions and limits shape the model as for `juris check`.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Write to FILE (atomically) instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Print to standard error when each stage ended, in milliseconds since the start.
    #[arg(long)]
    pub timings: bool,
}

pub fn run(args: InventoryArgs) -> Result<u8, Failure> {
    let config = super::config::Config::load(args.config.as_deref())?;
    let timings = super::timings::Timings::new(args.timings);
    let options = input::InputOptions {
        timings: timings.clone(),
        listing: true,
        ..input::InputOptions::new(&config, &args.model, &args.source)
    };
    let loaded = input::load_inputs(&args.inputs, &options)?;
    let mut inventory = loaded.inventory;
    // The custody chains cite sources by id; the reader gets their titles and URLs.
    let catalog = input::catalog(&options.catalogs)?;
    inventory.sources = crate::adapters::cited_sources(&inventory, &catalog);
    // Streamed, and each resource's attributes read from its input just before it is
    // written: the model holds only what location, tags and flows need.
    let resources = RefCell::new(std::mem::take(&mut inventory.resources));
    let readers: Vec<(EntryReader<'_>, usize)> = loaded
        .listed
        .iter()
        .map(|(listed, count): &(Listed, usize)| (listed.reader(), *count))
        .collect();
    let failed = RefCell::new(None);
    let document = Document {
        inventory: &inventory,
        resources: Resources {
            resources: &resources,
            readers: &readers,
            failed: &failed,
        },
        run: None,
    };
    let written = output::write_json(args.output.as_deref(), &document);
    if let Some(e) = failed.into_inner() {
        return Err(e.into());
    }
    written?;
    timings.mark("wrote the inventory");
    timings.print();
    Ok(EXIT_PASS)
}

/// The resource list of the inventory document, each resource's attributes read in
/// full just before it is written.
struct Resources<'a> {
    resources: &'a RefCell<Vec<Resource>>,
    /// Per input, in order: its entries and how many resources it gave.
    readers: &'a [(EntryReader<'a>, usize)],
    /// Why reading an entry failed, when it did.
    failed: &'a RefCell<Option<AdapterError>>,
}

/// What reading one resource's entry gave.
type Read = Result<Option<(serde_json::Value, serde_json::Value)>, AdapterError>;

/// How many resources the reading thread may be ahead of the writer.
const READ_AHEAD: usize = 256;

/// Reads every resource's entry in order and hands each result to `give`, until it says
/// stop. `readers` holds, per input, its entries and how many resources it gave.
fn read_all(
    readers: &[(EntryReader<'_>, usize)],
    count: usize,
    mut give: impl FnMut(Read) -> bool,
) {
    // Resource `i` of the merged inventory is resource `i - start` of its input.
    let mut inputs = readers.iter();
    let mut current = inputs.next();
    let mut start = 0;
    for i in 0..count {
        while let Some((_, n)) = current
            && i >= start + n
        {
            start += n;
            current = inputs.next();
        }
        let read = match current {
            Some((reader, _)) => reader.attributes(i - start),
            None => Ok(None),
        };
        if !give(read) {
            return;
        }
    }
}

impl Serialize for Resources<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut resources = self.resources.borrow_mut();
        let count = resources.len();
        let readers = self.readers;
        let mut seq = s.serialize_seq(Some(count))?;
        let mut write = |resource: &mut Resource, read: Read| -> Result<(), S::Error> {
            match read {
                Ok(None) => seq.serialize_element(&*resource),
                Ok(Some((attributes, unknown))) => {
                    let projected = std::mem::replace(&mut resource.attributes, attributes);
                    let unknown = std::mem::replace(&mut resource.unknown_attributes, unknown);
                    let written = seq.serialize_element(&*resource);
                    // The full attributes are dropped here, one resource at a time.
                    resource.attributes = projected;
                    resource.unknown_attributes = unknown;
                    written
                }
                Err(e) => {
                    let message = e.to_string();
                    self.failed.replace(Some(e));
                    Err(S::Error::custom(message))
                }
            }
        };
        // Entries are read on a second thread while the writer formats the ones before.
        let written = std::thread::scope(|scope| {
            let (tx, rx) = std::sync::mpsc::sync_channel::<Read>(READ_AHEAD);
            let reading = std::thread::Builder::new()
                .name("juris-inventory".into())
                .spawn_scoped(scope, move || {
                    read_all(readers, count, |r| tx.send(r).is_ok())
                });
            if reading.is_err() {
                // No second thread: read each entry just before it is written.
                let mut out = Ok(());
                let mut at = resources.iter_mut();
                read_all(readers, count, |read| match at.next() {
                    Some(resource) => {
                        out = write(resource, read);
                        out.is_ok()
                    }
                    None => false,
                });
                return out;
            }
            for resource in resources.iter_mut() {
                // The reader gives one result per resource, in order, until dropped.
                let Ok(read) = rx.recv() else { break };
                write(resource, read)?;
            }
            Ok(())
        });
        written?;
        seq.end()
    }
}
