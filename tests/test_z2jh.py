"""The Zero to JupyterHub values file, checked without a cluster.

``hub/z2jh/values.yaml`` is validated against the chart's own values schema
(vendored in ``tests/data``, BSD-3, with its attribution), and held to the
one-machine hub: same course id and formgrader service, the same cut-down user
role, the same per-user limits, the exchange on one shared volume for residents
and formgrader alike.
"""

from __future__ import annotations

import ast
import copy
import re
from pathlib import Path

import jsonschema
import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]
VALUES = REPO / "hub" / "z2jh" / "values.yaml"
SCHEMA = Path(__file__).parent / "data" / "z2jh-values.schema.yaml"
HUB_CONFIG = REPO / "hub" / "jupyterhub_config.py"
COURSE_ID = "acne-necrotica"
EXCHANGE = "/srv/nbgrader/exchange"


class _UniqueKeyLoader(yaml.SafeLoader):
    """YAML that refuses a key given twice (plain YAML keeps the last one silently)."""

    def construct_mapping(self, node, deep=False):
        keys = [self.construct_object(key, deep=deep) for key, _ in node.value]
        doubled = {key for key in keys if keys.count(key) > 1}
        if doubled:
            raise yaml.constructor.ConstructorError(
                None, None, f"keys given twice: {sorted(doubled)}", node.start_mark
            )
        return super().construct_mapping(node, deep=deep)


def _without_required(schema):
    """The schema minus the objects' ``required`` keys: helm merges our file over the chart's
    own defaults, which supply them.  Unknown keys, wrong types and the one-of choices
    (``required`` without ``properties``, e.g. extraFiles' data or stringData) still count."""
    if isinstance(schema, dict):
        drop = "required" if "properties" in schema else None
        return {k: _without_required(v) for k, v in schema.items() if k != drop}
    if isinstance(schema, list):
        return [_without_required(item) for item in schema]
    return schema


@pytest.fixture(scope="module")
def values() -> dict:
    return yaml.load(VALUES.read_text(), Loader=_UniqueKeyLoader)


@pytest.fixture(scope="module")
def validator():
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    schema = _without_required(yaml.load(SCHEMA.read_text(), Loader=loader))
    return jsonschema.Draft7Validator(schema)


def _errors(validator, values) -> list[str]:
    return [
        f"{'.'.join(map(str, error.absolute_path))}: {error.message[:200]}"
        for error in validator.iter_errors(values)
    ]


def test_values_pass_the_charts_schema(values, validator):
    assert _errors(validator, values) == []


@pytest.mark.parametrize(
    "path, bad",
    [
        (("singleuser", "memory", "limt"), "1G"),  # a misspelt key
        (("singleuser", "cpu", "limit"), "one core"),  # a wrong type
        (("hub", "extraContainers"), {"name": "formgrader"}),  # a mapping for a list
    ],
)
def test_the_schema_check_catches_mistakes(values, validator, path, bad):
    broken = copy.deepcopy(values)
    node = broken
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = bad
    assert _errors(validator, broken)


def _hub_limits() -> dict[str, object]:
    """MEM_LIMIT and CPU_LIMIT as hub/jupyterhub_config.py sets them (read, not run)."""
    tree = ast.parse(HUB_CONFIG.read_text())
    found = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name):
            name = node.targets[0].id
            if name in ("MEM_LIMIT", "CPU_LIMIT"):
                found[name] = ast.literal_eval(node.value)
    return found


def test_limits_match_the_one_machine_hub(values):
    limits = _hub_limits()
    assert values["singleuser"]["memory"]["limit"] == limits["MEM_LIMIT"]
    assert float(values["singleuser"]["cpu"]["limit"]) == limits["CPU_LIMIT"]
    guarantee = values["singleuser"]["memory"]["guarantee"]
    assert _bytes(guarantee) <= _bytes(limits["MEM_LIMIT"])


def _bytes(size: str) -> int:
    number, unit = re.fullmatch(r"(\d+)([KMG])", size).groups()
    return int(number) * 1024 ** "KMG".index(unit) * 1024


def test_formgrader_is_a_service_only_instructors_reach(values):
    hub = values["hub"]
    service = hub["services"][COURSE_ID]
    assert hub["loadRoles"]["user"]["scopes"] == ["self"]
    grader_role = hub["loadRoles"]["course-grader"]
    assert grader_role["scopes"] == [f"access:services!service={COURSE_ID}"]
    (group,) = grader_role["groups"]
    assert hub["config"]["JupyterHub"]["load_groups"][group]["users"]
    (container,) = [c for c in hub["extraContainers"] if c["name"] == "formgrader"]
    port = int(service["url"].rsplit(":", 1)[1])
    assert {p["containerPort"] for p in container["ports"]} == {port}
    assert port in {p["port"] for p in hub["service"]["extraPorts"]}
    assert port in {p["port"] for rule in hub["networkPolicy"]["ingress"] for p in rule["ports"]}
    env = {item["name"]: item for item in container["env"]}
    assert env["JUPYTERHUB_SERVICE_NAME"]["value"] == COURSE_ID
    secret = env["JUPYTERHUB_API_TOKEN"]["valueFrom"]["secretKeyRef"]
    assert secret["key"] == f"hub.services.{COURSE_ID}.apiToken"
    assert "--ServerApp.default_url=/formgrader" in container["command"]


def test_the_exchange_is_one_shared_volume(values):
    singleuser, hub = values["singleuser"], values["hub"]
    (grader,) = [c for c in hub["extraContainers"] if c["name"] == "formgrader"]
    claims = {}
    for volumes, mounts, env in (
        (
            singleuser["storage"]["extraVolumes"],
            singleuser["storage"]["extraVolumeMounts"],
            singleuser["extraEnv"],
        ),
        (
            hub["extraVolumes"],
            grader["volumeMounts"],
            {item["name"]: item.get("value") for item in grader["env"]},
        ),
    ):
        (mount,) = [m for m in mounts if m["mountPath"] == EXCHANGE]
        (volume,) = [v for v in volumes if v["name"] == mount["name"]]
        claims[volume["persistentVolumeClaim"]["claimName"]] = True
        assert env["NBGRADER_EXCHANGE_ROOT"] == EXCHANGE
    assert len(claims) == 1, "residents and formgrader must mount the same exchange claim"
    # The course folder (gradebook, submissions) is mounted by formgrader alone.
    assert all(m["mountPath"] != "/srv/course" for m in singleuser["storage"]["extraVolumeMounts"])


def test_the_course_image_and_files(values):
    singleuser = values["singleuser"]
    image = f"{singleuser['image']['name']}:{singleuser['image']['tag']}"
    (grader,) = [c for c in values["hub"]["extraContainers"] if c["name"] == "formgrader"]
    assert grader["image"] == image, "formgrader must grade in the residents' environment"
    config = singleuser["extraFiles"]["nbgrader-config"]["stringData"]
    compile(config, "nbgrader_config.py", "exec")
    assert f'course_id = "{COURSE_ID}"' in config
    disabled = singleuser["extraFiles"]["lab-page-config"]["data"]["disabledExtensions"]
    assert disabled["@jupyter/nbgrader:formgrader"] is True
    assert singleuser["defaultUrl"].endswith("lessons/00-start-here.ipynb")
    assert (REPO / singleuser["defaultUrl"].split("/tree/", 1)[1]).exists()
