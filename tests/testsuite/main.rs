//! Integration tests: fixture sites built by the `gotong` binary.
//! One test binary, organised by feature (as mdBook's testsuite is).

mod build;
mod cms;
mod deploy;
mod deploy_s3;
mod english;
mod errors;
mod events;
mod fuzzed;
mod generate;
mod generated;
mod hostile;
mod import;
mod links;
mod output;
mod partners;
mod proposals;
mod publishing;
mod s3;
mod schema;
mod search;
mod serve;
mod support;
