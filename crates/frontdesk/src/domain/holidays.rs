//! Public holidays of the regions frontdesk's tenants are in (ISO 3166-2), computed — Easter and
//! the movable feasts included — because no maintained crate covers German states, Austria, Swiss
//! cantons, the UK nations and Ireland together. Each region has a table test against the official
//! lists of one year.

use chrono::{Datelike, Duration, NaiveDate, Weekday};

/// A region whose public holidays close the calendar; parsed from an ISO 3166-2 code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Region(RegionKind);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum RegionKind {
    Germany(State),
    Austria,
    Switzerland(Canton),
    England,
    Scotland,
    NorthernIreland,
    Ireland,
}

/// German federal states, by their ISO 3166-2 suffix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum State {
    Bw,
    By,
    Be,
    Bb,
    Hb,
    Hh,
    He,
    Mv,
    Ni,
    Nw,
    Rp,
    Sl,
    Sn,
    St,
    Sh,
    Th,
}

/// The Swiss cantons whose holiday laws are encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Canton {
    Zh,
    Be,
    Bs,
}

/// The codes [`Region::parse`] accepts, for the error message.
pub const SUPPORTED_REGIONS: &str =
    "DE-BW, DE-BY, DE-BE, DE-BB, DE-HB, DE-HH, DE-HE, DE-MV, DE-NI, DE-NW, DE-RP, DE-SL, DE-SN, DE-ST, DE-SH, DE-TH, \
     AT-1 … AT-9, CH-ZH, CH-BE, CH-BS, GB-ENG, GB-WLS, GB-SCT, GB-NIR, IE";

impl Region {
    /// Parses an ISO 3166-2 code such as `DE-BE`, `AT-9`, `CH-ZH`, `GB-ENG` or `IE`.
    pub fn parse(code: &str) -> Result<Self, String> {
        let upper = code.trim().to_ascii_uppercase();
        let kind = match upper.split_once('-') {
            Some(("DE", state)) => RegionKind::Germany(match state {
                "BW" => State::Bw,
                "BY" => State::By,
                "BE" => State::Be,
                "BB" => State::Bb,
                "HB" => State::Hb,
                "HH" => State::Hh,
                "HE" => State::He,
                "MV" => State::Mv,
                "NI" => State::Ni,
                "NW" => State::Nw,
                "RP" => State::Rp,
                "SL" => State::Sl,
                "SN" => State::Sn,
                "ST" => State::St,
                "SH" => State::Sh,
                "TH" => State::Th,
                _ => return Err(unsupported(code)),
            }),
            Some(("AT", "1" | "2" | "3" | "4" | "5" | "6" | "7" | "8" | "9")) => RegionKind::Austria,
            Some(("CH", "ZH")) => RegionKind::Switzerland(Canton::Zh),
            Some(("CH", "BE")) => RegionKind::Switzerland(Canton::Be),
            Some(("CH", "BS")) => RegionKind::Switzerland(Canton::Bs),
            Some(("GB", "ENG" | "WLS")) => RegionKind::England,
            Some(("GB", "SCT")) => RegionKind::Scotland,
            Some(("GB", "NIR")) => RegionKind::NorthernIreland,
            None if upper == "IE" => RegionKind::Ireland,
            _ => return Err(unsupported(code)),
        };
        Ok(Self(kind))
    }

    /// The public holiday on `date`, if there is one.
    pub fn holiday_on(self, date: NaiveDate) -> Option<Holiday> {
        self.holidays(date.year()).into_iter().find(|(day, _)| *day == date).map(|(_, holiday)| holiday)
    }

    /// Every public holiday of a year, in date order (substitute days included).
    pub fn holidays(self, year: i32) -> Vec<(NaiveDate, Holiday)> {
        let mut days = Vec::new();
        match self.0 {
            RegionKind::Germany(state) => germany(state, year, &mut days),
            RegionKind::Austria => austria(year, &mut days),
            RegionKind::Switzerland(canton) => switzerland(canton, year, &mut days),
            RegionKind::England | RegionKind::Scotland | RegionKind::NorthernIreland => uk(self.0, year, &mut days),
            RegionKind::Ireland => ireland(year, &mut days),
        }
        days.sort_by_key(|(day, _)| *day);
        days
    }
}

fn unsupported(code: &str) -> String {
    format!("unsupported region {:?} (supported: {SUPPORTED_REGIONS})", code.trim())
}

/// A public holiday, with its name in both languages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Holiday {
    /// 1 January.
    NewYear,
    /// 2 January in Scotland and several Swiss cantons.
    SecondOfJanuary,
    /// 6 January.
    Epiphany,
    /// First Monday of February (1 February when a Friday), Ireland.
    StBrigid,
    /// 8 March, Berlin and Mecklenburg-Western Pomerania.
    WomensDay,
    /// 17 March, Northern Ireland and Ireland.
    StPatrick,
    /// Easter Sunday − 2.
    GoodFriday,
    /// Easter Sunday.
    EasterSunday,
    /// Easter Sunday + 1.
    EasterMonday,
    /// 1 May.
    LabourDay,
    /// First Monday of May (UK, Ireland).
    EarlyMay,
    /// Easter + 39.
    Ascension,
    /// Easter + 49.
    WhitSunday,
    /// Easter + 50.
    WhitMonday,
    /// Last Monday of May (UK).
    SpringBank,
    /// First Monday of June (Ireland).
    JuneBank,
    /// Easter + 60.
    CorpusChristi,
    /// 12 July, Northern Ireland.
    Boyne,
    /// 1 August, Switzerland.
    SwissNationalDay,
    /// Summer bank holiday (last Monday of August; first in Scotland and Ireland).
    SummerBank,
    /// 15 August.
    Assumption,
    /// 20 September, Thuringia.
    ChildrensDay,
    /// 3 October.
    GermanUnity,
    /// 26 October.
    AustrianNationalDay,
    /// Last Monday of October (Ireland).
    OctoberBank,
    /// 31 October.
    Reformation,
    /// 1 November.
    AllSaints,
    /// The Wednesday before 23 November, Saxony.
    RepentanceDay,
    /// 30 November, Scotland.
    StAndrew,
    /// 8 December, Austria.
    ImmaculateConception,
    /// 25 December.
    Christmas,
    /// 26 December.
    BoxingDay,
    /// A weekday off for a holiday that fell on a weekend (UK, Ireland).
    Substitute,
}

impl Holiday {
    /// The name as a German speaker says it.
    pub fn name_de(self) -> &'static str {
        match self {
            Self::NewYear => "Neujahr",
            Self::SecondOfJanuary => "Berchtoldstag",
            Self::Epiphany => "Heilige Drei Könige",
            Self::StBrigid => "St. Brigid's Day",
            Self::WomensDay => "Internationaler Frauentag",
            Self::StPatrick => "St. Patrick's Day",
            Self::GoodFriday => "Karfreitag",
            Self::EasterSunday => "Ostersonntag",
            Self::EasterMonday => "Ostermontag",
            Self::LabourDay => "Tag der Arbeit",
            Self::EarlyMay => "Bankfeiertag im Mai",
            Self::Ascension => "Christi Himmelfahrt",
            Self::WhitSunday => "Pfingstsonntag",
            Self::WhitMonday => "Pfingstmontag",
            Self::SpringBank => "Bankfeiertag im Frühling",
            Self::JuneBank => "Bankfeiertag im Juni",
            Self::CorpusChristi => "Fronleichnam",
            Self::Boyne => "Battle of the Boyne",
            Self::SwissNationalDay => "Bundesfeiertag",
            Self::SummerBank => "Bankfeiertag im Sommer",
            Self::Assumption => "Mariä Himmelfahrt",
            Self::ChildrensDay => "Weltkindertag",
            Self::GermanUnity => "Tag der Deutschen Einheit",
            Self::AustrianNationalDay => "Nationalfeiertag",
            Self::OctoberBank => "Bankfeiertag im Oktober",
            Self::Reformation => "Reformationstag",
            Self::AllSaints => "Allerheiligen",
            Self::RepentanceDay => "Buß- und Bettag",
            Self::StAndrew => "St. Andrew's Day",
            Self::ImmaculateConception => "Mariä Empfängnis",
            Self::Christmas => "1. Weihnachtstag",
            Self::BoxingDay => "2. Weihnachtstag",
            Self::Substitute => "Ersatzfeiertag",
        }
    }

    /// The name as an English speaker says it.
    pub fn name_en(self) -> &'static str {
        match self {
            Self::NewYear => "New Year's Day",
            Self::SecondOfJanuary => "the 2nd of January holiday",
            Self::Epiphany => "Epiphany",
            Self::StBrigid => "St Brigid's Day",
            Self::WomensDay => "International Women's Day",
            Self::StPatrick => "St Patrick's Day",
            Self::GoodFriday => "Good Friday",
            Self::EasterSunday => "Easter Sunday",
            Self::EasterMonday => "Easter Monday",
            Self::LabourDay => "Labour Day",
            Self::EarlyMay => "the early May bank holiday",
            Self::Ascension => "Ascension Day",
            Self::WhitSunday => "Whit Sunday",
            Self::WhitMonday => "Whit Monday",
            Self::SpringBank => "the spring bank holiday",
            Self::JuneBank => "the June bank holiday",
            Self::CorpusChristi => "Corpus Christi",
            Self::Boyne => "the Battle of the Boyne holiday",
            Self::SwissNationalDay => "Swiss National Day",
            Self::SummerBank => "the summer bank holiday",
            Self::Assumption => "Assumption Day",
            Self::ChildrensDay => "Children's Day",
            Self::GermanUnity => "German Unity Day",
            Self::AustrianNationalDay => "the Austrian National Day",
            Self::OctoberBank => "the October bank holiday",
            Self::Reformation => "Reformation Day",
            Self::AllSaints => "All Saints' Day",
            Self::RepentanceDay => "the Day of Repentance",
            Self::StAndrew => "St Andrew's Day",
            Self::ImmaculateConception => "the Immaculate Conception",
            Self::Christmas => "Christmas Day",
            Self::BoxingDay => "Boxing Day",
            Self::Substitute => "a substitute bank holiday",
        }
    }
}

/// Easter Sunday of a Gregorian year (the anonymous Gregorian algorithm).
pub fn easter_sunday(year: i32) -> NaiveDate {
    let a = year % 19;
    let b = year / 100;
    let c = year % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    NaiveDate::from_ymd_opt(year, month as u32, day as u32).expect("Easter is a valid date")
}

fn ymd(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).expect("fixed holidays are valid dates")
}

/// The `n`-th (1-based) given weekday of a month.
fn nth_weekday(year: i32, month: u32, weekday: Weekday, n: u32) -> NaiveDate {
    NaiveDate::from_weekday_of_month_opt(year, month, weekday, n as u8).expect("every month has four of each weekday")
}

/// The last given weekday of a month.
fn last_weekday(year: i32, month: u32, weekday: Weekday) -> NaiveDate {
    let mut day = nth_weekday(year, month, weekday, 4);
    while (day + Duration::days(7)).month() == month {
        day += Duration::days(7);
    }
    day
}

fn easter_based(year: i32, offset: i64) -> NaiveDate {
    easter_sunday(year) + Duration::days(offset)
}

fn germany(state: State, year: i32, days: &mut Vec<(NaiveDate, Holiday)>) {
    use State::*;
    days.extend([
        (ymd(year, 1, 1), Holiday::NewYear),
        (easter_based(year, -2), Holiday::GoodFriday),
        (easter_based(year, 1), Holiday::EasterMonday),
        (ymd(year, 5, 1), Holiday::LabourDay),
        (easter_based(year, 39), Holiday::Ascension),
        (easter_based(year, 50), Holiday::WhitMonday),
        (ymd(year, 10, 3), Holiday::GermanUnity),
        (ymd(year, 12, 25), Holiday::Christmas),
        (ymd(year, 12, 26), Holiday::BoxingDay),
    ]);
    let mut add = |applies: bool, day: NaiveDate, holiday: Holiday| {
        if applies {
            days.push((day, holiday));
        }
    };
    add(matches!(state, Bw | By | St), ymd(year, 1, 6), Holiday::Epiphany);
    add(state == Be && year >= 2019 || state == Mv && year >= 2023, ymd(year, 3, 8), Holiday::WomensDay);
    add(state == Bb, easter_sunday(year), Holiday::EasterSunday);
    add(state == Bb, easter_based(year, 49), Holiday::WhitSunday);
    add(matches!(state, Bw | By | He | Nw | Rp | Sl), easter_based(year, 60), Holiday::CorpusChristi);
    // Bavaria: a holiday in the Catholic municipalities, Munich among them.
    add(matches!(state, Sl | By), ymd(year, 8, 15), Holiday::Assumption);
    add(state == Th && year >= 2019, ymd(year, 9, 20), Holiday::ChildrensDay);
    let reformation = matches!(state, Bb | Mv | Sn | St | Th) || (matches!(state, Hb | Hh | Ni | Sh) && year >= 2018);
    add(reformation, ymd(year, 10, 31), Holiday::Reformation);
    add(matches!(state, Bw | By | Nw | Rp | Sl), ymd(year, 11, 1), Holiday::AllSaints);
    // The Wednesday before 23 November.
    let mut repentance = ymd(year, 11, 22);
    while repentance.weekday() != Weekday::Wed {
        repentance -= Duration::days(1);
    }
    add(state == Sn, repentance, Holiday::RepentanceDay);
}

fn austria(year: i32, days: &mut Vec<(NaiveDate, Holiday)>) {
    days.extend([
        (ymd(year, 1, 1), Holiday::NewYear),
        (ymd(year, 1, 6), Holiday::Epiphany),
        (easter_based(year, 1), Holiday::EasterMonday),
        (ymd(year, 5, 1), Holiday::LabourDay),
        (easter_based(year, 39), Holiday::Ascension),
        (easter_based(year, 50), Holiday::WhitMonday),
        (easter_based(year, 60), Holiday::CorpusChristi),
        (ymd(year, 8, 15), Holiday::Assumption),
        (ymd(year, 10, 26), Holiday::AustrianNationalDay),
        (ymd(year, 11, 1), Holiday::AllSaints),
        (ymd(year, 12, 8), Holiday::ImmaculateConception),
        (ymd(year, 12, 25), Holiday::Christmas),
        (ymd(year, 12, 26), Holiday::BoxingDay),
    ]);
}

fn switzerland(canton: Canton, year: i32, days: &mut Vec<(NaiveDate, Holiday)>) {
    days.extend([
        (ymd(year, 1, 1), Holiday::NewYear),
        (ymd(year, 1, 2), Holiday::SecondOfJanuary),
        (easter_based(year, -2), Holiday::GoodFriday),
        (easter_based(year, 1), Holiday::EasterMonday),
        (easter_based(year, 39), Holiday::Ascension),
        (easter_based(year, 50), Holiday::WhitMonday),
        (ymd(year, 8, 1), Holiday::SwissNationalDay),
        (ymd(year, 12, 25), Holiday::Christmas),
        (ymd(year, 12, 26), Holiday::BoxingDay),
    ]);
    if matches!(canton, Canton::Zh | Canton::Bs) {
        days.push((ymd(year, 5, 1), Holiday::LabourDay));
    }
}

/// Holidays that move to the next free weekday when they fall on a weekend (UK and Irish rule).
fn with_substitutes(days: &mut Vec<(NaiveDate, Holiday)>, fixed: &[(NaiveDate, Holiday)]) {
    days.extend_from_slice(fixed);
    let mut fixed = fixed.to_vec();
    fixed.sort_by_key(|(day, _)| *day);
    for (day, _) in fixed {
        if matches!(day.weekday(), Weekday::Sat | Weekday::Sun) {
            let mut substitute = day + Duration::days(1);
            while matches!(substitute.weekday(), Weekday::Sat | Weekday::Sun)
                || days.iter().any(|(taken, _)| *taken == substitute)
            {
                substitute += Duration::days(1);
            }
            days.push((substitute, Holiday::Substitute));
        }
    }
}

fn uk(kind: RegionKind, year: i32, days: &mut Vec<(NaiveDate, Holiday)>) {
    days.extend([
        (easter_based(year, -2), Holiday::GoodFriday),
        (nth_weekday(year, 5, Weekday::Mon, 1), Holiday::EarlyMay),
    ]);
    days.push((last_weekday(year, 5, Weekday::Mon), Holiday::SpringBank));
    let mut fixed = vec![(ymd(year, 1, 1), Holiday::NewYear)];
    match kind {
        RegionKind::Scotland => {
            fixed.push((ymd(year, 1, 2), Holiday::SecondOfJanuary));
            days.push((nth_weekday(year, 8, Weekday::Mon, 1), Holiday::SummerBank));
            fixed.push((ymd(year, 11, 30), Holiday::StAndrew));
        }
        _ => {
            days.push((easter_based(year, 1), Holiday::EasterMonday));
            days.push((last_weekday(year, 8, Weekday::Mon), Holiday::SummerBank));
        }
    }
    if kind == RegionKind::NorthernIreland {
        fixed.push((ymd(year, 3, 17), Holiday::StPatrick));
        fixed.push((ymd(year, 7, 12), Holiday::Boyne));
    }
    fixed.push((ymd(year, 12, 25), Holiday::Christmas));
    fixed.push((ymd(year, 12, 26), Holiday::BoxingDay));
    with_substitutes(days, &fixed);
}

fn ireland(year: i32, days: &mut Vec<(NaiveDate, Holiday)>) {
    if year >= 2023 {
        let first = ymd(year, 2, 1);
        let brigid = if first.weekday() == Weekday::Fri { first } else { nth_weekday(year, 2, Weekday::Mon, 1) };
        days.push((brigid, Holiday::StBrigid));
    }
    days.extend([
        (easter_based(year, 1), Holiday::EasterMonday),
        (nth_weekday(year, 5, Weekday::Mon, 1), Holiday::EarlyMay),
        (nth_weekday(year, 6, Weekday::Mon, 1), Holiday::JuneBank),
        (nth_weekday(year, 8, Weekday::Mon, 1), Holiday::SummerBank),
        (last_weekday(year, 10, Weekday::Mon), Holiday::OctoberBank),
    ]);
    let fixed = [
        (ymd(year, 1, 1), Holiday::NewYear),
        (ymd(year, 3, 17), Holiday::StPatrick),
        (ymd(year, 12, 25), Holiday::Christmas),
        (ymd(year, 12, 26), Holiday::BoxingDay),
    ];
    with_substitutes(days, &fixed);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn listed(code: &str, year: i32) -> Vec<String> {
        Region::parse(code).unwrap().holidays(year).iter().map(|(d, _)| d.format("%m-%d").to_string()).collect()
    }

    #[test]
    fn easter_matches_the_tables() {
        for (year, date) in [
            (2024, "2024-03-31"),
            (2025, "2025-04-20"),
            (2026, "2026-04-05"),
            (2027, "2027-03-28"),
            (2038, "2038-04-25"),
        ] {
            assert_eq!(easter_sunday(year).to_string(), date);
        }
    }

    #[test]
    fn german_states_2026() {
        let common = ["01-01", "04-03", "04-06", "05-01", "05-14", "05-25", "10-03", "12-25", "12-26"];
        let table: &[(&str, &[&str])] = &[
            ("DE-BE", &["03-08"]),
            ("DE-BY", &["01-06", "06-04", "08-15", "11-01"]),
            ("DE-BW", &["01-06", "06-04", "11-01"]),
            ("DE-NW", &["06-04", "11-01"]),
            ("DE-HE", &["06-04"]),
            ("DE-SN", &["10-31", "11-18"]),
            ("DE-TH", &["09-20", "10-31"]),
            ("DE-BB", &["04-05", "05-24", "10-31"]),
            ("DE-HH", &["10-31"]),
            ("DE-MV", &["03-08", "10-31"]),
            ("DE-SL", &["06-04", "08-15", "11-01"]),
            ("DE-ST", &["01-06", "10-31"]),
        ];
        for (code, extra) in table {
            let mut want: Vec<String> = common.iter().chain(extra.iter()).map(|s| s.to_string()).collect();
            want.sort();
            assert_eq!(listed(code, 2026), want, "{code}");
        }
    }

    #[test]
    fn austria_switzerland_2026() {
        assert_eq!(
            listed("AT-9", 2026),
            [
                "01-01", "01-06", "04-06", "05-01", "05-14", "05-25", "06-04", "08-15", "10-26", "11-01", "12-08",
                "12-25", "12-26"
            ]
        );
        assert_eq!(
            listed("CH-ZH", 2026),
            ["01-01", "01-02", "04-03", "04-06", "05-01", "05-14", "05-25", "08-01", "12-25", "12-26"]
        );
        assert_eq!(listed("CH-BE", 2026).len(), 9);
    }

    #[test]
    fn uk_and_ireland_with_substitute_days() {
        // 2027: 25 Dec is a Saturday, 26 a Sunday → Mon 27 and Tue 28 off.
        assert_eq!(
            listed("GB-ENG", 2027),
            ["01-01", "03-26", "03-29", "05-03", "05-31", "08-30", "12-25", "12-26", "12-27", "12-28"]
        );
        assert_eq!(
            listed("GB-SCT", 2027),
            [
                "01-01", "01-02", "01-04", "03-26", "05-03", "05-31", "08-02", "11-30", "12-25", "12-26", "12-27",
                "12-28"
            ]
        );
        assert!(listed("GB-NIR", 2026).contains(&"07-13".to_string()), "12 July 2026 is a Sunday");
        assert_eq!(
            listed("IE", 2026),
            ["01-01", "02-02", "03-17", "04-06", "05-04", "06-01", "08-03", "10-26", "12-25", "12-26", "12-28"]
        );
    }

    #[test]
    fn unknown_regions_are_refused_with_the_list() {
        let error = Region::parse("DE-XX").unwrap_err();
        assert!(error.contains("DE-BE"), "{error}");
        assert!(Region::parse("FR").is_err());
        assert_eq!(Region::parse(" de-be ").unwrap().holiday_on(ymd(2026, 12, 25)), Some(Holiday::Christmas));
    }
}
