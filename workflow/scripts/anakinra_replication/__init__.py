"""Replication of Cavalli et al., Lancet Rheumatology 2020 (anakinra in COVID-19 ARDS).

Each module covers one step of the workflow and imports only what that step needs, because
the heavy libraries (lifelines, statsmodels, seaborn) each take seconds to import:

- ``outcomes``: outcome names shared by all steps; ``labels``: their words for readers.
- ``claims``: the reported numbers (data/reported/claims.yaml), validated.
- ``cohort``: the patient-level table, validated against its Table Schema; ``spreadsheet``:
  reading it as spreadsheets and statistics packages export it.
- ``implied``: what the reported numbers imply on their own (whole-patient counts, overlaps).
- ``proportions``: counts, percentages and Wilson intervals of the binary outcomes (statsmodels).
- ``survival``: Kaplan-Meier estimates and log-rank tests (lifelines).
- ``relations``: consistency relations between outcomes, observed in the cohort.
- ``layout_kernels``: the numba kernels that score event-day layouts (log-rank, Cox, RMST).
- ``event_space``: every death-day layout the reported counts allow, scored.
- ``joint_space``: Monte Carlo over joint death and ventilation layouts.
- ``p_value_tests``: which test gives the reported P values, judged by the verification's rules.
- ``identifiability``: identifiability.json, the enumeration, Monte Carlo and test table together.
- ``robustness``: the robustness results of both endpoints, assembled from ``effect_measures``
  (risk difference and ratio, odds ratio, NNT), ``time_to_event`` (Cox with its
  proportional-hazards test, RMST), ``fragility``, ``bayes`` (Bayesian reanalysis) and ``e_value``.
- ``statistic_words``: the English of the statistics' codes (why a statistic is missing, which
  method computed it); the statistics modules return codes, never words.
- ``questions``: the reviewer's questions about the finding, each answered from the numbers.
- ``later_evidence``: the register of later evidence, its checks and the comparison with the
  early estimate (one primary comparison, the others sensitivity analyses counted by report);
  plain data only (``later_evidence_text``: its table and sentences; ``later_evidence_figure``:
  its forest plot).
- ``reconstruct``: the reconstructed cohort, built from the claims and stated assumptions.
- ``verify``: printed-value rounding, verdicts and the verification table; ``aspects``: what of a
  cohort each claim reads and each assumption of the reconstruction fixes, hence which claims'
  match each assumption holds up.
- ``numbers``: numbers.json, the analysis results of one cohort with its inputs' hashes.
- ``figures``, ``tables``, ``manuscript``: outputs for readers.
- ``provenance``, ``certificate``: the provenance record and the CODECHECK-style certificate.
- ``jsonio``: byte-stable JSON and YAML, and the contracts (JSON Schemas) of the results files.
- ``dependencies``: the package modules each workflow script imports (Snakemake inputs).
- ``step``: the harness every workflow script runs in (log file, clear errors).
- ``benchmark``: the timings of ``make bench``.
"""
