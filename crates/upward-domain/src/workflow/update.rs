//! SPEC §4 update (to be written).
