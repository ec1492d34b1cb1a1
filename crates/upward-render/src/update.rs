//! Rendering of update (to be written).
