//! Feedback from customers (ISO 9001 9.1.2): what internal customers say
//! of what they receive from other processes (`ratings`).

pub mod ratings;
