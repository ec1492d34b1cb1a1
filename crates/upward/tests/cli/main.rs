//! Integration tests: the real `upward` binary on a temporary database, with `UPWARD_NOW`
//! fixed to Monday 2026-11-23 so no test depends on today's date.

mod harness;

mod agenda;
mod api_fuzz;
mod backups;
mod bad_input;
mod briefs;
mod browser;
mod calendar;
mod concurrency;
mod crash;
mod damage;
mod editor;
mod hostile;
mod ideas;
mod importers;
mod items;
mod journeys;
mod man;
mod meetings;
mod people;
mod privacy;
mod read_only;
mod records;
mod search;
mod serve;
mod serve_agenda;
mod serve_decline;
mod serve_intake;
mod serve_items;
mod serve_people;
mod serve_reflect;
mod serve_review;
mod serve_search;
mod serve_transfer;
mod serve_update;
mod server;
mod server_team;
mod settings;
mod texts;
mod tone;
mod transfer;
mod upgrade;
mod web_tools;
mod workflows;
