//! Rendering of intake (to be written).
