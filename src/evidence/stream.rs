//! A `Write` whose bytes become an HTTP response body as they are
//! written: the bundle is built on a blocking thread writing into a
//! bounded channel, and the response streams what the channel receives, so
//! the first bytes leave before the last file is read and a slow client
//! holds the writer back (backpressure) instead of memory filling up.

use std::io::Write;

use actix_web::web::Bytes;
use tokio::sync::mpsc;

/// How many chunks may wait in the channel.
pub const CHANNEL_CHUNKS: usize = 8;

/// How large a chunk grows before it is sent.
pub const CHUNK_BYTES: usize = 64 * 1024;

/// What the response body receives: a chunk, or the error that ends it
/// (the client then sees a broken response, never a complete-looking one).
pub type Chunk = Result<Bytes, std::io::Error>;

/// The writing end: buffers up to [`CHUNK_BYTES`] and sends, waiting while
/// the channel is full. Must not be used on an async thread.
pub struct ChannelWriter {
    tx: mpsc::Sender<Chunk>,
    buf: Vec<u8>,
}

/// A channel for a streamed body: the writer, a sender to end the body
/// with an error, and the receiving end.
pub fn channel() -> (ChannelWriter, mpsc::Sender<Chunk>, mpsc::Receiver<Chunk>) {
    let (tx, rx) = mpsc::channel(CHANNEL_CHUNKS);
    (
        ChannelWriter {
            tx: tx.clone(),
            buf: Vec::with_capacity(CHUNK_BYTES),
        },
        tx,
        rx,
    )
}

impl ChannelWriter {
    fn send(&mut self) -> std::io::Result<()> {
        if self.buf.is_empty() {
            return Ok(());
        }
        let chunk = Bytes::from(std::mem::replace(
            &mut self.buf,
            Vec::with_capacity(CHUNK_BYTES),
        ));
        self.tx.blocking_send(Ok(chunk)).map_err(|_| {
            std::io::Error::new(
                std::io::ErrorKind::BrokenPipe,
                "the client stopped reading the bundle",
            )
        })
    }
}

impl Write for ChannelWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.buf.extend_from_slice(buf);
        if self.buf.len() >= CHUNK_BYTES {
            self.send()?;
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.send()
    }
}

impl Drop for ChannelWriter {
    fn drop(&mut self) {
        let _ = self.send();
    }
}

/// The receiving end as a body stream.
pub fn body(rx: mpsc::Receiver<Chunk>) -> impl futures_util::Stream<Item = Chunk> + 'static {
    futures_util::stream::unfold(rx, |mut rx| async move {
        rx.recv().await.map(|chunk| (chunk, rx))
    })
}
