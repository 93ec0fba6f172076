//! What every area shares and that knows nothing of HTTP: the clock, number
//! sequences, due dates and overdue marks, lists, and the rules for text
//! and numbers that people type.

pub mod choice;
pub mod clock;
pub mod date;
pub mod due;
pub mod file;
pub mod flow;
pub mod list;
pub mod number;
pub mod record;
pub mod sequence;
pub mod text;

pub use clock::Clock;
