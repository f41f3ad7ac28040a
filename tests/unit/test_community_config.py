"""community.example.yaml and the validation of a community's configuration."""

from datetime import time, timedelta

import pytest
import yaml
from pydantic import ValidationError

from tickets.community import CommunityConfig, ConfigProblem, Intake, parse_community
from tickets.labels import Category, Route, Urgency
from tickets.policy import (
    DEFAULT_CLOCKS,
    DEFAULT_LADDERS,
    ReminderPlan,
    SlaPolicy,
    UrgencyClock,
    parse_duration,
)


def problems_of(data) -> list[tuple[str, str]]:
    with pytest.raises(ConfigProblem) as info:
        parse_community(data)
    assert isinstance(info.value, ValueError)
    return info.value.problems


def paths_of(data) -> list[str]:
    return [path for path, _ in problems_of(data)]


# --- the example file ---------------------------------------------------------------------------


def test_example_parses(example_data):
    config = parse_community(example_data)
    assert isinstance(config, CommunityConfig)
    assert config.name == "锦城社区"
    assert config.street_office is not None
    assert config.street_office.name == "桂溪街道办事处"
    assert [c.code for c in config.compounds] == ["JH", "TF"]
    assert [b.code for b in config.compound("JH").buildings] == ["1", "2", "3", "5"]
    assert config.compound("TF").buildings[0].units == 4
    assert config.compound("JH").buildings[2].grid == "JH-G2"
    assert {t.code: t.kind for t in config.teams} == {
        "jh-property": Route.PROPERTY,
        "tf-property": Route.PROPERTY,
        "grid-workers": Route.COMMUNITY,
    }
    assert config.teams[2].compounds == ("JH", "TF")
    assert config.routing == {}


def test_example_clocks_are_the_compound_rules(example_data):
    sla = parse_community(example_data).sla
    assert sla.clock(Urgency.EMERGENCY) == UrgencyClock(
        first_response=timedelta(minutes=15), resolution=timedelta(hours=4)
    )
    assert sla.clock(Urgency.DIFFICULT).first_response == timedelta(hours=4)
    assert sla.clock(Urgency.DIFFICULT).needs_commitment
    assert sla.clock(Urgency.MEDIUM) == UrgencyClock(
        first_response=timedelta(hours=4), resolution=timedelta(hours=24)
    )
    assert sla.clock(Urgency.GENERAL) == UrgencyClock(
        first_response=timedelta(hours=4), resolution=timedelta(hours=4)
    )
    assert not any(sla.clock(u).needs_commitment for u in Urgency if u is not Urgency.DIFFICULT)


def test_example_spells_out_the_defaults(example_data):
    config = parse_community(example_data)
    assert config.sla == SlaPolicy()
    assert config.sla.reminders == ReminderPlan(
        before=(0.5,), lead="30m", repeat_every="2h", emergency_every="5m"
    )
    assert config.sla.quiet_hours is not None
    assert (config.sla.quiet_hours.start, config.sla.quiet_hours.end) == (time(22), time(7))
    assert config.escalation == DEFAULT_LADDERS
    assert config.digests.team_time == time(8, 30)
    assert config.digests.public_report == "weekly"


def test_minimal_config_gets_every_default(example_data):
    minimal = {k: example_data[k] for k in ("name", "compounds", "teams")}
    config = parse_community(minimal)
    assert config.sla == SlaPolicy()
    assert config.escalation == DEFAULT_LADDERS
    assert config.street_office is None


# --- SLA overrides and durations ----------------------------------------------------------------


def test_partial_sla_override_keeps_the_other_levels(example_data):
    example_data["sla"] = {"clocks": {"medium": {"first_response": "2h", "resolution": "2d"}}}
    sla = parse_community(example_data).sla
    assert sla.clock(Urgency.MEDIUM) == UrgencyClock(
        first_response=timedelta(hours=2), resolution=timedelta(days=2)
    )
    for level in (Urgency.EMERGENCY, Urgency.DIFFICULT, Urgency.GENERAL):
        assert sla.clock(level) == DEFAULT_CLOCKS[level]
    assert set(sla.clocks) == set(Urgency)
    assert sla.reminders == ReminderPlan()


def test_partial_sla_override_in_python():
    sla = SlaPolicy(clocks={Urgency.GENERAL: UrgencyClock(first_response="1h", resolution="8h")})
    assert sla.clock(Urgency.GENERAL).resolution == timedelta(hours=8)
    assert sla.clock(Urgency.EMERGENCY) == DEFAULT_CLOCKS[Urgency.EMERGENCY]


def test_reminder_and_quiet_hour_overrides(example_data):
    example_data["sla"] = {
        "reminders": {"before": [0.25, 0.75], "repeat_every": "1h"},
        "quiet_hours": None,
    }
    sla = parse_community(example_data).sla
    assert sla.reminders.before == (0.25, 0.75)
    assert sla.reminders.repeat_every == timedelta(hours=1)
    assert sla.reminders.lead == timedelta(minutes=30)
    assert sla.quiet_hours is None
    assert sla.clocks == DEFAULT_CLOCKS


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("15m", timedelta(minutes=15)),
        ("15min", timedelta(minutes=15)),
        ("4h", timedelta(hours=4)),
        ("1h30m", timedelta(hours=1, minutes=30)),
        ("1h 30m", timedelta(hours=1, minutes=30)),
        (" 4H ", timedelta(hours=4)),
        ("2d", timedelta(days=2)),
        ("1d12h", timedelta(days=1, hours=12)),
        ("90s", timedelta(seconds=90)),
    ],
)
def test_durations_parse(text, expected):
    assert parse_duration(text) == expected
    assert UrgencyClock(first_response=text, resolution=text).first_response == expected


@pytest.mark.parametrize("text", ["soon", "", "15", "m", "1.5h", "-1h", "30m1h", "4 hours"])
def test_bad_durations_fail_with_an_example(text):
    with pytest.raises(ValueError, match=r"is not a duration; write it like 15m, 4h, 1h30m or 2d"):
        parse_duration(text)


def test_timedeltas_pass_and_bare_numbers_need_a_unit():
    assert parse_duration(timedelta(hours=1)) == timedelta(hours=1)
    assert parse_duration(0) == timedelta(0)
    with pytest.raises(ValueError, match="7 has no unit"):
        parse_duration(7)


def test_bad_duration_in_config_names_its_key(example_data):
    example_data["sla"] = {"clocks": {"medium": {"first_response": "soon", "resolution": "24h"}}}
    problems = problems_of(example_data)
    assert problems == [
        (
            "sla.clocks.medium.first_response",
            '"soon" is not a duration; write it like 15m, 4h, 1h30m or 2d',
        )
    ]


def test_bad_resolution_in_config_mentions_committed(example_data):
    example_data["sla"] = {"clocks": {"general": {"first_response": "4h", "resolution": "soon"}}}
    [(path, what)] = problems_of(example_data)
    assert path == "sla.clocks.general.resolution"
    assert "soon" in what
    assert "committed" in what


def test_bad_reminder_fraction_is_reported(example_data):
    example_data["sla"] = {"reminders": {"before": [0.5, 1.5]}}
    [(path, what)] = problems_of(example_data)
    assert path == "sla.reminders"
    assert "between 0 and 1" in what


def test_reminder_cadence_must_be_positive():
    with pytest.raises(ValidationError, match="longer than zero"):
        ReminderPlan(repeat_every="0m")


def test_unknown_urgency_level_is_reported(example_data):
    example_data["sla"] = {"clocks": {"urgent": {"first_response": "1h", "resolution": "2h"}}}
    assert "sla.clocks.urgent" in paths_of(example_data)


# --- intake -------------------------------------------------------------------------------------


def test_intake_defaults():
    intake = Intake()
    assert intake.draft_expires_after == timedelta(hours=24)
    assert intake.same_problem_window == timedelta(hours=2)
    assert intake.reports_per_resident == 10
    assert intake.reports_window == timedelta(hours=24)


def test_example_spells_out_the_intake_defaults(example_data):
    assert set(example_data["intake"]) == set(Intake.model_fields)
    assert parse_community(example_data).intake == Intake()


def test_intake_may_be_left_out(example_data):
    del example_data["intake"]
    assert parse_community(example_data).intake == Intake()


def test_custom_intake_keeps_the_other_defaults(example_data):
    example_data["intake"] = {"same_problem_window": "30m", "reports_per_resident": 3}
    intake = parse_community(example_data).intake
    assert intake.same_problem_window == timedelta(minutes=30)
    assert intake.reports_per_resident == 3
    assert intake.draft_expires_after == timedelta(hours=24)
    assert intake.reports_window == timedelta(hours=24)


@pytest.mark.parametrize("key", ["draft_expires_after", "same_problem_window", "reports_window"])
@pytest.mark.parametrize("zero", [0, "0m", "0h"])
def test_zero_intake_windows_are_refused(example_data, key, zero):
    example_data["intake"][key] = zero
    [(path, what)] = problems_of(example_data)
    assert path == f"intake.{key}"
    assert "longer than zero" in what


def test_intake_window_must_be_positive_in_python_too():
    with pytest.raises(ValidationError, match="longer than zero"):
        Intake(same_problem_window=timedelta(minutes=-5))


@pytest.mark.parametrize(
    ("key", "value", "words"),
    [
        ("reports_per_resident", 0, "greater than or equal to 1"),
        ("reports_per_resident", 1001, "less than or equal to 1000"),
        ("reports_per_resident", "many", "integer"),
        ("draft_expires_after", "soon", "is not a duration"),
        ("reports_window", 24, "has no unit"),
    ],
)
def test_bad_intake_value_names_its_key(example_data, key, value, words):
    example_data["intake"][key] = value
    [(path, what)] = problems_of(example_data)
    assert path == f"intake.{key}"
    assert words in what


def test_unknown_intake_key_mentions_spelling(example_data):
    example_data["intake"]["draft_expiry"] = "12h"
    [(path, what)] = problems_of(example_data)
    assert path == "intake.draft_expiry"
    assert "spelling" in what


# --- cross-references ---------------------------------------------------------------------------


def test_unknown_building_grid(example_data):
    example_data["compounds"][0]["buildings"][1]["grid"] = "JH-G9"
    [(path, what)] = problems_of(example_data)
    assert path == "compounds[0].buildings[1].grid"
    assert '"JH-G9"' in what
    assert "JH-G1" in what
    assert "JH-G2" in what


def test_grid_in_a_compound_without_grids(example_data):
    del example_data["compounds"][1]["grids"]
    problems = problems_of(example_data)
    assert [p for p, _ in problems] == [f"compounds[1].buildings[{j}].grid" for j in range(3)]
    assert all("add a grids list" in what for _, what in problems)


def test_unknown_team_compound(example_data):
    example_data["teams"][1]["compounds"] = ["TF", "XY"]
    [(path, what)] = problems_of(example_data)
    assert path == "teams[1].compounds[1]"
    assert '"XY"' in what
    assert "JH, TF" in what


def test_duplicate_compound_codes(example_data):
    example_data["compounds"][1]["code"] = "JH"
    example_data["teams"][1]["compounds"] = ["JH"]
    example_data["teams"][2]["compounds"] = ["JH"]
    [(path, what)] = problems_of(example_data)
    assert path == "compounds"
    assert '"JH"' in what
    assert "used twice" in what


def test_duplicate_team_grid_and_building_codes(example_data):
    example_data["teams"][1]["code"] = "jh-property"
    example_data["compounds"][0]["grids"][1]["code"] = "JH-G1"
    example_data["compounds"][0]["buildings"][1]["code"] = "1"
    example_data["compounds"][0]["buildings"][2]["grid"] = "JH-G1"
    example_data["compounds"][0]["buildings"][3]["grid"] = "JH-G1"
    assert sorted(paths_of(example_data)) == [
        "compounds[0].buildings",
        "compounds[0].grids",
        "teams",
    ]


def test_unknown_routing_team(example_data):
    example_data["routing"] = {"repair": "grid-workers", "elevator": "lift-company"}
    [(path, what)] = problems_of(example_data)
    assert path == "routing.elevator"
    assert '"lift-company"' in what
    assert "jh-property" in what


def test_known_routing_team_is_kept(example_data):
    example_data["routing"] = {"parking": "grid-workers"}
    assert parse_community(example_data).routing == {Category.PARKING: "grid-workers"}


def test_unknown_routing_category(example_data):
    example_data["routing"] = {"lifts": "jh-property"}
    assert paths_of(example_data) == ["routing.lifts"]


def test_missing_community_team_coverage(example_data):
    example_data["teams"][2]["compounds"] = ["JH"]
    [(path, what)] = problems_of(example_data)
    assert path == "teams"
    assert '"TF"' in what
    assert "community team" in what


def test_a_property_team_does_not_count_as_community_coverage(example_data):
    example_data["teams"][2]["kind"] = "property"
    problems = problems_of(example_data)
    assert problems == [
        ("teams", 'no community team covers compound "JH"; add it to one'),
        ("teams", 'no community team covers compound "TF"; add it to one'),
    ]


def test_empty_escalation_ladder(example_data):
    example_data["escalation"]["community"] = []
    assert paths_of(example_data) == ["escalation.community"]


# --- shape and spelling -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("edit", "path"),
    [
        (lambda d: d["compounds"][0].update(residents_chat=1), "compounds[0].residents_chat"),
        (lambda d: d.update(slas={}), "slas"),
        (lambda d: d["sla"]["reminders"].update(repeat="2h"), "sla.reminders.repeat"),
        (lambda d: d["teams"][0].update(chat=5), "teams[0].chat"),
    ],
    ids=["compound", "top-level", "reminders", "team"],
)
def test_unknown_key_mentions_spelling(example_data, edit, path):
    edit(example_data)
    [(where, what)] = problems_of(example_data)
    assert where == path
    assert "spelling" in what
    assert "community.example.yaml" in what


def test_bad_team_kind(example_data):
    example_data["teams"][0]["kind"] = "company"
    [(path, what)] = problems_of(example_data)
    assert path == "teams[0].kind"
    assert "property" in what
    assert "community" in what


@pytest.mark.parametrize("code", ["jh", "J-H", "ABCDEFGHI", "1JH", ""])
def test_bad_compound_code(example_data, code):
    example_data["compounds"][0]["code"] = code
    assert "compounds[0].code" in paths_of(example_data)


def test_missing_required_sections(example_data):
    del example_data["teams"]
    example_data["compounds"] = []
    assert sorted(paths_of(example_data)) == ["compounds", "teams"]


def test_not_a_mapping_at_all():
    assert paths_of(["a", "list"]) == ["(top level)"]


def test_bad_public_report_period(example_data):
    example_data["digests"]["public_report"] = "daily"
    assert paths_of(example_data) == ["digests.public_report"]


# --- several problems at once -------------------------------------------------------------------


def test_several_cross_reference_problems_at_once(example_data):
    example_data["compounds"][0]["buildings"][1]["grid"] = "nope"
    example_data["teams"][0]["compounds"] = ["XX"]
    example_data["teams"][2]["compounds"] = ["JH"]
    example_data["routing"] = {"greening": "gardeners"}
    with pytest.raises(ConfigProblem) as info:
        parse_community(example_data)
    paths = [p for p, _ in info.value.problems]
    assert sorted(paths) == [
        "compounds[0].buildings[1].grid",
        "routing.greening",
        "teams",
        "teams[0].compounds[0]",
    ]
    message = str(info.value)
    for path, what in info.value.problems:
        assert f"{path}: {what}" in message


def test_several_shape_problems_at_once(example_data):
    example_data["teams"][0]["kind"] = "company"
    example_data["compounds"][1]["buildings"][0]["units"] = 0
    example_data["sla"]["clocks"]["medium"]["resolution"] = "tomorrow"
    example_data["digests"]["colour"] = "red"
    assert sorted(paths_of(example_data)) == [
        "compounds[1].buildings[0].units",
        "digests.colour",
        "sla.clocks.medium.resolution",
        "teams[0].kind",
    ]


def test_problems_are_not_repeated(example_data):
    example_data["teams"][0]["kind"] = "company"
    problems = problems_of(example_data)
    assert len(problems) == len(set(problems))


# --- suspected bugs (see the reasons) -----------------------------------------------------------


def test_unknown_compound_lookup_raises_key_error(example_data):
    config = parse_community(example_data)
    with pytest.raises(KeyError):
        config.compound("XX")


def test_unquoted_time_of_day_is_a_config_problem(example_data):
    example_data["sla"]["quiet_hours"] = yaml.safe_load("{start: 22:00, end: '07:00'}")
    assert example_data["sla"]["quiet_hours"]["start"] == 1320  # YAML 1.1 sexagesimal
    assert "sla.quiet_hours.start" in paths_of(example_data)


def test_partial_escalation_override_keeps_the_other_route(example_data):
    example_data["escalation"] = {
        "property": [{"to": "handler"}, {"to": "team_lead", "after": "1h"}]
    }
    config = parse_community(example_data)
    assert config.escalation[Route.PROPERTY][1].after == timedelta(hours=1)
    assert config.escalation.get(Route.COMMUNITY) == DEFAULT_LADDERS[Route.COMMUNITY]


# --- owners, grid workers, duty phones, verdicts, invites ---------------------------------------


def test_owners_grid_workers_duty_phone_verdict_and_invite_expiry(example_data):
    example_data["compounds"][0]["grids"][0]["worker"] = 501
    example_data["teams"][0]["duty_phone"] = "028-8888 0000"
    example_data["teams"][0]["owners"] = [{"handler": 301, "compound": "JH", "buildings": ["1"]}]
    example_data["verdict"] = {"wait": "2d"}
    example_data["invite_expires_after"] = "12h"
    config = parse_community(example_data)
    assert config.compound("JH").grids[0].worker == 501
    assert config.compound("JH").grids[1].worker is None
    team = config.teams[0]
    assert team.duty_phone == "028-8888 0000"
    assert [(o.handler, o.compound, o.buildings) for o in team.owners] == [(301, "JH", ("1",))]
    assert config.verdict.wait == timedelta(days=2)
    assert config.verdict.reopen_within == timedelta(days=7)
    assert config.invite_expires_after == timedelta(hours=12)


def test_the_example_leaves_owners_verdict_and_invites_at_their_defaults(example_data):
    config = parse_community(example_data)
    assert all(not team.owners and team.duty_phone is None for team in config.teams)
    assert (config.verdict.wait, config.verdict.reopen_within) == (
        timedelta(days=3),
        timedelta(days=7),
    )
    assert config.invite_expires_after == timedelta(days=2)


def test_an_owner_in_a_compound_the_team_does_not_cover(example_data):
    example_data["teams"][0]["owners"] = [
        {"handler": 301, "compound": "JH", "buildings": ["1"]},
        {"handler": 302, "compound": "TF", "buildings": ["1"]},
    ]
    assert problems_of(example_data) == [
        ("teams[0].owners[1].compound", '"TF" is not covered by this team (it covers: JH)')
    ]


def test_an_owner_in_an_unknown_compound_is_one_problem(example_data):
    example_data["teams"][2]["owners"] = [{"handler": 401, "compound": "XX", "buildings": ["1"]}]
    assert problems_of(example_data) == [
        ("teams[2].owners[0].compound", '"XX" is not covered by this team (it covers: JH, TF)')
    ]


def test_an_owner_of_an_unknown_building(example_data):
    example_data["teams"][2]["owners"] = [
        {"handler": 401, "compound": "TF", "buildings": ["1", "9", "8"]}
    ]
    assert problems_of(example_data) == [
        ("teams[2].owners[0].buildings[1]", 'unknown building "9" (known: 1, 2, 8)')
    ]


def test_an_owner_needs_a_building(example_data):
    example_data["teams"][0]["owners"] = [{"handler": 301, "compound": "JH", "buildings": []}]
    assert paths_of(example_data) == ["teams[0].owners[0].buildings"]


@pytest.mark.parametrize("key", ["wait", "reopen_within"])
def test_a_zero_verdict_wait_is_refused(example_data, key):
    example_data["verdict"] = {key: "0h"}
    [(path, what)] = problems_of(example_data)
    assert path == f"verdict.{key}"
    assert "longer than zero" in what
