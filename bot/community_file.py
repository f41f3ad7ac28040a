"""Read the community YAML file and turn every mistake in it into a StartupError."""

import logging
from pathlib import Path

import yaml

from bot.errors import StartupError
from tickets.community import CommunityConfig, ConfigProblem, parse_community

log = logging.getLogger(__name__)

DEFAULT_PATH = Path("community.yaml")
EXAMPLE_PATH = Path("community.example.yaml")


def load_community(path: Path | None) -> CommunityConfig:
    """The community configuration from `path` (COMMUNITY_CONFIG).

    Without COMMUNITY_CONFIG, community.yaml is used, or the shipped example until it exists.
    """
    if path is None:
        path = DEFAULT_PATH
        if not path.exists() and EXAMPLE_PATH.exists():
            log.warning(
                "no community.yaml: using %s; copy it to community.yaml and edit it", EXAMPLE_PATH
            )
            path = EXAMPLE_PATH
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise StartupError(
            f"COMMUNITY_CONFIG: the file {path} does not exist. Copy community.example.yaml to "
            f"{path} and describe your community's compounds, buildings and teams in it, or set "
            "COMMUNITY_CONFIG to the path of your file."
        ) from None
    except (OSError, UnicodeDecodeError) as error:
        raise StartupError(f"COMMUNITY_CONFIG: cannot read {path}: {error}.") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(error, "problem", None) or "it is not valid YAML"
        raise StartupError(
            f"{path}{where}: {problem}. Check the indentation and quoting there; "
            "community.example.yaml shows the expected layout."
        ) from None
    try:
        return parse_community(data)
    except ConfigProblem as error:
        lines = [f"{path}: {len(error.problems)} problem(s) in the community configuration:"]
        lines += [f"  {key}: {what}" for key, what in error.problems]
        lines.append("Fix these keys (community.example.yaml shows each one) and start again.")
        raise StartupError("\n".join(lines)) from None
