"""docs/hosting.md's recipes and the files they ship say the same thing, checked offline.

The local hub itself runs in tests/test_hub.py; here: the Zero to JupyterHub values parse and
set the image, one BLAS thread, memory and CPU from the measurement, the idle cullers and the
course; the TLJH files install the course without -e; the classroom configuration loads and
refuses a missing password; the nbgitpuller link points at notebook 01 of this repository.
"""

import importlib.util
import re
import subprocess
import sys
import urllib.parse
import uuid
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml
from traitlets import Dict, Unicode
from traitlets.config import Configurable
from traitlets.config.loader import PyFileConfigLoader

ROOT = Path(__file__).resolve().parent.parent
HOSTING = ROOT / "docs" / "hosting"
PAGE = (ROOT / "docs" / "hosting.md").read_text(encoding="utf-8")

spec = importlib.util.spec_from_file_location("prepare", ROOT / "scripts" / "prepare_notebooks.py")
prepare = importlib.util.module_from_spec(spec)
spec.loader.exec_module(prepare)
REPO_URL = prepare.REPO_URL


def megabytes(quantity):
    """Kubernetes memory quantities: '512M' -> 512, '2G' -> 2000, '1Gi' -> 1073.7."""
    number, unit = re.fullmatch(r"([\d.]+)\s*([KMGT]i?)", str(quantity)).groups()
    scale = {"K": 1e3, "M": 1e6, "G": 1e9, "T": 1e12, "Ki": 2**10, "Mi": 2**20, "Gi": 2**30}
    return float(number) * scale[unit] / 1e6


def measured():
    """The rows of the page's measurement table: {learners: (started s, ran s, RSS MB, USS MB)}."""
    rows = re.findall(
        r"(?m)^\| (\d+) \| (\d+) s \| (\d+) s \| (\d+) MB \(\d+ \+ \d+\) \| (\d+) MB \|", PAGE
    )
    return {int(n): tuple(map(int, rest)) for n, *rest in rows}


# ---------------------------------------------------------------- the measurement


def test_the_page_reports_a_2_and_a_20_learner_measurement():
    rows = measured()
    assert {2, 20} <= set(rows), "the sizing section's table: 2 and 20 learners"
    for learners, (started, ran, rss, uss) in rows.items():
        assert 0 < uss <= rss < 1000 and started > 0 and ran > 0, learners


# ---------------------------------------------------------------- recipe 2: Zero to JupyterHub

VALUES = yaml.safe_load((HOSTING / "values.yaml").read_text(encoding="utf-8"))
USER = VALUES["singleuser"]


def test_values_use_the_repo2docker_image_the_page_builds():
    image = f"{USER['image']['name']}:{USER['image']['tag']}"
    assert f"--image-name {image}" in PAGE and f"docker push {image}" in PAGE
    assert USER["defaultUrl"] == "/lab"


def test_values_pin_one_blas_thread():
    assert USER["extraEnv"]["OPENBLAS_NUM_THREADS"] == "1"
    assert USER["extraEnv"]["OMP_NUM_THREADS"] == "1"


def test_values_memory_and_cpu_follow_the_measurement():
    guarantee, limit = megabytes(USER["memory"]["guarantee"]), megabytes(USER["memory"]["limit"])
    worst = max(rss for _, _, rss, _ in measured().values())
    assert worst < guarantee < limit, "the guarantee covers a measured learner, with headroom"
    assert f"guarantee {USER['memory']['guarantee']}, limit {USER['memory']['limit']}" in PAGE
    assert f"sudo tljh-config set limits.memory {USER['memory']['limit']}" in PAGE  # recipe 1
    assert 0 < USER["cpu"]["guarantee"] < USER["cpu"]["limit"] == 1  # one BLAS thread


def test_values_cull_idle_servers_and_kernels():
    assert VALUES["cull"]["enabled"] is True and VALUES["cull"]["timeout"] == 3600
    kernels = USER["extraFiles"]["kernel-culling"]
    assert kernels["mountPath"] == "/etc/jupyter/jupyter_server_config.json"
    assert kernels["data"]["MappingKernelManager"]["cull_idle_timeout"] > 0


def test_values_give_every_learner_the_course():
    command = USER["lifecycleHooks"]["postStart"]["exec"]["command"]
    assert command == ["gitpuller", REPO_URL, "main", "hands-on-deep-learning"]
    config = VALUES["hub"]["config"]
    assert config["JupyterHub"]["authenticator_class"] == "shared-password"


# ---------------------------------------------------------------- recipe 1: TLJH


def requirement_lines(path):
    lines = [line.split("#")[0].strip() for line in path.read_text().splitlines()]
    return [line for line in lines if line]


def test_tljh_requirements_install_the_course_without_e():
    tljh = requirement_lines(HOSTING / "requirements-tljh.txt")
    binder = requirement_lines(ROOT / "binder" / "requirements.txt")
    assert not any(line.startswith("-e") for line in tljh)
    assert f"course_utils @ git+{REPO_URL}@main" in tljh
    assert [line for line in binder if line != "."] == tljh[:-1], "the same packages as Binder"
    url = "https://raw.githubusercontent.com/" + REPO_URL.split("github.com/")[1] + "/main/"
    assert f"--user-requirements-txt-url {url}docs/hosting/requirements-tljh.txt" in PAGE
    assert f"{url}docs/hosting/tljh_config.py" in PAGE


def test_tljh_config_adds_one_blas_thread_to_the_hubs_environment():
    class Spawner(Configurable):  # stands in for JupyterHub's, which TLJH configures too
        environment = Dict({"TLJH": "kept"}).tag(config=True)
        default_url = Unicode().tag(config=True)

    config = PyFileConfigLoader("tljh_config.py", str(HOSTING)).load_config()
    spawner = Spawner(config=config)
    assert spawner.environment["OPENBLAS_NUM_THREADS"] == "1"
    assert spawner.environment["TLJH"] == "kept" and spawner.default_url == "/lab"


# ---------------------------------------------------------------- recipe 3: the classroom hub


def load_classroom_config(monkeypatch, tmp_path, **env):
    for key in ("HUB_IP", "HUB_PORT", "HUB_ADMIN_PASSWORD", "HUB_TEST_TOKEN"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("HUB_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("HUB_STATE", str(tmp_path / "state"))
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    return PyFileConfigLoader("jupyterhub_config.py", str(HOSTING)).load_config()


def test_classroom_config_listens_on_this_computer_only_by_default(monkeypatch, tmp_path):
    config = load_classroom_config(monkeypatch, tmp_path, HUB_PASSWORD="a-room-password")
    assert config.JupyterHub.bind_url == "http://127.0.0.1:8000"
    assert config.JupyterHub.hub_ip == "127.0.0.1"
    assert config.JupyterHub.authenticator_class == "shared-password"
    assert config.SharedPasswordAuthenticator.user_password == "a-room-password"
    assert config.JupyterHub.spawner_class == "simple"
    assert config.SimpleLocalProcessSpawner.home_dir_template == str(
        tmp_path / "home" / "{username}"
    )
    assert config.Spawner.environment["OPENBLAS_NUM_THREADS"] == "1"
    assert config.Spawner.cmd[1:] == ["-m", "jupyterhub.singleuser"]
    assert "--KernelManager.transport=ipc" in config.Spawner.args  # no TCP port races
    learner = SimpleNamespace(user=SimpleNamespace(name="a-learner-with-a-long-name" * 4))
    runtime = config.Spawner.environment["JUPYTER_RUNTIME_DIR"](learner)
    socket = f"{runtime}/kernel-{uuid.uuid4()}-ipc-4"  # what jupyter_client binds to
    assert len(socket) < 100, "a Unix socket's path has at most about 100 characters"
    assert "services" not in config.JupyterHub  # no API token unless a test asks for one


def test_classroom_config_serves_the_room_when_asked(monkeypatch, tmp_path):
    admin = "x" * 32
    config = load_classroom_config(
        monkeypatch, tmp_path, HUB_PASSWORD="a-room-password", HUB_IP="0.0.0.0",
        HUB_PORT="9000", HUB_ADMIN_PASSWORD=admin,
    )  # fmt: skip
    assert config.JupyterHub.bind_url == "http://0.0.0.0:9000"
    assert config.Authenticator.admin_users == {"instructor"}
    assert config.SharedPasswordAuthenticator.admin_password == admin


def test_classroom_config_without_a_password_says_how_to_set_one(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "HUB_HOME": str(tmp_path), "HUB_STATE": str(tmp_path)}
    code = (
        "from traitlets.config.loader import PyFileConfigLoader; "
        f"PyFileConfigLoader('jupyterhub_config.py', {str(HOSTING)!r}).load_config()"
    )
    run = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60
    )
    assert run.returncode != 0
    assert "HUB_PASSWORD='a-room-password' jupyterhub -f docs/hosting/jupyterhub_config.py" in (
        run.stderr
    )


def test_the_hub_test_runs_the_classroom_config_of_the_page():
    hub_test = (ROOT / "tests" / "test_hub.py").read_text(encoding="utf-8")
    assert 'CONFIG = ROOT / "docs" / "hosting" / "jupyterhub_config.py"' in hub_test
    assert "jupyterhub -f docs/hosting/jupyterhub_config.py" in PAGE
    assert "python -m pip install -r binder/requirements.txt jupyterhub" in PAGE


# ---------------------------------------------------------------- the link and the other pages


def test_the_nbgitpuller_link_opens_notebook_01_of_this_repository():
    (link,) = re.findall(r"HUB/hub/user-redirect/git-pull\?\S+", PAGE)
    query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(link).query))
    assert query["repo"] == REPO_URL and query["branch"] == "main"
    target = query["targetpath"]
    assert query["urlpath"].startswith(f"lab/tree/{target}/")
    notebook = query["urlpath"].removeprefix(f"lab/tree/{target}/")
    assert (ROOT / notebook).is_file(), notebook


@pytest.mark.parametrize("page", ["README.md", "docs/workshop.md"])
def test_the_page_is_linked(page):
    text = (ROOT / page).read_text(encoding="utf-8")
    assert re.search(r"\]\((docs/)?hosting\.md", text), f"{page} links to docs/hosting.md"


def test_every_file_the_page_names_exists():
    for name in re.findall(r"\]\((hosting/[\w./-]+|\.\./binder/[\w./-]+)\)", PAGE):
        assert (ROOT / "docs" / name).resolve().is_file(), name
