//! Rendering of review (to be written).
