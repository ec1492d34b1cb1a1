//! SPEC §4 prep (to be written).
