#!/usr/bin/env python3
"""Regenerates the synthetic CTDC fixtures: rows drawn from a seeded random generator, laid out as
the real releases are (headers, column order, missing-value conventions and vocabularies from
the facts in spec/profiles.md). No row comes from a real release. Run from the repository root:

    python3 tools/ctdc-fixtures.py

Writes, under fixtures/1.0/csv/:
- valid/ctdc-global-2020.csv            the 14 Apr 2020 release as downloaded: 64 columns, the
                                        terms-of-use column first (empty), `,`, -99, `00`
                                        citizenships, `Physical Abuse` in some summaries,
                                        RecruiterRelationship joined by `; `
- valid/ctdc-global-2020-reexport.csv   the `;`-separated re-export: same 64 columns, empty cells
                                        instead of -99
- valid/ctdc-global-2020-63-columns.csv a copy without the terms column
- valid/ctdc-synthetic-2021.csv         the 2021 Global Synthetic Dataset: 37 columns, alpha-3,
                                        flags 1 or empty, 09--17, Transgender/NonConforming
- invalid/R001-ctdc-2020-adult-at-entry-minor-at-exploit.csv
                                        the 2020 layout with one row the standard's rules refuse
"""
import random
import tomllib

TERMS = ("By using this data you agree to the Terms of Use: "
         "https://www.ctdatacollaborative.org/terms-use")
BANDS = ["0--8", "9--17", "18--20", "21--23", "24--26", "27--29", "30--38", "39--47", "48+"]
ALPHA2 = ["UA", "RO", "PH", "KH", "US", "NG", "MD", "TH", "ID", "CO", "NA"]
ALPHA3 = ["USA", "MDA", "UKR", "HKG", "TWN", "KOR", "PHL", "NAM", "IDN", "MEX"]


def profile(name):
    with open(f"schema/profiles/{name}.toml", "rb") as f:
        return tomllib.load(f)["column"]


def labels(column):
    """The summary labels of a derived column, by fact, in the profile's wording."""
    return {fact: label for label, fact in column["values"].items()}


def status_after(rng, later):
    """A majority status at an earlier event, consistent with the status at a later one."""
    if later == "Minor":
        return rng.choice(["Minor", "Minor", "-99"])
    return rng.choice(["Adult", "Adult", "Minor", "-99"])


def global_row(rng, columns, capital_abuse):
    """One row of the 2020 release, by header (the terms column left empty)."""
    row = {TERMS: ""}
    flags = {}
    for c in columns:
        if c["kind"] == "flag":
            group = c["to"].rsplit("/", 1)[0]
            weights = [3, 5, 2] if group != "/recruiterRelations" else [1, 6, 0]
            flags[c["header"]] = rng.choices(["1", "0", "-99"], weights)[0]
    # A sector or a sex type is given only with its type of exploitation.
    if any(flags[h] == "1" for h in flags if h.startswith("typeOfLabour")):
        flags["isForcedLabour"] = "1"
    if any(flags[h] == "1" for h in flags if h.startswith("typeOfSex")):
        flags["isSexualExploit"] = "1"
    # At most two recruiter relations, as in the release.
    relations = [h for h in flags if h.startswith("recruiterRelation")]
    for h in [h for h in relations if flags[h] == "1"][2:]:
        flags[h] = "0"
    band = rng.choice(BANDS + ["-99"])
    minor = band in ("0--8", "9--17")
    majority = {"-99": rng.choice(["Adult", "Minor", "-99"])}.get(band, "Minor" if minor else "Adult")
    exploit = status_after(rng, majority) if majority != "-99" else rng.choice(["Adult", "-99"])
    entry = status_after(rng, exploit) if exploit != "-99" else "-99"
    row.update({
        "yearOfRegistration": str(rng.randint(2002, 2019)),
        "Datasource": rng.choice(["Case Management", "Hotline"]),
        "gender": rng.choice(["Female", "Female", "Male"]),
        "ageBroad": band,
        "majorityStatus": majority,
        "majorityStatusAtExploit": exploit,
        "majorityEntry": entry,
        "citizenship": rng.choices([rng.choice(ALPHA2), "00", "-99"], [7, 2, 1])[0],
        "CountryOfExploitation": rng.choices([rng.choice(ALPHA2), "-99"], [9, 1])[0],
    })
    row.update(flags)
    for c in columns:
        if c.get("reason") != "derived":
            continue
        by_fact = labels(c)
        group = [x for x in columns if x.get("to", "").startswith(c["from"] + "/")]
        yes = [by_fact[x["to"].rsplit("/", 1)[1]] for x in group if flags[x["header"]] == "1"]
        if "label-order" in c:
            yes.sort(key=c["label-order"].index)
        if capital_abuse:
            yes = ["Physical Abuse" if y == "Physical abuse" else y for y in yes]
        row[c["header"]] = c.get("delimiter", ";").join(yes) if yes else "-99"
    return row


def line(cells, delimiter):
    quoted = [f'"{c}"' if delimiter in c or '"' in c else c for c in cells]
    return delimiter.join(quoted) + "\n"


def write(path, headers, rows, delimiter=",", missing="-99"):
    with open(path, "w", newline="") as f:
        f.write(line(headers, delimiter))
        for row in rows:
            cells = [missing if row[h] == "-99" else row[h] for h in headers]
            f.write(line(cells, delimiter))


def global_files():
    columns = profile("ctdc-global-2020")
    headers = [c["header"] for c in columns if c.get("reason") != "identifier"]
    rng = random.Random(2020)
    rows = [global_row(rng, columns, capital_abuse=(i % 7 == 3)) for i in range(30)]
    # Make sure the quirks are there whatever the draw.
    rows[1]["citizenship"] = "00"
    rows[2]["CountryOfExploitation"] = "ZZ"
    rows[4]["citizenship"] = "NA"
    valid = "fixtures/1.0/csv/valid/"
    write(valid + "ctdc-global-2020.csv", headers, rows)
    write(valid + "ctdc-global-2020-reexport.csv", headers, rows[:12], ";", "")
    write(valid + "ctdc-global-2020-63-columns.csv", headers[1:], rows[12:24])
    bad = [dict(r) for r in rows[24:30]]
    bad[2].update({"ageBroad": "24--26", "majorityStatus": "Adult",
                   "majorityStatusAtExploit": "Minor", "majorityEntry": "Adult"})
    write("fixtures/1.0/csv/invalid/R001-ctdc-2020-adult-at-entry-minor-at-exploit.csv",
          headers, bad)


def synthetic_2021():
    columns = profile("ctdc-synthetic-2021")
    headers = [c["header"] for c in columns]
    rng = random.Random(2021)
    rows = []
    for i in range(30):
        row = {h: "" for h in headers}
        for c in columns:
            if c["kind"] == "flag" or c["header"] == "typeOfSexOther":
                row[c["header"]] = rng.choices(["1", ""], [2, 5])[0]
        if any(row[h] == "1" for h in headers if h.startswith("typeOfLabour")):
            row["isForcedLabour"] = "1"
        if any(row[h] == "1" for h in headers if h.startswith("typeOfSex")):
            row["isSexualExploit"] = "1"
        band = rng.choice(["0--8", "09--17"] + BANDS[2:] + [""])
        exploit = "Minor" if band in ("0--8", "09--17") else rng.choice(["Adult", "Minor", ""])
        row.update({
            "yearOfRegistration": rng.choice([str(rng.randint(2002, 2021))] * 9 + [""]),
            "gender": rng.choices(["Female", "Male", "Transgender/NonConforming", ""],
                                  [5, 3, 1, 1])[0],
            "ageBroad": band,
            "majorityStatusAtExploit": exploit if band or rng.random() < 0.5 else "",
            "traffickMonths": rng.choice(["0--12 (0-1 yr)", "13--24 (1-2 yrs)",
                                          "25--60 (2-5 yrs)", "61+ (5+ yrs)", ""]),
            "citizenship": rng.choice(ALPHA3 + [""]),
            "CountryOfExploitation": rng.choice(ALPHA3 + [""]),
        })
        if not row["yearOfRegistration"]:
            row["yearOfRegistration"] = "2015"
        rows.append(row)
    rows[3]["gender"] = "Transgender/NonConforming"
    rows[5]["ageBroad"], rows[5]["majorityStatusAtExploit"] = "09--17", "Minor"
    rows[6]["traffickMonths"] = "61+ (5+ yrs)"
    with open("fixtures/1.0/csv/valid/ctdc-synthetic-2021.csv", "w", newline="") as f:
        f.write(line(headers, ","))
        for row in rows:
            f.write(line([row[h] for h in headers], ","))


if __name__ == "__main__":
    global_files()
    synthetic_2021()
