"""Read the knowledge data files (TOML) and check every entry before anyone uses it.

A broken entry stops the load with a :class:`KnowledgeError` naming the file, the
entry and the field, e.g. ``conditions.toml, condition 'folliculitis decalvans',
field 'sites': unknown region 'crown'. Valid regions: ...``.
"""

import tomllib
from dataclasses import replace
from difflib import get_close_matches
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType

from widgets.core.choices import unknown_choice
from widgets.core.knowledge.schema import (
    CATEGORIES,
    CAUTION_WHEN,
    CONDITION_KINDS,
    CONTRAINDICATION_WHEN,
    EVIDENCE_LEVELS,
    FINDING_GROUPS,
    MODEL_DRUGS,
    REGIONS,
    STEPS,
    VERDICTS,
    Claim,
    Condition,
    Family,
    Finding,
    FindingLink,
    Interaction,
    Knowledge,
    Reference,
    Rule,
    TreatmentFacts,
)

DATA_DIR = Path(__file__).with_name("data")
FILES = ("references.toml", "claims.toml", "findings.toml", "conditions.toml", "treatments.toml")
"""The data files, each read and checked by :func:`load_knowledge`."""


class KnowledgeError(ValueError):
    """A knowledge data file is missing, unreadable or has a broken entry."""


class _Entry:
    """One table of a data file, read field by field; remembers which fields were used."""

    def __init__(
        self, file: str, kind: str, raw: object, index: int, key: str, ref_ids=frozenset()
    ):
        if not isinstance(raw, dict):
            raise KnowledgeError(
                f"{file}: {kind} number {index + 1} must be a table of fields, got {raw!r}"
            )
        self.file, self.kind, self.raw, self.ref_ids = file, kind, raw, ref_ids
        self.name = f"{kind} {raw[key]!r}" if key in raw else f"{kind} number {index + 1}"
        self.used: set[str] = set()

    def fail(self, field: str, problem: str):
        raise KnowledgeError(f"{self.file}, {self.name}, field {field!r}: {problem}")

    def _get(self, field: str, kinds, what: str, default=None, optional=False):
        self.used.add(field)
        if field not in self.raw:
            if optional:
                return default
            typo = get_close_matches(
                field, [key for key in self.raw if key not in self.used], n=1, cutoff=0.7
            )
            self.fail(
                field, f"missing (is {typo[0]!r} a misspelling of it?)" if typo else "missing"
            )
        value = self.raw[field]
        if not isinstance(value, kinds) or (isinstance(value, bool) and bool not in kinds):
            self.fail(field, f"should be {what}, got {value!r}")
        return value

    def text(self, field: str, optional: bool = False) -> str:
        value = self._get(field, (str,), "text in quotes", default="", optional=optional)
        if not optional and not value.strip():
            self.fail(field, "is empty")
        return value.strip()

    def integer(self, field: str, low: int, high: int) -> int:
        value = self._get(field, (int,), "a whole number")
        if not low <= value <= high:
            self.fail(field, f"{value} is out of range; use {low} to {high}")
        return value

    def choice(self, field: str, valid, kind: str, optional: bool = False):
        value = self._get(field, (str,), "text in quotes", optional=optional)
        if value is not None and value not in valid:
            self.fail(field, unknown_choice(kind, value, valid))
        return value

    def texts(self, field: str) -> tuple[str, ...]:
        values = self._get(field, (list,), "a list of texts")
        for value in values:
            if not isinstance(value, str) or not value.strip():
                self.fail(field, f"every item should be non-empty text, got {value!r}")
        return tuple(value.strip() for value in values)

    def choices(self, field: str, valid, kind: str) -> tuple[str, ...]:
        values = self._get(field, (list,), f"a list of {kind}s")
        if not values:
            self.fail(field, f"needs at least one {kind}")
        for value in values:
            if value not in valid:
                self.fail(field, unknown_choice(kind, value, valid))
        if len(set(values)) != len(values):
            self.fail(field, "lists the same item twice")
        return tuple(values)

    def refs(self, field: str) -> tuple[int, ...]:
        values = self._get(field, (list,), "a list of reference numbers, e.g. [3, 4]")
        for value in values:
            if not isinstance(value, int) or isinstance(value, bool):
                self.fail(field, f"reference ids are numbers, got {value!r}")
            if value not in self.ref_ids:
                self.fail(
                    field,
                    f"unknown reference id {value}; references.toml has ids "
                    f"{min(self.ref_ids)} to {max(self.ref_ids)}",
                )
        return tuple(values)

    def tables(self, field: str) -> list:
        return self._get(field, (list,), "a list of tables", default=[], optional=True)

    def finish(self) -> None:
        """Reject fields nobody reads: almost always a typo of a real field."""
        extra = sorted(set(self.raw) - self.used)
        if extra:
            self.fail(extra[0], f"unknown field; valid fields: {', '.join(sorted(self.used))}")


def _document(data_dir: Path, name: str) -> dict:
    path = data_dir / name
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        raise KnowledgeError(f"{name}: file not found in {data_dir}") from None
    except tomllib.TOMLDecodeError as error:
        raise KnowledgeError(f"{name}: not valid TOML ({error})") from None


def _entries(document: dict, name: str, table: str, required: bool = True) -> list:
    entries = document.get(table, [])
    if not isinstance(entries, list) or (required and not entries):
        raise KnowledgeError(f"{name}: needs at least one [[{table}]] entry")
    return entries


def _read(data_dir: Path, name: str, table: str) -> list:
    return _entries(_document(data_dir, name), name, table)


def _unique(file: str, kind: str, keys: list) -> None:
    seen = set()
    for key in keys:
        if key in seen:
            raise KnowledgeError(f"{file}: {kind} {key!r} appears twice")
        seen.add(key)


def _references(data_dir: Path) -> dict[int, Reference]:
    references: dict[int, Reference] = {}
    for index, raw in enumerate(_read(data_dir, "references.toml", "reference")):
        entry = _Entry("references.toml", "reference", raw, index, "id")
        reference = Reference(
            entry.integer("id", 1, 10_000), entry.text("citation"), entry.text("url")
        )
        if not reference.url.startswith(("https://", "http://")):
            entry.fail("url", f"should start with https:// or http://, got {reference.url!r}")
        entry.finish()
        _unique("references.toml", "reference id", [*references, reference.id])
        references[reference.id] = reference
    return references


def _claims(data_dir: Path, ref_ids) -> dict[int, Claim]:
    claims: dict[int, Claim] = {}
    for index, raw in enumerate(_read(data_dir, "claims.toml", "claim")):
        entry = _Entry("claims.toml", "claim", raw, index, "number", ref_ids)
        claim = Claim(
            number=entry.integer("number", 1, 1000),
            claim=entry.text("claim"),
            verdict=entry.choice("verdict", VERDICTS, "verdict code"),
            verdict_note=entry.text("verdict_note", optional=True),
            evidence=entry.text("evidence"),
            refs=entry.refs("refs"),
        )
        entry.finish()
        _unique("claims.toml", "claim number", [*claims, claim.number])
        claims[claim.number] = claim
    return claims


def _findings(data_dir: Path) -> dict[str, Finding]:
    findings: dict[str, Finding] = {}
    for index, raw in enumerate(_read(data_dir, "findings.toml", "finding")):
        entry = _Entry("findings.toml", "finding", raw, index, "id")
        group = entry.choice("group", FINDING_GROUPS, "finding group")
        region = entry.choice("region", REGIONS, "region", optional=True)
        if (group == "site") != (region is not None):
            entry.fail("region", "a finding has a region exactly when its group is 'site'")
        finding = Finding(entry.text("id"), entry.text("label"), group, region)
        entry.finish()
        _unique("findings.toml", "finding id", [*findings, finding.id])
        findings[finding.id] = finding
    return _with_exclusions(findings, _document(data_dir, "findings.toml"))


def _with_exclusions(findings: dict[str, Finding], document: dict) -> dict[str, Finding]:
    """Each finding with the findings it excludes, both ways (the ``[[exclusive]]`` entries)."""
    excluded: dict[str, set[str]] = {finding_id: set() for finding_id in findings}
    for index, raw in enumerate(_entries(document, "findings.toml", "exclusive", required=False)):
        entry = _Entry("findings.toml", "exclusive", raw, index, "why")
        entry.text("why")
        if "at_most_one" in raw:
            group = entry.choices("at_most_one", findings, "finding id")
            if len(group) < 2:
                entry.fail("at_most_one", "needs at least two findings")
            pairs = [(a, b) for a in group for b in group if a != b]
        else:
            finding = entry.choice("finding", findings, "finding id")
            others = entry.choices("excludes", findings, "finding id")
            if finding in others:
                entry.fail("excludes", f"{finding!r} cannot exclude itself")
            pairs = [(finding, other) for other in others]
        entry.finish()
        for a, b in pairs:
            excluded[a].add(b)
            excluded[b].add(a)
    return {
        finding_id: replace(finding, excludes=frozenset(excluded[finding_id]))
        for finding_id, finding in findings.items()
    }


def _links(entry: _Entry, field: str, findings, ref_ids) -> tuple[FindingLink, ...]:
    links = []
    for index, raw in enumerate(
        entry._get(field, (list,), "a list of {finding, weight, refs} tables")
    ):
        link = _Entry(entry.file, f"{entry.name} {field}", raw, index, "finding", ref_ids)
        finding = link.choice("finding", findings, "finding id")
        if findings[finding].group == "site":
            link.fail(
                "finding",
                "site findings count through the condition's 'sites'; do not list them here",
            )
        links.append(FindingLink(finding, link.integer("weight", 1, 3), link.refs("refs")))
        link.finish()
    _unique(entry.file, f"finding in {entry.name} {field}", [link.finding for link in links])
    return tuple(links)


def _conditions(data_dir: Path, findings, ref_ids) -> dict[str, Condition]:
    conditions: dict[str, Condition] = {}
    for index, raw in enumerate(_read(data_dir, "conditions.toml", "condition")):
        entry = _Entry("conditions.toml", "condition", raw, index, "name", ref_ids)
        name = entry.text("name")
        if name != " ".join(name.lower().split()):
            entry.fail("name", "condition names are lower case with single spaces")
        sites = entry.choices("sites", REGIONS, "region")
        main_site = entry.choice("main_site", REGIONS, "region", optional=True)
        if main_site is not None and main_site not in sites:
            entry.fail(
                "main_site", f"{main_site!r} is not among the condition's sites {list(sites)}"
            )
        condition = Condition(
            name=name,
            short=entry.text("short"),
            kind=entry.choice("kind", CONDITION_KINDS, "condition kind"),
            clinical=entry.text("clinical"),
            clinical_refs=entry.refs("clinical_refs"),
            histology=entry.text("histology"),
            histology_refs=entry.refs("histology_refs"),
            sites=sites,
            main_site=main_site,
            site_note=entry.text("site_note", optional=True),
            site_refs=entry.refs("site_refs"),
            management=entry.text("management", optional=True),
            management_refs=entry.refs("management_refs") if "management_refs" in raw else (),
            counts_for=_links(entry, "counts_for", findings, ref_ids),
            counts_against=_links(entry, "counts_against", findings, ref_ids),
        )
        if condition.management and not condition.management_refs:
            entry.fail("management_refs", "a management note needs its references")
        both = {link.finding for link in condition.counts_for} & {
            link.finding for link in condition.counts_against
        }
        if both:
            entry.fail(
                "counts_against", f"finding {sorted(both)[0]!r} cannot count both for and against"
            )
        entry.finish()
        _unique("conditions.toml", "condition", [*conditions, name])
        conditions[name] = condition
    return conditions


def _rules(entry: _Entry, field: str, valid_when, ref_ids) -> tuple[Rule, ...]:
    rules = []
    for index, raw in enumerate(entry.tables(field)):
        rule = _Entry(entry.file, f"{entry.name} {field}", raw, index, "when", ref_ids)
        rules.append(
            Rule(
                rule.choice("when", valid_when, "patient factor"),
                rule.text("text"),
                rule.refs("refs"),
            )
        )
        rule.finish()
    return tuple(rules)


def _families(entries: list, ref_ids) -> dict[str, Family]:
    families, pending = {}, []
    for index, raw in enumerate(entries):
        entry = _Entry("treatments.toml", "family", raw, index, "id", ref_ids)
        family_id = entry.text("id")
        interactions = []
        for rule_index, rule_raw in enumerate(entry.tables("never_with")):
            rule = _Entry(
                "treatments.toml",
                f"{entry.name} never_with",
                rule_raw,
                rule_index,
                "family",
                ref_ids,
            )
            interactions.append(
                Interaction(family_id, rule.text("family"), rule.text("text"), rule.refs("refs"))
            )
            pending.append((rule, interactions[-1].other_family))
            rule.finish()
        if family_id in families:
            raise KnowledgeError(f"treatments.toml: family {family_id!r} appears twice")
        families[family_id] = Family(
            id=family_id,
            name=entry.text("name"),
            side_effects=entry.texts("side_effects"),
            side_effect_refs=entry.refs("side_effect_refs"),
            contraindications=_rules(entry, "contraindication", CONTRAINDICATION_WHEN, ref_ids),
            cautions=_rules(entry, "caution", CAUTION_WHEN, ref_ids),
            never_with=tuple(interactions),
        )
        entry.finish()
    for rule, other in pending:
        if other not in families:
            rule.fail("family", unknown_choice("family", other, families))
    return families


def _merged_refs(*groups: tuple[int, ...]) -> tuple[int, ...]:
    return tuple(sorted({ref for group in groups for ref in group}))


def _treatments(data_dir: Path, ref_ids) -> tuple[dict[str, Family], dict[str, TreatmentFacts]]:
    document = _document(data_dir, "treatments.toml")
    families = _families(_entries(document, "treatments.toml", "family", required=False), ref_ids)
    treatments: dict[str, TreatmentFacts] = {}
    for index, raw in enumerate(_entries(document, "treatments.toml", "treatment")):
        entry = _Entry("treatments.toml", "treatment", raw, index, "id", ref_ids)
        family_id = entry.choice("family", families, "family", optional=True)
        family = families.get(family_id)
        own_side_effects = entry.texts("side_effects")
        own_side_effect_refs = entry.refs("side_effect_refs")
        treatment = TreatmentFacts(
            id=entry.text("id"),
            name=entry.text("name"),
            category=entry.choice("category", CATEGORIES, "category"),
            family=family_id,
            step=entry.choice("step", STEPS, "step"),
            model_drug=entry.choice("model_drug", MODEL_DRUGS, "model drug", optional=True),
            action=entry.text("action"),
            action_refs=entry.refs("action_refs"),
            dose=entry.text("dose"),
            dose_refs=entry.refs("dose_refs"),
            evidence=entry.choice("evidence", EVIDENCE_LEVELS, "evidence level"),
            evidence_note=entry.text("evidence_note"),
            evidence_refs=entry.refs("evidence_refs"),
            side_effects=(family.side_effects if family else ()) + own_side_effects,
            side_effect_refs=_merged_refs(
                family.side_effect_refs if family else (), own_side_effect_refs
            ),
            monitoring=entry.texts("monitoring"),
            monitoring_refs=entry.refs("monitoring_refs"),
            contraindications=(family.contraindications if family else ())
            + _rules(entry, "contraindication", CONTRAINDICATION_WHEN, ref_ids),
            cautions=(family.cautions if family else ())
            + _rules(entry, "caution", CAUTION_WHEN, ref_ids),
        )
        if not treatment.contraindications:
            entry.fail(
                "contraindication",
                "missing: every treatment needs at least one [[treatment.contraindication]] "
                "(its family's count); if the sources give none, say so in its text",
            )
        entry.finish()
        _unique("treatments.toml", "treatment id", [*treatments, treatment.id])
        treatments[treatment.id] = treatment
    return families, treatments


def load_knowledge(data_dir: str | Path | None = None) -> Knowledge:
    """All knowledge data, checked; the course's own data is read once and then reused.

    ``data_dir`` points at another folder of the same five files (tests use broken copies).
    """
    if data_dir is None:
        return _load_course_knowledge()
    return _load(Path(data_dir))


@lru_cache(maxsize=1)
def _load_course_knowledge() -> Knowledge:
    return _load(DATA_DIR)


def _load(data_dir: Path) -> Knowledge:
    references = _references(data_dir)
    ref_ids = frozenset(references)
    findings = _findings(data_dir)
    families, treatments = _treatments(data_dir, ref_ids)
    return Knowledge(
        references=MappingProxyType(references),
        claims=MappingProxyType(_claims(data_dir, ref_ids)),
        findings=MappingProxyType(findings),
        conditions=MappingProxyType(_conditions(data_dir, findings, ref_ids)),
        families=MappingProxyType(families),
        treatments=MappingProxyType(treatments),
    )
