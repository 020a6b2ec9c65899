//! The linked model: one view over every document of a run, where a flow log
//! finds its role and an instance finds its service account's bindings.
//!
//! Cloud-specific linking lives in submodules; rules that need more than one
//! document read the model through [`crate::registry::Check::check_model`].

pub mod aws;
pub mod gcp;

use std::sync::LazyLock;

use crate::documents::{Document, ParsedFile};
use aws::Catalogue;

/// What linking needs of the run's options: plain data the driver passes
/// down (`&Options` converts into it), since the model sits below the
/// driver and does not know its [`Options`](crate::Options).
#[derive(Debug, Clone, Copy)]
pub struct Linking<'o> {
    /// Names of the inputs that are service control policies (`--scp`).
    pub scp: &'o [String],
    /// Names of the inputs that are service-catalogue files (`--catalog`).
    pub catalog: &'o [String],
    /// Catalogue entries given in code, which win over the files' entries.
    pub added_catalog: &'o Catalogue,
}

impl Default for Linking<'_> {
    fn default() -> Self {
        static NO_ENTRIES: LazyLock<Catalogue> = LazyLock::new(Catalogue::default);
        Self {
            scp: &[],
            catalog: &[],
            added_catalog: &NO_ENTRIES,
        }
    }
}

/// Everything a run knows, linked.
#[derive(Debug)]
pub struct Model<'a> {
    /// Every file of the run.
    pub files: &'a [ParsedFile],
    /// Every document of every file, in file order.
    pub documents: Vec<Document<'a>>,
    /// AWS roles, policies, SCPs and flow logs, linked.
    pub aws: aws::AwsModel<'a>,
    /// GCP instances, IAM policies and custom roles, linked and evaluated.
    pub gcp: gcp::GcpModel,
}

impl<'a> Model<'a> {
    /// Links the documents of `files`.
    pub fn build(files: &'a [ParsedFile]) -> Self {
        Self::build_with(files, Linking::default())
    }

    /// Links the documents of `files`, with the run's options (which files
    /// are SCPs or catalogue files).
    pub fn build_with<'o>(files: &'a [ParsedFile], options: impl Into<Linking<'o>>) -> Self {
        let documents: Vec<Document<'a>> = files.iter().flat_map(ParsedFile::documents).collect();
        // Each plan's view is built once and read by both clouds' extractors.
        let views = crate::documents::terraform::views_of(files);
        let aws = aws::AwsModel::build_with_views(files, options.into(), &views);
        let gcp = gcp::GcpModel::build_with_views(&documents, &views);
        Self {
            files,
            documents,
            aws,
            gcp,
        }
    }
}
