//! SPEC §4 decline (to be written).
