//! Between PostgreSQL and the domain: dates, columns read by name, stored text parsed back, and
//! the driver's errors turned into the contract's [`StoreError`] (keeping its message as text).

use bytes::BytesMut;
use jiff::Span;
use jiff::civil::{Date, date};
use postgres::Row;
use postgres::error::SqlState;
use postgres::types::{FromSql, IsNull, ToSql, Type, accepts, to_sql_checked};
use std::error::Error;
use upward_store::StoreError;

use crate::Result;

/// A civil date as PostgreSQL's `date` (postgres-types has no conversion for jiff 1): on the
/// wire, the days since 2000-01-01 as an `int4`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct PgDate(pub Date);

const PG_EPOCH: Date = date(2000, 1, 1);
/// PostgreSQL's first date, 4714-11-24 BC (jiff's go back to 9999 BC).
const PG_FIRST: Date = date(-4713, 11, 24);

type BoxError = Box<dyn Error + Sync + Send>;

impl ToSql for PgDate {
    fn to_sql(&self, _: &Type, out: &mut BytesMut) -> Result<IsNull, BoxError> {
        // Refused here, while encoding, so that the server never fails the transaction on it.
        if self.0 < PG_FIRST {
            return Err(format!(
                "PostgreSQL cannot store a date before {PG_FIRST}: {}",
                self.0
            )
            .into());
        }
        let days: i32 = PG_EPOCH.until(self.0)?.get_days();
        days.to_sql(&Type::INT4, out)
    }

    accepts!(DATE);
    to_sql_checked!();
}

impl<'a> FromSql<'a> for PgDate {
    fn from_sql(_: &Type, raw: &'a [u8]) -> Result<PgDate, BoxError> {
        // `infinity` and dates beyond jiff's range fail here, and read as corrupt.
        let days = i32::from_sql(&Type::INT4, raw)?;
        Ok(PgDate(PG_EPOCH.checked_add(Span::new().try_days(days)?)?))
    }

    accepts!(DATE);
}

/// A text parameter. PostgreSQL cannot store the NUL character: a text holding one is refused
/// while it is encoded, before the server could fail the transaction on it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Text(pub Option<String>);

impl ToSql for Text {
    fn to_sql(&self, ty: &Type, out: &mut BytesMut) -> Result<IsNull, BoxError> {
        match &self.0 {
            None => Ok(IsNull::Yes),
            Some(s) if s.contains('\0') => {
                Err("PostgreSQL cannot store the NUL character (\\0) in a text".into())
            }
            Some(s) => s.as_str().to_sql(ty, out),
        }
    }

    fn accepts(ty: &Type) -> bool {
        <&str as ToSql>::accepts(ty)
    }

    to_sql_checked!();
}

/// A text parameter from a domain value.
pub(crate) fn text(v: &Option<String>) -> Text {
    Text(v.clone())
}

/// Refuses text PostgreSQL cannot store (inside JSON too, where `\u0000` is refused).
pub(crate) fn storable(s: &str) -> Result<()> {
    if s.contains('\0') {
        Err(StoreError::Backend(
            "PostgreSQL cannot store the NUL character (\\0) in a text".into(),
        ))
    } else {
        Ok(())
    }
}

/// A date parameter.
pub(crate) fn pg_date(d: Option<Date>) -> Option<PgDate> {
    d.map(PgDate)
}

/// A column by name, or a report of what does not read back.
pub(crate) fn get<'a, T: FromSql<'a>>(r: &'a Row, column: &str) -> Result<T> {
    r.try_get(column)
        .map_err(|e| StoreError::Corrupt(format!("{column}: {e}")))
}

/// A date column.
pub(crate) fn date_col(r: &Row, column: &str) -> Result<Option<Date>> {
    Ok(get::<Option<PgDate>>(r, column)?.map(|d| d.0))
}

/// A date column that is never NULL.
pub(crate) fn date_req(r: &Row, column: &str) -> Result<Date> {
    date_col(r, column)?.ok_or_else(|| StoreError::Corrupt(format!("{column} is empty")))
}

/// A text column parsed into a domain value (an enum, a duration, a timestamp).
pub(crate) fn parsed<T: std::str::FromStr>(r: &Row, column: &str) -> Result<Option<T>> {
    get::<Option<&str>>(r, column)?
        .map(|v| {
            v.parse::<T>()
                .map_err(|_| StoreError::Corrupt(format!("{column} = {v:?}")))
        })
        .transpose()
}

/// A text column parsed into a domain value, never NULL.
pub(crate) fn parsed_req<T: std::str::FromStr>(r: &Row, column: &str) -> Result<T> {
    parsed(r, column)?.ok_or_else(|| StoreError::Corrupt(format!("{column} is empty")))
}

/// The driver's error in the contract's terms: what a front end can act on, with the server's
/// words kept as text.
pub(crate) fn db_err(e: postgres::Error) -> StoreError {
    let Some(db) = e.as_db_error() else {
        return StoreError::Backend(e.to_string());
    };
    let text = match db.detail() {
        Some(detail) => format!("{} ({detail})", db.message()),
        None => db.message().to_string(),
    };
    let code = db.code();
    if *code == SqlState::UNIQUE_VIOLATION {
        StoreError::Conflict(format!(
            "the record clashes with one already stored: {text}"
        ))
    } else if *code == SqlState::FOREIGN_KEY_VIOLATION {
        StoreError::NotFound(format!("a record it refers to is not stored: {text}"))
    } else if *code == SqlState::READ_ONLY_SQL_TRANSACTION {
        StoreError::ReadOnly
    } else if *code == SqlState::LOCK_NOT_AVAILABLE {
        StoreError::Backend(format!(
            "another writer held this workspace too long — try again ({text})"
        ))
    } else {
        StoreError::Backend(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_days_since_2000() {
        let mut buf = BytesMut::new();
        for (d, days) in [
            (date(2000, 1, 1), 0),
            (date(1999, 12, 31), -1),
            (date(2026, 11, 23), 9823),
        ] {
            buf.clear();
            PgDate(d).to_sql(&Type::DATE, &mut buf).unwrap();
            assert_eq!(i32::from_be_bytes(buf[..].try_into().unwrap()), days, "{d}");
            assert_eq!(PgDate::from_sql(&Type::DATE, &buf).unwrap(), PgDate(d));
        }
        for d in [PG_FIRST, Date::MAX] {
            buf.clear();
            PgDate(d).to_sql(&Type::DATE, &mut buf).unwrap();
            assert_eq!(PgDate::from_sql(&Type::DATE, &buf).unwrap(), PgDate(d));
        }
        assert!(PgDate::from_sql(&Type::DATE, &i32::MAX.to_be_bytes()).is_err());
        assert!(
            PgDate(date(-4713, 11, 24))
                .to_sql(&Type::DATE, &mut buf)
                .is_ok()
        );
        assert!(
            PgDate(date(-4713, 11, 23))
                .to_sql(&Type::DATE, &mut buf)
                .is_err()
        );
    }

    #[test]
    fn text_with_nul_is_refused_while_encoding() {
        let mut buf = BytesMut::new();
        assert!(
            Text(Some("a\0b".into()))
                .to_sql(&Type::TEXT, &mut buf)
                .is_err()
        );
        assert!(
            Text(Some("ok".into()))
                .to_sql(&Type::TEXT, &mut buf)
                .is_ok()
        );
        assert!(matches!(
            Text(None).to_sql(&Type::TEXT, &mut buf),
            Ok(IsNull::Yes)
        ));
        assert!(storable("a\0").is_err() && storable("a").is_ok());
    }
}
