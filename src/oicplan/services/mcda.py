"""Use cases: rank a decision matrix, and derive criterion weights.

* :func:`mcda` ranks the alternatives of a decision-matrix CSV file with one of
  :data:`oicplan.mcda.METHODS` (``oicplan mcda``);
* :func:`ahp_weights` gives AHP weights from one or more experts' pairwise
  comparison files (``oicplan weights ahp``);
* :func:`objective_weights` gives entropy, CRITIC or standard-deviation weights
  from the data (``oicplan weights entropy|critic|std``).

Each result's ``document`` is the JSON the command prints with ``--json``.
Errors are :class:`~oicplan.errors.InputError` naming the file (row, field) or
the request field.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from pydantic import Field

from oicplan.errors import InputError
from oicplan.services._base import Request, Result
from oicplan.textfile import csv_delimiter, read_text

__all__ = [
    "AhpWeightsRequest",
    "McdaRequest",
    "McdaResult",
    "ObjectiveWeightsRequest",
    "WeightsResult",
    "ahp_weights",
    "mcda",
    "objective_weights",
]

#: The method each method-specific parameter belongs to.
_PARAMETER_OWNER = {"v": "vikor", "preference": "promethee2", "q": "promethee2",
                    "p": "promethee2", "s": "promethee2"}


def _types(types: list[str] | None, path: Path) -> list[str]:
    """Checked criterion types; ``max`` for every column of the file when not given."""
    if types is None:
        try:
            text = read_text(path)
        except InputError:
            text = ""  # the reader says what is wrong with the file
        first = text.split("\n", 1)[0]
        return ["max"] * max(0, len(first.split(csv_delimiter(text))) - 1)
    out = [t.lower() for t in types]
    for t in out:
        if t not in ("max", "min"):
            raise InputError(f"criterion type {t!r} must be 'max' or 'min'", field="types")
    return out


class McdaRequest(Request):
    """A decision matrix file and how to rank it.

    ``weights`` in column order (scaled to sum to 1; default equal); ``types``
    ``max`` or ``min`` per criterion (default max); ``normalization`` overrides
    the method's; ``v`` is VIKOR's, ``preference``, ``q``, ``p``, ``s`` are
    PROMETHEE II's (one number or one per criterion).
    """

    matrix: Path
    method: str = "topsis"
    weights: list[float] | None = None
    types: list[str] | None = None
    normalization: str | None = None
    v: float | None = None
    preference: str | None = None
    q: float | list[float] | None = None
    p: float | list[float] | None = None
    s: float | list[float] | None = None


class McdaResult(Result):
    """The ranking: ``document`` as ``oicplan mcda --json`` prints it; ``ranking``
    the :class:`~oicplan.mcda.core.RankingResult` behind it (not dumped)."""

    document: dict[str, Any]
    ranking: Any = Field(default=None, exclude=True)


def mcda(request: McdaRequest) -> McdaResult:
    """Rank the alternatives of a decision-matrix file.

    Examples
    --------
    >>> import os, tempfile
    >>> path = os.path.join(tempfile.mkdtemp(), "m.csv")
    >>> _ = open(path, "w").write("city,gdp,cost\\nA,3,1\\nB,1,3\\nC,2,2\\n")
    >>> mcda(McdaRequest(matrix=path, types=["max", "min"])).document["ranks"]
    [1, 3, 2]
    """
    from oicplan.mcda import METHODS, rank
    from oicplan.mcda.files import read_decision_matrix

    r = request
    if r.method not in METHODS:
        raise InputError(
            f"unknown method {r.method!r}; choose one of {', '.join(METHODS)}", field="method"
        )
    dm = read_decision_matrix(r.matrix, _types(r.types, r.matrix))
    weights = [1.0] * dm.shape[1] if r.weights is None else r.weights
    params: dict[str, Any] = {}
    for name, owner in _PARAMETER_OWNER.items():
        value = getattr(r, name)
        if value is None:
            continue
        if owner != r.method:
            raise InputError(f"{name} applies only to method {owner}", field=name)
        params[name] = value
    result = rank(dm, weights, method=r.method, normalization=r.normalization, **params)
    return McdaResult(document=result.to_dict(), ranking=result)


class AhpWeightsRequest(Request):
    """Pairwise comparison files (Saaty's 1-9 scale), one per expert."""

    pairwise: list[Path] = Field(min_length=1)


class ObjectiveWeightsRequest(Request):
    """A decision matrix file and the data-driven weighting method."""

    matrix: Path
    method: Literal["entropy", "critic", "std"]
    types: list[str] | None = None


class WeightsResult(Result):
    """Criterion weights: ``document`` as ``oicplan weights ... --json`` prints it.

    ``criteria`` and ``weights`` in the file's column order; ``ahp`` is the
    :class:`~oicplan.mcda.weights.AHPResult` behind AHP weights (not dumped).
    """

    document: dict[str, Any]
    criteria: list[str]
    weights: list[float]
    ahp: Any = Field(default=None, exclude=True)


def ahp_weights(request: AhpWeightsRequest) -> WeightsResult:
    """AHP weights from one matrix, or group AHP (geometric mean) from several.

    Every file is checked (square, reciprocal, positive) and must name the same
    criteria; the document carries lambda_max, CI and CR (and each expert's CR).

    Examples
    --------
    >>> import os, tempfile
    >>> path = os.path.join(tempfile.mkdtemp(), "p.csv")
    >>> _ = open(path, "w").write(",a,b\\na,1,3\\nb,1/3,1\\n")
    >>> ahp_weights(AhpWeightsRequest(pairwise=[path])).weights
    [0.75, 0.25]
    """
    from oicplan.mcda import ahp_weights as one_expert
    from oicplan.mcda import group_ahp_weights, validate_pairwise
    from oicplan.mcda.files import read_pairwise

    files = request.pairwise
    loaded = [read_pairwise(path) for path in files]
    criteria = loaded[0][0]
    for (names, _), path in zip(loaded[1:], files[1:], strict=True):
        if names != criteria:
            raise InputError(
                f"criteria {names} differ from those of {files[0]} ({criteria})",
                file=str(path), row=1,
            )
    for (names, m), path in zip(loaded, files, strict=True):
        validate_pairwise(m, names, file=str(path))
    if len(loaded) == 1:
        result = one_expert(loaded[0][1], criteria, file=str(files[0]), warn=False)
    else:
        result = group_ahp_weights(
            [m for _, m in loaded], criteria, files=[str(x) for x in files], warn=False
        )
    return WeightsResult(document=result.to_dict(), criteria=list(criteria),
                         weights=[float(w) for w in result.weights], ahp=result)


def objective_weights(request: ObjectiveWeightsRequest) -> WeightsResult:
    """Entropy, CRITIC or standard-deviation weights of a decision matrix's criteria.

    Examples
    --------
    >>> import os, tempfile
    >>> path = os.path.join(tempfile.mkdtemp(), "m.csv")
    >>> _ = open(path, "w").write("city,gdp,cost\\nA,3,1\\nB,1,3\\nC,2,2\\n")
    >>> objective_weights(ObjectiveWeightsRequest(matrix=path, method="std")).weights
    [0.5, 0.5]
    """
    from oicplan.mcda import critic_weights, entropy_weights, std_weights
    from oicplan.mcda.files import read_decision_matrix

    func = {"entropy": entropy_weights, "critic": critic_weights, "std": std_weights}
    dm = read_decision_matrix(request.matrix, _types(request.types, request.matrix))
    weights = func[request.method](dm)
    document = {"criteria": list(dm.criteria), "weights": weights.tolist()}
    return WeightsResult(document=document, criteria=list(dm.criteria),
                         weights=[float(w) for w in weights])
