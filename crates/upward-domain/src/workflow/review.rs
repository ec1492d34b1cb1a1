//! SPEC §4 review (to be written).
