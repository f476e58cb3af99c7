"""Calls from several Python threads: the library keeps no global state and ctypes releases the GIL, so simulate, ou
and lyapunov running at once give the results of the same calls one after the other (bit for bit), and a long
simulate lets the interpreter run other Python code meanwhile."""
import threading
import time

import numpy as np

import paththermo

DRIFT3 = np.array([[-1.5, 0.3, 0.2], [-0.4, -1.0, 0.7], [0.1, -0.6, -2.0]])
ANISOTROPIC = np.array([[1.0, 0.2, 0.0], [0.2, 0.8, 0.1], [0.0, 0.1, 0.5]])


def calls():
    """name -> zero-argument call returning a tuple of arrays (compared bitwise)."""
    rng = np.random.default_rng(3)
    a = -np.eye(40) * 2 + 0.1 * rng.standard_normal((40, 40))
    q = np.eye(40)
    return {
        "simulate": lambda: (paththermo.simulate(DRIFT3, ANISOTROPIC, dt=0.01, rollouts=64, steps=400, seed=5,
                                                 threads=2),),
        "simulate softmax": lambda: (paththermo.simulate(family="softmax", w=[[0.5, 1.0], [-1.0, 0.3]],
                                                         keys=[[1.0, 0.0], [0.0, 1.0]], beta=2.0, diffusion=0.3,
                                                         dt=0.02, rollouts=40, steps=300, seed=11, threads=1),),
        "ou": lambda: (paththermo.ou(DRIFT3, ANISOTROPIC).stationary_covariance,
                       np.array([paththermo.ou(DRIFT3, ANISOTROPIC).entropy_production_rate])),
        "lyapunov": lambda: (paththermo.lyapunov(a, q),),
    }


def bits(arrays):
    return [np.ascontiguousarray(x).tobytes() for x in arrays]


def test_concurrent_calls_equal_sequential_calls():
    table = calls()
    sequential = {name: bits(call()) for name, call in table.items()}
    results, errors = {}, []

    def worker(name, call, repeats=3):
        try:
            results[name] = [bits(call()) for _ in range(repeats)]
        except BaseException as error:  # noqa: BLE001 (reported below)
            errors.append((name, error))

    threads = [threading.Thread(target=worker, args=item) for item in table.items()]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors, errors
    for name, runs in results.items():
        for run in runs:
            assert run == sequential[name], name
    assert set(results) == set(table)


def test_simulate_releases_the_gil():
    """A simulate of ≈ 0.5-2 s in a thread (0.6 s on a 2026 EPYC); the main thread meanwhile runs a loop and time-stamps every iteration.
    Were the GIL held for the call, the main thread would stall for the whole call (one gap as long as the call);
    released, it keeps running: the longest gap between its iterations stays well below the call's duration."""
    window = {}

    def worker():
        window["start"] = time.perf_counter()
        paththermo.simulate(DRIFT3, ANISOTROPIC, dt=0.001, rollouts=300, steps=1, burn_in=60000, seed=1, threads=1)
        window["end"] = time.perf_counter()

    thread = threading.Thread(target=worker)
    stamps = []
    thread.start()
    while thread.is_alive():
        stamps.append(time.perf_counter())
    thread.join()
    duration = window["end"] - window["start"]
    inside = [s for s in stamps if window["start"] <= s <= window["end"]]
    points = [window["start"], *inside, window["end"]]
    longest = max(b - a for a, b in zip(points, points[1:]))
    assert duration > 0.1, duration  # long enough that a held GIL would show as one gap of the whole call
    assert len(inside) > 1000 and longest < 0.5 * duration, (len(inside), longest, duration)
