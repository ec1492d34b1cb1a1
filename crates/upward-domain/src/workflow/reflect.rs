//! SPEC §4 reflect (to be written).
