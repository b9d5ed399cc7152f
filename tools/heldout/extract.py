#!/usr/bin/env python3
"""Turns two held-out corpora of time expressions into frontdesk's measuring format.

The corpora are Duckling's (facebook/duckling, Duckling/Time/{DE,EN}/Corpus.hs) and chrono-node's
(wanasit/chrono, test/{de,en}/*.test.ts). Nobody on this project wrote them and no phrase of them
is copied into frontdesk's own phrase tables: they measure the grammar, they do not train it.

    tools/heldout/extract.py DUCKLING_REPO CHRONO_REPO OUT_DIR

Each repository is a git directory (read at HEAD). One TSV per corpus and language is written:
`reference<TAB>phrase<TAB>expected`, reference `YYYY-MM-DDTHH:MM` (local time; Duckling's with its
zone's offset, `-02:00`; chrono's tests run in the machine's zone, so its phrases that name a zone
are left out), expected
`YYYY-MM-DD`, `YYYY-MM-DD HH:MM` or `YYYY-MM-DD..YYYY-MM-DD`. What is no appointment wish (a second,
a year, a season, a time without a day the corpus fixes) is left out; the count is printed.
`cargo test -p frontdesk --lib held_out -- --ignored --nocapture` with FRONTDESK_HELDOUT=OUT_DIR
then measures (see BENCHMARKS.md).
"""
import datetime as dt
import pathlib
import re
import subprocess
import sys


def show(repo, path):
    return subprocess.run(["git", "--git-dir", repo, "show", f"HEAD:{path}"], check=True,
                          capture_output=True, text=True).stdout


def listing(repo, folder):
    out = subprocess.run(["git", "--git-dir", repo, "ls-tree", "--name-only", "HEAD", folder + "/"],
                         check=True, capture_output=True, text=True).stdout
    return [line for line in out.splitlines() if line.endswith(".test.ts")]


TUPLE = r"\(\s*(-?\d+)\s*,\s*(\d+)\s*,\s*(\d+)\s*,\s*(\d+)\s*,\s*(\d+)\s*,\s*(\d+)\s*\)"
EXAMPLE = re.compile(
    r"examples\s*\(\s*(datetime|datetimeHoliday|datetimeInterval|datetimeIntervalHoliday)\s*"
    r"(\(\s*" + TUPLE + r"\s*,\s*" + TUPLE + r"\s*\)|" + TUPLE + r")\s*(\w+)[^\[]*\[(.*?)\]",
    re.S)
STRING = re.compile(r'"((?:[^"\\]|\\.)*)"')


def duckling(repo, language):
    text = show(repo, f"Duckling/Time/{language.upper()}/Corpus.hs")
    # only the main corpus, whose reference is Duckling's testContext (Tue 2013-02-12 04:30)
    start = text.index("allExamples =")
    rows, skipped = [], 0
    for m in EXAMPLE.finditer(text, start):
        kind, grain, body = m.group(1), m.group(21), m.group(22)
        phrases = STRING.findall(body)
        if "Interval" in kind:
            a = tuple(int(x) for x in m.group(3, 4, 5, 6, 7, 8))
            b = tuple(int(x) for x in m.group(9, 10, 11, 12, 13, 14))
            expected = interval(a, b, grain)
        else:
            a = tuple(int(x) for x in m.group(15, 16, 17, 18, 19, 20))
            expected = instant(a, grain)
        if expected is None:
            skipped += len(phrases)
            continue
        rows += [("2013-02-12T04:30-02:00", p, expected) for p in phrases]
    return rows, skipped


def instant(a, grain):
    y, mo, d, h, mi, _ = a
    if d == 0 and grain not in ("Month", "Year", "Quarter"):
        return None
    if grain == "Day":
        return f"{y:04}-{mo:02}-{d:02}"
    if grain in ("Hour", "Minute"):
        return f"{y:04}-{mo:02}-{d:02} {h:02}:{mi:02}"
    if grain == "Week":
        first = dt.date(y, mo, d)
        return f"{first}..{first + dt.timedelta(days=6)}"
    if grain == "Month":
        first = dt.date(y, mo, 1)
        nxt = dt.date(y + (mo == 12), mo % 12 + 1, 1)
        return f"{first}..{nxt - dt.timedelta(days=1)}"
    return None  # seconds ("now"), quarters, years: no appointment wish


def interval(a, b, grain):
    try:
        first, end = dt.datetime(*a), dt.datetime(*b)
    except ValueError:
        return None  # Duckling writes day 0 for a month or a year
    if grain in ("Day", "Week", "Month") and (end - first).days <= 92:
        last = (end - dt.timedelta(days=1)).date() if end.time() == dt.time(0) else end.date()
        return f"{first.date()}..{last}"
    if grain in ("Hour", "Minute") and (end - first) <= dt.timedelta(days=1):
        to = "24:00" if end.time() == dt.time(0) and end.date() > first.date() else end.strftime("%H:%M")
        if end.date() > first.date() and to != "24:00":
            return None  # a night across midnight
        return f"{first.date()} {first:%H:%M}-{to}"
    return None


CASE = re.compile(r"testSingleCase\(\s*chrono(?:\.(\w+))?(?:\.casual|\.strict)?\s*,\s*([\"'`])(.*?)\2\s*,\s*new Date\(([^)]*)\)", re.S)
GET = re.compile(r"result\.start\.get\(\"(year|month|day|hour|minute)\"\)\)\.toBe\((\d+)\)")
TEXT = re.compile(r"result\.text\)\.toBe\(([\"'`])(.*?)\1\)")
END = re.compile(r"result\.end\)\.not\.toBeNull|result\.end\.get")


ZONE = re.compile(r"\b(pst|pdt|est|edt|cst|cdt|mst|mdt|gmt|utc|cet|cest|bst|ist|jst|mez|mesz|z)\b|\d[+-]\d\d:?\d\d|\dZ\b", re.I)


def date_arguments(text):
    """`new Date(2012, 8 - 1, 10, 12)`'s numbers; [] when an argument is no plain arithmetic."""
    numbers = []
    for argument in text.split(","):
        if not re.fullmatch(r"[\d\s+\-*]+", argument):
            return []
        numbers.append(int(eval(argument)))  # digits and + - * only, checked above
    return numbers


def chrono(repo, language):
    rows, skipped = [], 0
    for path in listing(repo, f"test/{language}"):
        text = "\n".join(line for line in show(repo, path).splitlines() if not line.strip().startswith("//"))
        cases = list(CASE.finditer(text))
        for i, m in enumerate(cases):
            block = text[m.end(): cases[i + 1].start() if i + 1 < len(cases) else len(text)]
            said = TEXT.search(block)
            numbers = date_arguments(m.group(4))
            values = dict((k, int(v)) for k, v in GET.findall(block))
            if said and ZONE.search(said.group(2)):
                skipped += 1  # chrono's expectation then depends on the zone of the machine running it
                continue
            if not said or len(numbers) < 3 or not {"year", "month", "day"} <= values.keys() or END.search(block):
                skipped += 1  # a range, a phrase without its expected day, or a reference as text
                continue
            y, mo, d = numbers[0], numbers[1] + 1, numbers[2]
            h = numbers[3] if len(numbers) > 3 else 0
            mi = numbers[4] if len(numbers) > 4 else 0
            reference = f"{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}"
            expected = f"{values['year']:04}-{values['month']:02}-{values['day']:02}"
            if "hour" in values:
                expected += f" {values['hour']:02}:{values.get('minute', 0):02}"
            rows.append((reference, said.group(2), expected))
    return rows, skipped


def main():
    duck, chrono_repo, out = sys.argv[1], sys.argv[2], pathlib.Path(sys.argv[3])
    out.mkdir(parents=True, exist_ok=True)
    for name, source in (("duckling", duckling), ("chrono", chrono)):
        for language in ("de", "en"):
            rows, skipped = source(duck if name == "duckling" else chrono_repo, language)
            seen, unique = set(), []
            for row in rows:
                if row[1] not in seen:
                    seen.add(row[1])
                    unique.append(row)
            lines = ["\t".join(r) for r in unique if "\t" not in r[1] and "\n" not in r[1]]
            (out / f"{name}.{language}.tsv").write_text("\n".join(lines) + "\n")
            print(f"{name}.{language}: {len(lines)} phrases, {skipped} left out (no appointment wish)")


if __name__ == "__main__":
    main()
