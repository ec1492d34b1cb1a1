//! Rendering of reflect (to be written).
