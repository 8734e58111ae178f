# verify_claims:     results/verification.csv, one row per claim with verdict and evidence.
# verification_gate: the summary line; fails the run, naming them, if any claim mismatches.


rule verify_claims:
    input:
        claims="results/claims.json",
        numbers="results/numbers.json",
        code=package_code("verify_claims"),
    output:
        report("results/verification.csv", caption="../report/verification_csv.rst", category="3. Verification",
               subcategory="Tables", labels={"table": "Verification (CSV)"}),
    params:
        reconstructed=COHORT_IS_RECONSTRUCTION,
        assumptions=lookup(within=config, dpath="reconstruction/assumptions"),
    log:
        "results/logs/verify_claims.log",
    conda:
        ENV
    script:
        "../scripts/verify_claims.py"


rule verification_gate:
    input:
        "results/verification.csv",
        code=package_code("verification_gate"),
    output:
        "results/verification_summary.txt",
    log:
        "results/logs/verification_gate.log",
    conda:
        ENV
    script:
        "../scripts/verification_gate.py"
