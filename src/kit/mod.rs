//! What every area shares and that knows nothing of HTTP: the clock, number
//! sequences, and the rules for text that people type.

pub mod choice;
pub mod clock;
pub mod date;
pub mod flow;
pub mod record;
pub mod sequence;
pub mod text;

pub use clock::Clock;
