//! The SMTP settings and the one place that talks to the mail server
//! (lettre's tokio transport with rustls).

use std::time::Duration;

use anyhow::Context;
use lettre::message::Mailbox;
use lettre::message::header::{ContentType, Header, HeaderName, HeaderValue};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use crate::config::Config;

/// How long one conversation with the mail server may take.
const TIMEOUT: Duration = Duration::from_secs(30);

/// The SMTP settings in force: where mail goes and who sends it.
#[derive(Clone)]
pub struct Smtp {
    url: String,
    password: Option<String>,
    from: Mailbox,
}

impl std::fmt::Debug for Smtp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Smtp")
            .field("server", &self.server())
            .field("from", &self.from.to_string())
            .finish_non_exhaustive()
    }
}

/// One mail ready to go.
#[derive(Debug, Clone)]
pub struct Outgoing {
    /// The recipient's address.
    pub to: String,
    /// The language it is written in (its `Content-Language`).
    pub language: String,
    /// The subject line.
    pub subject: String,
    /// The plain text.
    pub body: String,
}

/// `Content-Language`, so a mail says which language it is in.
#[derive(Debug, Clone)]
struct ContentLanguage(String);

impl Header for ContentLanguage {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("Content-Language")
    }

    fn parse(s: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(Self(s.to_string()))
    }

    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), self.0.clone())
    }
}

impl Smtp {
    /// The settings of `config`, or `None` when `smtp_url` is not set (then
    /// nothing is sent).
    ///
    /// # Errors
    /// An `smtp_url` lettre does not accept, or a missing or malformed `mail_from`.
    pub fn from_config(config: &Config) -> anyhow::Result<Option<Smtp>> {
        let Some(url) = config
            .smtp_url
            .as_deref()
            .map(str::trim)
            .filter(|u| !u.is_empty())
        else {
            return Ok(None);
        };
        let from = config
            .mail_from
            .as_deref()
            .map(str::trim)
            .filter(|f| !f.is_empty())
            .context("mail_from (LAATU_MAIL_FROM) is required with smtp_url")?;
        let from: Mailbox = from
            .parse()
            .with_context(|| format!("mail_from `{from}` is not an e-mail address"))?;
        let smtp = Smtp {
            url: url.to_string(),
            password: config.smtp_password.clone().filter(|p| !p.is_empty()),
            from,
        };
        smtp.transport()?;
        Ok(Some(smtp))
    }

    /// The server as the admin page shows it: host and port, without credentials.
    pub fn server(&self) -> String {
        url::Url::parse(&self.url)
            .ok()
            .map(|u| {
                let host = u.host_str().unwrap_or_default().to_string();
                match u.port() {
                    Some(p) => format!("{}://{host}:{p}", u.scheme()),
                    None => format!("{}://{host}", u.scheme()),
                }
            })
            .unwrap_or_default()
    }

    /// The sender, as mails name it.
    pub fn from(&self) -> String {
        self.from.to_string()
    }

    fn transport(&self) -> anyhow::Result<AsyncSmtpTransport<Tokio1Executor>> {
        let mut builder = AsyncSmtpTransport::<Tokio1Executor>::from_url(&self.url)
            .map_err(|e| anyhow::anyhow!("smtp_url is not one lettre accepts: {e}"))?
            .timeout(Some(TIMEOUT));
        if let Some(password) = &self.password {
            let url = url::Url::parse(&self.url).context("smtp_url")?;
            let user = percent_encoding::percent_decode_str(url.username())
                .decode_utf8_lossy()
                .into_owned();
            anyhow::ensure!(
                !user.is_empty(),
                "smtp_password is set but smtp_url names no user (smtp://user@host:587)"
            );
            builder = builder.credentials(Credentials::new(user, password.clone()));
        }
        Ok(builder.build())
    }

    fn message(&self, mail: &Outgoing) -> Result<Message, String> {
        let to: Mailbox = mail
            .to
            .parse()
            .map_err(|e| format!("`{}` is not an e-mail address: {e}", mail.to))?;
        Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(mail.subject.clone())
            .header(ContentType::TEXT_PLAIN)
            .header(ContentLanguage(mail.language.clone()))
            .body(mail.body.clone())
            .map_err(|e| e.to_string())
    }

    /// Sends each mail, one after the other, on a thread and runtime of its
    /// own (the scheduler's jobs are blocking code), and answers for each
    /// whether it went or why not.
    pub fn send_all(&self, mails: &[Outgoing]) -> Vec<Result<(), String>> {
        if mails.is_empty() {
            return Vec::new();
        }
        let transport = match self.transport() {
            Ok(t) => t,
            Err(e) => return mails.iter().map(|_| Err(format!("{e:#}"))).collect(),
        };
        let messages: Vec<Result<Message, String>> =
            mails.iter().map(|m| self.message(m)).collect();
        let sent = std::thread::scope(|s| {
            s.spawn(|| {
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .map_err(|e| e.to_string())?;
                Ok::<_, String>(runtime.block_on(async {
                    let mut out = Vec::with_capacity(messages.len());
                    for message in messages {
                        out.push(match message {
                            Ok(m) => transport
                                .send(m)
                                .await
                                .map(|_| ())
                                .map_err(|e| e.to_string()),
                            Err(e) => Err(e),
                        });
                    }
                    out
                }))
            })
            .join()
        });
        match sent {
            Ok(Ok(out)) => out,
            Ok(Err(e)) => mails.iter().map(|_| Err(e.clone())).collect(),
            Err(_) => mails
                .iter()
                .map(|_| Err("sending panicked".to_string()))
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(url: Option<&str>, from: Option<&str>, password: Option<&str>) -> Config {
        Config {
            smtp_url: url.map(str::to_string),
            mail_from: from.map(str::to_string),
            smtp_password: password.map(str::to_string),
            ..Config::default()
        }
    }

    #[test]
    fn settings_are_checked_when_read() {
        assert!(Smtp::from_config(&Config::default()).unwrap().is_none());
        assert!(
            Smtp::from_config(&config(Some(" "), None, None))
                .unwrap()
                .is_none()
        );
        let smtp = Smtp::from_config(&config(
            Some("smtp://user:secret@mail.example:587?tls=required"),
            Some("Laatu <laatu@example.com>"),
            None,
        ))
        .unwrap()
        .unwrap();
        assert_eq!(smtp.server(), "smtp://mail.example:587");
        assert!(!format!("{smtp:?}").contains("secret"));
        assert_eq!(smtp.from(), "Laatu <laatu@example.com>");
        let no_from = Smtp::from_config(&config(Some("smtp://mail.example"), None, None));
        assert!(format!("{:#}", no_from.unwrap_err()).contains("mail_from"));
        let bad_from = Smtp::from_config(&config(
            Some("smtp://mail.example"),
            Some("not an address"),
            None,
        ));
        assert!(bad_from.is_err());
        let bad_url = Smtp::from_config(&config(Some("http://mail.example"), Some("a@b.fi"), None));
        assert!(format!("{:#}", bad_url.unwrap_err()).contains("smtp_url"));
        // A password of its own needs a user in the URL.
        assert!(
            Smtp::from_config(&config(
                Some("smtp://mail.example"),
                Some("a@b.fi"),
                Some("pw")
            ))
            .is_err()
        );
        assert!(
            Smtp::from_config(&config(
                Some("smtp://laatu@mail.example:587?tls=required"),
                Some("a@b.fi"),
                Some("pw")
            ))
            .unwrap()
            .is_some()
        );
    }
}
