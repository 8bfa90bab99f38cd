"""Monitoring of established centers: KPI definitions, KPI import, alerts.

>>> from oicplan.monitor import KPIS
>>> sorted(KPIS)[:2]
['incubated_enterprises', 'partner_enterprises']
"""

from oicplan.monitor.alerts import (
    Alert,
    below_target_alerts,
    cost_overrun_alerts,
    host_risk_alerts,
    no_data_alerts,
    overview,
    traffic_lights,
)
from oicplan.monitor.kpis import KPI_COLUMNS, KPIS, KpiDef, check_unit, import_kpis, read_rows

__all__ = [
    "KPIS",
    "KPI_COLUMNS",
    "Alert",
    "KpiDef",
    "below_target_alerts",
    "check_unit",
    "cost_overrun_alerts",
    "host_risk_alerts",
    "import_kpis",
    "no_data_alerts",
    "overview",
    "read_rows",
    "traffic_lights",
]
