# What the published numbers allow: every death-day layout, and the joint space by Monte Carlo.
# Everything here depends on the published numbers only: built once, in results/published/.
# death_day_chunk:      score one share of all death-day layouts (scatter; `chunks` in config).
# death_day_space:      gather the shares; the result does not depend on the number of chunks.
# joint_stream:         one seeded Monte Carlo stream over joint death and ventilation layouts.
# joint_space:          gather the streams (fraction printing as reported, Wilson interval).
# identifiability:      identifiability.json, with the table of candidate tests.
# p_value_space_figure: distribution of P over the layouts.
# p_value_tests_table:  Markdown table of the candidate tests.

ID = config["identifiability"]
LAYOUT_INPUTS = dict(implied=f"{PUBLISHED}/implied.json", claims=f"{PUBLISHED}/claims.json")


rule death_day_chunk:
    input:
        **LAYOUT_INPUTS,
        code=package_code("death_day_chunk"),
    output:
        f"{PUBLISHED}/identifiability/death_days/chunk_{{chunk}}.json",
    log:
        f"{PUBLISHED}/logs/death_day_chunk_{{chunk}}.log",
    benchmark:
        f"{PUBLISHED}/benchmarks/death_day_chunk_{{chunk}}.tsv"
    conda:
        ENV
    threads: 1
    resources:
        mem_mb=700,
    params:
        arms=ARMS,
        horizon_days=config["horizon_days"],
        split_day=ID["split_day"],
        chunks=ID["chunks"],
        bin_width=ID["chi2_bin_width"],
        bins=ID["chi2_bins"],
    script:
        "../scripts/death_day_chunk.py"


rule death_day_space:
    input:
        **LAYOUT_INPUTS,
        chunks=expand(f"{PUBLISHED}/identifiability/death_days/chunk_{{chunk}}.json", chunk=range(ID["chunks"])),
        code=package_code("death_day_space"),
    output:
        f"{PUBLISHED}/identifiability/death_days.json",
    log:
        f"{PUBLISHED}/logs/death_day_space.log",
    benchmark:
        f"{PUBLISHED}/benchmarks/death_day_space.tsv"
    conda:
        ENV
    threads: 1
    resources:
        mem_mb=400,
    params:
        arms=ARMS,
        horizon_days=config["horizon_days"],
        bin_width=ID["chi2_bin_width"],
    script:
        "../scripts/death_day_space.py"


rule joint_stream:
    input:
        **LAYOUT_INPUTS,
        code=package_code("joint_stream"),
    output:
        f"{PUBLISHED}/identifiability/joint/stream_{{stream}}.json",
    log:
        f"{PUBLISHED}/logs/joint_stream_{{stream}}.log",
    benchmark:
        f"{PUBLISHED}/benchmarks/joint_stream_{{stream}}.tsv"
    conda:
        ENV
    threads: 1
    resources:
        mem_mb=600,
    params:
        arms=ARMS,
        horizon_days=config["horizon_days"],
        monte_carlo=ID["monte_carlo"],
        bin_width=ID["chi2_bin_width"],
        bins=ID["chi2_bins"],
    script:
        "../scripts/joint_stream.py"


rule joint_space:
    input:
        streams=expand(
            f"{PUBLISHED}/identifiability/joint/stream_{{stream}}.json", stream=range(ID["monte_carlo"]["streams"])
        ),
        code=package_code("joint_space"),
    output:
        f"{PUBLISHED}/identifiability/joint.json",
    log:
        f"{PUBLISHED}/logs/joint_space.log",
    benchmark:
        f"{PUBLISHED}/benchmarks/joint_space.tsv"
    conda:
        ENV
    threads: 1
    resources:
        mem_mb=400,
    params:
        alpha=config["alpha"],
    script:
        "../scripts/joint_space.py"


rule identifiability:
    input:
        **LAYOUT_INPUTS,
        space=f"{PUBLISHED}/identifiability/death_days.json",
        joint=f"{PUBLISHED}/identifiability/joint.json",
        code=package_code("identifiability"),
    output:
        f"{PUBLISHED}/identifiability.json",
    log:
        f"{PUBLISHED}/logs/identifiability.log",
    benchmark:
        f"{PUBLISHED}/benchmarks/identifiability.tsv"
    conda:
        ENV
    threads: 1
    resources:
        mem_mb=300,
    params:
        arms=ARMS,
        horizon_days=config["horizon_days"],
        alpha=config["alpha"],
    script:
        "../scripts/identifiability.py"


rule p_value_space_figure:
    input:
        f"{PUBLISHED}/identifiability.json",
        code=package_code("p_value_space_figure"),
    output:
        **outputs_of("p_value_space_figure"),
    log:
        f"{PUBLISHED}/logs/p_value_space_figure.log",
    benchmark:
        f"{PUBLISHED}/benchmarks/p_value_space_figure.tsv"
    conda:
        ENV
    threads: 1
    resources:
        mem_mb=400,
    script:
        "../scripts/p_value_space_figure.py"


rule p_value_tests_table:
    input:
        f"{PUBLISHED}/identifiability.json",
        code=package_code("p_value_tests_table"),
    output:
        **outputs_of("p_value_tests_table"),
    log:
        f"{PUBLISHED}/logs/p_value_tests_table.log",
    conda:
        ENV
    script:
        "../scripts/p_value_tests_table.py"
