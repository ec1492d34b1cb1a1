//! Rendering of nudges (to be written).
