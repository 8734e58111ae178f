"""Replication of Cavalli et al., Lancet Rheumatology 2020 (anakinra in COVID-19 ARDS).

Each module covers one step of the workflow and imports only what that step needs, because
the heavy libraries (lifelines, statsmodels, seaborn) each take seconds to import:

- ``outcomes``: outcome names and labels shared by all steps.
- ``claims``: the reported numbers (data/reported/claims.yaml), validated.
- ``cohort``: the patient-level table, validated against its Table Schema.
- ``implied``: what the reported numbers imply on their own (whole-patient counts, overlaps).
- ``proportions``: counts, percentages and Wilson intervals of the binary outcomes (statsmodels).
- ``survival``: Kaplan-Meier estimates and log-rank tests (lifelines).
- ``relations``: consistency relations between outcomes, observed in the cohort.
- ``event_space``: every death-day layout the reported counts allow, scored (numba).
- ``joint_space``: Monte Carlo over joint death and ventilation layouts (numba).
- ``p_value_tests``: which test gives the reported P values, judged by the verification's rules.
- ``identifiability``: results/identifiability.json, the enumeration, Monte Carlo and test table together.
- ``robustness``: effect measures, fragility, E-value, Cox, RMST, Bayesian reanalysis.
- ``questions``: the reviewer's questions about the finding, each answered from the numbers.
- ``reconstruct``: the reconstructed cohort, built from the claims and stated assumptions.
- ``verify``: printed-value rounding, verdicts and the verification table.
- ``numbers``: results/numbers.json, the one file every later step reads.
- ``figures``, ``tables``, ``manuscript``: outputs for readers.
- ``step``: the harness every workflow script runs in (log file, clear errors).
"""
