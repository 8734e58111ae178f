# verify_claims:     verification.csv, one row per claim with verdict and evidence.
# verification_summary: the summary line of one cohort (written whatever the verdicts).
# verification_gate: the default target; after every document is rendered, fails the run if
#                    any claim of any cohort mismatches, naming each one (always runs: no output).


rule verify_claims:
    input:
        claims=f"{PUBLISHED}/claims.json",
        numbers=f"{COHORT_DIR}/numbers.json",
        code=package_code("verify_claims"),
    output:
        report(
            f"{COHORT_DIR}/verification.csv",
            caption="../report/verification_csv.rst",
            category="3. Verification",
            subcategory="Tables",
            labels={"table": "Verification (CSV)"},
        ),
    log:
        f"{COHORT_DIR}/logs/verify_claims.log",
    conda:
        ENV
    params:
        assumptions=lookup(within=config, dpath="reconstruction/assumptions"),
    script:
        "../scripts/verify_claims.py"


rule verification_summary:
    input:
        f"{COHORT_DIR}/verification.csv",
        code=package_code("verification_summary"),
    output:
        f"{COHORT_DIR}/verification_summary.txt",
    log:
        f"{COHORT_DIR}/logs/verification_summary.log",
    conda:
        ENV
    script:
        "../scripts/verification_summary.py"
