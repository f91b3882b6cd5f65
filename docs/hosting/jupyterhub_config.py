"""JupyterHub for a classroom on one laptop or desktop (docs/hosting.md, recipe 3).

Learners open http://<this computer>:8000 in a browser, log in with any user name and the
room's shared password, and get their own JupyterLab with the course (an nbgitpuller link
copies it into their folder). Every learner's server runs as YOUR operating-system user, in
its own folder under HUB_HOME: fine for a room you trust, not for the open internet.
tests/test_hub.py starts exactly this file with 2 (or HUB_USERS) learners.

    HUB_PASSWORD=... jupyterhub -f docs/hosting/jupyterhub_config.py

Settings, as environment variables:
  HUB_PASSWORD        the room's password (at least 8 characters), required
  HUB_IP, HUB_PORT    where learners connect (default 127.0.0.1 and 8000: this computer
                      only; HUB_IP=0.0.0.0 serves the room's network)
  HUB_HOME            one folder per learner (default ~/classroom-hub/home)
  HUB_STATE           the hub's database, secret and pid files (default ~/classroom-hub/state)
  HUB_ADMIN_PASSWORD  optional, at least 32 characters: user "instructor" logs in with it as
                      the hub's admin (start and stop anyone's server at /hub/admin)
  HUB_INTERNAL_PORT, HUB_PROXY_PORT   the hub's and the proxy's own ports on 127.0.0.1
                      (default 8081 and 8001)
  HUB_TEST_TOKEN      tests only: an API token with the admin role
"""

import hashlib
import os
import sys
from pathlib import Path

c = get_config()  # noqa: F821 (JupyterHub defines get_config when it reads this file)

home = Path(os.environ.get("HUB_HOME", "~/classroom-hub/home")).expanduser()
state = Path(os.environ.get("HUB_STATE", "~/classroom-hub/state")).expanduser()
home.mkdir(parents=True, exist_ok=True)
state.mkdir(parents=True, exist_ok=True)

# ---------------------------------------------------------------- where it listens
c.JupyterHub.bind_url = (
    f"http://{os.environ.get('HUB_IP', '127.0.0.1')}:{os.environ.get('HUB_PORT', '8000')}"
)
c.JupyterHub.hub_ip = "127.0.0.1"  # the hub and the proxy talk on this computer only
c.JupyterHub.hub_port = int(os.environ.get("HUB_INTERNAL_PORT", "8081"))
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{os.environ.get('HUB_PROXY_PORT', '8001')}"
c.ConfigurableHTTPProxy.pid_file = str(state / "proxy.pid")
c.JupyterHub.db_url = f"sqlite:///{state / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(state / "jupyterhub_cookie_secret")
c.JupyterHub.pid_file = str(state / "jupyterhub.pid")

# ---------------------------------------------------------------- who may log in
c.JupyterHub.authenticator_class = "shared-password"
password = os.environ.get("HUB_PASSWORD", "")
if len(password) < 8:
    sys.exit(
        "Set the room's password first, at least 8 characters, for example:\n"
        "    HUB_PASSWORD='a-room-password' jupyterhub -f docs/hosting/jupyterhub_config.py"
    )
c.SharedPasswordAuthenticator.user_password = password
c.Authenticator.allow_all = True  # any user name with the room's password
if os.environ.get("HUB_ADMIN_PASSWORD"):
    c.Authenticator.admin_users = {"instructor"}
    c.SharedPasswordAuthenticator.admin_password = os.environ["HUB_ADMIN_PASSWORD"]
if os.environ.get("HUB_TEST_TOKEN"):
    c.JupyterHub.services = [{"name": "hub-test", "api_token": os.environ["HUB_TEST_TOKEN"]}]
    c.JupyterHub.load_roles = [{"name": "admin", "services": ["hub-test"]}]

# ---------------------------------------------------------------- each learner's server


def runtime_dir(spawner):
    """A short folder for one learner's kernel sockets: /tmp/classroom-hub-<12 hex digits>."""
    digest = hashlib.sha256(spawner.user.name.encode()).hexdigest()[:12]
    return f"/tmp/classroom-hub-{digest}"


c.JupyterHub.spawner_class = "simple"  # a local process per learner, in HUB_HOME/<name>
c.SimpleLocalProcessSpawner.home_dir_template = str(home / "{username}")
c.Spawner.cmd = [sys.executable, "-m", "jupyterhub.singleuser"]  # this Python: the course's
c.Spawner.default_url = "/lab"
c.Spawner.start_timeout = 300  # a room logging in at once on a small machine
c.Spawner.http_timeout = 300
# One BLAS thread per learner: many learners share the cores, and the notebooks' small
# matrices are faster on one thread anyway.
c.Spawner.environment = {
    "OPENBLAS_NUM_THREADS": "1",
    "OMP_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    **{
        key: os.environ[key] for key in ("JUPYTER_CONFIG_PATH", "JUPYTER_PATH") if key in os.environ
    },
}
c.Spawner.args = []
if os.name != "nt":
    # Kernels talk to their server over Unix sockets, not TCP ports: with a whole room starting
    # kernels at once, two kernels picked the same free port and one died (seen with 20).
    # A socket's path must stay short (about 100 characters), hence a short folder per learner.
    c.Spawner.args.append("--KernelManager.transport=ipc")
    c.Spawner.environment["JUPYTER_RUNTIME_DIR"] = runtime_dir
if hasattr(os, "geteuid") and os.geteuid() == 0:  # in a container as root: Jupyter refuses
    c.Spawner.args.append("--ServerApp.allow_root=True")  # to run as root unless told so
