# The Littlest JupyterHub (docs/hosting.md, recipe 1): extra hub settings for the course.
# Copy to /opt/tljh/config/jupyterhub_config.d/hands-on-deep-learning.py, then
# `sudo tljh-config reload`.
#
# One BLAS thread per learner: the learners share the server's cores, and the notebooks' small
# matrices are faster on one thread anyway.
c.Spawner.environment.update(  # noqa: F821 (JupyterHub defines c when it reads this file)
    {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
)
c.Spawner.default_url = "/lab"  # noqa: F821
