//! The process map as SVG.
