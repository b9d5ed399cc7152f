//! The business's mail server, simulated: real SMTP (RFC 5321's commands over TCP, as lettre
//! speaks them) that records each message's envelope and data, and can be "down" (answering 421).
//! frontdesk's tests and callbench deliver their e-mails to it.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

/// One received message.
#[derive(Debug, Clone)]
pub struct Mail {
    /// `MAIL FROM` as given (with angle brackets).
    pub from: String,
    /// Each `RCPT TO` as given.
    pub to: Vec<String>,
    /// The message (headers and body), dot-unstuffed.
    pub data: String,
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

impl SmtpServer {
    /// Starts on port 0; returns the server and its `smtp://` URL.
    pub async fn start() -> (Self, String) {
        let server = Self::default();
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("smtp://{}", listener.local_addr().unwrap());
        let state = server.clone();
        tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else { continue };
                let state = state.clone();
                tokio::spawn(async move {
                    let _ = state.session(stream).await;
                });
            }
        });
        (server, url)
    }

    async fn session(&self, stream: tokio::net::TcpStream) -> std::io::Result<()> {
        let (read, mut write) = stream.into_split();
        let mut lines = BufReader::new(read);
        if self.down.load(Ordering::SeqCst) {
            *self.refused.lock().unwrap() += 1;
            // 421: the service is not available; try again later.
            write.write_all(b"421 4.3.2 test server down\r\n").await?;
            return Ok(());
        }
        write.write_all(b"220 frontdesk-test ESMTP\r\n").await?;
        let (mut from, mut to) = (String::new(), Vec::new());
        let mut line = String::new();
        loop {
            line.clear();
            if lines.read_line(&mut line).await? == 0 {
                return Ok(());
            }
            let command = line.trim_end().to_string();
            let upper = command.to_ascii_uppercase();
            if upper.starts_with("EHLO") {
                write.write_all(b"250-frontdesk-test\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n").await?;
            } else if upper.starts_with("HELO") || upper.starts_with("NOOP") || upper.starts_with("RSET") {
                write.write_all(b"250 OK\r\n").await?;
            } else if upper.starts_with("MAIL FROM:") {
                from = command[10..].trim().to_string();
                write.write_all(b"250 OK\r\n").await?;
            } else if upper.starts_with("RCPT TO:") {
                to.push(command[8..].trim().to_string());
                write.write_all(b"250 OK\r\n").await?;
            } else if upper == "DATA" {
                write.write_all(b"354 end with <CRLF>.<CRLF>\r\n").await?;
                let mut data = String::new();
                loop {
                    line.clear();
                    if lines.read_line(&mut line).await? == 0 {
                        return Ok(());
                    }
                    if line == ".\r\n" {
                        break;
                    }
                    data.push_str(line.strip_prefix('.').filter(|_| line.starts_with("..")).unwrap_or(&line));
                }
                self.mails.lock().unwrap().push(Mail { from: from.clone(), to: std::mem::take(&mut to), data });
                write.write_all(b"250 OK queued\r\n").await?;
            } else if upper == "QUIT" {
                write.write_all(b"221 bye\r\n").await?;
                return Ok(());
            } else {
                write.write_all(b"502 not implemented\r\n").await?;
            }
        }
    }

    /// The messages received so far.
    pub fn mails(&self) -> Vec<Mail> {
        self.mails.lock().unwrap().clone()
    }
}
