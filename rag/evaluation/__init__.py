"""Gold sets, metrics, baselines, pipelines and the HTML report."""
