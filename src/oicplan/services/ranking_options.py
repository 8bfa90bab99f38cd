"""Use case of the dashboard's controls: a scenario's pillars, weights and ranking methods.

What the dashboard needs to draw its weight sliders and method choice before it
asks ``GET /api/rankings`` for a re-ranking: the scenario's pillars in the order of
its indicator framework, with their names in English and Chinese (the framework's
``name_en`` and ``name_zh``) and the scenario's weight of each; the scenario's
ranking method and the methods that can rank its data (``methods``), with those
that cannot (``unavailable``, each with the reason); and the built-in scenarios
to choose from.

Whether a method can rank the scenario is found by ranking it with that method
(:func:`oicplan.ranking.rank_sites`, without the Monte Carlo; the weight-free
stages are cached, so each try is the MCDA step alone): the rule stays where it
is, in :mod:`oicplan.mcda` (e.g. WPM's default sum normalization needs strictly
positive pillar scores, and min-max scaled pillar scores have zeros). A method is
tried as a re-rank asks for it: the scenario's weights, normalization setting
and parameters with the method replaced.

>>> options = ranking_options(RankingOptionsRequest(scenario="zhejiang"))
>>> options.method in options.methods, [p.id for p in options.pillars][:2]
(True, ['innovation', 'talent'])
>>> next(p for p in options.pillars if p.id == "innovation").name_zh
'创新能力'
>>> [(u.method, u.normalization) for u in options.unavailable]
[('wpm', 'sum')]
"""

from __future__ import annotations

from typing import TYPE_CHECKING, get_args

from pydantic import Field

from oicplan.services._base import Request, Result

if TYPE_CHECKING:
    from oicplan.scenario import Scenario

__all__ = [
    "MethodUnavailable",
    "PillarOption",
    "RankingOptionsRequest",
    "RankingOptionsResult",
    "ScenarioOption",
    "ranking_options",
]


class RankingOptionsRequest(Request):
    """The controls of one built-in scenario (or a YAML path)."""

    scenario: str = Field("zhejiang", max_length=200)


class PillarOption(Result):
    """A pillar: id, names, and the scenario's weight of it."""

    id: str
    name_en: str
    name_zh: str
    weight: float


class ScenarioOption(Result):
    """A built-in scenario's name and titles."""

    name: str
    title_en: str
    title_zh: str


class MethodUnavailable(Result):
    """A ranking method that cannot rank the scenario's data, and why."""

    method: str
    normalization: str = Field(description="the normalization the method would use")
    reason: str = Field(description="the ranking's own error message (English)")


class RankingOptionsResult(Result):
    """The scenario's pillars with their weights, its method and the methods to choose from."""

    scenario: str
    title_en: str
    title_zh: str
    method: str
    methods: tuple[str, ...] = Field(description="the methods that can rank this scenario")
    unavailable: tuple[MethodUnavailable, ...] = Field(
        (), description="the methods that cannot, with the reason"
    )
    pillars: tuple[PillarOption, ...]
    scenarios: tuple[ScenarioOption, ...]
    top_k: int = Field(description="K of the rank intervals' top-K frequency")
    samples: int = Field(description="Monte Carlo draws behind the rank intervals")
    spread: float = Field(description="each weight varies by up to this share in the draws")


def ranking_options(request: RankingOptionsRequest) -> RankingOptionsResult:
    """The scenario's pillars (framework order) with names and weights, and the methods.

    A pillar of the framework that the scenario gives no weight gets 0.

    Raises
    ------
    InputError
        Field ``scenario``: an unknown scenario (as :func:`oicplan.scenario.load_scenario`).
    """
    from oicplan.indicators import load_framework
    from oicplan.scenario import BUILTIN_SCENARIOS, Ranking, load_scenario

    scenario = load_scenario(request.scenario)
    framework = load_framework(scenario.framework)
    pillars = tuple(
        PillarOption(
            id=node.id,
            name_en=node.name_en or node.id,
            name_zh=node.name_zh or node.name_en or node.id,
            weight=float(scenario.weights.get(node.id, 0.0)),
        )
        for node in framework.pillars
    )
    methods = tuple(get_args(Ranking.model_fields["method"].annotation))
    unavailable = _unavailable(scenario, methods)
    scenarios = []
    for name in BUILTIN_SCENARIOS:
        entry = load_scenario(name)
        scenarios.append(ScenarioOption(name=name, title_en=entry.title_en,
                                        title_zh=entry.title_zh))
    return RankingOptionsResult(
        scenario=request.scenario,
        title_en=scenario.title_en,
        title_zh=scenario.title_zh,
        method=scenario.ranking.method,
        methods=tuple(m for m in methods if m not in {u.method for u in unavailable}),
        unavailable=unavailable,
        pillars=pillars,
        scenarios=tuple(scenarios),
        top_k=scenario.uncertainty.top_k,
        samples=scenario.uncertainty.samples,
        spread=scenario.uncertainty.spread,
    )


def _unavailable(scenario: Scenario, methods: tuple[str, ...]) -> tuple[MethodUnavailable, ...]:
    """The methods whose re-rank of ``scenario`` fails, with the ranking's message."""
    from oicplan.errors import InputError
    from oicplan.mcda.methods import DEFAULT_NORMALIZATION
    from oicplan.ranking import rank_sites
    from oicplan.scenario import Ranking

    quick = scenario.uncertainty.model_copy(update={"samples": 0, "variants": []})
    out = []
    for method in methods:
        normalization = scenario.ranking.normalization or DEFAULT_NORMALIZATION[method]
        try:
            ranking = Ranking.model_validate({**scenario.ranking.model_dump(), "method": method})
            rank_sites(scenario.model_copy(update={"ranking": ranking, "uncertainty": quick}))
        except (InputError, ValueError) as error:
            message = getattr(error, "message", None) or str(error)
            out.append(MethodUnavailable(method=method, normalization=normalization,
                                         reason=message))
    return tuple(out)
