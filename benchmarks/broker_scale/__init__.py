"""Does the broker stay flat as history grows? Every query form of every read route, asked at
10 % and at full size, each against a heartbeat measured in the same run (issue #20, "Flat").

Run from the repository root::

    python -m benchmarks.broker_scale [--scales 0.1,1] [--databases sqlite,postgres]
        [--requests 60] [--only WORDS] [--keep DIR] [--postgres-url URL | --postgres-data DIR]
        [--plans]

``--keep`` seeds a data set only when the kept database lacks it (a seed that died half-way is
finished); ``--postgres-data DIR`` runs PostgreSQL from a cluster in ``DIR``, created or started
as needed and left running, so kept PostgreSQL databases outlive the run (:mod:`.pg_cluster`).
On PostgreSQL ``--plans`` explains the generic plan the broker's prepared statements run.

Full size (scale 1): 100 pacticipants (50 consumers, 50 providers, each consumer integrating
with two providers), 200,000 versions, 300,000 pact publications (30,000 pact versions), about
1,000,000 verification rows including one hot pact version with 15,000, deployments, releases,
labels, tags, webhooks with deliveries and two provider contracts; the hot pair C00-P00 has
3,000 consumer versions, all with pacts verified by P00 (:mod:`.shape`, :mod:`.seed`). The
questions are in :mod:`.catalogue`; ``tests/broker/test_scale_catalogue.py`` keeps it covering
every route of the app.
"""
