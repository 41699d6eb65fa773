#!/usr/bin/env python3
"""Regenerates schema/detectors/person-names.tsv: the given-name and surname gazetteer of the
person-name detector (src/privacy/detect/names.rs).

Source: the person providers of Faker 40.54.0 (MIT licence; `pip install faker==40.54.0`), whose
per-locale lists of first and last names are compiled from public name statistics. The locales
below are those whose names are written in a script with capital letters (Latin, Cyrillic: the
detector finds names by their capitals) and that cover the partners' countries of origin and
destination. Run from the repository root:

    python3 tools/person-names.py > schema/detectors/person-names.tsv

Cyrillic names are also kept in their Latin spellings (Ukrainian national and BGN/PCGN
transliteration: Олена -> olena, Ольга -> olha, olga). Each name is folded as the detector folds
words (Unicode NFD, combining marks removed, lowercase), split into its words, and kept when it
has at least three letters. Left out, for precision:
- common words of English, Spanish, French, Italian, German, Dutch, Polish, Russian and
  Ukrainian (Faker's lorem word lists of the same release, less the names of the same language)
  and a short list of English words that are also given names (`will`, `hope`, `grace`, …), so
  that ordinary capitalised words are not read as names;
- country names of one word in English, Spanish, French and Portuguese
  (schema/code-lists/iso-3166-1.csv: `Jordan`, `Chad`, `Georgia` are countries first).
Country names of several words and organisation names are masked by the detector at run time
(schema/detectors/organisations.txt).

Output: a `#` comment header, then one name a line, `name<TAB>role`, role `g` (given name), `s`
(surname) or `b` (both), sorted.
"""
import csv
import importlib
import os
import sys
import unicodedata

import faker

LOCALES = [
    # English-speaking countries, and romanised names of South Asia
    "en_US", "en_GB", "en_IN", "en_PK", "en_KE", "en_NG",
    # West, East and Southern Africa
    "yo_NG", "ig_NG", "ha_NG", "tw_GH", "sw", "zu_ZA",
    # Spanish, Portuguese, French (Latin America, the Caribbean, West and North Africa)
    "es_ES", "es_MX", "es_CO", "es_AR", "pt_BR", "pt_PT", "fr_FR", "fr_DZ",
    # Central, Eastern and South-Eastern Europe
    "it_IT", "ro_RO", "bg_BG", "pl_PL", "cs_CZ", "hu_HU",
    # Eastern Europe, Caucasus, Central Asia
    "ru_RU", "uk_UA", "az_AZ", "uz_UZ", "tr_TR",
    # South-East Asia
    "id_ID", "vi_VN",
]

# Faker's lorem word lists (common words of each language), and the name locales of the same
# language: a word of a list that is also a name in its own language stays a name (the Spanish
# list holds `maria` and `lopez`, from the corpus it was counted in).
LOREM = {
    "en_US": ("en_",),
    "es_ES": ("es_",),
    "fr_FR": ("fr_",),
    "it_IT": ("it_",),
    "de_DE": ("de_",),
    "nl_NL": ("nl_",),
    "pl_PL": ("pl_",),
    "ru_RU": ("ru_",),
    "uk_UA": ("uk_",),
}

# English words that are also given names; the lorem list does not hold them all.
COMMON_ENGLISH = """
will may june april august grace hope faith joy rose lily daisy ivy amber ruby pearl crystal
summer autumn winter dawn eve mark bill frank guy rich young white brown black green gray grey
king price hunter case page long little small street hill wood lane field mercy charity justice
liberty unity star sky river rain storm snow honey sugar candy angel baby sunny happy lucky
major general victim client worker police court judge border forest stone brook bay chase
cash gold silver penny ruby jewel sterling dollar bishop deacon pastor abbot church chapel
temple sherman miles mason carter cook baker miller smith taylor porter parker fisher
walker rider shepherd marshall sheriff ward warden reed reid rush story strong wise noble
free best hall house
""".split()

# Words the detector never reads as names however the lists spell them: titles and cues of its
# own, and words of the standard's code lists.
NEVER = """
mister missus miss mrs madam madame monsieur senor senora senorita dona don sir lady lord
other unknown female male woman man girl boy child adult minor
""".split()

# Latin spellings of Cyrillic names, as passports and case files write them: the Ukrainian
# national system (2010) and the BGN/PCGN system for Russian and Bulgarian. Both are applied to
# every Cyrillic name (Ukrainians' older documents use the Russian spelling: Olga, Olha).
COMMON = {
    "а": "a", "б": "b", "в": "v", "д": "d", "е": "e", "ж": "zh", "з": "z", "к": "k", "л": "l",
    "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f",
    "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ь": "", "ъ": "", "ю": "yu",
    "я": "ya",
}
UKRAINIAN = dict(COMMON, **{"г": "h", "ґ": "g", "и": "y", "і": "i", "ї": "i", "й": "i",
                            "є": "ie", "ю": "iu", "я": "ia"})
RUSSIAN = dict(COMMON, **{"г": "g", "и": "i", "й": "y", "ы": "y", "э": "e", "ё": "e",
                          "і": "i", "ї": "yi", "є": "ye", "ґ": "g", "щ": "shch"})


def latin_spellings(word):
    """The Latin spellings of a Cyrillic word (none for a word in another script)."""
    lower = word.lower()
    if not any("\u0400" <= c <= "\u04ff" for c in lower):
        return []
    out = []
    for table in (UKRAINIAN, RUSSIAN):
        latin = "".join(table.get(c, c) for c in lower)
        if latin.isascii():
            out.append(latin)
    return out


FIELDS = ("first_names", "first_names_male", "first_names_female", "first_names_nonbinary")
SURNAMES = ("last_names", "last_names_male", "last_names_female", "last_names_nonbinary")


def fold(word):
    decomposed = unicodedata.normalize("NFD", word)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def cased(word):
    return any(c.upper() != c.lower() for c in word)


def names_of(provider, fields):
    out = set()
    for field in fields:
        value = getattr(provider, field, ())
        if isinstance(value, dict):
            out.update(value.keys())
        elif isinstance(value, (tuple, list, set, frozenset)):
            out.update(value)
    return out


def words(name):
    for part in name.replace("-", " ").replace("'", " ").replace("’", " ").split():
        part = part.strip(".,")
        for spelling in [part] + latin_spellings(part):
            folded = fold(spelling)
            if len(folded) >= 3 and folded.isalpha() and cased(part):
                yield folded


def own_names(prefixes):
    """The folded names of every name locale whose code starts with one of `prefixes`."""
    out = set()
    for locale in LOCALES:
        if locale.startswith(prefixes):
            provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
            for name in names_of(provider, FIELDS + SURNAMES):
                out.update(words(name))
    return out


def stop_words(root):
    stop = set(COMMON_ENGLISH) | set(NEVER)
    for locale, prefixes in LOREM.items():
        provider = importlib.import_module(f"faker.providers.lorem.{locale}").Provider
        own = own_names(prefixes)
        stop.update(w for w in (fold(w) for w in provider.word_list) if w not in own)
    with open(os.path.join(root, "schema/code-lists/iso-3166-1.csv"), encoding="utf-8") as f:
        for row in csv.DictReader(f):
            for column in ("name_en", "name_es", "name_fr", "name_pt"):
                parts = row[column].split()
                if len(parts) == 1:
                    stop.add(fold(parts[0]))
    return stop


def main():
    if faker.VERSION != "40.54.0":
        sys.exit(f"expected faker 40.54.0, found {faker.VERSION}")
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    stop = stop_words(root)
    roles = {}
    for locale in LOCALES:
        provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
        for role, fields in (("g", FIELDS), ("s", SURNAMES)):
            for name in names_of(provider, fields):
                for word in words(name):
                    if word in stop:
                        continue
                    before = roles.get(word)
                    roles[word] = role if before in (None, role) else "b"
    out = sys.stdout
    out.write("# Given names and surnames for the person-name detector, folded (NFD, no marks,\n")
    out.write("# lowercase). Generated by tools/person-names.py from Faker 40.54.0 (MIT); do not\n")
    out.write("# edit by hand.\n")
    for word in sorted(roles):
        out.write(f"{word}\t{roles[word]}\n")


if __name__ == "__main__":
    main()
