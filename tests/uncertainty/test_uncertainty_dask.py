"""A run on a dask.distributed cluster equals the in-process run for the same seed."""

import numpy as np
import pytest

from oicplan.uncertainty import monte_carlo

distributed = pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None
    ) as local:
        yield local


def test_dask_equals_in_process(cluster, small_problem):
    matrix, weights, types = small_problem
    kw = dict(samples=5000, spread=0.25, seed=123, chunk_size=900, keep_samples=True,
              normalizations=["vector", "minmax"], top_k=4)
    local = monte_carlo(matrix, weights, types, **kw)
    seen = []
    remote = monte_carlo(matrix, weights, types, scheduler=cluster.scheduler_address,
                         progress=lambda done, total: seen.append((done, total)), **kw)
    assert np.array_equal(local.rank_counts, remote.rank_counts)
    assert np.array_equal(local.weights, remote.weights)
    assert np.array_equal(local.normalization_choice, remote.normalization_choice)
    assert local.to_dict() == remote.to_dict()
    assert seen[-1] == (5000, 5000) and len(seen) == 6


def test_dask_accepts_a_client(cluster, small_problem):
    matrix, weights, types = small_problem
    with distributed.Client(cluster) as client:
        remote = monte_carlo(matrix, weights, types, samples=300, seed=4, chunk_size=100,
                             scheduler=client, dirichlet=True)
    local = monte_carlo(matrix, weights, types, samples=300, seed=4, chunk_size=100,
                        dirichlet=True)
    assert np.array_equal(local.rank_counts, remote.rank_counts)
