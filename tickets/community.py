"""The community's configuration as validated data: compounds, buildings, grids, teams and rules."""

from datetime import time, timedelta
from typing import Annotated

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_core import ErrorDetails

from tickets.calendar import BusinessHours
from tickets.labels import Category, Route
from tickets.policy import (
    DEFAULT_LADDERS,
    Duration,
    EscalationLadder,
    SlaPolicy,
    TimeOfDay,
    with_defaults,
)

Code = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=32)]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]


class _Section(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Grid(_Section):
    """A micro-grid (微网格): a few buildings looked after by one grid worker."""

    code: Code
    name: Name
    worker: int | None = None  # the grid worker's Telegram id: owns the grid's buildings


class Building(_Section):
    """A building (楼栋) with its units (单元) and, optionally, its micro-grid."""

    code: Code
    name: Name
    units: int = Field(default=1, ge=1, le=50)
    grid: Code | None = None


class Compound(_Section):
    """A residential compound (小区)."""

    code: Annotated[str, StringConstraints(pattern=r"^[A-Z][A-Z0-9]{0,7}$")]
    name: Name
    residents_chat_id: int | None = None  # the residents' group, for public reports
    grids: tuple[Grid, ...] = ()
    buildings: tuple[Building, ...] = Field(min_length=1)


class Owner(_Section):
    """A handler who owns some buildings of a compound: their new tickets are theirs at once."""

    handler: int  # Telegram id
    compound: Code
    buildings: tuple[Code, ...] = Field(min_length=1)


class Team(_Section):
    """Handlers who own one route in some compounds: a property company's or the community's."""

    code: Code
    name: Name
    kind: Route
    compounds: tuple[Code, ...] = Field(min_length=1)
    chat_id: int | None = None  # the team's group chat, bound later with /bind if not set here
    duty_phone: str | None = Field(default=None, max_length=32)  # told to residents in emergencies
    owners: tuple[Owner, ...] = ()  # buildings owned by a handler (grid workers: see grids)
    business_hours: BusinessHours | None = None  # deadlines count only these hours (off: all)


class Digests(_Section):
    """When daily digests and public reports go out, in local time."""

    team_time: TimeOfDay = time(8, 30)
    supervisor_time: TimeOfDay = time(8, 30)
    public_report: str = Field(default="weekly", pattern="^(weekly|monthly|quarterly)$")


class Intake(_Section):
    """How resident reports are taken: drafts, the "+1" window, the per-resident limit."""

    draft_expires_after: Duration = timedelta(hours=24)  # an unfinished report is dropped, noted
    same_problem_window: Duration = timedelta(hours=2)  # same category + building: offer "+1"
    reports_per_resident: int = Field(default=10, ge=1, le=1000)  # new tickets per resident ...
    reports_window: Duration = timedelta(hours=24)  # ... within this time

    @field_validator("draft_expires_after", "same_problem_window", "reports_window")
    @classmethod
    def _longer_than_zero(cls, value: timedelta) -> timedelta:
        """A zero window would drop every draft at once or never match; refuse it early."""
        if value <= timedelta(0):
            raise ValueError("must be longer than zero, such as 2h or 24h")
        return value


class Verdict(_Section):
    """How long a resident has to rate a resolved ticket, and to reopen a closed one."""

    wait: Duration = timedelta(days=3)  # no answer: closed without rating
    reopen_within: Duration = timedelta(days=7)  # after closing, the reporter may reopen

    @field_validator("wait", "reopen_within")
    @classmethod
    def _longer_than_zero(cls, value: timedelta) -> timedelta:
        """A zero wait would close every resolved ticket at once; refuse it early."""
        if value <= timedelta(0):
            raise ValueError("must be longer than zero, such as 3d")
        return value


class StreetOffice(_Section):
    """The street office (街道办) at the top of every escalation ladder."""

    name: Name
    chat_id: int | None = None


class CommunityConfig(_Section):
    """Everything a community configures; defaults follow the triage guide and compound rules."""

    name: Name
    street_office: StreetOffice | None = None
    compounds: tuple[Compound, ...] = Field(min_length=1)
    teams: tuple[Team, ...] = Field(min_length=1)
    sla: SlaPolicy = SlaPolicy()
    digests: Digests = Digests()
    intake: Intake = Intake()
    verdict: Verdict = Verdict()
    invite_expires_after: Duration = timedelta(days=2)  # an unused /invite link stops working
    escalation: dict[Route, EscalationLadder] = Field(default_factory=lambda: dict(DEFAULT_LADDERS))
    routing: dict[Category, Code] = Field(default_factory=dict)  # category -> team code

    @model_validator(mode="before")
    @classmethod
    def _fill_missing_ladders(cls, data: object) -> object:
        """A config may set one route's ladder; the other keeps its default."""
        return with_defaults(data, "escalation", DEFAULT_LADDERS)

    def compound(self, code: str) -> Compound:
        """The compound with this code (KeyError if unknown)."""
        for compound in self.compounds:
            if compound.code == code:
                return compound
        raise KeyError(code)


class ConfigProblem(ValueError):
    """Everything wrong with a configuration, each as (key path, what is wrong)."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        super().__init__("; ".join(f"{path}: {what}" for path, what in problems))
        self.problems = problems


def parse_community(data: object) -> CommunityConfig:
    """Validate loaded YAML data; raise ConfigProblem naming every bad key path."""
    try:
        config = CommunityConfig.model_validate(data)
    except ValidationError as error:
        problems = [(_key_path(e["loc"]), _plain(e)) for e in error.errors()]
        raise ConfigProblem(list(dict.fromkeys(problems))) from None
    problems = _cross_reference_problems(config)
    if problems:
        raise ConfigProblem(problems)
    return config


def _key_path(loc: tuple[int | str, ...]) -> str:
    path = ""
    for part in loc:
        if isinstance(part, str) and ("[" in part or "(" in part):
            continue  # pydantic's name for a member of a union, not a key in the file
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path or "(top level)"


def _plain(error: ErrorDetails) -> str:
    if error["type"] == "extra_forbidden":
        return "unknown key; check its spelling against community.example.yaml"
    return error["msg"].removeprefix("Value error, ")


def _duplicates(codes: list[str]) -> set[str]:
    return {c for c in codes if codes.count(c) > 1}


def _cross_reference_problems(config: CommunityConfig) -> list[tuple[str, str]]:
    """Codes must be unique and every reference must name something that exists."""
    problems = []
    compound_codes = [c.code for c in config.compounds]
    for dup in _duplicates(compound_codes):
        problems.append(("compounds", f'compound code "{dup}" is used twice; codes must differ'))
    for i, compound in enumerate(config.compounds):
        where = f"compounds[{i}]"
        grid_codes = [g.code for g in compound.grids]
        for dup in _duplicates(grid_codes):
            problems.append((f"{where}.grids", f'grid code "{dup}" is used twice'))
        for dup in _duplicates([b.code for b in compound.buildings]):
            problems.append((f"{where}.buildings", f'building code "{dup}" is used twice'))
        for j, building in enumerate(compound.buildings):
            if building.grid is not None and building.grid not in grid_codes:
                known = ", ".join(grid_codes) or "none: add a grids list to this compound"
                known = f"known: {known}" if grid_codes else known
                problems.append(
                    (f"{where}.buildings[{j}].grid", f'unknown grid "{building.grid}" ({known})')
                )
    team_codes = [t.code for t in config.teams]
    for dup in _duplicates(team_codes):
        problems.append(("teams", f'team code "{dup}" is used twice; codes must differ'))
    for i, team in enumerate(config.teams):
        for j, code in enumerate(team.compounds):
            if code not in compound_codes:
                problems.append(
                    (
                        f"teams[{i}].compounds[{j}]",
                        f'unknown compound "{code}" (known: {", ".join(compound_codes)})',
                    )
                )
    for code in compound_codes:
        if not any(t.kind is Route.COMMUNITY and code in t.compounds for t in config.teams):
            problems.append(("teams", f'no community team covers compound "{code}"; add it to one'))
    for category, code in config.routing.items():
        if code not in team_codes:
            problems.append(
                (
                    f"routing.{category.value}",
                    f'unknown team "{code}" (known: {", ".join(team_codes)})',
                )
            )
    problems += _owner_problems(config)
    for route, ladder in config.escalation.items():
        if not ladder:
            problems.append((f"escalation.{route.value}", "the ladder needs at least one step"))
    return problems


def _owner_problems(config: CommunityConfig) -> list[tuple[str, str]]:
    """An owner's compound must be one the team covers, and their buildings must exist there."""
    problems = []
    compounds = {c.code: c for c in config.compounds}
    for i, team in enumerate(config.teams):
        for j, owner in enumerate(team.owners):
            where = f"teams[{i}].owners[{j}]"
            if owner.compound not in team.compounds:
                covered = ", ".join(team.compounds)
                problems.append(
                    (
                        f"{where}.compound",
                        f'"{owner.compound}" is not covered by this team (it covers: {covered})',
                    )
                )
                continue
            known = [b.code for b in compounds[owner.compound].buildings]
            for k, building in enumerate(owner.buildings):
                if building not in known:
                    problems.append(
                        (
                            f"{where}.buildings[{k}]",
                            f'unknown building "{building}" (known: {", ".join(known)})',
                        )
                    )
    return problems
