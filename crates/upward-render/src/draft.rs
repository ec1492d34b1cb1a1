//! Rendering of draft (to be written).
