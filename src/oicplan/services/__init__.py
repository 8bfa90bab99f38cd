"""The service layer: one function per use case, typed requests in, immutable results out.

The command line (:mod:`oicplan.cli`), the REST API and notebooks call these
functions; none of them holds a use case of its own. Each module groups the use
cases of one area:

=============== ==============================================================
planning        rank, plan, audit, scenario list / show / validate
optimize        optimize (the layout model alone), locate (classic models)
sensitivity     rank intervals, top-K frequency, Sobol indices
mcda            mcda on a decision matrix, AHP and objective weights
transport       access, corridors, disruption
matching        match, enterprises import / list / sample / assign
network         the innovation network
finance         cost, cost assumptions, tax
registry        centers, KPIs, targets, alerts
data            data sources / show / export / build
=============== ==============================================================

Every request, result and use case is importable from here on first use, except
the use cases named like their module (``optimize``, ``sensitivity``, ``mcda``,
``network``): import those from the module (``from oicplan.services.network
import network``).

>>> from oicplan.services import RankRequest, rank
>>> rank(RankRequest(scenario="zhejiang")).sites[0].rank
1
"""

from __future__ import annotations

from oicplan._lazy import lazy_exports

_EXPORTS: dict[str, str] = {
    "Request": "oicplan.services._base",
    "Result": "oicplan.services._base",
    "DataBuildRequest": "oicplan.services.data",
    "DataBuildResult": "oicplan.services.data",
    "DataExportRequest": "oicplan.services.data",
    "DataExportResult": "oicplan.services.data",
    "DataShowRequest": "oicplan.services.data",
    "DataShowResult": "oicplan.services.data",
    "DataSourcesRequest": "oicplan.services.data",
    "DataSourcesResult": "oicplan.services.data",
    "EconomyValue": "oicplan.services.data",
    "data_build": "oicplan.services.data",
    "data_export": "oicplan.services.data",
    "data_show": "oicplan.services.data",
    "data_sources": "oicplan.services.data",
    "AssumptionsNote": "oicplan.services.finance",
    "CostAssumptionsRequest": "oicplan.services.finance",
    "CostAssumptionsResult": "oicplan.services.finance",
    "CostRequest": "oicplan.services.finance",
    "CostResult": "oicplan.services.finance",
    "TaxRequest": "oicplan.services.finance",
    "TaxResult": "oicplan.services.finance",
    "cost": "oicplan.services.finance",
    "cost_assumptions": "oicplan.services.finance",
    "tax": "oicplan.services.finance",
    "AssignRequest": "oicplan.services.matching",
    "AssignResult": "oicplan.services.matching",
    "EnterprisesImportRequest": "oicplan.services.matching",
    "EnterprisesListRequest": "oicplan.services.matching",
    "EnterprisesResult": "oicplan.services.matching",
    "EnterprisesSampleRequest": "oicplan.services.matching",
    "MatchRequest": "oicplan.services.matching",
    "MatchResult": "oicplan.services.matching",
    "enterprises_assign": "oicplan.services.matching",
    "enterprises_import": "oicplan.services.matching",
    "enterprises_list": "oicplan.services.matching",
    "enterprises_sample": "oicplan.services.matching",
    "match": "oicplan.services.matching",
    "AhpWeightsRequest": "oicplan.services.mcda",
    "McdaRequest": "oicplan.services.mcda",
    "McdaResult": "oicplan.services.mcda",
    "ObjectiveWeightsRequest": "oicplan.services.mcda",
    "WeightsResult": "oicplan.services.mcda",
    "ahp_weights": "oicplan.services.mcda",
    "objective_weights": "oicplan.services.mcda",
    "NetworkRequest": "oicplan.services.network",
    "NetworkResult": "oicplan.services.network",
    "LocateRequest": "oicplan.services.optimize",
    "LocateResult": "oicplan.services.optimize",
    "OptimizeRequest": "oicplan.services.optimize",
    "OptimizeResult": "oicplan.services.optimize",
    "Step": "oicplan.services.optimize",
    "locate": "oicplan.services.optimize",
    "AuditRequest": "oicplan.services.planning",
    "AuditResult": "oicplan.services.planning",
    "PlanRequest": "oicplan.services.planning",
    "PlanResult": "oicplan.services.planning",
    "RankRequest": "oicplan.services.planning",
    "RankResult": "oicplan.services.planning",
    "RankedSite": "oicplan.services.planning",
    "ScenarioEntry": "oicplan.services.planning",
    "ScenarioListRequest": "oicplan.services.planning",
    "ScenarioListResult": "oicplan.services.planning",
    "ScenarioShowRequest": "oicplan.services.planning",
    "ScenarioShowResult": "oicplan.services.planning",
    "ScenarioValidateRequest": "oicplan.services.planning",
    "ScenarioValidateResult": "oicplan.services.planning",
    "audit": "oicplan.services.planning",
    "load_request_scenario": "oicplan.services.planning",
    "plan": "oicplan.services.planning",
    "rank": "oicplan.services.planning",
    "scenario_list": "oicplan.services.planning",
    "scenario_show": "oicplan.services.planning",
    "scenario_validate": "oicplan.services.planning",
    "AddCenterRequest": "oicplan.services.registry",
    "AlertRecord": "oicplan.services.registry",
    "CenterAlertsRequest": "oicplan.services.registry",
    "CenterAlertsResult": "oicplan.services.registry",
    "CenterLight": "oicplan.services.registry",
    "CenterRecord": "oicplan.services.registry",
    "CenterResult": "oicplan.services.registry",
    "CentersResult": "oicplan.services.registry",
    "ImportKpisRequest": "oicplan.services.registry",
    "ImportKpisResult": "oicplan.services.registry",
    "ListCentersRequest": "oicplan.services.registry",
    "RegistryRequest": "oicplan.services.registry",
    "SetSiteRequest": "oicplan.services.registry",
    "SetTargetRequest": "oicplan.services.registry",
    "TargetResult": "oicplan.services.registry",
    "add_center": "oicplan.services.registry",
    "center_alerts": "oicplan.services.registry",
    "import_kpis": "oicplan.services.registry",
    "list_centers": "oicplan.services.registry",
    "set_site": "oicplan.services.registry",
    "set_target": "oicplan.services.registry",
    "Progress": "oicplan.services.sensitivity",
    "SensitivityRequest": "oicplan.services.sensitivity",
    "SensitivityResult": "oicplan.services.sensitivity",
    "AccessRequest": "oicplan.services.transport",
    "AccessResult": "oicplan.services.transport",
    "CorridorsRequest": "oicplan.services.transport",
    "CorridorsResult": "oicplan.services.transport",
    "DisruptionRequest": "oicplan.services.transport",
    "DisruptionResult": "oicplan.services.transport",
    "access": "oicplan.services.transport",
    "corridors": "oicplan.services.transport",
    "disruption": "oicplan.services.transport",
    "scenario_graph": "oicplan.services.transport",
}

__all__ = sorted(_EXPORTS)

__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS, globals())
