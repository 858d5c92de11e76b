"""A real OpenLDAP server (Debian's slapd) on a loopback port, seeded with test users.

The test skips, saying why, when slapd is not installed (`apt-get install slapd ldap-utils`).
"""

import shutil
import socket
import subprocess
import time
from pathlib import Path

SLAPD = shutil.which("slapd") or "/usr/sbin/slapd"
SLAPADD = shutil.which("slapadd") or "/usr/sbin/slapadd"
SUFFIX = "dc=kaohe,dc=test"
ROOT_DN = f"cn=admin,{SUFFIX}"
ROOT_PW = "root-secret"  # noqa: S105 - a throwaway test directory
SCHEMA = Path("/etc/ldap/schema")
MODULES = Path("/usr/lib/ldap")

CONFIG = """\
include {schema}/core.schema
include {schema}/cosine.schema
include {schema}/inetorgperson.schema
modulepath {modules}
moduleload back_mdb
pidfile {tmp}/slapd.pid
database mdb
maxsize 10485760
suffix "{suffix}"
rootdn "{root_dn}"
rootpw {root_pw}
directory {tmp}/data
access to attrs=userPassword by anonymous auth by self read by * none
access to * by * read
"""


def person(uid: str, name: str, password: str) -> str:
    return (
        f"dn: uid={uid},ou=people,{SUFFIX}\n"
        "objectClass: inetOrgPerson\n"
        f"uid: {uid}\ncn: {name}\nsn: {name[:1]}\nmail: {uid}@kaohe.test\n"
        f"userPassword: {password}\n\n"
    )


def seed(users: list[tuple[str, str, str]]) -> str:
    head = (
        f"dn: {SUFFIX}\nobjectClass: dcObject\nobjectClass: organization\ndc: kaohe\no: kaohe\n\n"
        f"dn: ou=people,{SUFFIX}\nobjectClass: organizationalUnit\nou: people\n\n"
    )
    return head + "".join(person(*u) for u in users)


def missing_reason() -> str:
    if not Path(SLAPD).exists() or not (MODULES / "back_mdb.so").exists():
        return "LDAP 测试已跳过：未安装 slapd（apt-get install slapd ldap-utils）。"
    return ""


def _wait(port: int, timeout: float = 15) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError(f"slapd did not listen on 127.0.0.1:{port}")


def start(tmp: Path, port: int, users) -> subprocess.Popen:
    (tmp / "data").mkdir(parents=True)
    conf = tmp / "slapd.conf"
    conf.write_text(
        CONFIG.format(
            schema=SCHEMA, modules=MODULES, tmp=tmp, suffix=SUFFIX, root_dn=ROOT_DN, root_pw=ROOT_PW
        )
    )
    (tmp / "seed.ldif").write_text(seed(users))
    subprocess.run(
        [SLAPADD, "-f", str(conf), "-l", str(tmp / "seed.ldif")], check=True, capture_output=True
    )
    process = subprocess.Popen(  # -d keeps it in the foreground, so the test owns the process
        [SLAPD, "-f", str(conf), "-h", f"ldap://127.0.0.1:{port}/", "-d", "0"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        _wait(port)
    except RuntimeError:
        process.kill()
        raise RuntimeError(process.stderr.read().decode(errors="replace")[-2000:]) from None
    return process
