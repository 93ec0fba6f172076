//! E-mail for what waits: a signature needed, a nonconformity to accept, a
//! corrective action assigned, a document to acknowledge, a certification
//! about to expire.
//!
//! Nothing here sends during a request. The event that causes a mail queues
//! it ([`events`]) in its own transaction, rendered in the recipient's
//! language, into `mail_queue`; the scheduler's `send` job ([`send`]) sends
//! what is due over SMTP ([`smtp`]) with retries and backoff, and gathers
//! the mails of people who chose the daily digest into one mail a day at
//! `mail_digest_hour` site time. A mail that could not be sent after
//! [`send::MAX_ATTEMPTS`] tries is `failed` and shows on `/admin/mail`
//! ([`pages`]); without `smtp_url` nothing is sent and that page says so.

pub mod events;
pub mod pages;
pub mod queue;
pub mod send;
pub mod smtp;

use crate::area::Area;
use crate::error::Code;
use crate::scheduler::Job;

pub use queue::{Letter, queue};

crate::kit::choice::choice!(
    /// What a person wants by e-mail about what waits for them.
    MailChoice, Code::InvalidMailChoice, "mail choice" {
        Immediate => "immediate",
        Digest => "digest",
        Off => "off",
    }
);

crate::kit::choice::choice!(
    /// Where a queued mail stands.
    MailState, Code::InvalidMailState, "mail state" {
        Queued => "queued",
        Sent => "sent",
        Failed => "failed",
        Dropped => "dropped",
    }
);

/// Mail: the reminders the scheduler queues from the task lists, the
/// sending, and the admin's page of the queue.
pub const AREA: Area = Area {
    name: "mail",
    pages: pages::configure,
    jobs: &[
        Job {
            name: "acknowledgements_waiting",
            run: |_, conn, at| events::acknowledgements_waiting(conn, at),
        },
        Job {
            name: "send",
            run: |state, conn, at| send::send_due(state, conn, at),
        },
    ],
    ..Area::EMPTY
};
