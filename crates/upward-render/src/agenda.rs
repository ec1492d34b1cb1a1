//! Rendering of agenda (to be written).
