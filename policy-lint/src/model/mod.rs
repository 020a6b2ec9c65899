//! The linked model: one view over every document of a run, where a flow log
//! finds its role and an instance finds its service account's bindings.
//!
//! Cloud-specific linking lives in submodules; rules that need more than one
//! document read the model through [`crate::registry::Check::check_model`].

pub mod aws;
pub mod gcp;

use crate::documents::{Document, ParsedFile};
use crate::lint::Options;

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
        Self::build_with(files, &Options::default())
    }

    /// Links the documents of `files`, with the run's options (which files
    /// are SCPs or catalogue files).
    pub fn build_with(files: &'a [ParsedFile], options: &Options) -> Self {
        let documents: Vec<Document<'a>> = files.iter().flat_map(ParsedFile::documents).collect();
        // Each plan's view is built once and read by both clouds' extractors.
        let views = crate::documents::terraform::views_of(files);
        let aws = aws::AwsModel::build_with_views(files, options, &views);
        let gcp = gcp::GcpModel::build_with_views(&documents, &views);
        Self {
            files,
            documents,
            aws,
            gcp,
        }
    }
}
