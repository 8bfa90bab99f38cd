"""Matching use cases: the industry–site match, and the enterprises to send abroad.

* :func:`match` - Zhejiang's priority industries × a scenario's candidate sites
  (:func:`oicplan.match.matrix.match_matrix`), what ``oicplan match`` prints;
* :func:`enterprises_import`, :func:`enterprises_list`, :func:`enterprises_sample` -
  the user's enterprise list (validated, stored in the data folder) and the
  SYNTHETIC illustrative sample (:mod:`oicplan.match.enterprises`);
* :func:`enterprises_assign` - plan a scenario, then assign the enterprises to its
  planned centers (:func:`oicplan.match.assign_enterprises`).

Each takes a typed request and returns a frozen result whose JSON-ready fields
(``document()`` for the enterprise lists) are what ``--json`` prints; the library
object behind it (the match, the enterprise table, the assignment) rides along in
a field left out of the dump, for the command line's tables.

>>> result = enterprises_sample(EnterprisesSampleRequest())
>>> result.synthetic, result.count
(True, 4119)
>>> "frame" in result.model_dump()
False
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import Field

from oicplan.errors import InputError
from oicplan.services._base import Request, Result

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "AssignRequest",
    "AssignResult",
    "EnterprisesImportRequest",
    "EnterprisesListRequest",
    "EnterprisesResult",
    "EnterprisesSampleRequest",
    "MatchRequest",
    "MatchResult",
    "enterprises_assign",
    "enterprises_import",
    "enterprises_list",
    "enterprises_sample",
    "match",
]


# -- the match ----------------------------------------------------------------
class MatchRequest(Request):
    """The match of Zhejiang's priority industries with a scenario's candidate sites.

    Parameters
    ----------
    scenario : str
        Built-in scenario name or a scenario YAML file.
    preset : str
        ``near``, ``far`` or ``balanced`` (:data:`oicplan.match.matrix.PRESETS`).
    field_data : Path, optional
        CSV/XLSX ``iso3, field, value, year, source`` replacing the proxy where given.
    field_data_kind : str
        ``counts`` (turned into RCA) or ``index`` (1 = reference).
    sites : list of str, optional
        Only these candidate site ids, in this order; default: every candidate.
    """

    scenario: str = "zhejiang"
    preset: str = "balanced"
    field_data: Path | None = None
    field_data_kind: str = "counts"
    sites: list[str] | None = None


class MatchResult(Result):
    """The match as ``oicplan match --json`` prints it, and the match behind it.

    ``document`` holds ``industries, sites, matrix`` (rows = industries, None = a
    gap), ``explanations`` and the rest of
    :meth:`oicplan.match.matrix.MatchResult.to_dict`.
    """

    preset: str
    industries: list[str]
    sites: list[str]
    document: dict[str, Any]
    result: Any = Field(default=None, exclude=True)


def _restricted_sites(scenario: str, sites: list[str]) -> pd.DataFrame:
    """The candidates table of the given site ids, in their order; unknown ids refused."""
    from oicplan.data.dataset import load_dataset
    from oicplan.ranking import candidate_sites
    from oicplan.scenario import load_scenario

    candidates = candidate_sites(load_dataset(), load_scenario(scenario))
    unknown = [s for s in sites if s not in set(candidates["site_id"])]
    if unknown:
        raise InputError(
            f"site {unknown[0]!r} is not a candidate of scenario {scenario!r} "
            "(ids are listed by 'oicplan rank')",
            field="sites",
        )
    return candidates.set_index("site_id").loc[sites].reset_index()


def match(request: MatchRequest) -> MatchResult:
    """Match every priority industry to the candidate sites (or the ones asked for).

    Raises :class:`~oicplan.errors.InputError` naming ``sites`` (a site that is not
    a candidate of the scenario), ``preset``, ``scenario`` or a field of the field
    data file.

    Examples
    --------
    >>> match(MatchRequest(preset="sideways"))
    Traceback (most recent call last):
    ...
    oicplan.errors.InputError: field preset: unknown preset 'sideways'; use near, balanced, far
    """
    from oicplan.match.matrix import match_matrix

    restrict = _restricted_sites(request.scenario, request.sites) if request.sites else None
    result = match_matrix(
        request.scenario,
        request.preset,
        field_data=request.field_data,
        field_data_kind=request.field_data_kind,
        sites=restrict,
    )
    return MatchResult(
        preset=result.preset,
        industries=list(result.industries),
        sites=list(result.site_ids),
        document=result.to_dict(),
        result=result,
    )


# -- the enterprises ----------------------------------------------------------
class EnterprisesResult(Result):
    """An enterprise list: its rows as JSON records, whether any is synthetic, where it is.

    ``document()`` is what ``oicplan enterprises import|list|sample --json`` prints.
    ``stored`` is the data-folder file an import wrote; ``path`` the file the
    stored list is read from; ``written`` the CSV a sample was written to.
    """

    synthetic: bool
    count: int
    enterprises: list[dict[str, Any]]
    note: str | None = None
    stored: str | None = None
    path: str | None = None
    written: str | None = None
    frame: Any = Field(default=None, exclude=True)

    def document(self) -> dict[str, Any]:
        """``{synthetic, [stored], count, [note], enterprises}`` as the command line prints it."""
        out: dict[str, Any] = {"synthetic": self.synthetic}
        if self.stored is not None:
            out["stored"] = self.stored
        out["count"] = self.count
        if self.note is not None:
            out["note"] = self.note
        out["enterprises"] = self.enterprises
        return out


def _enterprises_result(
    frame: pd.DataFrame, synthetic: bool | None = None, **where: str | None
) -> EnterprisesResult:
    import json

    from oicplan.match.enterprises import SYNTHETIC_NOTE

    if synthetic is None:
        synthetic = bool(frame["synthetic"].any()) if "synthetic" in frame else False
    return EnterprisesResult(
        synthetic=synthetic,
        count=len(frame),
        enterprises=json.loads(frame.to_json(orient="records", force_ascii=False)),
        note=SYNTHETIC_NOTE if synthetic else None,
        frame=frame,
        **where,
    )


class EnterprisesImportRequest(Request):
    """Validate an enterprise file (CSV/XLSX) and keep it in the data folder.

    ``append`` adds its rows to the stored list instead of replacing it.
    """

    file: Path
    append: bool = False


def enterprises_import(request: EnterprisesImportRequest) -> EnterprisesResult:
    """Import an enterprise file whole or not at all; the result is the stored list.

    The first bad row stops the import with its file, row (header = row 1) and
    field, and nothing is stored. Stored in ``$OICPLAN_DATA_DIR/enterprises.csv``,
    else ``~/.local/share/oicplan/enterprises.csv``.
    """
    from oicplan.match.enterprises import import_enterprises

    frame, target = import_enterprises(request.file, append=request.append)
    return _enterprises_result(frame, stored=str(target))


class EnterprisesListRequest(Request):
    """The stored enterprises (from the last import), or the synthetic sample."""

    sample: bool = False


def enterprises_list(request: EnterprisesListRequest) -> EnterprisesResult:
    """The stored list (``count`` 0 when nothing is stored) or the sample.

    ``path`` is the file the stored list is read from.
    """
    from oicplan.match.enterprises import enterprises_path, load_sample, load_stored

    frame = load_sample() if request.sample else load_stored()
    return _enterprises_result(frame, path=str(enterprises_path()))


class EnterprisesSampleRequest(Request):
    """The SYNTHETIC sample: 146 backbone, 3,973 high-tech enterprises (paper section 3.3).

    ``out``: also write it as CSV (a template for the user's own file).
    """

    out: Path | None = None


def enterprises_sample(request: EnterprisesSampleRequest) -> EnterprisesResult:
    """The illustrative sample; names, industries, cities and sizes are invented."""
    from oicplan.match.enterprises import load_sample

    frame = load_sample()
    written = None
    if request.out is not None:
        request.out.parent.mkdir(parents=True, exist_ok=True)
        from oicplan.wholefile import write_whole

        write_whole(request.out, frame.drop(columns=["prefecture"]).to_csv(index=False))
        written = str(request.out)
    return _enterprises_result(frame, synthetic=True, written=written)


# -- the assignment -----------------------------------------------------------
class AssignRequest(Request):
    """Assign enterprises to a scenario's planned centers, by match and access.

    Parameters
    ----------
    scenario : str
        Built-in scenario name or a scenario YAML file; its plan gives the centers.
    sample : bool
        Assign the synthetic sample instead of the stored enterprises.
    capacity : int, optional
        Enterprises per center, 1 or more (default: shared evenly).
    """

    scenario: str = "zhejiang"
    sample: bool = False
    capacity: int | None = None


class AssignResult(Result):
    """The assignment as ``oicplan enterprises assign --json`` prints it (``document``).

    ``by_site`` lists each center's enterprises, ``capacities`` its seats;
    ``assignment`` is the :class:`oicplan.match.Assignment` behind it.
    """

    scenario: str
    by_site: dict[str, list[str]]
    capacities: dict[str, int]
    unassigned: list[str]
    synthetic: bool
    document: dict[str, Any]
    assignment: Any = Field(default=None, exclude=True)


def enterprises_assign(request: AssignRequest) -> AssignResult:
    """Plan the scenario, then solve the capacitated assignment to its chosen sites.

    Each enterprise goes to the center whose host best matches its industry and
    technology needs, nearer (fewer days from Zhejiang by the best mode) preferred.

    Raises :class:`~oicplan.errors.InputError` naming ``capacity`` (below 1) or
    ``enterprises`` (none stored and no sample asked for), before any planning.

    Examples
    --------
    >>> enterprises_assign(AssignRequest(sample=True, capacity=0))
    Traceback (most recent call last):
    ...
    oicplan.errors.InputError: field capacity: capacity must be 1 or more, got 0
    """
    from oicplan.match import assign_enterprises
    from oicplan.match.enterprises import enterprises_path, load_sample, load_stored
    from oicplan.plan import make_plan
    from oicplan.scenario import load_scenario

    if request.capacity is not None and request.capacity < 1:
        raise InputError(f"capacity must be 1 or more, got {request.capacity}", field="capacity")
    frame = load_sample() if request.sample else load_stored()
    if frame.empty:
        raise InputError(
            f"no enterprises stored at {enterprises_path()}; import a file first, "
            "or assign the sample",
            field="enterprises",
        )
    plan = make_plan(load_scenario(request.scenario))
    chosen = plan.chosen
    access = None
    sites = plan.dataset.sites.set_index("site_id")
    if "access_days" in sites:  # best-mode days from the snapshot's transport routes
        access = sites.loc[chosen["site_id"], "access_days"].dropna()
    result = assign_enterprises(
        frame, plan.ranked.match, list(chosen["site_id"]), access, request.capacity
    )
    return AssignResult(
        scenario=request.scenario,
        by_site={site: list(names) for site, names in result.by_site.items()},
        capacities={site: int(n) for site, n in result.capacities.items()},
        unassigned=list(result.unassigned),
        synthetic=result.synthetic,
        document=result.to_dict(),
        assignment=result,
    )
