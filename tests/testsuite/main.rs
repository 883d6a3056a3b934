//! Integration tests: fixture sites built by the `gotong` binary.
//! One test binary, organised by feature (as mdBook's testsuite is).

mod build;
mod deploy;
mod english;
mod errors;
mod hostile;
mod output;
mod partners;
mod publishing;
mod search;
mod serve;
mod support;
