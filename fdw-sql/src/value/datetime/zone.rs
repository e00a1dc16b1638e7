//! Time zones: the fixed abbreviations of PostgreSQL's default set
//! (`timezonesets/Default`), numeric offsets, and the rules of a set of
//! IANA zones (current rules only: zones are evaluated from the year their
//! present rules began; earlier instants are not evaluable).

use super::{date2j, j2day, Tm, POSTGRES_EPOCH_JDATE, USECS_PER_SEC};

/// The fixed-offset abbreviations of `timezonesets/Default`: name, offset
/// east of Greenwich in seconds, and whether it is a daylight-saving one.
const ABBREVIATIONS: &[(&str, i64, bool)] = &[
    ("acdt", 37800, true),
    ("acsst", 37800, true),
    ("acst", 34200, false),
    ("act", -18000, false),
    ("acwst", 31500, false),
    ("adt", -10800, true),
    ("aedt", 39600, true),
    ("aesst", 39600, true),
    ("aest", 36000, false),
    ("aft", 16200, false),
    ("akdt", -28800, true),
    ("akst", -32400, false),
    ("almst", 25200, true),
    ("almt", 21600, false),
    ("amt", -14400, false),
    ("ast", -14400, false),
    ("awsst", 32400, true),
    ("awst", 28800, false),
    ("azost", 0, true),
    ("azot", -3600, false),
    ("bdst", 7200, true),
    ("bdt", 21600, false),
    ("bnt", 28800, false),
    ("bort", 28800, false),
    ("bot", -14400, false),
    ("bra", -10800, false),
    ("brst", -7200, true),
    ("brt", -10800, false),
    ("bst", 3600, true),
    ("btt", 21600, false),
    ("cadt", 37800, true),
    ("cast", 34200, false),
    ("cct", 28800, false),
    ("cdt", -18000, true),
    ("cest", 7200, true),
    ("cet", 3600, false),
    ("cetdst", 7200, true),
    ("chadt", 49500, true),
    ("chast", 45900, false),
    ("chut", 36000, false),
    ("clst", -10800, true),
    ("cot", -18000, false),
    ("cst", -21600, false),
    ("cxt", 25200, false),
    ("ddut", 36000, false),
    ("eat", 10800, false),
    ("edt", -14400, true),
    ("eest", 10800, true),
    ("eet", 7200, false),
    ("eetdst", 10800, true),
    ("egst", 0, true),
    ("egt", -3600, false),
    ("est", -18000, false),
    ("fet", 10800, false),
    ("fjst", 46800, true),
    ("fjt", 43200, false),
    ("fnst", -3600, true),
    ("fnt", -7200, false),
    ("galt", -21600, false),
    ("gamt", -32400, false),
    ("gft", -10800, false),
    ("gilt", 43200, false),
    ("gmt", 0, false),
    ("hkt", 28800, false),
    ("hst", -36000, false),
    ("ict", 25200, false),
    ("idt", 10800, true),
    ("irt", 12600, false),
    ("ist", 7200, false),
    ("jayt", 32400, false),
    ("jst", 32400, false),
    ("kdt", 36000, true),
    ("kgst", 21600, true),
    ("kst", 32400, false),
    ("lhst", 37800, false),
    ("ligt", 36000, false),
    ("mart", -34200, false),
    ("mdt", -21600, true),
    ("mest", 7200, true),
    ("mesz", 7200, true),
    ("met", 3600, false),
    ("metdst", 7200, true),
    ("mez", 3600, false),
    ("mht", 43200, false),
    ("mmt", 23400, false),
    ("mpt", 36000, false),
    ("msd", 14400, true),
    ("mst", -25200, false),
    ("must", 18000, true),
    ("mut", 14400, false),
    ("mvt", 18000, false),
    ("myt", 28800, false),
    ("ndt", -9000, true),
    ("nft", -12600, false),
    ("npt", 20700, false),
    ("nst", -12600, false),
    ("nzdt", 46800, true),
    ("nzst", 43200, false),
    ("nzt", 43200, false),
    ("pdt", -25200, true),
    ("pet", -18000, false),
    ("pgt", 36000, false),
    ("pht", 28800, false),
    ("pkst", 21600, true),
    ("pkt", 18000, false),
    ("pmdt", -7200, true),
    ("pmst", -10800, false),
    ("pont", 39600, false),
    ("pst", -28800, false),
    ("pwt", 32400, false),
    ("pyst", -10800, true),
    ("ret", 14400, false),
    ("sadt", 37800, true),
    ("sast", 7200, false),
    ("sct", 14400, false),
    ("taht", -36000, false),
    ("tft", 18000, false),
    ("tjt", 18000, false),
    ("tot", 46800, false),
    ("trut", 36000, false),
    ("tvt", 43200, false),
    ("uct", 0, false),
    ("ulast", 32400, true),
    ("ut", 0, false),
    ("utc", 0, false),
    ("uyst", -7200, true),
    ("uyt", -10800, false),
    ("uzst", 21600, true),
    ("uzt", 18000, false),
    ("vut", 39600, false),
    ("wadt", 28800, true),
    ("wakt", 43200, false),
    ("wast", 25200, false),
    ("wat", 3600, false),
    ("wdt", 32400, true),
    ("wet", 0, false),
    ("wetdst", 3600, true),
    ("wft", 43200, false),
    ("wgst", -7200, true),
    ("wgt", -10800, false),
    ("xjt", 21600, false),
    ("yapt", 36000, false),
    ("yekst", 21600, true),
    ("z", 0, false),
    ("zulu", 0, false),
];

/// The abbreviations of the default set whose offset depends on the date
/// (defined by a zone): not evaluable here.
const DYNAMIC_ABBREVIATIONS: &[&str] = &[
    "art", "arst", "clt", "gyt", "pyt", "vet", "davt", "mawt", "amst", "anast", "anat", "azst",
    "azt", "gest", "get", "irkst", "irkt", "kgt", "krast", "krat", "lkt", "magst", "magt", "novst",
    "novt", "omsst", "omst", "petst", "pett", "sgt", "tmt", "ulat", "vlast", "vlat", "yakst",
    "yakt", "yekt", "fkst", "fkt", "lhdt", "msk", "volt", "iot", "ckt", "easst", "east", "kost",
    "lint", "nut", "tkt",
];

/// How a zone changes to daylight-saving time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum DstRule {
    /// United States since 2007: second Sunday of March at 02:00 local
    /// standard time to the first Sunday of November at 02:00 local
    /// daylight time.
    Us,
    /// European Union since 1996: last Sunday of March to the last Sunday
    /// of October, both at 01:00 UTC.
    Eu,
}

/// An IANA zone's present rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Rules {
    /// Standard offset east of Greenwich, seconds.
    std: i64,
    /// Daylight-saving time, if the zone observes it.
    dst: Option<DstRule>,
    /// The first year these rules describe.
    since: i64,
}

/// The IANA zones we carry rules for, by lower-case name.
const NAMED_ZONES: &[(&str, Rules)] = &[
    ("america/new_york", us(-5)),
    ("us/eastern", us(-5)),
    ("america/detroit", us(-5)),
    ("america/toronto", us(-5)),
    ("america/chicago", us(-6)),
    ("us/central", us(-6)),
    ("america/denver", us(-7)),
    ("us/mountain", us(-7)),
    ("america/los_angeles", us(-8)),
    ("us/pacific", us(-8)),
    ("america/vancouver", us(-8)),
    ("america/anchorage", us(-9)),
    ("america/phoenix", fixed(-7 * 3600, 1968)),
    ("pacific/honolulu", fixed(-10 * 3600, 1947)),
    ("europe/london", eu(0)),
    ("europe/dublin", eu(0)),
    ("europe/lisbon", eu(0)),
    ("europe/paris", eu(1)),
    ("europe/berlin", eu(1)),
    ("europe/madrid", eu(1)),
    ("europe/rome", eu(1)),
    ("europe/amsterdam", eu(1)),
    ("europe/brussels", eu(1)),
    ("europe/vienna", eu(1)),
    ("europe/zurich", eu(1)),
    ("europe/stockholm", eu(1)),
    ("europe/oslo", eu(1)),
    ("europe/copenhagen", eu(1)),
    ("europe/prague", eu(1)),
    ("europe/warsaw", eu(1)),
    ("europe/budapest", eu(1)),
    ("europe/athens", eu(2)),
    ("europe/helsinki", eu(2)),
    ("europe/bucharest", eu(2)),
    ("europe/sofia", eu(2)),
    ("asia/tokyo", fixed(9 * 3600, 1952)),
    ("asia/seoul", fixed(9 * 3600, 1988)),
    ("asia/shanghai", fixed(8 * 3600, 1992)),
    ("asia/hong_kong", fixed(8 * 3600, 1980)),
    ("asia/singapore", fixed(8 * 3600, 1982)),
    ("asia/kolkata", fixed(19_800, 1946)),
    ("asia/calcutta", fixed(19_800, 1946)),
    ("asia/dubai", fixed(4 * 3600, 1921)),
    ("etc/utc", fixed(0, -4713)),
    ("etc/gmt", fixed(0, -4713)),
    ("etc/uct", fixed(0, -4713)),
    ("etc/universal", fixed(0, -4713)),
    ("etc/zulu", fixed(0, -4713)),
    ("utc", fixed(0, -4713)),
    ("gmt", fixed(0, -4713)),
    ("uct", fixed(0, -4713)),
    ("universal", fixed(0, -4713)),
    ("zulu", fixed(0, -4713)),
    ("greenwich", fixed(0, -4713)),
    ("est", fixed(-5 * 3600, -4713)),
    ("mst", fixed(-7 * 3600, -4713)),
    ("hst", fixed(-10 * 3600, -4713)),
];

const fn us(hours: i64) -> Rules {
    Rules {
        std: hours * 3600,
        dst: Some(DstRule::Us),
        since: 2007,
    }
}

const fn eu(hours: i64) -> Rules {
    Rules {
        std: hours * 3600,
        dst: Some(DstRule::Eu),
        since: 1996,
    }
}

const fn fixed(std: i64, since: i64) -> Rules {
    Rules {
        std,
        dst: None,
        since,
    }
}

/// A time zone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Zone {
    /// A fixed offset east of Greenwich, seconds.
    Fixed(i64),
    /// An IANA zone with rules.
    Named(Rules),
    /// A zone we have no rules for; its name.
    Unknown(String),
}

/// A time-zone abbreviation met in input.
pub(super) enum Abbrev {
    /// Offset east of Greenwich in seconds, and whether it is a DST one.
    Fixed(i64, bool),
    /// Date-dependent (defined by a zone we do not evaluate).
    Dynamic,
}

/// Looks `token` (lower case) up in the default abbreviation set.
pub(super) fn abbreviation(token: &str) -> Option<Abbrev> {
    if let Some((_, off, dst)) = ABBREVIATIONS.iter().find(|(a, _, _)| *a == token) {
        return Some(Abbrev::Fixed(*off, *dst));
    }
    DYNAMIC_ABBREVIATIONS
        .contains(&token)
        .then_some(Abbrev::Dynamic)
}

/// A zone name met in input (`pg_tzset`), `None` when no such zone
/// exists; zones that exist but are not carried here are `Unknown`.
pub(super) fn named(name: &str) -> Option<Zone> {
    let lower = name.to_ascii_lowercase();
    if let Some((_, r)) = NAMED_ZONES.iter().find(|(n, _)| *n == lower) {
        return Some(match r.dst {
            None if r.since <= -4713 => Zone::Fixed(r.std),
            _ => Zone::Named(*r),
        });
    }
    if let Some(off) = posix_offset(&lower) {
        return Some(Zone::Fixed(off));
    }
    // Names shaped like IANA ones (Area/Location) may exist: we cannot
    // tell, so they are not evaluable rather than rejected.
    let iana_like = lower.contains('/')
        && lower
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"/_-+".contains(&b));
    iana_like.then(|| Zone::Unknown(name.to_owned()))
}

/// A POSIX-style zone `[NAME]±hh[:mm[:ss]]` (`+05:30`, `UTC+3`): the
/// offset east of Greenwich (POSIX counts west, so the sign flips).
fn posix_offset(s: &str) -> Option<i64> {
    let body = s.trim_start_matches(|c: char| c.is_ascii_alphabetic());
    let name_len = s.len() - body.len();
    if name_len != 0 && name_len < 3 {
        return None;
    }
    let (sign, digits) = match body.as_bytes().first()? {
        b'+' => (1, &body[1..]),
        b'-' => (-1, &body[1..]),
        b'0'..=b'9' => (1, body),
        _ => return None,
    };
    let mut secs = 0i64;
    let parts: Vec<&str> = digits.split(':').collect();
    if parts.len() > 3 {
        return None;
    }
    for (i, p) in parts.iter().enumerate() {
        if p.is_empty() || p.len() > 2 || !p.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let v: i64 = p.parse().ok()?;
        if (i == 0 && v > 24) || (i > 0 && v > 59) {
            return None;
        }
        secs += v * [3600, 60, 1][i];
    }
    Some(-sign * secs)
}

/// The session zone described by a `TimeZone` setting.
pub(super) fn session_zone(setting: &str) -> Zone {
    let s = setting.trim();
    // check_timezone: a bare number is hours east (SQL convention).
    if let Ok(hours) = s.parse::<f64>() {
        if hours.is_finite() && s.bytes().all(|b| b.is_ascii_digit() || b"+-.".contains(&b)) {
            return Zone::Fixed((hours * 3600.0).round() as i64);
        }
    }
    named(s).unwrap_or_else(|| Zone::Unknown(s.to_owned()))
}

impl Zone {
    /// The zone's offset east of Greenwich at a UTC instant (microseconds
    /// since 2000-01-01), or `None` when not known here.
    pub(super) fn offset_at_utc(&self, ts: i64) -> Option<i64> {
        match self {
            Zone::Fixed(off) => Some(*off),
            Zone::Unknown(_) => None,
            Zone::Named(r) => {
                let secs = ts.div_euclid(USECS_PER_SEC);
                let year = year_of(secs + r.std);
                if year < r.since {
                    return None;
                }
                Some(match r.dst {
                    Some(rule) if in_dst(rule, r.std, year, secs) => r.std + 3600,
                    _ => r.std,
                })
            }
        }
    }

    /// `DetermineTimeZoneOffset`: the offset east of Greenwich that applies
    /// to a local time (a time in a spring-forward gap and an ambiguous
    /// fall-back time both take standard time, as PostgreSQL does).
    pub(super) fn offset_for_local(&self, tm: &Tm) -> Option<i64> {
        match self {
            Zone::Fixed(off) => Some(*off),
            Zone::Unknown(_) => None,
            Zone::Named(r) => {
                if tm.year < r.since {
                    return None;
                }
                let local = (date2j(tm.year, tm.mon, tm.mday) - POSTGRES_EPOCH_JDATE) * 86_400
                    + tm.hour * 3600
                    + tm.min * 60
                    + tm.sec;
                let Some(rule) = r.dst else {
                    return Some(r.std);
                };
                let dst_off = r.std + 3600;
                let std_valid = !in_dst(rule, r.std, tm.year, local - r.std);
                let dst_valid = in_dst(rule, r.std, tm.year, local - dst_off);
                Some(if dst_valid && !std_valid {
                    dst_off
                } else {
                    r.std
                })
            }
        }
    }

    /// The offset when it does not depend on the date.
    pub(super) fn fixed_offset(&self) -> Option<i64> {
        match self {
            Zone::Fixed(off) => Some(*off),
            Zone::Named(Rules { dst: None, std, .. }) => Some(*std),
            _ => None,
        }
    }
}

/// The year of a count of seconds since 2000-01-01.
fn year_of(secs: i64) -> i64 {
    super::j2date(secs.div_euclid(86_400) + POSTGRES_EPOCH_JDATE).0
}

/// Seconds since 2000-01-01 of `day` in `year`/`month` at `secs` past
/// midnight.
fn at(year: i64, month: i64, day: i64, secs: i64) -> i64 {
    (date2j(year, month, day) - POSTGRES_EPOCH_JDATE) * 86_400 + secs
}

/// The day of the month of the `n`-th Sunday (`n` = 0: the last one).
fn sunday(year: i64, month: i64, n: i64) -> i64 {
    if n == 0 {
        let last = super::days_in_month(year, month);
        let wd = j2day(date2j(year, month, last));
        last - wd
    } else {
        let wd = j2day(date2j(year, month, 1));
        1 + (7 - wd) % 7 + (n - 1) * 7
    }
}

/// Whether UTC second `secs` (since 2000-01-01) falls in daylight-saving
/// time of `year` under `rule` for a zone of standard offset `std`.
fn in_dst(rule: DstRule, std: i64, year: i64, secs: i64) -> bool {
    let (start, end) = match rule {
        DstRule::Us => (
            at(year, 3, sunday(year, 3, 2), 2 * 3600) - std,
            at(year, 11, sunday(year, 11, 1), 2 * 3600) - (std + 3600),
        ),
        DstRule::Eu => (
            at(year, 3, sunday(year, 3, 0), 3600),
            at(year, 10, sunday(year, 10, 0), 3600),
        ),
    };
    (start..end).contains(&secs)
}
