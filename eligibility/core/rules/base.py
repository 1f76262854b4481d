"""The rule contract and the registry that holds rules by code.

A rule is one small class (like Django's password validators): a stable
``code``, a legal ``citation``, a one-line Italian ``description``, the
``severity`` of its failure, the ruleset parameters it reads
(``param_names``), and a pure ``check`` that returns a ``RuleResult`` and
never raises.

Subclasses implement ``assess(facts)``; ``check`` supplies the facts (built
once per evaluation by the engine and passed in, or built here when a rule is
called on its own) and turns any exception into a failed result.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Mapping
from datetime import date
from typing import ClassVar, get_args

from ..counting import Facts, Tally, int_param
from ..types import Composition, Member, RuleResult, Severity, Status

SEVERITIES = frozenset(get_args(Severity))


class RuleDefinitionError(ValueError):
    """A rule class lacks a code, a citation or a description, or has a bad severity."""


class DuplicateRuleError(RuleDefinitionError):
    """A rule with the same code is already registered."""


class UnknownRuleError(LookupError):
    """No rule with this code is registered."""


class Rule(ABC):
    """One eligibility rule. Subclass, set the class attributes, implement ``assess``."""

    code: ClassVar[str] = ""
    citation: ClassVar[str] = ""
    description: ClassVar[str] = ""
    # The severity of a failure; a warning is always advisory.
    severity: ClassVar[Severity] = "blocking"
    # The ruleset parameters the rule reads, so rulesets can be checked for them.
    param_names: ClassVar[tuple[str, ...]] = ()

    def check(
        self,
        composition: Composition,
        *,
        params: Mapping[str, object],
        as_of: date,
        facts: Facts | None = None,
    ) -> RuleResult:
        """Return the rule's result on ``composition``; never raise.

        ``facts`` are the engine's precomputed facts for this very evaluation;
        when absent, or computed for other inputs, they are built here.
        """
        try:
            if facts is None or not facts.describes(composition, params, as_of):
                facts = Facts(composition, params=params, as_of=as_of)
            return self.assess(facts)
        # The contract: a check reports, it never raises.
        except Exception as exc:
            return crash_result(self, exc)

    @abstractmethod
    def assess(self, facts: Facts) -> RuleResult:
        """Return the rule's result from the evaluation's facts."""

    def result(
        self,
        status: Status,
        message: str,
        *,
        members: tuple[str, ...] = (),
        counted: int | None = None,
        required: int | None = None,
        hint: str = "",
    ) -> RuleResult:
        """Return a result of this rule; a warning is advisory whatever the rule's severity."""
        return RuleResult(
            code=self.code,
            status=status,
            severity="advisory" if status == "warning" else self.severity,
            citation=self.citation,
            description=self.description,
            message=message,
            members=members,
            counted=counted,
            required=required,
            hint=hint,
        )


def crash_result(rule: Rule, exc: BaseException) -> RuleResult:
    """Return the blocking failure that stands in for a rule that could not complete.

    A check that could not run proves nothing, so it must not let a network
    through; the message carries the error for whoever investigates.
    """
    code = getattr(rule, "code", "") or type(rule).__name__
    return RuleResult(
        code=code,
        status="fail",
        severity="blocking",
        citation=getattr(rule, "citation", ""),
        description=getattr(rule, "description", ""),
        message=(
            f"La verifica {code} non è stata completata per un errore interno "
            f"({type(exc).__name__}: {exc})."
        ),
        hint=(
            f"Segnala all'assistenza del portale il codice {code} e questo messaggio: "
            "finché la verifica non si completa la rete non può risultare ammissibile."
        ),
    )


class RuleRegistry:
    """Rules by code, in registration order; duplicates and uncited rules are refused."""

    def __init__(self) -> None:
        self._rules: dict[str, Rule] = {}

    def register[R: type[Rule]](self, rule_class: R) -> R:
        """Register an instance of ``rule_class`` and return the class (usable as decorator)."""
        code = rule_class.code
        if not code or not code.strip():
            raise RuleDefinitionError(f"{rule_class.__name__} has no code")
        if code in self._rules:
            raise DuplicateRuleError(
                f"rule code {code!r} of {rule_class.__name__} is already registered "
                f"by {type(self._rules[code]).__name__}"
            )
        if not rule_class.citation or not rule_class.citation.strip():
            raise RuleDefinitionError(f"rule {code} ({rule_class.__name__}) has no citation")
        if not rule_class.description or not rule_class.description.strip():
            raise RuleDefinitionError(f"rule {code} ({rule_class.__name__}) has no description")
        if rule_class.severity not in SEVERITIES:
            raise RuleDefinitionError(
                f"rule {code} ({rule_class.__name__}) has severity {rule_class.severity!r}, "
                f"not one of {sorted(SEVERITIES)}"
            )
        self._rules[code] = rule_class()
        return rule_class

    def get(self, code: str) -> Rule:
        """Return the rule registered as ``code``; raise ``UnknownRuleError`` otherwise."""
        try:
            return self._rules[code]
        except KeyError:
            raise UnknownRuleError(f"no rule registered with code {code!r}") from None

    def __contains__(self, code: object) -> bool:
        return code in self._rules

    def __iter__(self) -> Iterator[Rule]:
        return iter(self._rules.values())

    def __len__(self) -> int:
        return len(self._rules)


registry = RuleRegistry()
"""The registry of the built-in rules; ``eligibility.core.rules`` fills it on import."""


def labels(members: Iterable[Member]) -> str:
    """Return member names as an Italian list: ``A``, ``A e B``, ``A, B e C``."""
    names = [member.label for member in members]
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " e " + names[-1]


def lowercase_first(text: str) -> str:
    """Return ``text`` with its first letter in lower case, to continue a sentence."""
    return text[:1].lower() + text[1:]


def italian_date(day: date) -> str:
    """Return ``dd/mm/yyyy``, the date format of Italian administrative texts."""
    return day.strftime("%d/%m/%Y")


class MinimumRule(Rule):
    """A rule that counts qualifying members against a minimum of the ruleset."""

    minimum_param: ClassVar[str]
    singular: ClassVar[str]
    plural: ClassVar[str]
    feminine: ClassVar[bool] = False

    @abstractmethod
    def tally(self, facts: Facts) -> Tally:
        """Return the members that count and those that do not."""

    @abstractmethod
    def missing_hint(self, facts: Facts, missing: int) -> str:
        """Return what to add when ``missing`` more would reach the minimum."""

    def assess(self, facts: Facts) -> RuleResult:
        """Pass when enough organisations count; name the ones excluded and why."""
        tally = self.tally(facts)
        required = int_param(facts.params, self.minimum_param)
        message = self.count_message(tally, required)
        if tally.units >= required:
            return self.result(
                "pass", message, members=tally.keys, counted=tally.units, required=required
            )
        return self.shortfall(facts, tally, required, message)

    def shortfall(self, facts: Facts, tally: Tally, required: int, message: str) -> RuleResult:
        """Return the result when fewer than ``required`` count: a blocking failure."""
        return self.result(
            "fail",
            message,
            members=tally.keys,
            counted=tally.units,
            required=required,
            hint=self.full_hint(facts, tally, required),
        )

    def full_hint(self, facts: Facts, tally: Tally, required: int) -> str:
        """Return the hint to reach the minimum, pointing at exclusions that can be fixed."""
        hint = self.missing_hint(facts, required - tally.units)
        if tally.excluded:
            hint += ", oppure rimuovi le cause di esclusione indicate"
        return hint

    def noun(self, count: int) -> str:
        """Return the counted noun agreeing with ``count`` (Italian uses the plural for 0)."""
        return self.singular if count == 1 else self.plural

    def count_message(self, tally: Tally, required: int) -> str:
        """Return ``1 istituto su 2 richiesti``, then merged sites and exclusions."""
        ending = (
            ("a" if self.feminine else "o") if required == 1 else ("e" if self.feminine else "i")
        )
        sentences = [f"{tally.units} {self.noun(tally.units)} su {required} richiest{ending}"]
        one = "una sola" if self.feminine else "un solo"
        sentences.extend(
            f"{labels(group)} contano come {one} {self.singular}" for group in tally.merged
        )
        if tally.excluded:
            sentences.append("Non contano — " + "; ".join(str(e) for e in tally.excluded))
        return ". ".join(sentences)
