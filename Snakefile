# Replication of Cavalli et al., Lancet Rheumatology 2020: from patient-level data to a
# verified, rendered manuscript. This file only wires; each stage is one file in workflow/rules/.
#   make                                    # everything, with the environment from uv.lock
#   snakemake -c2 --config cohort=PATH      # the same pipeline on another cohort (e.g. the real data)
#   snakemake -c1 reconstruct               # rebuild the reconstructed cohort (not in the default run)

configfile: "config/config.yaml"


include: "workflow/rules/common.smk"
include: "workflow/rules/data.smk"
include: "workflow/rules/analysis.smk"
include: "workflow/rules/verification.smk"
include: "workflow/rules/identifiability.smk"
include: "workflow/rules/robustness.smk"
include: "workflow/rules/figures.smk"
include: "workflow/rules/manuscript.smk"
include: "workflow/rules/provenance.smk"


onsuccess:
    print_summary()


onerror:
    print_input_errors()


rule all:
    default_target: True
    input:
        "results/verification_summary.txt",
        "results/tables/outcomes.csv",
        "results/identifiability.json",
        "results/robustness.json",
        expand("results/figures/{name}.{ext}", name=FIGURES, ext=["png", "svg"]),
        "results/manuscript/index.html",
        "results/manuscript/index.pdf",
        "results/codecheck.yml",
