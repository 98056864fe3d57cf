//! `paycrypt`: payment cryptography on the command line.
//!
//! The commands are thin: every algorithm lives in the paycrypt crates; this binary parses
//! options, resolves secrets (`HEX`, `@FILE`, `-`), maps each crate's errors to exit codes
//! (1: cryptographic or policy failure, 2: malformed input or usage) and prints plain lines or
//! one JSON object.

#![forbid(unsafe_code)]

mod args;
mod cmd;
mod error;
mod input;
mod output;
mod time;

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{CommandFactory, Parser};
use std::process::ExitCode;

fn main() -> ExitCode {
    let argv: Vec<std::ffi::OsString> = std::env::args_os().collect();
    // Every message goes through the redactor: it knows the secret values of this command line
    // before clap has seen them (see the rules in `input.rs`).
    let redactor = {
        let mut args: Vec<String> = argv
            .iter()
            .skip(1)
            .map(|a| a.to_string_lossy().into_owned())
            .collect();
        let r = error::Redactor::new(&args, &long_options(&args::Cli::command()));
        args.iter_mut().for_each(zeroize::Zeroize::zeroize);
        r
    };
    let cli = match args::Cli::try_parse_from(argv) {
        Ok(cli) => cli,
        Err(e) => return clap_exit(&e, &redactor),
    };
    let json = cli.json;
    output::set_json(json);
    match cmd::run(cli.command) {
        Ok(output) => match output.emit(json) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("error: cannot write output: {}", e.kind());
                ExitCode::from(2)
            }
        },
        Err(e) => {
            eprintln!("error: {}", redactor.clean(e.raw_message()));
            ExitCode::from(e.exit_code())
        }
    }
}

/// Every long option name of `command` and its subcommands (without `--`).
fn long_options(command: &clap::Command) -> Vec<String> {
    let mut names: Vec<String> = command
        .get_arguments()
        .filter_map(|a| a.get_long().map(str::to_owned))
        .collect();
    for sub in command.get_subcommands() {
        names.extend(long_options(sub));
    }
    names.sort();
    names.dedup();
    names
}

/// Help and version go to stdout with exit 0; every other clap error becomes one
/// `error: ...` line on stderr and exit 2.
fn clap_exit(e: &clap::Error, redactor: &error::Redactor) -> ExitCode {
    match e.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            let _ = e.print();
            ExitCode::SUCCESS
        }
        _ => {
            eprintln!("error: {}", redactor.clean(&clap_message(e)));
            ExitCode::from(2)
        }
    }
}

/// The option name a clap error is about, if it says.
fn invalid_arg(e: &clap::Error) -> Option<String> {
    match e.get(ContextKind::InvalidArg) {
        Some(ContextValue::String(s)) => Some(s.clone()),
        Some(ContextValue::Strings(v)) => Some(v.join(", ")),
        _ => None,
    }
}

/// A one-line message for a clap error that never repeats an option's value (it may be a
/// secret).
fn clap_message(e: &clap::Error) -> String {
    let arg = invalid_arg(e).unwrap_or_else(|| "argument".to_owned());
    match e.kind() {
        ErrorKind::InvalidValue if matches!(e.get(ContextKind::InvalidValue), Some(ContextValue::String(v)) if v.is_empty()) =>
        {
            format!("{arg} needs a value")
        }
        ErrorKind::InvalidValue => {
            let valid = match e.get(ContextKind::ValidValue) {
                Some(ContextValue::Strings(v)) if !v.is_empty() => {
                    format!(" (possible values: {})", v.join(", "))
                }
                _ => String::new(),
            };
            format!("invalid value for {arg}{valid}")
        }
        ErrorKind::ValueValidation => match e.get(ContextKind::InvalidValue) {
            Some(_) => format!("invalid value for {arg}: {}", validation_reason(e)),
            None => format!("invalid value for {arg}"),
        },
        ErrorKind::UnknownArgument => match e.get(ContextKind::InvalidArg) {
            Some(ContextValue::String(s)) if s.starts_with('-') => {
                let name = s.split('=').next().unwrap_or(s);
                format!("unknown option '{name}'")
            }
            _ => "unexpected argument".to_owned(),
        },
        ErrorKind::InvalidSubcommand => match e.get(ContextKind::InvalidSubcommand) {
            Some(ContextValue::String(s)) => format!("unknown command '{s}'"),
            _ => "unknown command".to_owned(),
        },
        ErrorKind::MissingRequiredArgument => format!("missing required option {arg}"),
        ErrorKind::MissingSubcommand | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            "a command is required (see --help)".to_owned()
        }
        ErrorKind::ArgumentConflict => match e.get(ContextKind::PriorArg) {
            Some(ContextValue::String(p)) if *p == arg => format!("{arg} given more than once"),
            Some(ContextValue::String(p)) => format!("{arg} cannot be used with {p}"),
            Some(ContextValue::Strings(p)) => format!("{arg} cannot be used with {}", p.join(", ")),
            _ => format!("{arg} conflicts with another option"),
        },
        ErrorKind::NoEquals => format!("{arg} needs a value"),
        ErrorKind::TooManyValues | ErrorKind::TooFewValues | ErrorKind::WrongNumberOfValues => {
            format!("wrong number of values for {arg}")
        }
        _ => first_line(e),
    }
}

/// The reason of a value-validation error (numbers out of range), without the value.
fn validation_reason(e: &clap::Error) -> String {
    use core::error::Error as _;
    match e.source() {
        Some(src) => {
            let text = src.to_string();
            // Messages like "5 is not in 0..=4" start with the value: drop it.
            match text.split_once(" is ") {
                Some((_, rest)) => format!("is {rest}"),
                None => text,
            }
        }
        None => "not accepted".to_owned(),
    }
}

/// Fallback: the first line of clap's own message, without its `error: ` prefix.
fn first_line(e: &clap::Error) -> String {
    let rendered = e.render().to_string();
    let first = rendered.lines().next().unwrap_or("invalid usage");
    first.strip_prefix("error: ").unwrap_or(first).to_owned()
}
