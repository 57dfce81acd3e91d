#!/usr/bin/env python3
"""Runs the SimPy peer (../shared/peers/simpy_limiter.py) unchanged and prints how many
events its environment scheduled, for a per-event comparison with clustersim's
`sim_events` (README, "Against a peer: per event").

Usage: scripts/simpy-events.py [PEER] USERS RATE_PER_S DURATION_S [seed]
(PEER defaults to ../shared/peers/simpy_limiter.py beside this repository.)
"""
import os
import runpy
import sys

here = os.path.dirname(os.path.abspath(__file__))
peer = os.path.join(here, "..", "..", "shared", "peers", "simpy_limiter.py")
arguments = sys.argv[1:]
if arguments and arguments[0].endswith(".py"):
    peer, arguments = arguments[0], arguments[1:]
if len(arguments) < 3:
    sys.exit(__doc__.strip().splitlines()[-2])
sys.argv = [peer] + arguments
peer_globals = runpy.run_path(peer, run_name="__main__")
# SimPy numbers every event it schedules from one counter: the next number is the count.
print(f"events={next(peer_globals['env']._eid)}")
