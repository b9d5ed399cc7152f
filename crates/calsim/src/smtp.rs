//! The business's mail server, simulated: real SMTP (RFC 5321's commands over TCP, as lettre
//! speaks them) that records each message's envelope and data, and can be "down" (answering 421).
//! In plain text, with STARTTLS (RFC 3207), or with implicit TLS (`smtps`), under a certificate
//! for `localhost` signed by a test CA ([`TEST_CA_PEM`]) that a client must be told to trust.
//! frontdesk's tests and callbench deliver their e-mails to it.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncWrite, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;
use tokio_rustls::rustls;
use tokio_rustls::TlsAcceptor;

/// The test CA (PEM) that signed the server's `localhost` certificate; valid until 2126.
pub const TEST_CA_PEM: &str = include_str!("../certs/test-ca.pem");
const CERT_PEM: &str = include_str!("../certs/localhost.pem");
const KEY_PEM: &str = include_str!("../certs/localhost.key");

/// How the server speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Security {
    /// Plain text only (no STARTTLS offered).
    Plain,
    /// Plain text first, STARTTLS offered in EHLO.
    StartTls,
    /// TLS from the first byte (`smtps://`, port 465 style).
    Implicit,
}

/// One received message.
#[derive(Debug, Clone)]
pub struct Mail {
    /// `MAIL FROM` as given (with angle brackets).
    pub from: String,
    /// Each `RCPT TO` as given.
    pub to: Vec<String>,
    /// The message (headers and body), dot-unstuffed.
    pub data: String,
    /// Whether it came over TLS.
    pub tls: bool,
}

/// A running test SMTP server.
#[derive(Clone, Default)]
pub struct SmtpServer {
    /// Messages received.
    pub mails: Arc<Mutex<Vec<Mail>>>,
    /// While set, every connection is answered 421 and closed.
    pub down: Arc<AtomicBool>,
    /// Connections refused while down.
    pub refused: Arc<Mutex<usize>>,
}

/// What a plain-text session ended with.
enum Ended<S> {
    /// QUIT, a closed connection, or down.
    Done,
    /// The client asked for STARTTLS: the connection, to be wrapped in TLS.
    Upgrade(S),
}

impl SmtpServer {
    /// Starts a plain-text server on port 0; returns it and its `smtp://` URL.
    pub async fn start() -> (Self, String) {
        Self::start_with(Security::Plain).await
    }

    /// Starts on port 0 speaking `security`; returns the server and its URL
    /// (`smtp://localhost:<port>`, or `smtps://…` for implicit TLS).
    pub async fn start_with(security: Security) -> (Self, String) {
        let server = Self::default();
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("a free port");
        let port = listener.local_addr().expect("bound").port();
        let url = match security {
            Security::Plain => format!("smtp://127.0.0.1:{port}"),
            Security::StartTls => format!("smtp://localhost:{port}"),
            Security::Implicit => format!("smtps://localhost:{port}"),
        };
        let acceptor = (security != Security::Plain).then(acceptor);
        let state = server.clone();
        tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else { continue };
                let (state, acceptor) = (state.clone(), acceptor.clone());
                tokio::spawn(async move {
                    let _ = state.connection(stream, security, acceptor).await;
                });
            }
        });
        (server, url)
    }

    async fn connection(
        &self,
        stream: tokio::net::TcpStream,
        security: Security,
        acceptor: Option<TlsAcceptor>,
    ) -> std::io::Result<()> {
        match (security, acceptor) {
            (Security::Implicit, Some(acceptor)) => {
                let stream = acceptor.accept(stream).await?;
                self.session(stream, true, false).await.map(|_| ())
            }
            (Security::StartTls, Some(acceptor)) => {
                if let Ended::Upgrade(stream) = self.session(stream, false, true).await? {
                    let stream = acceptor.accept(stream).await?;
                    // RFC 3207: after the handshake the client starts over with EHLO, no greeting.
                    self.commands(BufReader::new(stream), true, false).await?;
                }
                Ok(())
            }
            _ => self.session(stream, false, false).await.map(|_| ()),
        }
    }

    /// Greets (or refuses while down), then serves commands.
    async fn session<S: AsyncRead + AsyncWrite + Unpin>(&self, stream: S, tls: bool, offer_starttls: bool) -> std::io::Result<Ended<S>> {
        let mut stream = BufReader::new(stream);
        if self.down.load(Ordering::SeqCst) {
            *self.refused.lock().unwrap_or_else(|p| p.into_inner()) += 1;
            // 421: the service is not available; try again later.
            stream.write_all(b"421 4.3.2 test server down\r\n").await?;
            return Ok(Ended::Done);
        }
        stream.write_all(b"220 frontdesk-test ESMTP\r\n").await?;
        self.commands(stream, tls, offer_starttls).await
    }

    async fn commands<S: AsyncRead + AsyncWrite + Unpin>(
        &self,
        mut stream: BufReader<S>,
        tls: bool,
        offer_starttls: bool,
    ) -> std::io::Result<Ended<S>> {
        let (mut from, mut to) = (String::new(), Vec::new());
        let mut line = String::new();
        loop {
            line.clear();
            if stream.read_line(&mut line).await? == 0 {
                return Ok(Ended::Done);
            }
            let command = line.trim_end().to_string();
            let upper = command.to_ascii_uppercase();
            if upper.starts_with("EHLO") {
                let starttls = if offer_starttls { "250-STARTTLS\r\n" } else { "" };
                stream.write_all(format!("250-frontdesk-test\r\n{starttls}250-8BITMIME\r\n250 SMTPUTF8\r\n").as_bytes()).await?;
            } else if upper == "STARTTLS" && offer_starttls {
                stream.write_all(b"220 2.0.0 ready to start TLS\r\n").await?;
                stream.flush().await?;
                return Ok(Ended::Upgrade(stream.into_inner()));
            } else if upper.starts_with("HELO") || upper.starts_with("NOOP") || upper.starts_with("RSET") {
                stream.write_all(b"250 OK\r\n").await?;
            } else if upper.starts_with("MAIL FROM:") {
                from = command[10..].trim().to_string();
                stream.write_all(b"250 OK\r\n").await?;
            } else if upper.starts_with("RCPT TO:") {
                to.push(command[8..].trim().to_string());
                stream.write_all(b"250 OK\r\n").await?;
            } else if upper == "DATA" {
                stream.write_all(b"354 end with <CRLF>.<CRLF>\r\n").await?;
                let mut data = String::new();
                loop {
                    line.clear();
                    if stream.read_line(&mut line).await? == 0 {
                        return Ok(Ended::Done);
                    }
                    if line == ".\r\n" {
                        break;
                    }
                    data.push_str(line.strip_prefix('.').filter(|_| line.starts_with("..")).unwrap_or(&line));
                }
                let mail = Mail { from: from.clone(), to: std::mem::take(&mut to), data, tls };
                self.mails.lock().unwrap_or_else(|p| p.into_inner()).push(mail);
                stream.write_all(b"250 OK queued\r\n").await?;
            } else if upper == "QUIT" {
                stream.write_all(b"221 bye\r\n").await?;
                return Ok(Ended::Done);
            } else {
                stream.write_all(b"502 not implemented\r\n").await?;
            }
        }
    }

    /// The messages received so far.
    pub fn mails(&self) -> Vec<Mail> {
        self.mails.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }
}

/// The TLS side: the `localhost` certificate and key, ring as the crypto provider.
fn acceptor() -> TlsAcceptor {
    use rustls::pki_types::pem::PemObject;
    use rustls::pki_types::{CertificateDer, PrivateKeyDer};
    let certs: Vec<CertificateDer<'static>> =
        CertificateDer::pem_slice_iter(CERT_PEM.as_bytes()).collect::<Result<_, _>>().expect("the test certificate parses");
    let key = PrivateKeyDer::from_pem_slice(KEY_PEM.as_bytes()).expect("the test key parses");
    let config = rustls::ServerConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
        .with_safe_default_protocol_versions()
        .expect("TLS 1.2 and 1.3")
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .expect("the test certificate and key match");
    TlsAcceptor::from(Arc::new(config))
}
